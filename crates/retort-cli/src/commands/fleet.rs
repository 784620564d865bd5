//! `upgrade`, `current` and `check` over many targets (issue 16, item 6): several `--url`,
//! a `--targets` file of URLs, or `--schemas` (PostgreSQL, one schema per tenant on the one
//! database). At most `--jobs` targets run at once, each on its own connections with its
//! own lock, version table and report line; a progress bar counts them on a terminal.
//!
//! A schema-per-tenant target is the database's URL with `options=-c search_path=<schema>`:
//! the schema is the connection's default, so the version table (its schema unset), the
//! lock (named after that table's schema), the model's unqualified tables and the schema
//! read back are all the tenant's. Hence the model may name no schema and
//! `version_table_schema` must be unset: both would be one table shared by every tenant.
//!
//! Each target's line names it with no password; `--report FILE` keeps them (tab-separated:
//! status, target, revision, error) and `--failed-from FILE` runs again only the targets a
//! report lists as failed. A target at head has nothing to do, so a plain re-run resumes too.

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::path::Path;
use std::time::{Duration, Instant};

use retort_migrate::driver::Driver as _;
use retort_migrate::{DatabaseUrl, Migrator, Target};

use crate::args::FleetArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

/// What runs on each target.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Job<'a> {
    /// `upgrade <revision>`; `allow_data_loss`: `--allow-data-loss`, as for one target.
    Upgrade {
        /// The revision to reach.
        revision: &'a str,
        /// Unmarked drops of data are warned about, not refused.
        allow_data_loss: bool,
    },
    /// `current`; with `check_heads`, a target not at the heads fails.
    Current { check_heads: bool },
    /// `check` against the live database.
    Check,
}

impl Job<'_> {
    fn name(&self) -> &'static str {
        match self {
            Job::Upgrade { .. } => "upgrade",
            Job::Current { .. } => "current",
            Job::Check => "check",
        }
    }
}

/// One database (or one tenant's schema of it).
struct Fleet {
    url: DatabaseUrl,
    /// What the report calls it: the URL described with no password, and the schema.
    label: String,
}

/// How one target ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Ok,
    /// `check`: the model and this database differ (this many differences).
    Differs(usize),
    Failed(String),
}

struct Outcome {
    status: Status,
    /// The revision(s) the target is at afterwards, when known.
    heads: Vec<String>,
    steps: usize,
    took: Duration,
    /// The run's warnings (a loss `--allow-data-loss` let through among them; for `check`,
    /// the comparison's warnings and rename hints), printed after the target's line with
    /// its label.
    warnings: Vec<String>,
}

/// Whether this command line asks for many targets.
pub(crate) fn wanted(ctx: &Context<'_>, fleet: &FleetArgs) -> bool {
    fleet.any() || ctx.global.url.len() > 1
}

/// Runs `job` on every target; an error (exit code 1, or 4 for `check` when some only
/// differ) when any target failed.
pub(crate) fn run(
    ctx: &Context<'_>,
    fleet: &FleetArgs,
    job: Job<'_>,
    p: &mut Printer,
) -> Result<(), CliError> {
    if fleet.jobs == 0 {
        return Err(CliError::usage(
            "--jobs 0: at least one target must run",
            None,
        ));
    }
    let mut migrator = ctx.migrator()?;
    if let Job::Upgrade {
        allow_data_loss, ..
    } = job
    {
        migrator = super::run::data_loss_guard(migrator, allow_data_loss);
    }
    if let Job::Check = job {
        ctx.env.metadata().validate()?;
    }
    let mut targets = targets(ctx, fleet, p)?;
    if let Some(report) = &fleet.failed_from {
        let failed = failed_in(report)?;
        targets.retain(|t| failed.contains(&t.label));
    }
    p.progress(&format!(
        "{} on {} target{}, {} at a time.",
        job.name(),
        targets.len(),
        if targets.len() == 1 { "" } else { "s" },
        fleet.jobs.min(targets.len().max(1))
    ));
    let bar = p.fleet_bar(targets.len() as u64);
    let queue = RefCell::new(targets.into_iter().enumerate().collect::<VecDeque<_>>());
    let results: RefCell<Vec<(usize, String, Outcome)>> = RefCell::new(Vec::new());
    let printer = RefCell::new(&mut *p);
    block_on(async {
        let worker = || async {
            loop {
                let next = queue.borrow_mut().pop_front();
                let Some((i, target)) = next else { break };
                let started = Instant::now();
                let mut outcome = run_one(ctx, &migrator, &target.url, job).await;
                outcome.took = started.elapsed();
                let line = report_line(&target.label, &outcome);
                bar.suspend(|| {
                    let mut p = printer.borrow_mut();
                    p.line(&line);
                    for w in &outcome.warnings {
                        p.warn(&format!("{}: {w}", target.label));
                    }
                });
                bar.inc();
                results.borrow_mut().push((i, target.label, outcome));
            }
        };
        futures_util::future::join_all((0..fleet.jobs).map(|_| worker())).await;
    })?;
    bar.finish();
    let p = printer.into_inner();
    let mut results = results.into_inner();
    results.sort_by_key(|(i, _, _)| *i);
    if let Some(path) = &fleet.report {
        write_report(path, &results, p)?;
    }
    summary(&results, job, p)
}

/// The targets: `--schemas` tenants of the one URL, else every `--url` and `--targets` line.
fn targets(ctx: &Context<'_>, fleet: &FleetArgs, p: &mut Printer) -> Result<Vec<Fleet>, CliError> {
    if !fleet.schemas.is_empty() {
        if fleet.targets.is_some() || ctx.global.url.len() > 1 {
            return Err(CliError::usage(
                "--schemas runs on the schemas of one database; it does not combine with --targets or several --url",
                None,
            ));
        }
        return tenant_schemas(ctx, &fleet.schemas, p);
    }
    let mut raw: Vec<(String, String)> = ctx
        .global
        .url
        .iter()
        .map(|u| (u.clone(), "--url".to_owned()))
        .collect();
    if let Some(path) = &fleet.targets {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, e))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                raw.push((line.to_owned(), format!("{}:{}", path.display(), n + 1)));
            }
        }
    }
    if raw.is_empty() {
        return Err(CliError::usage(
            "no targets: --targets FILE lists none",
            Some("write one database URL a line".to_owned()),
        ));
    }
    let mut out: Vec<Fleet> = Vec::new();
    for (raw, origin) in raw {
        for password in retort_migrate::url::passwords(&raw) {
            p.add_secret(password);
            p.add_secret(&retort_migrate::url::percent_decode(password));
        }
        let url = DatabaseUrl::parse(&raw).map_err(|e| {
            CliError::usage(
                format!(
                    "{origin}: {} is not a database URL: {e}",
                    retort_migrate::url::redact(&raw)
                ),
                None,
            )
        })?;
        let mut label = Target::from(&url).describe();
        // Two URLs that describe alike (the same database as two users) stay apart.
        if out.iter().any(|t| t.label == label) {
            label = format!("{label} ({origin})");
        }
        out.push(Fleet { url, label });
    }
    Ok(out)
}

/// Each schema of the one database whose name matches a pattern, as a target whose
/// search_path is that schema.
fn tenant_schemas(
    ctx: &Context<'_>,
    patterns: &[String],
    p: &mut Printer,
) -> Result<Vec<Fleet>, CliError> {
    let url = ctx.url(p, false)?;
    if url.backend() != retort_migrate::Backend::Postgres {
        return Err(CliError::usage(
            format!(
                "--schemas needs PostgreSQL; {} is {}",
                url.redacted(),
                url.backend().name()
            ),
            Some("on other databases, list one URL a tenant with --targets FILE".to_owned()),
        ));
    }
    if let Some(schema) = ctx.settings.tables().schema.as_deref() {
        return Err(CliError::usage(
            format!("--schemas: version_table_schema is {schema}, one version table for every tenant"),
            Some("leave version_table_schema unset: each tenant's version table is then in its schema".to_owned()),
        ));
    }
    let model = ctx.env.metadata();
    let named = model
        .tables()
        .iter()
        .find_map(|t| t.schema.as_deref().map(|s| format!("table {s}.{}", t.name)))
        .or_else(|| {
            model.enums().iter().find_map(|e| {
                e.schema
                    .as_deref()
                    .map(|s| format!("enum type {s}.{}", e.name))
            })
        });
    if let Some(what) = named {
        return Err(CliError::usage(
            format!("--schemas: the model's {what} names a schema, which every tenant would share"),
            Some("a schema-per-tenant model leaves its tables' schema unset".to_owned()),
        ));
    }
    let likes: Vec<String> = patterns
        .iter()
        .map(|pat| {
            // LIKE with `*` for any characters; `%`, `_` and `\` taken literally (a
            // standard string: backslash is LIKE's escape, not the literal's).
            let like = pat
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
                .replace('*', "%")
                .replace('\'', "''");
            format!("nspname LIKE '{like}'")
        })
        .collect();
    let sql = format!(
        "SELECT nspname::text FROM pg_namespace WHERE ({}) ORDER BY 1",
        likes.join(" OR ")
    );
    let schemas: Vec<String> = block_on(async {
        let mut db = ctx.connect(&url).await?;
        let rows = db.query_text(&sql).await;
        let _ = db.close().await;
        let rows = rows.map_err(|e| CliError::State {
            message: format!("listing the schemas of {}: {e}", url.redacted()),
            hint: None,
        })?;
        Ok::<_, CliError>(
            rows.into_iter()
                .filter_map(|r| r.into_iter().next().flatten())
                .collect(),
        )
    })??;
    if schemas.is_empty() {
        return Err(CliError::usage(
            format!(
                "--schemas {}: no schema of {} matches",
                patterns.join(","),
                url.redacted()
            ),
            Some("create the tenants' schemas first (`CREATE SCHEMA tenant_a`)".to_owned()),
        ));
    }
    let base = Target::from(&url).describe();
    schemas
        .into_iter()
        .map(|schema| {
            Ok(Fleet {
                url: with_search_path(&url, &schema)?,
                label: format!("{base} schema {schema}"),
            })
        })
        .collect()
}

/// `url` whose sessions start with `search_path` set to `schema` alone (libpq's `options`
/// parameter, which sqlx reads too).
fn with_search_path(url: &DatabaseUrl, schema: &str) -> Result<DatabaseUrl, CliError> {
    if schema.contains(|c: char| c.is_whitespace() || c == '\\') {
        return Err(CliError::usage(
            format!("--schemas: schema {schema:?} has a space or backslash, which a connection's options cannot carry"),
            None,
        ));
    }
    let quoted = format!("\"{}\"", schema.replace('"', "\"\""));
    let value = percent_encode(&format!("-c search_path={quoted}"));
    let raw = url.expose_secret();
    let sep = if raw.contains('?') { '&' } else { '?' };
    DatabaseUrl::parse(&format!("{raw}{sep}options={value}"))
        .map_err(|e| CliError::usage(format!("--schemas: schema {schema}: {e}"), None))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs `job` on one target; never fails, the error is its outcome.
async fn run_one(
    ctx: &Context<'_>,
    migrator: &Migrator,
    url: &DatabaseUrl,
    job: Job<'_>,
) -> Outcome {
    let mut outcome = Outcome {
        status: Status::Ok,
        heads: Vec::new(),
        steps: 0,
        took: Duration::ZERO,
        warnings: Vec::new(),
    };
    let result: Result<(), CliError> = async {
        match job {
            Job::Upgrade { revision, .. } => {
                let mut db = ctx.connect(url).await?;
                let result = migrator.upgrade(&mut db, revision).await;
                let _ = db.close().await;
                let report = result?;
                outcome.heads = report.heads_after.clone();
                outcome.steps = report.steps.len();
                outcome.warnings = report.warnings;
            }
            Job::Current { check_heads } => {
                if let Some(mut db) = ctx.connect_existing(url).await? {
                    let heads = migrator.current(&mut db).await;
                    let _ = db.close().await;
                    outcome.heads = heads?;
                }
                let mut want = migrator.graph().heads();
                let mut have = outcome.heads.clone();
                want.sort();
                have.sort();
                if check_heads && want != have {
                    outcome.status =
                        Status::Failed(format!("not at the head revision(s) {}", want.join(", ")));
                }
            }
            Job::Check => {
                let heads = migrator.graph().heads();
                let diff =
                    super::check::compare_live(ctx, ctx.env.metadata(), migrator, url, &heads)
                        .await?
                        .diff;
                // Printed with the target's label, as a single-target `check` prints them.
                outcome.warnings = super::check::diff_warnings(&diff);
                outcome.heads = heads;
                if !diff.is_empty() {
                    outcome.status = Status::Differs(diff.log.len().max(1));
                }
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        outcome.status = Status::Failed(one_line(&e.to_string()));
    }
    outcome
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn at(heads: &[String]) -> String {
    if heads.is_empty() {
        "base".to_owned()
    } else {
        heads.join(", ")
    }
}

/// `ok      <target>: at <rev> (2 steps, 120 ms)`, `FAILED  <target>: <error>`.
fn report_line(label: &str, o: &Outcome) -> String {
    let ms = o.took.as_millis();
    match &o.status {
        Status::Ok if o.steps > 0 => format!(
            "ok      {label}: at {} ({} step{}, {ms} ms)",
            at(&o.heads),
            o.steps,
            if o.steps == 1 { "" } else { "s" }
        ),
        Status::Ok => format!("ok      {label}: at {} ({ms} ms)", at(&o.heads)),
        Status::Differs(n) => format!(
            "differs {label}: {n} difference{} from the model",
            if *n == 1 { "" } else { "s" }
        ),
        Status::Failed(e) => format!("FAILED  {label}: {e}"),
    }
}

fn status_word(s: &Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Differs(_) => "differs",
        Status::Failed(_) => "failed",
    }
}

/// The report file: a header, then `status<TAB>target<TAB>revision<TAB>error` a target.
/// Through the printer's masking, so no password reaches it either.
fn write_report(
    path: &Path,
    results: &[(usize, String, Outcome)],
    p: &Printer,
) -> Result<(), CliError> {
    let mut text = String::from("status\ttarget\trevision\terror\n");
    for (_, label, o) in results {
        let error = match &o.status {
            Status::Failed(e) => e.clone(),
            Status::Differs(n) => format!("{n} differences"),
            Status::Ok => String::new(),
        };
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            status_word(&o.status),
            label.replace('\t', " "),
            at(&o.heads),
            error.replace('\t', " ")
        ));
    }
    std::fs::write(path, p.masked(&text)).map_err(|e| CliError::io("write", path, e))
}

/// The targets a report lists as failed (or differing).
fn failed_in(path: &Path) -> Result<HashSet<String>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, e))?;
    let mut failed = HashSet::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let mut cols = line.split('\t');
        match (cols.next(), cols.next()) {
            (Some("ok"), Some(_)) => {}
            (Some("failed" | "differs"), Some(target)) => {
                failed.insert(target.to_owned());
            }
            _ if line.trim().is_empty() => {}
            _ => {
                return Err(CliError::usage(
                    format!(
                        "{}:{}: not a line of a --report file",
                        path.display(),
                        n + 1
                    ),
                    Some("pass the file an earlier run wrote with --report".to_owned()),
                ))
            }
        }
    }
    Ok(failed)
}

/// The closing line, and the error when a target failed (exit 1) or differs (exit 4).
fn summary(
    results: &[(usize, String, Outcome)],
    job: Job<'_>,
    p: &mut Printer,
) -> Result<(), CliError> {
    let failed: Vec<&str> = results
        .iter()
        .filter(|(_, _, o)| matches!(o.status, Status::Failed(_)))
        .map(|(_, l, _)| l.as_str())
        .collect();
    let differs = results
        .iter()
        .filter(|(_, _, o)| matches!(o.status, Status::Differs(_)))
        .count();
    let ok = results.len() - failed.len() - differs;
    p.progress(&format!(
        "{}: {} target{}, {ok} ok, {differs} differ, {} failed.",
        job.name(),
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        failed.len()
    ));
    if !failed.is_empty() {
        return Err(CliError::State {
            message: format!(
                "{} of {} targets failed: {}",
                failed.len(),
                results.len(),
                failed.join("; ")
            ),
            hint: Some("fix them and run again (targets already at the revision have nothing to do), or only them: --report FILE now, --failed-from FILE next".to_owned()),
        });
    }
    if differs > 0 {
        return Err(CliError::Differences {
            message: format!(
                "{differs} of {} targets differ from the model",
                results.len()
            ),
            hint: Some("`check --url <one of them>` lists the differences".to_owned()),
        });
    }
    Ok(())
}
