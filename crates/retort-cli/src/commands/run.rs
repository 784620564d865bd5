//! `upgrade` and `downgrade`: online (lock, plan, run, report) or offline (`--sql`, the
//! script on stdout). Each applied step is reported on one line with its time, as
//! Alembic's `Running upgrade a -> b, message`; a failed run first reports what it had
//! applied, then the error.

use retort_core::graph::RevisionGraph;
use retort_migrate::driver::Driver as _;
use retort_migrate::{AppliedStep, LogDirection, Migrator, Report};

use crate::args::UpgradeArgs;
use crate::context::{block_on, Context};
use crate::printer::Style;
use crate::{CliError, Printer};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Up,
    Down,
}

pub(crate) fn upgrade(
    ctx: &Context<'_>,
    args: &UpgradeArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    migrate(ctx, args, Way::Up, p)
}

pub(crate) fn downgrade(
    ctx: &Context<'_>,
    args: &UpgradeArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    migrate(ctx, args, Way::Down, p)
}

fn migrate(
    ctx: &Context<'_>,
    args: &UpgradeArgs,
    way: Way,
    p: &mut Printer,
) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let (url, _) = ctx.url(p)?;
    if args.sql {
        let sql = match way {
            Way::Up => migrator.offline_upgrade(url.backend(), &args.revision)?,
            Way::Down => migrator.offline_downgrade(url.backend(), &args.revision)?,
        };
        p.raw(&sql);
        return Ok(());
    }
    let result = block_on(async {
        let mut db = ctx.connect(&url).await?;
        let result = match way {
            Way::Up => migrator.upgrade(&mut db, &args.revision).await,
            Way::Down => migrator.downgrade(&mut db, &args.revision).await,
        };
        // A failed close after the run does not change what the run did.
        let _ = db.close().await;
        Ok::<_, CliError>(result)
    })??;
    match result {
        Ok(report) => {
            print_report(&migrator, &report, p);
            Ok(())
        }
        Err(e) => {
            print_steps(migrator.graph(), e.applied(), p);
            Err(e.into())
        }
    }
}

pub(crate) fn print_report(migrator: &Migrator, report: &Report, p: &mut Printer) {
    for w in &report.warnings {
        p.warn(w);
    }
    if report.steps.is_empty() {
        let at = if report.heads_after.is_empty() {
            "base".to_owned()
        } else {
            report.heads_after.join(", ")
        };
        p.progress(&format!("Nothing to do: the database is at {at}."));
        return;
    }
    print_steps(migrator.graph(), &report.steps, p);
    let total = report.total_duration();
    let summary = format!(
        "Done: {} step{} in {} ms; the database is at {}.",
        report.steps.len(),
        if report.steps.len() == 1 { "" } else { "s" },
        total.as_millis(),
        if report.heads_after.is_empty() {
            "base".to_owned()
        } else {
            report.heads_after.join(", ")
        }
    );
    let summary = p.paint_err(Style::Green, &summary);
    p.progress(&summary);
}

/// `Running upgrade <parents> -> <rev>, <message> (N ms)` for each step.
pub(crate) fn print_steps(graph: &RevisionGraph, steps: &[AppliedStep], p: &mut Printer) {
    for step in steps {
        let info = graph.revision(&step.revision);
        let parents = info
            .map(|i| i.down_revisions.join(", "))
            .unwrap_or_default();
        let message = info.map(|i| i.message.as_str()).unwrap_or("");
        let (from, to) = match step.direction {
            LogDirection::Downgrade => (step.revision.clone(), parents),
            _ => (parents, step.revision.clone()),
        };
        let line = format!(
            "Running {} {} -> {}, {} ({} ms)",
            step.direction.as_str(),
            from,
            to,
            message,
            step.duration.as_millis()
        );
        p.progress(&line);
    }
}
