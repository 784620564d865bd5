//! `stamp <revisions> [--purge] [--sql]`: set the version table without running any
//! script. Offline, the first revision may be a range `from:to` (from base otherwise, the
//! script then creating the bookkeeping tables first). `--purge` also forgets (logged)
//! applied revisions no file declares, so it is the one command that leaves a deleted
//! applied head behind.

use retort_migrate::driver::Driver as _;
use retort_migrate::LogDirection;

use super::run::print_report;
use crate::args::StampArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

pub(crate) fn stamp(ctx: &Context<'_>, args: &StampArgs, p: &mut Printer) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let url = ctx.url(p, args.sql)?;
    let targets: Vec<&str> = args.revisions.iter().map(String::as_str).collect();
    if args.sql {
        p.raw(&migrator.offline_stamp(url.backend(), &targets, args.purge)?);
        return Ok(());
    }
    let result = block_on(async {
        let mut db = ctx.connect(&url).await?;
        let r = migrator.stamp(&mut db, &targets, args.purge).await;
        let _ = db.close().await;
        Ok::<_, CliError>(r)
    })??;
    let report = result?;
    if report.steps.is_empty() && report.heads_before == report.heads_after {
        print_report(&report, p);
        return Ok(());
    }
    for step in &report.steps {
        if step.direction == LogDirection::Repair {
            p.progress(&format!(
                "Forgot {}: no revision file declares it (logged as a repair)",
                step.revision
            ));
        } else {
            p.progress(&format!("Stamped {}", step.revision));
        }
    }
    let at = if report.heads_after.is_empty() {
        "base".to_owned()
    } else {
        report.heads_after.join(", ")
    };
    p.progress(&format!("The version table now holds {at}."));
    Ok(())
}
