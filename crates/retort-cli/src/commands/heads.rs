//! `heads [-v]`: the heads of the revision scripts (no database).

use super::describe;
use crate::args::VerboseArgs;
use crate::context::Context;
use crate::{CliError, Printer};

pub(crate) fn heads(
    ctx: &Context<'_>,
    args: &VerboseArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let graph = migrator.graph();
    for id in graph.heads() {
        if let Some(rev) = graph.revision(&id) {
            if args.verbose {
                p.line(&describe::verbose(graph, rev, &[], p));
            } else {
                p.line(&describe::short(graph, rev, &[], p));
            }
        }
    }
    Ok(())
}
