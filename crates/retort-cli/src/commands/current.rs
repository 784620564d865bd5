//! `current [-v] [--check-heads]`: the revisions in the version table. Read-only: it
//! creates neither the version table nor (on SQLite) the database file.

use retort_migrate::driver::Driver as _;
use retort_migrate::Migrator;

use super::describe;
use crate::args::CurrentArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

/// The applied heads, read-only (empty when there is no database or version table).
pub(crate) fn applied_heads(
    ctx: &Context<'_>,
    migrator: &Migrator,
    url: &retort_migrate::DatabaseUrl,
) -> Result<Vec<String>, CliError> {
    block_on(async {
        match ctx.connect_existing(url).await? {
            None => Ok(Vec::new()),
            Some(mut db) => {
                let heads = migrator.current(&mut db).await;
                let _ = db.close().await;
                Ok(heads?)
            }
        }
    })?
}

pub(crate) fn current(
    ctx: &Context<'_>,
    args: &CurrentArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    if super::fleet::wanted(ctx, &args.fleet) {
        let job = super::fleet::Job::Current {
            check_heads: args.check_heads,
        };
        return super::fleet::run(ctx, &args.fleet, job, p);
    }
    let migrator = ctx.migrator()?;
    let url = ctx.url(p, false)?;
    let heads = applied_heads(ctx, &migrator, &url)?;
    let graph = migrator.graph();
    if args.verbose {
        p.line(&format!("Current revision(s) for {}:", url.redacted()));
    }
    for id in &heads {
        match graph.revision(id) {
            Some(rev) if args.verbose => p.line(&describe::verbose(graph, rev, &[], p)),
            Some(rev) => p.line(&describe::short(graph, rev, &[], p)),
            None => p.line(&format!(
                "{id} (unknown: no script of this binary declares it; rebuild it or `stamp --purge`)"
            )),
        }
    }
    if args.check_heads {
        let mut want = graph.heads();
        let mut have = heads.clone();
        want.sort();
        have.sort();
        if want != have {
            let at = if have.is_empty() {
                "base".to_owned()
            } else {
                have.join(", ")
            };
            return Err(CliError::State {
                message: format!(
                    "the database is at {at}, not at the head revision(s) {}",
                    want.join(", ")
                ),
                hint: Some("run `upgrade heads`".into()),
            });
        }
    }
    Ok(())
}
