//! `revision --baseline [-m MSG] [--rev-id ID] [--version-path DIR] [--no-stamp]`: adopt a
//! database no revision made. Its schema is read (`retort_migrate::baseline::plan`, which
//! refuses a history with revisions, a database recorded at one, and objects it could not
//! carry, by name), written as the first revision through the revision template, and the
//! database is stamped at it without running it (not with `--no-stamp`). The next build
//! compiles the baseline in; `check` and `revision --autogenerate` then compare the model
//! with a database whose history is the baseline.

use retort_migrate::baseline::{self, BaselineError};
use retort_migrate::driver::Driver as _;

use super::revision::create_date;
use super::write_script::{check_labels, fresh_id, write_vars};
use crate::args::RevisionArgs;
use crate::context::{block_on, Context};
use crate::templates::NewRevision;
use crate::{CliError, Printer};

pub(crate) fn baseline(
    ctx: &Context<'_>,
    args: &RevisionArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let graph = migrator.graph();
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
        message: args
            .message
            .clone()
            .unwrap_or_else(|| "baseline".to_owned()),
        down_revisions: Vec::new(),
        branch_labels: args.branch_label.clone(),
        depends_on: Vec::new(),
        create_date: create_date(),
    };
    let url = ctx.url(p, false)?;
    block_on(async {
        let Some(mut driver) = ctx.connect_existing(&url).await? else {
            return Err(CliError::usage(
                format!("the database file of {} does not exist", url.redacted()),
                Some(
                    "a baseline adopts an existing database: point --url at it, or start with `revision --autogenerate`"
                        .to_owned(),
                ),
            ));
        };
        let outcome = write_and_stamp(ctx, args, &migrator, &rev, &mut driver, p).await;
        // A close failure after the stamp's commit changes nothing.
        let _ = driver.close().await;
        outcome
    })?
}

async fn write_and_stamp(
    ctx: &Context<'_>,
    args: &RevisionArgs,
    migrator: &retort_migrate::Migrator,
    rev: &NewRevision,
    driver: &mut retort_migrate::AnyDriver,
    p: &mut Printer,
) -> Result<(), CliError> {
    let plan = baseline::plan(
        driver,
        migrator,
        ctx.env.metadata(),
        &ctx.settings.autogenerate,
    )
    .await
    .map_err(baseline_error)?;
    for w in &plan.warnings {
        p.warn(w);
    }
    let md = &plan.schema;
    p.progress(&format!(
        "Baseline of the database: {} table(s), {} enum type(s), {} sequence(s), {} other object(s) (views, functions, triggers, policies, grants, ...): {} operation(s)",
        md.tables().len(),
        md.enums().len(),
        md.sequences().len(),
        md.entities().len(),
        plan.upgrade.len()
    ));
    let (upgrades, downgrades) = plan.bodies().map_err(baseline_error)?;
    let vars = rev
        .vars()
        .set("upgrades", upgrades)
        .set("downgrades", downgrades);
    let path = write_vars(ctx, rev, &vars, args.version_path.as_deref(), p)?;
    if args.no_stamp {
        p.progress(&format!(
            "Not stamped (--no-stamp): once the migrations binary is rebuilt with it, `stamp {}` records the database at it without running it",
            rev.id
        ));
        return Ok(());
    }
    let shown = path.display().to_string();
    baseline::stamp(driver, migrator, &rev.id, &shown)
        .await
        .map_err(|e| CliError::State {
            message: format!(
                "{} was written, but stamping the database failed: {e}",
                shown
            ),
            hint: Some(format!(
                "once the migrations binary is rebuilt with it, run `stamp {}`",
                rev.id
            )),
        })?;
    p.progress(&format!(
        "Stamped the database at {} without running it; the next build compiles the baseline in, and `check` compares the model with it",
        rev.id
    ));
    Ok(())
}

/// Sorts the baseline's refusals into the CLI's kinds (and exit codes).
pub(crate) fn baseline_error(e: BaselineError) -> CliError {
    match e {
        BaselineError::Migrate(m) => CliError::Migrate(m),
        BaselineError::Autogenerate(a) => super::check::autogen_error(*a),
        BaselineError::AlreadyStamped { .. } => CliError::State {
            message: e.to_string(),
            hint: None,
        },
        other => CliError::usage(other.to_string(), None),
    }
}
