//! `list_templates`: the scaffolds `retort init --template NAME` can write.

use crate::printer::Style;
use crate::Printer;

pub(crate) fn list_templates(p: &mut Printer) {
    p.line("Available templates:\n");
    for t in crate::templates::all() {
        p.line(&format!(
            "{} - {}",
            p.paint(Style::Bold, t.name),
            t.description
        ));
    }
    p.line("\nTemplates are used via the 'init' command, e.g.:\n\n  retort init --template generic ./migrations");
}
