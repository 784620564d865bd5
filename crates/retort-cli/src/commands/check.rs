//! `check [--offline]`: whether `revision --autogenerate` would find anything to do. Exit
//! 0 with "No new upgrade operations detected." when the model and the database (or, with
//! `--offline`, the schema replayed from the revision history) agree; otherwise every
//! difference on stdout, one a line, and exit code 4, so CI can tell "differs" from
//! "failed" (1) and "misconfigured" (2).
//!
//! Also home of [`compare_with_model`], the comparison both `check` and `revision
//! --autogenerate` run: the live database must be at the revision the comparison assumes
//! (Alembic's "Target database is not up to date"), the offline history is replayed to it.

use retort_core::diff::{Diff, RenameKind};
use retort_migrate::autogenerate::{
    check_identifiers, compare, database_schema, history_schema, refuse_lost_objects,
    require_up_to_date, AutogenerateError, CurrentSchema, Source,
};
use retort_migrate::driver::Driver as _;

use crate::args::CheckArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

pub(crate) fn check(ctx: &Context<'_>, args: &CheckArgs, p: &mut Printer) -> Result<(), CliError> {
    let heads = ctx.migrator()?.graph().heads();
    let diff = compare_with_model(ctx, args.offline, &heads, p)?;
    if diff.is_empty() {
        p.line("No new upgrade operations detected.");
        return Ok(());
    }
    for line in &diff.log {
        p.line(line);
    }
    let count = diff.log.len().max(1);
    let against = if args.offline {
        "the schema replayed from the revision history"
    } else {
        "the database"
    };
    Err(CliError::Differences {
        message: format!(
            "New upgrade operations detected: {count} difference{} between the model and {against}",
            if count == 1 { "" } else { "s" }
        ),
        hint: Some(
            "run `revision --autogenerate -m \"...\"` to write them into a revision, then `upgrade head`"
                .to_owned(),
        ),
    })
}

/// Compares the environment's model with the current schema: the live database (which
/// must be at `parents`) or, `offline`, the history replayed up to `parents`. Warnings
/// (raw SQL a replay cannot see, possible renames...) are printed.
pub(super) fn compare_with_model(
    ctx: &Context<'_>,
    offline: bool,
    parents: &[String],
    p: &mut Printer,
) -> Result<Diff, CliError> {
    let model = ctx.env.metadata();
    // An invalid model is refused before anything connects or is written: compared as it
    // is, a relationship to an unregistered model would propose dropping its table.
    model.validate()?;
    let migrator = ctx.migrator()?;
    let settings = &ctx.settings.autogenerate;
    // The URL's backend decides how the replayed history is compared offline too, so
    // offline writes the revision live would.
    let url = ctx.url(p, offline)?;
    let backend = url.backend();
    // Names the database would cut are the user's to shorten: refused before anything is
    // read or written (the server would otherwise fail the upgrade, or `check` differ forever).
    check_identifiers(model, backend).map_err(autogen_error)?;
    let (current, source) = if offline {
        (
            history_schema(&migrator, parents).map_err(autogen_error)?,
            Source::History(backend),
        )
    } else {
        let current = block_on(async {
            let Some(mut driver) = ctx.connect_existing(&url).await? else {
                // A SQLite file not created yet: an empty database at base.
                if !parents.is_empty() {
                    return Err(autogen_error(AutogenerateError::NotUpToDate {
                        current: "base (the database file does not exist)".to_owned(),
                        expected: parents.join(", "),
                    }));
                }
                return Ok(CurrentSchema::default());
            };
            let result = async {
                require_up_to_date(&migrator, &mut driver, parents).await?;
                database_schema(&mut driver, migrator.tables(), model, settings).await
            }
            .await;
            // A close failure after a read changes nothing.
            let _ = driver.close().await;
            result.map_err(autogen_error)
        })??;
        (current, Source::Database(backend))
    };
    let options = settings.diff_options(ctx.env.include_object_hook());
    let diff = compare(&current, model, &options, source);
    // A dropped table would take a trigger (policy, rule) the model cannot say along, and
    // the downgrade would not bring it back: refused, naming each, before anything is written.
    refuse_lost_objects(&current, &diff).map_err(autogen_error)?;
    for w in &diff.warnings {
        p.warn(w);
    }
    for h in &diff.hints {
        let (what, old, new) = match h.kind {
            RenameKind::Table => ("table", h.old_name.clone(), h.new_name.clone()),
            _ => (
                "column",
                format!("{}.{}", h.table, h.old_name),
                format!("{}.{}", h.table, h.new_name),
            ),
        };
        p.warn(&format!(
            "{what} {old} is dropped and {what} {new} added with the same shape; if it is a rename, use `{}` instead (a drop loses the data)",
            h.suggestion()
        ));
    }
    Ok(diff)
}

/// Sorts autogenerate's failures into the CLI's kinds (and so its exit codes).
pub(super) fn autogen_error(e: AutogenerateError) -> CliError {
    match e {
        AutogenerateError::NotUpToDate { .. } => CliError::State {
            message: e.to_string(),
            hint: Some(
                "run `upgrade head` first, or pass --offline to compare with the revision history instead of the database"
                    .to_owned(),
            ),
        },
        AutogenerateError::Migrate(m) => CliError::Migrate(m),
        AutogenerateError::Write(_)
        | AutogenerateError::LongIdentifiers { .. }
        | AutogenerateError::Unsupported(_)
        | AutogenerateError::LostObjects { .. } => CliError::usage(e.to_string(), None),
        other => CliError::State {
            message: other.to_string(),
            hint: None,
        },
    }
}
