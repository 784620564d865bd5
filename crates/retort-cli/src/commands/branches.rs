//! `branches [-v]`: each branch point and the revisions it branches into (no database).

use super::describe;
use crate::args::VerboseArgs;
use crate::context::Context;
use crate::{CliError, Printer};

pub(crate) fn branches(
    ctx: &Context<'_>,
    args: &VerboseArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let graph = migrator.graph();
    for point in graph.branches() {
        let Some(rev) = graph.revision(&point.revision) else {
            continue;
        };
        if args.verbose {
            p.line(&describe::verbose(graph, rev, &[], p));
        } else {
            p.line(&describe::line(graph, rev, &[], p));
        }
        // Alembic indents each child under its branch point with an arrow.
        let pad = " ".repeat(rev.down_revisions.join(", ").len().max("<base>".len()));
        for child in &point.children {
            if let Some(c) = graph.revision(child) {
                p.line(&format!(
                    "{pad} -> {}, {}",
                    describe::short(graph, c, &[], p),
                    c.message
                ));
            }
        }
    }
    Ok(())
}
