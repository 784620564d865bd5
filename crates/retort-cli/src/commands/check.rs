//! `check [--offline]`: whether `revision --autogenerate` would find anything to do. Exit
//! 0 with "No new upgrade operations detected." when the model and the database (or, with
//! `--offline`, the schema replayed from the revision history) agree; otherwise every
//! difference on stdout, one a line, and exit code 4, so CI can tell "differs" from
//! "failed" (1) and "misconfigured" (2).
//!
//! Also home of [`compare_with_model`], the comparison both `check` and `revision
//! --autogenerate` run: `retort_migrate::autogenerate::compare_metadata` (or its offline
//! twin) plus the printing of its warnings and rename hints.

use retort_core::diff::{Diff, RenameKind};
use retort_migrate::autogenerate::{
    compare_metadata, compare_metadata_offline, compare_metadata_with_empty, AutogenerateError,
    Comparison,
};
use retort_migrate::driver::Driver as _;

use crate::args::CheckArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

pub(crate) fn check(ctx: &Context<'_>, args: &CheckArgs, p: &mut Printer) -> Result<(), CliError> {
    if super::fleet::wanted(ctx, &args.fleet) {
        if args.offline {
            return Err(CliError::usage(
                "check --offline compares with the revision history, not with targets",
                None,
            ));
        }
        return super::fleet::run(ctx, &args.fleet, super::fleet::Job::Check, p);
    }
    let heads = ctx.migrator()?.graph().heads();
    let (diff, _) = compare_with_model(ctx, args.offline, &heads, p)?;
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
/// (raw SQL a replay cannot see, possible renames...) are printed. Also returns the URL
/// compared against (its `Target:` line printed once).
pub(super) fn compare_with_model(
    ctx: &Context<'_>,
    offline: bool,
    parents: &[String],
    p: &mut Printer,
) -> Result<(Diff, retort_migrate::DatabaseUrl), CliError> {
    // Refused before the configuration is resolved or the Target line printed; the library
    // call is handed the fact (`Validated`) and does not validate again.
    let model = ctx.env.metadata().validate_ref()?;
    let migrator = ctx.migrator()?;
    let settings = &ctx.settings.autogenerate;
    let include = ctx.env.include_object_hook();
    // The URL's backend decides how the replayed history is compared offline too, so
    // offline writes the revision live would.
    let url = ctx.url(p, offline)?;
    let backend = url.backend();
    // The model is valid (an invalid one is refused before anything connects or is
    // written: compared as it is, a relationship to an unregistered model would propose
    // dropping its table); the library call refuses names and objects the database cannot
    // hold, checks the database is at `parents`, compares, and refuses drops that would
    // lose a trigger.
    let compared = if offline {
        compare_metadata_offline(&migrator, model, parents, backend, settings, include)
            .map_err(autogen_error)?
            .diff
    } else {
        let c = block_on(compare_live(ctx, model, &migrator, &url, parents))??;
        // One target, and the command ends soon: the database's schema and the replayed
        // history are left to the exit.
        crate::leave_to_exit(c.current);
        c.diff
    };
    let diff = compared;
    for w in diff_warnings(&diff) {
        p.warn(&w);
    }
    Ok((diff, url))
}

/// What a comparison warns about, one line each: its warnings (raw SQL a replay cannot see,
/// ...), then a line per possible rename. Printed by a single-target `check` and `revision
/// --autogenerate`, and per target, with its label, by `check` over many targets.
pub(super) fn diff_warnings(diff: &Diff) -> Vec<String> {
    let mut out = diff.warnings.clone();
    for h in &diff.hints {
        let (what, old, new) = match h.kind {
            RenameKind::Table => ("table", h.old_name.clone(), h.new_name.clone()),
            _ => (
                "column",
                format!("{}.{}", h.table, h.old_name),
                format!("{}.{}", h.table, h.new_name),
            ),
        };
        out.push(format!(
            "{what} {old} is dropped and {what} {new} added with the same shape; if it is a rename, use `{}` instead (a drop loses the data)",
            h.suggestion()
        ));
    }
    out
}

/// Compares the model with the live database at `url` (which must be at `parents`); a
/// SQLite file not created yet is an empty database at base. Prints nothing.
/// `model` is the environment's, validated here unless it is a [`retort_core::Validated`].
pub(super) async fn compare_live<'m>(
    ctx: &Context<'_>,
    model: impl retort_core::ValidModel<'m>,
    migrator: &retort_migrate::Migrator,
    url: &retort_migrate::DatabaseUrl,
    parents: &[String],
) -> Result<Comparison, CliError> {
    let settings = &ctx.settings.autogenerate;
    let include = ctx.env.include_object_hook();
    let Some(mut driver) = ctx.connect_existing(url).await? else {
        if !parents.is_empty() {
            return Err(autogen_error(AutogenerateError::NotUpToDate {
                current: "base (the database file does not exist)".to_owned(),
                expected: parents.join(", "),
            }));
        }
        return compare_metadata_with_empty(model, url.backend(), settings, include)
            .map_err(autogen_error);
    };
    let result = compare_metadata(&mut driver, migrator, model, parents, settings, include).await;
    // A close failure after a read changes nothing.
    let _ = driver.close().await;
    result.map_err(autogen_error)
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
        AutogenerateError::Model(e) => CliError::Model(e),
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
