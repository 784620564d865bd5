//! `show <rev>`: the verbose description of the revision(s) an identifier names.

use super::describe;
use crate::args::ShowArgs;
use crate::context::Context;
use crate::{CliError, Printer};

pub(crate) fn show(ctx: &Context<'_>, args: &ShowArgs, p: &mut Printer) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let graph = migrator.graph();
    let ids = graph.resolve(&args.revision)?;
    if ids.is_empty() {
        // `base`: nothing to describe, as Alembic prints nothing.
        return Ok(());
    }
    for id in ids {
        if let Some(rev) = graph.revision(&id) {
            p.line(&describe::verbose(graph, rev, &[], p));
        }
    }
    Ok(())
}
