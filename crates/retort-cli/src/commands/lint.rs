//! `lint [RANGE] [--offline] [--downgrade] [--format json] [--fail-on LEVEL]`: the
//! dangerous operations of the revisions a run would apply (`retort_migrate::lint`). By
//! default, from the database's current revision to head, the data read to say what will
//! happen; `--offline` connects to nothing and says what could. Findings go to stdout; exit
//! code 5 when one is at or above `fail_on`.
//!
//! Also home of the report's text and JSON forms, and of [`lint_before_run`] and
//! [`lint_written`], the findings `upgrade` and `revision --autogenerate` print as warnings.

use std::path::PathBuf;

use retort_core::graph::{Direction, Plan};
use retort_core::ops::Op;
use retort_migrate::driver::Driver as _;
use retort_migrate::lint::{self, LintReport, LintSettings, RevisionOps, Severity};
use retort_migrate::{AnyDriver, Backend, Migrator, Script};

use crate::args::LintArgs;
use crate::context::{block_on, Context};
use crate::printer::Style;
use crate::{CliError, Printer};

pub(crate) fn lint(ctx: &Context<'_>, args: &LintArgs, p: &mut Printer) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let mut settings = ctx.settings.lint.clone();
    if let Some(level) = &args.fail_on {
        settings.fail_on = Severity::parse(level).ok_or_else(|| {
            CliError::usage(
                format!("--fail-on {level}: not a level"),
                Some("write error, warning or info".to_owned()),
            )
        })?;
    }
    let url = ctx.url(p, args.offline)?;
    let backend = url.backend();
    let (from, to) = match args.range.split_once(':') {
        Some((from, to)) => (Some(from), to),
        None => (None, args.range.as_str()),
    };
    let graph = migrator.graph();
    let plan_from = |current: &[String]| -> Result<Plan, CliError> {
        Ok(if args.downgrade {
            graph.plan_downgrade(current, to)?
        } else {
            graph.plan_upgrade(current, to)?
        })
    };
    let given_from = from.map(|f| graph.resolve(f)).transpose()?;
    let report = if args.offline {
        let current = given_from.unwrap_or_default();
        let plan = plan_from(&current)?;
        let steps = lint::plan_ops(&migrator, &plan, |s| read_source(ctx, s))?;
        let start = migrator.schema_at(&plan.heads_before);
        block_on(lint::lint::<AnyDriver>(
            &steps, start, backend, &settings, None,
        ))?
    } else {
        block_on(async {
            let mut db = ctx.connect_existing(&url).await?;
            let current = match (&given_from, db.as_mut()) {
                (Some(c), _) => c.clone(),
                (None, Some(d)) => migrator.current(d).await?,
                // A SQLite file not created yet: at base, and empty.
                (None, None) => Vec::new(),
            };
            let plan = plan_from(&current)?;
            let steps = lint::plan_ops(&migrator, &plan, |s| read_source(ctx, s))?;
            let start = migrator.schema_at(&plan.heads_before);
            let report = lint::lint(&steps, start, backend, &settings, db.as_mut()).await;
            if let Some(d) = db {
                // A close failure after reads changes nothing.
                let _ = d.close().await;
            }
            Ok::<_, CliError>(report)
        })??
    };
    if args.format == "json" {
        p.raw(&format!("{}\n", to_json(&report, &settings)));
    } else {
        print_text(&report, p);
    }
    let failing = report.at_or_above(settings.fail_on).count();
    if failing > 0 {
        return Err(CliError::Findings {
            message: format!(
                "{failing} finding{} at or above {}",
                if failing == 1 { "" } else { "s" },
                settings.fail_on
            ),
            hint: Some(
                "each finding says what to do instead; a rule's level can be changed per environment in [lint.rules] of retort.toml (docs/lint.md)".to_owned(),
            ),
        });
    }
    Ok(())
}

/// The text of a compiled script's file, to find each op's line: beside the migrations
/// crate (`versions/x.rs` is relative to it), else under `script_location`.
pub(crate) fn read_source(ctx: &Context<'_>, script: &Script) -> Option<String> {
    let candidates = ctx
        .env
        .crate_dir()
        .map(PathBuf::from)
        .into_iter()
        .chain(std::iter::once(ctx.settings.script_location.clone()));
    for dir in candidates {
        if let Ok(text) = std::fs::read_to_string(dir.join(script.path)) {
            return Some(text);
        }
    }
    None
}

fn print_text(report: &LintReport, p: &mut Printer) {
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => p.paint(Style::Red, "error"),
            Severity::Warning => p.paint(Style::Yellow, "warning"),
            Severity::Info => p.paint(Style::Cyan, "info"),
        };
        let at = if f.exact_line || f.line.is_none() {
            f.location()
        } else {
            format!("{} (in `fn {}`)", f.location(), direction(f.direction))
        };
        p.line(&format!("{at}: {level}[{}] {}", f.rule, f.message));
        p.line(&format!("  why: {}", f.why()));
        p.line(&format!("  instead: {}", f.safe_alternative()));
    }
    let revisions: std::collections::BTreeSet<&str> =
        report.ops.iter().map(|o| o.revision.as_str()).collect();
    let how = if report.connected {
        "the data read"
    } else {
        "not connected: what could happen, without counts"
    };
    if report.findings.is_empty() {
        p.line(&format!(
            "No findings in {} op{} of {} revision{} ({}, {how}).",
            report.ops.len(),
            plural(report.ops.len()),
            revisions.len(),
            plural(revisions.len()),
            report.backend.name()
        ));
    } else {
        let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
        p.line(&format!(
            "{} finding{} ({} error{}, {} warning{}, {} info) in {} op{} of {} revision{} ({}, {how}).",
            report.findings.len(),
            plural(report.findings.len()),
            count(Severity::Error),
            plural(count(Severity::Error)),
            count(Severity::Warning),
            plural(count(Severity::Warning)),
            count(Severity::Info),
            report.ops.len(),
            plural(report.ops.len()),
            revisions.len(),
            plural(revisions.len()),
            report.backend.name()
        ));
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    }
}

/// The report as one JSON document (the shape is documented in docs/lint.md).
fn to_json(report: &LintReport, settings: &LintSettings) -> String {
    use serde_json::json;
    let findings: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule.id(),
                "severity": f.severity.as_str(),
                "revision": f.revision,
                "path": f.path,
                "line": f.line,
                "exact_line": f.exact_line,
                "direction": direction(f.direction),
                "op": f.op,
                "object": f.object,
                "message": f.message,
                "samples": f.samples,
                "why": f.why(),
                "safe_alternative": f.safe_alternative(),
            })
        })
        .collect();
    let ops: Vec<_> = report
        .ops
        .iter()
        .map(|o| {
            json!({
                "revision": o.revision,
                "path": o.path,
                "line": o.line,
                "direction": direction(o.direction),
                "op": o.op,
                "lock": o.effect.lock,
                "rewrites": o.effect.rewrites,
                "scans": o.effect.scans,
            })
        })
        .collect();
    let failing = report.at_or_above(settings.fail_on).count();
    let doc = json!({
        "backend": report.backend.name(),
        "connected": report.connected,
        "fail_on": settings.fail_on.as_str(),
        "failing": failing,
        "findings": findings,
        "ops": ops,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The findings as warnings on stderr (for `upgrade` and `revision --autogenerate`): one
/// line each, with what to do instead.
pub(crate) fn warn_findings(report: &LintReport, p: &mut Printer) {
    for f in &report.findings {
        p.warn(&format!(
            "{}: {}[{}] {}; instead: {}",
            f.location(),
            f.severity,
            f.rule,
            f.message,
            f.safe_alternative()
        ));
    }
    if !report.findings.is_empty() {
        p.progress("(lint: `lint` shows why for each finding; docs/lint.md lists the rules)");
    }
}

/// Lints the plan `upgrade`/`downgrade` is about to run, on the database it runs on, and
/// prints the findings as warnings. A plan that cannot be made is left to the runner, which
/// reports it.
pub(crate) async fn lint_before_run(
    ctx: &Context<'_>,
    migrator: &Migrator,
    db: &mut AnyDriver,
    target: &str,
    downgrade: bool,
    p: &mut Printer,
) -> Result<(), CliError> {
    let current = migrator.current(db).await?;
    let graph = migrator.graph();
    let plan = if downgrade {
        graph.plan_downgrade(&current, target)
    } else {
        graph.plan_upgrade(&current, target)
    };
    let Ok(plan) = plan else {
        return Ok(());
    };
    let Ok(steps) = lint::plan_ops(migrator, &plan, |s| read_source(ctx, s)) else {
        return Ok(());
    };
    let start = migrator.schema_at(&plan.heads_before);
    let backend = db.backend();
    let report = lint::lint(&steps, start, backend, &ctx.settings.lint, Some(db)).await;
    warn_findings(&report, p);
    Ok(())
}

/// Lints the ops autogenerate just wrote to `path` (revision `id` on `parents`), on the
/// database when `db` is given.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn lint_written(
    ctx: &Context<'_>,
    migrator: &Migrator,
    backend: Backend,
    id: &str,
    parents: &[String],
    ops: Vec<Op>,
    path: &std::path::Path,
    db: Option<&mut AnyDriver>,
) -> LintReport {
    let shown = path
        .strip_prefix(&ctx.settings.script_location)
        .unwrap_or(path)
        .display()
        .to_string();
    let steps = [RevisionOps {
        revision: id.to_owned(),
        path: shown,
        direction: Direction::Upgrade,
        ops,
        source: std::fs::read_to_string(path).ok(),
    }];
    let start = migrator.schema_at(parents);
    lint::lint(&steps, start, backend, &ctx.settings.lint, db).await
}
