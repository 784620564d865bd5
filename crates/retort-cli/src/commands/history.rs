//! `history [-r start:end] [-v] [-i]`: the revisions, newest first. With `-i` (or a range
//! naming `current`) the applied heads are read, read-only.

use super::current::applied_heads;
use super::describe;
use crate::args::HistoryArgs;
use crate::context::Context;
use crate::{CliError, Printer};

pub(crate) fn history(
    ctx: &Context<'_>,
    args: &HistoryArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let needs_db = args.indicate_current
        || args
            .rev_range
            .as_deref()
            .is_some_and(|r| r.contains("current"));
    let current = if needs_db {
        let url = ctx.url(p, false)?;
        Some(applied_heads(ctx, &migrator, &url)?)
    } else {
        None
    };
    let graph = migrator.graph();
    let current_refs: Option<Vec<&str>> = current
        .as_ref()
        .map(|c| c.iter().map(String::as_str).collect());
    let revs = graph.history(args.rev_range.as_deref(), current_refs.as_deref())?;
    let shown_current: &[String] = if args.indicate_current {
        current.as_deref().unwrap_or(&[])
    } else {
        &[]
    };
    for rev in revs {
        if args.verbose {
            p.line(&describe::verbose(graph, rev, shown_current, p));
        } else {
            p.line(&describe::line(graph, rev, shown_current, p));
        }
    }
    Ok(())
}
