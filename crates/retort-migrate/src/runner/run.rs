//! Running a plan: each step's statements with its bookkeeping, in the transactions the
//! mode promises, and what happens when a statement cannot run in a transaction.
//!
//! Every step is rendered before any SQL runs, so a render error changes nothing. The
//! exception is a SQLite table rebuild: it is rendered when it runs, from the table as the
//! database has it then (`live`), so a refusal to lose something comes inside its
//! revision's transaction and rolls that revision back.
//!
//! **Statements outside a transaction** (PostgreSQL's `CREATE/DROP INDEX CONCURRENTLY`,
//! `ALTER TYPE .. ADD VALUE` so that the rest of the revision may use the value, and on
//! both databases raw SQL declared `op.execute("VACUUM").outside_transaction()`; reported
//! by `Dialect::op_needs_autocommit`): the open
//! transaction is first given a progress row in the log (`upgrade:N`, N statements of this
//! revision done) and committed; the statement runs on its own; a second progress row
//! (`upgrade:N+1`) is written at once, and a new transaction begins. A failure later in
//! the revision rolls back to the last progress row, and the next run **resumes** the
//! revision after it, provided the script is unchanged (same checksum) and no INVALID
//! index (`pg_index.indisvalid`, left by a failed concurrent build) is in the way;
//! otherwise it **refuses**, naming the revision, how far it got and what to do. A kill
//! between the concurrent statement's end and its progress row leaves it done but
//! recorded as not yet run: on resume, that statement failing with "already exists"
//! (CREATE, ADD VALUE) or "does not exist" (DROP), with no INVALID index about, counts as
//! done.
//!
//! In all-in-one mode such a commit also commits the steps before it, so a later
//! failure reports exactly which steps stayed committed (`MigrateError::Step::committed`).
//!
//! **Where DDL commits implicitly** (MySQL/MariaDB: `Driver::transactional_ddl` is false)
//! every statement is its own step of progress. Before statement N+1 the runner checks
//! the lock (the statement commits itself) and writes an *intent row* `upgrade:N?` in
//! the open transaction (a DDL statement's implicit commit makes it durable; a DML
//! statement keeps it in its transaction); after the statement, the progress row
//! `upgrade:N+1` and a commit. A statement the server refused did not run (DDL is atomic
//! on MySQL 8 and MariaDB 10.6+): `upgrade:N` is written over its intent row (a certain
//! `upgrade:0` counts as nothing done). The next run refuses a half-done revision, naming
//! the statement, until `--resume`. A run killed between a statement and its progress
//! row leaves the intent row last: the statement is *in doubt*. Refused without
//! `--resume`; with it, the backend reads what the statement makes or drops
//! (`BackendSupport::statement_effect`) and asks the catalog whether that is there: if so
//! the revision goes on after it, if not it runs it; a statement it cannot read is
//! refused even then, with the two log rows to write once the user has looked
//! (`docs/mysql.md`).
//!
//! **Enum types changed under unknown dependents** (PostgreSQL): before the statements of
//! an op that recreates or drops an enum type or moves a column off one, the runner reads
//! what depends on the type and its columns (`retort_dialect::postgres::enum_dependents`)
//! and refuses the revision, naming each object, when the schema the history replays to at
//! that point does not know it (a view, a function, an index made by raw SQL): the swap
//! would stop at it, or lose it. The statements before it in the revision are rolled back
//! with the rest.
//!
//! **SQLite table rebuilds** need `PRAGMA foreign_keys` off, which cannot change inside a
//! transaction: the runner turns it off before `BEGIN`, reads `PRAGMA foreign_key_check`
//! right after `BEGIN` and again before `COMMIT` (a row that was not there before: roll
//! back, report it; orphans from before are not the revision's doing), and turns it on
//! again after, whatever the outcome (see `retort_dialect::sqlite`).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use retort_core::graph::{Direction, Plan};
use retort_dialect::{ForeignKeySwitch, StatementEffect};

use super::guard::{self, DataLossGuard};
use super::lock::{is_lock_timeout, is_privilege_error};
use super::locks;
use super::roles::RoleUses;
use super::{AppliedStep, MigrateError, Migrator, Report};
use crate::backends;
use crate::driver::Driver;
use crate::render::{render_checked, DropCheck, EnumCheck, Statement};
use crate::version_table::{LogDirection, LogEntry, VersionSql};
use crate::{Backend, Script, TransactionMode};

/// One planned step, rendered.
pub(super) struct Rendered<'a> {
    pub script: &'a Script,
    pub direction: LogDirection,
    pub statements: Vec<Statement>,
    pub fk_off: bool,
    /// Live checks of enum types' dependents, each before the statement it names.
    pub enum_checks: Vec<EnumCheck>,
    /// Live checks that a dropped table takes nothing along, each before its `DROP TABLE`.
    pub drop_checks: Vec<DropCheck>,
    /// The revision's id.
    pub revision: String,
    /// The roles its grants and policies name, checked before the run sends anything.
    pub roles: RoleUses,
    /// The recorded ops, for the data-loss guard.
    pub ops: Vec<retort_core::ops::Op>,
    /// Which function recorded them.
    pub step_direction: Direction,
}

/// Where an interrupted revision stands, from its last progress row.
#[derive(Debug, Clone, Copy)]
pub(super) struct Interrupted<'a> {
    pub revision: &'a str,
    pub direction: LogDirection,
    pub done: usize,
    pub checksum: Option<&'a str>,
    /// The statement after the `done` ones was begun and may have run (an intent row,
    /// where DDL commits implicitly).
    pub in_doubt: bool,
}

/// Revisions whose latest log row is a progress row: begun, never finished.
pub(super) fn interrupted(log: &[LogEntry]) -> Vec<Interrupted<'_>> {
    let mut latest: Vec<&LogEntry> = Vec::new();
    for e in log.iter().rev() {
        if !latest.iter().any(|l| l.revision == e.revision) {
            latest.push(e);
        }
    }
    latest
        .into_iter()
        .filter_map(|e| {
            let (direction, done) = e.progress?;
            Some(Interrupted {
                revision: &e.revision,
                direction,
                done,
                checksum: e.checksum.as_deref(),
                in_doubt: e.in_doubt,
            })
        })
        .collect()
}

/// State of the run shared by its steps, for error reports.
struct Run {
    all_in_one: bool,
    /// How many of the report's steps are committed for good.
    committed: usize,
    /// Whether a statement outside a transaction forced a commit of the run's transaction.
    forced_commit: bool,
    /// The broken references before the open transaction, when foreign keys are off for
    /// it: only the ones it adds fail it.
    fk_before: Option<HashSet<Vec<Option<String>>>>,
    /// The rows the version table holds, as this run read them under its lock and has
    /// moved them since (sorted): what each step's compare-and-set expects.
    heads: Vec<String>,
}

impl Migrator {
    pub(super) async fn run_plan<D: Driver>(
        &self,
        driver: &mut D,
        plan: Plan,
        log: &[LogEntry],
    ) -> Result<Report, MigrateError> {
        let mut report = Report {
            heads_before: plan.heads_before.clone(),
            heads_after: plan.heads_after().to_vec(),
            steps: Vec::new(),
            warnings: plan.warnings.clone(),
        };
        let implicit_commits = !driver.transactional_ddl();
        // Where DDL commits implicitly, a certain `upgrade:0` is written when the first
        // statement failed (the server refused it): nothing of the revision is done.
        let stopped: Vec<_> = interrupted(log)
            .into_iter()
            .filter(|s| !(implicit_commits && s.done == 0 && !s.in_doubt))
            .collect();
        if plan.steps.is_empty() && stopped.is_empty() {
            return Ok(report);
        }
        let backend = driver.backend();
        let rendered = self.render_plan(backend, &plan)?;
        self.check_roles(driver, &rendered).await?;
        if backend == Backend::Postgres {
            self.check_lock_table(driver, &rendered).await?;
        }
        // An interrupted revision must be the first step, in the same direction.
        let mut resume = None;
        for s in &stopped {
            let first = plan.steps.first();
            let script = self.script(s.revision);
            let same = first.is_some_and(|f| f.revision == s.revision)
                && rendered.first().is_some_and(|r| r.direction == s.direction)
                && script.is_some_and(|sc| Some(sc.checksum) == s.checksum);
            let interrupted = |reason: String| MigrateError::Interrupted {
                revision: s.revision.to_owned(),
                path: script.map_or_else(String::new, |sc| sc.path.to_owned()),
                direction: s.direction,
                done: s.done,
                reason,
                implicit_commits,
            };
            if !same {
                return Err(interrupted(
                    if script.is_some_and(|sc| Some(sc.checksum) != s.checksum) {
                        "its file changed since, so the rest cannot be resumed safely".into()
                    } else {
                        format!(
                            "this run would not {} it first (run `{} {}` to finish it)",
                            s.direction, s.direction, s.revision
                        )
                    },
                ));
            }
            // Where DDL commits implicitly the revision stopped wherever a statement
            // failed: the schema is half-changed, and going on is the user's call.
            if implicit_commits {
                let next = rendered.first().and_then(|r| r.statements.get(s.done));
                let Some(next) = next else {
                    // Every statement ran; only the version and log rows are missing.
                    if self.resume {
                        resume = Some(s.done);
                        continue;
                    }
                    return Err(interrupted(format!(
                        "all of its statements ran, but the run stopped before recording it; run `{} --resume` to record it",
                        s.direction
                    )));
                };
                let sql = self.sql(driver.backend());
                let effect = backends::support(driver.backend()).statement_effect(&next.sql);
                if s.in_doubt {
                    let manual = || {
                        let checksum = s.checksum.unwrap_or_default();
                        format!(
                            "Retort cannot tell from the catalog whether it took effect: look for yourself. If it did, record it with\n    {};\nif it did not (or you undid it), with\n    {};\nthen run `{} --resume`.",
                            sql.insert_progress(s.revision, s.direction, checksum, s.done + 1),
                            sql.insert_progress(s.revision, s.direction, checksum, s.done),
                            s.direction
                        )
                    };
                    let during = format!(
                        "the run ended during statement {} (begun, its progress row never written), so it may have run:\n    {}\n",
                        s.done + 1,
                        next.sql
                    );
                    let advice = match &effect {
                        None => manual(),
                        Some(StatementEffect::Repeatable | StatementEffect::Ask { .. })
                            if self.resume =>
                        {
                            String::new()
                        }
                        Some(StatementEffect::Repeatable) => format!(
                            "Running it again gives the same schema: run `{} --resume` to go on from it.",
                            s.direction
                        ),
                        Some(StatementEffect::Ask { what, .. }) => format!(
                            "Run `{} --resume`: it asks the database whether {what}, and goes on after the statement if so, or runs it if not.",
                            s.direction
                        ),
                        Some(_) => manual(),
                    };
                    let readable = matches!(
                        effect,
                        Some(StatementEffect::Repeatable | StatementEffect::Ask { .. })
                    );
                    if !self.resume || !readable {
                        return Err(interrupted(format!("{during}{advice}")));
                    }
                } else if !self.resume {
                    return Err(interrupted(format!(
                        "it stopped before statement {}:\n    {}\nFind out why it failed and put it right, then run `{} --resume` to go on from that statement; or undo the {} committed statement(s) by hand and run `repair` to forget its progress, so it runs again from its start",
                        s.done + 1,
                        next.sql,
                        s.direction,
                        s.done
                    )));
                }
                // Resuming at a statement in doubt: the catalog says whether it ran.
                if s.in_doubt {
                    if let Some(StatementEffect::Ask { what, sql: ask }) = &effect {
                        let rows = driver.query_text(ask).await.map_err(|source| {
                            MigrateError::Bookkeeping {
                                what: format!(
                                    "asking whether statement {} of {} of revision {} took effect ({what})",
                                    s.done + 1,
                                    s.direction,
                                    s.revision
                                ),
                                source,
                            }
                        })?;
                        let ran = rows.first().and_then(|r| r.first().cloned().flatten());
                        if ran.as_deref() == Some("1") {
                            resume = Some(s.done + 1);
                            continue;
                        }
                    }
                }
            }
            let invalid = self.invalid_indexes(driver).await?;
            if !invalid.is_empty() {
                return Err(MigrateError::InvalidIndex {
                    revision: s.revision.to_owned(),
                    path: script.map_or_else(String::new, |sc| sc.path.to_owned()),
                    indexes: invalid,
                });
            }
            resume = Some(s.done);
        }
        let mut heads = plan.heads_before.clone();
        heads.sort();
        let mut run = Run {
            all_in_one: self.mode == TransactionMode::All,
            committed: 0,
            forced_commit: false,
            fk_before: None,
            heads,
        };
        let run_fk_off = run.all_in_one && rendered.iter().any(|r| r.fk_off);
        if run.all_in_one {
            run.fk_before = self.open(driver, run_fk_off).await?;
        }
        for (i, (step, r)) in plan.steps.iter().zip(&rendered).enumerate() {
            let started = Instant::now();
            let skip = if i == 0 { resume.unwrap_or(0) } else { 0 };
            // A resumed revision was checked when it began.
            let guarded = if skip == 0 {
                self.guard_step(driver, &run, &report, step, r).await
            } else {
                Ok(Vec::new())
            };
            let result = match guarded {
                Ok(warnings) => {
                    if let Some(hook) = &self.warning {
                        for w in &warnings {
                            (hook.0)(w);
                        }
                    }
                    report.warnings.extend(warnings);
                    self.run_step(driver, &mut run, &report, step, r, i == 0, skip)
                        .await
                }
                Err(e) => Err(e),
            };
            let result = match result {
                Ok(()) if !run.all_in_one => {
                    self.close(driver, run.fk_before.take(), step, r).await
                }
                other => other,
            };
            match result {
                Ok(()) => {
                    report.steps.push(AppliedStep {
                        revision: step.revision.clone(),
                        direction: r.direction,
                        path: r.script.path.to_owned(),
                        duration: started.elapsed(),
                        statements: r.statements.len(),
                    });
                    if !run.all_in_one {
                        run.committed = report.steps.len();
                    }
                    if let (Some(hook), Some(step)) = (&self.progress, report.steps.last()) {
                        (hook.0)(step);
                    }
                }
                Err(e) => {
                    // Nothing to roll back when the step failed before its transaction
                    // began; ROLLBACK outside one is a harmless error, ignored.
                    let _ = driver.execute("ROLLBACK").await;
                    if let Some(fk) = fk_switch(driver).filter(|_| r.fk_off || run_fk_off) {
                        let _ = driver.execute(fk.on).await;
                    }
                    return Err(with_applied(e, &report, &run));
                }
            }
        }
        if run.all_in_one {
            let last = plan.steps.last().zip(rendered.last());
            let closed = match last {
                Some((step, r)) => self.close(driver, run.fk_before.take(), step, r).await,
                None => self.commit(driver).await,
            };
            if let Err(e) = closed {
                let _ = driver.execute("ROLLBACK").await;
                if let Some(fk) = fk_switch(driver).filter(|_| run_fk_off) {
                    let _ = driver.execute(fk.on).await;
                }
                return Err(with_applied(e, &report, &run));
            }
        }
        Ok(report)
    }

    /// Refuses a run whose transaction cannot fit the server's lock table (see
    /// `locks`), before anything runs.
    async fn check_lock_table<D: Driver>(
        &self,
        driver: &mut D,
        rendered: &[Rendered<'_>],
    ) -> Result<(), MigrateError> {
        let all = self.mode == TransactionMode::All;
        let (estimate, first) = if all {
            let total = rendered
                .iter()
                .map(|r| locks::transaction_locks(&r.statements))
                .sum::<usize>();
            (total, rendered.first())
        } else {
            match rendered
                .iter()
                .map(|r| (locks::transaction_locks(&r.statements), r))
                .max_by_key(|(n, _)| *n)
            {
                Some((n, r)) => (n, Some(r)),
                None => return Ok(()),
            }
        };
        let Some(r) = first else { return Ok(()) };
        // What a default server's lock table holds asks nothing.
        if !locks::too_many(estimate, 64 * 100) {
            return Ok(());
        }
        let rows = driver
            .query_text(locks::LOCK_TABLE_SQL)
            .await
            .map_err(|source| MigrateError::Bookkeeping {
                what: "reading max_locks_per_transaction and max_connections".into(),
                source,
            })?;
        let cell =
            |i: usize| -> Option<usize> { rows.first()?.get(i)?.as_deref()?.trim().parse().ok() };
        let (Some(per_transaction), Some(slots)) = (cell(0), cell(1)) else {
            return Ok(());
        };
        let capacity = per_transaction * slots.max(1);
        if !locks::too_many(estimate, capacity) {
            return Ok(());
        }
        Err(MigrateError::LockTable {
            revision: r.script.revision.id.to_owned(),
            path: r.script.path.to_owned(),
            estimate,
            per_transaction,
            slots,
            capacity,
            needed: estimate.div_ceil(slots.max(1)),
            all_hint: if all {
                " (or use transaction_mode = \"per-revision\")".into()
            } else {
                String::new()
            },
        })
    }

    /// Renders every step of `plan` against the schema its starting heads build (what the
    /// online runner runs, and what offline `--sql` prints).
    pub(super) fn render_plan(
        &self,
        backend: Backend,
        plan: &Plan,
    ) -> Result<Vec<Rendered<'_>>, MigrateError> {
        let support = backends::support(backend);
        let dialect = support.dialect();
        let mut schema = self.try_schema_at(&plan.heads_before)?;
        // Names the convention builds for unnamed objects fit the database, as autogenerate
        // expects them (PostgreSQL would cut them otherwise).
        schema.set_max_identifier_length(dialect.max_identifier_length());
        let mut out = Vec::with_capacity(plan.steps.len());
        for step in &plan.steps {
            let direction = match step.direction {
                Direction::Upgrade => LogDirection::Upgrade,
                Direction::Downgrade => LogDirection::Downgrade,
            };
            let (script, ops) = self.step_ops(&step.revision, step.direction)?;
            let render_error = |source| MigrateError::Render {
                revision: step.revision.clone(),
                path: script.path.to_owned(),
                direction,
                source: Box::new(source),
                applied: Vec::new(),
                rolled_back_all: false,
            };
            // When the ops do not fit the replayed schema (raw SQL made the table, say), we
            // cannot tell whether a rebuild touches a referenced table: turn the keys off
            // anyway. That is the safe side: `foreign_key_check` still runs before COMMIT.
            let fk_off = support.foreign_key_switch().is_some()
                && support
                    .needs_foreign_keys_off(&ops, &schema)
                    .unwrap_or(true);
            let checked = render_checked(support, &ops, &mut schema, true, self.online)
                .map_err(render_error)?;
            out.push(Rendered {
                script,
                direction,
                statements: checked.statements,
                fk_off,
                enum_checks: checked.enum_checks,
                drop_checks: checked.drop_checks,
                revision: step.revision.clone(),
                roles: RoleUses::of(&ops),
                ops,
                step_direction: step.direction,
            });
        }
        Ok(out)
    }

    /// Opens a transaction, with SQLite's foreign keys off first when a rebuild needs it;
    /// then returns the references already broken, which the transaction is not blamed for.
    async fn open<D: Driver>(
        &self,
        driver: &mut D,
        fk_off: bool,
    ) -> Result<Option<HashSet<Vec<Option<String>>>>, MigrateError> {
        let Some(fk) = fk_switch(driver).filter(|_| fk_off) else {
            self.begin(driver).await?;
            return Ok(None);
        };
        self.bookkeeping(driver, fk.off, "turning foreign keys off")
            .await?;
        self.begin(driver).await?;
        let rows = broken_references(driver, fk).await?;
        Ok(Some(rows.into_iter().collect()))
    }

    /// Commits, checking foreign keys first (and turning them back on) when they were off.
    async fn close<D: Driver>(
        &self,
        driver: &mut D,
        fk_before: Option<HashSet<Vec<Option<String>>>>,
        step: &retort_core::graph::Step,
        r: &Rendered<'_>,
    ) -> Result<(), MigrateError> {
        let during = || {
            format!(
                "committing {} of revision {} ({})",
                r.direction, step.revision, r.script.path
            )
        };
        let (Some(before), Some(fk)) = (fk_before, fk_switch(driver)) else {
            return self.commit_for(driver, during).await;
        };
        let rows: Vec<_> = broken_references(driver, fk)
            .await?
            .into_iter()
            .filter(|row| !before.contains(row))
            .collect();
        if !rows.is_empty() {
            let violations = rows
                .into_iter()
                .map(|r| {
                    let mut it = r.into_iter().map(Option::unwrap_or_default);
                    let (t, id, p) = (it.next(), it.next(), it.next());
                    format!(
                        "{} rowid {} refers to a missing row of {}",
                        t.unwrap_or_default(),
                        id.unwrap_or_default(),
                        p.unwrap_or_default()
                    )
                })
                .collect();
            return Err(MigrateError::ForeignKeyCheck {
                revision: step.revision.clone(),
                path: r.script.path.to_owned(),
                violations,
            });
        }
        self.commit_for(driver, during).await?;
        self.bookkeeping(driver, fk.on, "turning foreign keys on")
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn run_step<D: Driver>(
        &self,
        driver: &mut D,
        run: &mut Run,
        report: &Report,
        step: &retort_core::graph::Step,
        r: &Rendered<'_>,
        first: bool,
        skip: usize,
    ) -> Result<(), MigrateError> {
        let sql = self.sql(driver.backend());
        let started = Instant::now();
        if !run.all_in_one {
            run.fk_before = self.open(driver, r.fk_off).await?;
        }
        // A database that commits DDL implicitly (MySQL) commits each statement: each gets
        // its progress row once it has run, so a failure names how far the revision got.
        let implicit_commits = !driver.transactional_ddl();
        if first {
            self.ensure_tables(driver).await?;
            // Creating them committed the transaction and left the session autocommitting:
            // open it again, so what follows is committed only past a lock check.
            if implicit_commits {
                self.begin(driver).await?;
            }
        }
        let mut progress = (skip > 0).then_some(skip);
        let during = |n: usize| {
            move || {
                format!(
                    "statement {} of {} of revision {} ({}), which runs outside a transaction",
                    n + 1,
                    r.direction,
                    step.revision,
                    r.script.path
                )
            }
        };
        for (n, statement) in r.statements.iter().enumerate().skip(skip) {
            for check in r.enum_checks.iter().filter(|c| c.at == n) {
                self.check_enum_dependents(driver, run, report, step, r, check)
                    .await?;
            }
            for check in r.drop_checks.iter().filter(|c| c.at == n) {
                self.check_dropped_table(driver, run, report, step, r, check)
                    .await?;
            }
            let executed = if statement.autocommit {
                let mark = sql.insert_progress(&step.revision, r.direction, r.script.checksum, n);
                self.bookkeeping(driver, &mark, "recording progress")
                    .await?;
                self.commit_for(driver, during(n)).await?;
                run.forced_commit = true;
                run.committed = report.steps.len();
                progress = Some(n);
                self.ensure_locked(driver, during(n)).await?;
                let mut executed = self.execute_statement(driver, &statement.sql, false).await;
                // Resuming at a statement outside a transaction: a kill between its end
                // and its progress row leaves it done but unrecorded. Running it again
                // then reports the index as existing (CREATE) or missing (DROP); with no
                // INVALID index about (checked before resuming), that means done.
                if n == skip && skip > 0 {
                    if let Err(e) = &executed {
                        if is_already_done(e) {
                            executed = Ok(());
                        }
                    }
                }
                if executed.is_ok() {
                    // Lost here, the statement stays done but unrecorded: the next run
                    // counts it done on resume (see the module notes).
                    self.ensure_locked(driver, during(n)).await?;
                    let mark =
                        sql.insert_progress(&step.revision, r.direction, r.script.checksum, n + 1);
                    self.bookkeeping(driver, &mark, "recording progress")
                        .await?;
                    progress = Some(n + 1);
                    self.begin(driver).await?;
                }
                executed
            } else if let Some(rebuild) = &statement.rebuild {
                let sql = self
                    .render_live(driver, rebuild, |source| MigrateError::Render {
                        revision: step.revision.clone(),
                        path: r.script.path.to_owned(),
                        direction: r.direction,
                        source: Box::new(source),
                        applied: report.steps.clone(),
                        rolled_back_all: run.all_in_one && !run.forced_commit,
                    })
                    .await?;
                for s in sql {
                    if let Err(source) = self.execute_statement(driver, &s, true).await {
                        return Err(MigrateError::Step {
                            revision: step.revision.clone(),
                            path: r.script.path.to_owned(),
                            direction: r.direction,
                            index: n + 1,
                            total: r.statements.len(),
                            statement: s,
                            source,
                            applied: report.steps.clone(),
                            rolled_back_all: run.all_in_one && !run.forced_commit,
                            committed: run.committed,
                            progress,
                            resume_explicit: implicit_commits,
                            invalid_indexes: Vec::new(),
                        });
                    }
                }
                Ok(())
            } else if implicit_commits {
                // The intent row: a DDL statement's implicit commit makes it durable just
                // before the statement runs, so a kill between the statement and its
                // progress row leaves it recorded as in doubt (`upgrade:N?`), not as not
                // begun. A DML statement keeps it in its transaction with the progress row.
                let intent = sql.insert_intent(&step.revision, r.direction, r.script.checksum, n);
                self.bookkeeping(driver, &intent, "recording progress")
                    .await?;
                // A DDL statement commits itself (and what is open): the lock is checked
                // just before it, as before any commit, so a run that lost its lock
                // changes nothing more. (Between the check and the statement, the version
                // table's compare-and-set is what stops a second run recording twice.)
                self.ensure_locked(driver, during(n)).await?;
                let executed = self.execute_statement(driver, &statement.sql, false).await;
                if let Err(e) = &executed {
                    // The server refused the statement, so it did not run (DDL is atomic on
                    // MySQL 8 and MariaDB 10.6+): say so over the intent row its implicit
                    // commit may have made durable. A lost connection proves nothing: the
                    // intent row stays, and the next run asks.
                    if e.as_database_error().is_some() {
                        let _ = driver.execute("ROLLBACK").await;
                        let certain =
                            sql.insert_progress(&step.revision, r.direction, r.script.checksum, n);
                        if self
                            .bookkeeping(driver, &certain, "recording progress")
                            .await
                            .is_ok()
                        {
                            let _ = self.commit_for(driver, during(n)).await;
                        }
                    }
                }
                if executed.is_ok() {
                    let mark =
                        sql.insert_progress(&step.revision, r.direction, r.script.checksum, n + 1);
                    self.bookkeeping(driver, &mark, "recording progress")
                        .await?;
                    self.commit_for(driver, during(n)).await?;
                    run.forced_commit = true;
                    run.committed = report.steps.len();
                    progress = Some(n + 1);
                    self.begin(driver).await?;
                }
                executed
            } else {
                self.execute_statement(driver, &statement.sql, true).await
            };
            if let Err(source) = executed {
                let invalid_indexes = if statement.autocommit {
                    self.invalid_indexes(driver).await.unwrap_or_default()
                } else {
                    Vec::new()
                };
                return Err(MigrateError::Step {
                    revision: step.revision.clone(),
                    path: r.script.path.to_owned(),
                    direction: r.direction,
                    index: n + 1,
                    total: r.statements.len(),
                    statement: statement.sql.clone(),
                    source,
                    applied: report.steps.clone(),
                    rolled_back_all: run.all_in_one && !run.forced_commit,
                    committed: run.committed,
                    progress,
                    resume_explicit: implicit_commits,
                    invalid_indexes,
                });
            }
        }
        self.move_version(driver, run, report, step, r).await?;
        let log = sql.insert_log(
            &step.revision,
            r.direction,
            Some(r.script.checksum),
            Some(started.elapsed().as_millis()),
        );
        self.bookkeeping(driver, &log, "writing the log table")
            .await
    }

    /// Moves the version table for `step` as a compare-and-set, inside the step's
    /// transaction: every statement must change exactly one row (an UPDATE or DELETE whose
    /// row another run already moved changes none; an INSERT of a row that exists fails
    /// on the key), and the table must then hold exactly the rows this run expects (an
    /// INSERT beside rows another run added is caught here). Otherwise the step fails
    /// with [`MigrateError::VersionConflict`] and the caller rolls it back, whatever the
    /// lock did.
    async fn move_version<D: Driver>(
        &self,
        driver: &mut D,
        run: &mut Run,
        report: &Report,
        step: &retort_core::graph::Step,
        r: &Rendered<'_>,
    ) -> Result<(), MigrateError> {
        let sql = self.sql(driver.backend());
        let driver_transactional = driver.transactional_ddl();
        let expected = VersionSql::rows_after(&run.heads, &step.change);
        let conflict = |detail: String| MigrateError::VersionConflict {
            revision: step.revision.clone(),
            path: r.script.path.to_owned(),
            direction: r.direction,
            detail,
            applied: report.steps.clone(),
            rolled_back_all: run.all_in_one && !run.forced_commit,
            committed: run.committed,
            statements_committed: (!driver_transactional && !r.statements.is_empty())
                .then_some(r.statements.len()),
        };
        for statement in sql.change(&step.change) {
            match driver.execute_rows(&statement).await {
                Ok(1) => {}
                Ok(n) => {
                    let found = self.version_rows(driver).await;
                    return Err(conflict(format!(
                        "`{statement}` changed {n} rows instead of 1; found {found}"
                    )));
                }
                Err(e) if is_unique_violation(&e) => {
                    return Err(conflict(format!(
                        "`{statement}` found the row already there"
                    )));
                }
                Err(source) => {
                    return Err(MigrateError::Bookkeeping {
                        what: format!(
                            "updating the version table ({statement}){}",
                            privilege_hint(&source)
                        ),
                        source,
                    })
                }
            }
        }
        let rows = self.current(driver).await?;
        let mut found = rows.clone();
        found.sort();
        if found != expected {
            return Err(conflict(format!(
                "expected {} after the step, found {}",
                list_or_base(&expected),
                list_or_base(&found)
            )));
        }
        run.heads = expected;
        Ok(())
    }

    /// The version table's rows for an error message.
    async fn version_rows<D: Driver>(&self, driver: &mut D) -> String {
        match self.current(driver).await {
            Ok(rows) => list_or_base(&rows),
            Err(_) => "an unreadable table".to_owned(),
        }
    }

    /// Refuses the step when the database has dependents of the enum type `check` names
    /// that the schema at that point does not know (see `retort_dialect::postgres`'s
    /// `enum_dependents`).
    async fn check_enum_dependents<D: Driver>(
        &self,
        driver: &mut D,
        run: &Run,
        report: &Report,
        step: &retort_core::graph::Step,
        r: &Rendered<'_>,
        check: &EnumCheck,
    ) -> Result<(), MigrateError> {
        let support = backends::support(driver.backend());
        let Some((file, sql)) = support.enum_dependents_sql(check.schema.as_deref(), &check.name)
        else {
            return Ok(());
        };
        let rows = driver
            .query_text(&sql)
            .await
            .map_err(|source| MigrateError::Bookkeeping {
                what: format!("reading what depends on enum type {} ({file})", check.name,),
                source,
            })?;
        let dependents = support.unknown_enum_dependents(&rows, &check.known);
        if dependents.is_empty() {
            return Ok(());
        }
        Err(MigrateError::UnknownDependents {
            revision: step.revision.clone(),
            path: r.script.path.to_owned(),
            direction: r.direction,
            type_name: match &check.schema {
                Some(s) => format!("{s}.{}", check.name),
                None => check.name.clone(),
            },
            dependents,
            applied: report.steps.clone(),
            rolled_back_all: run.all_in_one && !run.forced_commit,
            committed: run.committed,
        })
    }

    /// Refuses the step when the table `check` names has a trigger (PostgreSQL: also a
    /// policy or rule) in the database: nothing in the history can know one, `DROP TABLE`
    /// would take it along without a word, and the downgrade would not bring it back.
    async fn check_dropped_table<D: Driver>(
        &self,
        driver: &mut D,
        run: &Run,
        report: &Report,
        step: &retort_core::graph::Step,
        r: &Rendered<'_>,
        check: &DropCheck,
    ) -> Result<(), MigrateError> {
        use retort_dialect::table_dependents as td;
        let read = |what: &str, source| MigrateError::Bookkeeping {
            what: format!("reading what table {} has ({what})", check.name),
            source,
        };
        let support = backends::support(driver.backend());
        let default = match support.default_schema_sql() {
            Some(sql) => {
                let rows = driver.query_text(sql).await.map_err(|e| read(sql, e))?;
                rows.first().and_then(|r| r.first().cloned().flatten())
            }
            None => None,
        };
        let schema = check.schema.clone().or_else(|| default.clone());
        let (file, sql) = support.table_dependents_sql(schema.as_deref());
        let rows = driver.query_text(&sql).await.map_err(|e| read(file, e))?;
        let lost: Vec<td::TableDependent> = support
            .table_dependents(&rows, default.as_deref())
            .into_iter()
            .filter(|d| d.table == check.name && d.schema == check.schema)
            .collect();
        if lost.is_empty() {
            return Ok(());
        }
        Err(MigrateError::LostObjects {
            revision: step.revision.clone(),
            path: r.script.path.to_owned(),
            direction: r.direction,
            table: match &check.schema {
                Some(s) => format!("{s}.{}", check.name),
                None => check.name.clone(),
            },
            lost: lost.iter().map(ToString::to_string).collect(),
            applied: report.steps.clone(),
            rolled_back_all: run.all_in_one && !run.forced_commit,
            committed: run.committed,
        })
    }

    /// The data-loss guard on one step, before anything of it is sent (see `guard`): the
    /// refusal, or with [`DataLossGuard::Warn`] one warning a loss.
    async fn guard_step<D: Driver>(
        &self,
        driver: &mut D,
        run: &Run,
        report: &Report,
        step: &retort_core::graph::Step,
        r: &Rendered<'_>,
    ) -> Result<Vec<String>, MigrateError> {
        if self.data_loss == DataLossGuard::Off {
            return Ok(Vec::new());
        }
        let candidates = guard::candidates(&r.ops);
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let source = self.script_source(r.script);
        let lines = guard::lines(source.as_deref(), r.step_direction, &r.ops);
        let losses = guard::count(driver, &candidates, &lines)
            .await
            .map_err(|source| MigrateError::Bookkeeping {
                what: format!(
                    "counting the rows {} of revision {} ({}) would drop (the data-loss guard)",
                    r.direction, step.revision, r.script.path
                ),
                source,
            })?;
        if losses.is_empty() {
            return Ok(Vec::new());
        }
        if self.data_loss == DataLossGuard::Warn {
            return Ok(losses
                .iter()
                .map(|l| {
                    format!(
                        "{} of revision {} ({}) dropped {} {} holding {}, as allowed (data_loss = \"warn\" or --allow-data-loss)",
                        r.direction,
                        step.revision,
                        match l.line {
                            Some(line) => format!("{}:{line}", r.script.path),
                            None => r.script.path.to_owned(),
                        },
                        l.kind,
                        l.object,
                        l.count_text()
                    )
                })
                .collect());
        }
        Err(MigrateError::DataLoss {
            revision: step.revision.clone(),
            path: r.script.path.to_owned(),
            direction: r.direction,
            losses,
            applied: report.steps.clone(),
            rolled_back_all: run.all_in_one && !run.forced_commit,
            committed: run.committed,
        })
    }

    /// Runs one statement; when it times out waiting for a lock (55P03) and retries are
    /// configured, retries it with backoff, inside a savepoint when in a transaction so
    /// the transaction survives the failed attempt.
    async fn execute_statement<D: Driver>(
        &self,
        driver: &mut D,
        sql: &str,
        in_transaction: bool,
    ) -> Result<(), sqlx::Error> {
        let retries = self.timeouts.ddl_lock_retries;
        let savepoint = retries > 0
            && in_transaction
            && backends::support(driver.backend()).retries_statements_in_savepoint();
        let mut backoff = Duration::from_millis(100);
        let mut attempt = 0;
        loop {
            if savepoint {
                driver.execute("SAVEPOINT retort_statement").await?;
            }
            match driver.execute(sql).await {
                Ok(()) => {
                    if savepoint {
                        driver.execute("RELEASE SAVEPOINT retort_statement").await?;
                    }
                    return Ok(());
                }
                Err(e) if attempt < retries && is_lock_timeout(&e) => {
                    if savepoint {
                        driver
                            .execute("ROLLBACK TO SAVEPOINT retort_statement")
                            .await?;
                    }
                    attempt += 1;
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// PostgreSQL indexes marked INVALID (a failed `CREATE INDEX CONCURRENTLY` leaves one).
    pub(super) async fn invalid_indexes<D: Driver>(
        &self,
        driver: &mut D,
    ) -> Result<Vec<String>, MigrateError> {
        let Some(sql) = backends::support(driver.backend()).invalid_indexes_sql() else {
            return Ok(Vec::new());
        };
        let rows = driver
            .query_text(sql)
            .await
            .map_err(|source| self.catalog_error(source))?;
        Ok(rows
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect())
    }
}

/// The failed run's error, told which steps had finished and how many are committed (an
/// error raised before the step knew them: the lock lost at a commit).
fn with_applied(e: MigrateError, report: &Report, run: &Run) -> MigrateError {
    match e {
        MigrateError::LockLost {
            key, during, cause, ..
        } => MigrateError::LockLost {
            key,
            during,
            cause,
            applied: report.steps.clone(),
            committed: run.committed,
        },
        other => other,
    }
}

fn list_or_base(rows: &[String]) -> String {
    if rows.is_empty() {
        "no row (base)".to_owned()
    } else {
        rows.join(", ")
    }
}

/// A unique or primary-key violation: PostgreSQL 23505, SQLite's constraint codes 1555
/// (primary key) and 2067 (unique).
fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "23505" || c == "1555" || c == "2067")
}

/// `duplicate_table` (42P07: the index exists), `undefined_object` (42704: it is gone) or
/// `duplicate_object` (42710: the enum value `ALTER TYPE .. ADD VALUE` adds is there).
fn is_already_done(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "42P07" || c == "42704" || c == "42710")
}

/// A hint for a bookkeeping failure caused by a missing privilege.
pub(super) fn privilege_hint(e: &sqlx::Error) -> &'static str {
    if is_privilege_error(e) {
        " (the role lacks a privilege: grant it CREATE and USAGE on the schema of the version table (MySQL: CREATE, INSERT, UPDATE and DELETE on its database), or run as the schema's owner; nothing was created)"
    } else {
        ""
    }
}

/// Every reference SQLite's `foreign_key_check` finds broken: (table, rowid, parent).
async fn broken_references<D: Driver>(
    driver: &mut D,
    fk: &ForeignKeySwitch,
) -> Result<Vec<Vec<Option<String>>>, MigrateError> {
    driver
        .query_text(fk.broken_references)
        .await
        .map_err(|source| MigrateError::Bookkeeping {
            what: format!("checking foreign keys ({})", fk.check),
            source,
        })
}

/// The backend's statements around a transaction with foreign keys off: a step is marked
/// `fk_off` only on a backend that has them (see `render_plan`).
fn fk_switch<D: Driver>(driver: &D) -> Option<&'static ForeignKeySwitch> {
    backends::support(driver.backend()).foreign_key_switch()
}
