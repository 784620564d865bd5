//! `upgrade` and `downgrade`: online (lock, plan, run, report) or offline (`--sql`, the
//! script on stdout). Each step is reported on one line with its time as soon as it has
//! run, as Alembic's `Running upgrade a -> b, message`, through the runner's progress
//! hook; a summary (or the error) follows the run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// `--allow-data-loss`: the run warns about each unmarked drop of data instead of refusing
/// it; without the flag the environment's `[lint] data_loss` (already in `migrator`) holds.
pub(super) fn data_loss_guard(migrator: Migrator, allow_data_loss: bool) -> Migrator {
    if allow_data_loss {
        migrator.with_data_loss_guard(retort_migrate::DataLossGuard::Warn)
    } else {
        migrator
    }
}

fn migrate(
    ctx: &Context<'_>,
    args: &UpgradeArgs,
    way: Way,
    p: &mut Printer,
) -> Result<(), CliError> {
    if super::fleet::wanted(ctx, &args.fleet) {
        if way == Way::Down || args.sql {
            return Err(CliError::usage(
                "several targets (--url more than once, --targets, --schemas) are for `upgrade` (online), `current` and `check`",
                Some("downgrade or print the SQL of one target at a time".to_owned()),
            ));
        }
        return super::fleet::run(
            ctx,
            &args.fleet,
            super::fleet::Job::Upgrade {
                revision: &args.revision,
                allow_data_loss: args.allow_data_loss,
            },
            p,
        );
    }
    let url = ctx.url(p, args.sql)?;
    let migrator = ctx.migrator()?;
    let lines = StepLines::new(migrator.graph());
    let sink = p.progress_sink();
    // Each loss let through is printed as the run makes it, so that it is not lost when a
    // later revision fails (a failed run returns no report); the summary leaves those out.
    let warned: Arc<Mutex<Vec<String>>> = Arc::default();
    let (warnings, seen) = (p.warning_sink(), Arc::clone(&warned));
    let migrator = migrator
        .with_progress(move |step| sink.line(&lines.line(step)))
        .with_warnings(move |w| {
            warnings.line(w);
            seen.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(w.to_owned());
        })
        .with_resume(args.resume);
    let migrator = data_loss_guard(migrator, args.allow_data_loss);
    if args.sql {
        let migrator = migrator.with_assumed_history_shape(args.assume_history_shape);
        let sql = match way {
            Way::Up => migrator.offline_upgrade(url.backend(), &args.revision)?,
            Way::Down => migrator.offline_downgrade(url.backend(), &args.revision)?,
        };
        p.raw(&sql);
        return Ok(());
    }
    let result = block_on(async {
        let mut db = ctx.connect(&url).await?;
        if !args.no_lint {
            // The findings of what is about to run, as warnings; nothing is refused yet.
            super::lint::lint_before_run(
                ctx,
                &migrator,
                &mut db,
                &args.revision,
                way == Way::Down,
                p,
            )
            .await?;
        }
        let result = match way {
            Way::Up => migrator.upgrade(&mut db, &args.revision).await,
            Way::Down => migrator.downgrade(&mut db, &args.revision).await,
        };
        // A failed close after the run does not change what the run did.
        let _ = db.close().await;
        Ok::<_, CliError>(result)
    })??;
    match result {
        Ok(mut report) => {
            let warned = warned
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            report.warnings.retain(|w| !warned.contains(w));
            print_report(&report, p);
            Ok(())
        }
        // The steps it had applied were reported as they ran.
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn print_report(report: &Report, p: &mut Printer) {
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

/// What a progress line needs of each revision, detached from the graph so the runner's
/// hook (`'static`) can own it.
#[derive(Clone)]
struct StepLines(Arc<HashMap<String, (String, String)>>);

impl StepLines {
    fn new(graph: &RevisionGraph) -> Self {
        StepLines(Arc::new(
            graph
                .revisions()
                .map(|r| {
                    (
                        r.id.clone(),
                        (r.down_revisions.join(", "), r.message.clone()),
                    )
                })
                .collect(),
        ))
    }

    /// `Running upgrade <parents> -> <rev>, <message> (N ms)`.
    fn line(&self, step: &AppliedStep) -> String {
        let (parents, message) = self.0.get(&step.revision).cloned().unwrap_or_default();
        let (from, to) = match step.direction {
            LogDirection::Downgrade => (step.revision.clone(), parents),
            _ => (parents, step.revision.clone()),
        };
        format!(
            "Running {} {} -> {}, {} ({} ms)",
            step.direction.as_str(),
            from,
            to,
            message,
            step.duration.as_millis()
        )
    }
}
