//! `merge -m MSG <revisions|heads> [--rev-id ID] [--branch-label L]`: a new, empty
//! revision whose down revisions are the given ones, joining their branches.

use super::write_script::{check_labels, fresh_id, write};
use crate::args::MergeArgs;
use crate::context::Context;
use crate::templates::NewRevision;
use crate::{CliError, Printer};

pub(crate) fn merge(ctx: &Context<'_>, args: &MergeArgs, p: &mut Printer) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let graph = migrator.graph();
    let mut down_revisions: Vec<String> = Vec::new();
    for ident in &args.revisions {
        for id in graph.resolve(ident)? {
            if !down_revisions.contains(&id) {
                down_revisions.push(id);
            }
        }
    }
    if down_revisions.len() < 2 {
        return Err(CliError::usage(
            format!(
                "`merge {}` names {} revision(s); a merge joins at least two",
                args.revisions.join(" "),
                down_revisions.len()
            ),
            Some("`heads` lists the heads to merge; `merge heads` merges all of them".to_owned()),
        ));
    }
    let id = match &args.rev_id {
        Some(id) => {
            graph.check_new_revision_id(id, "--rev-id")?;
            id.clone()
        }
        None => fresh_id(graph),
    };
    check_labels(graph, &args.branch_label)?;
    let rev = NewRevision {
        id,
        message: args.message.clone().unwrap_or_default(),
        down_revisions,
        branch_labels: args.branch_label.clone(),
        depends_on: Vec::new(),
        create_date: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
    };
    write(ctx, &rev, None, p)?;
    Ok(())
}
