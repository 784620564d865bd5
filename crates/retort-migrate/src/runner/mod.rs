//! The runner: plan, lock, run each step's SQL with its bookkeeping, report.
//!
//! A [`Migrator`] holds the compiled [`Script`]s and the [`RevisionGraph`] built from
//! them. Every command that writes follows one path:
//!
//! 1. take the migration lock (`lock`: [`Driver::try_lock`] polled up to the lock
//!    timeout, then [`MigrateError::LockTimeout`] naming the holder);
//! 2. read the applied heads (after the lock, so the second run sees the first's work);
//! 3. check the applied history against the compiled scripts (`integrity`): an edited,
//!    deleted or inserted-below revision stops the run before any migration SQL;
//! 4. plan with the graph; an empty plan ends the run having created nothing; a revision
//!    interrupted after a statement outside a transaction is resumed or refused (`run`);
//!    the roles the planned grants and policies name are checked against the server's
//!    before anything is sent (`roles`, [`MigrateError::UnknownRoles`]);
//! 5. for each step: the data-loss guard (`guard`: an unmarked drop of a table holding
//!    rows or a column holding values refuses the revision before any of it is sent); then
//!    record the script's operations, render them, run them, then update
//!    the version table and append to the log, all in the step's transaction
//!    ([`TransactionMode::PerRevision`]) or in the run's one transaction
//!    ([`TransactionMode::All`]); the bookkeeping tables are created in the first
//!    transaction when missing;
//! 6. release the lock, whatever happened.
//!
//! Read-only commands ([`Migrator::current`], [`Migrator::log`]) check the catalog before
//! reading and create nothing. Offline `--sql` output lives in `offline`.

// A failed run's error carries everything the user needs to act on (revision, file,
// statement, what was applied); it is built once per run, so its size does not matter.
#![allow(clippy::result_large_err)]

mod error;
mod guard;
mod integrity;
mod live;
mod lock;
mod locks;
mod offline;
mod report;
mod roles;
mod run;

use std::collections::HashMap;

use retort_core::graph::{Direction, RevisionGraph};
use retort_core::ops::{Op, Operations};
use retort_core::MetaData;

use crate::driver::Driver;
use crate::version_table::{LogDirection, LogEntry, VersionSql};
use crate::{Backend, Script, Tables, Timeouts, TransactionMode};

pub use error::{AppliedStep, MigrateError};
pub use guard::{DataLoss, DataLossGuard};
pub use integrity::IntegrityProblem;
pub use report::Report;

/// A revision file edited after it was applied (see [`Migrator::checksum_drift`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumDrift {
    /// The revision's id.
    pub revision: String,
    /// Its script's file.
    pub path: String,
    /// The checksum logged when it was applied.
    pub recorded: String,
    /// The checksum of the script compiled now.
    pub compiled: String,
}

/// The migration engine over one set of compiled scripts.
#[derive(Debug)]
pub struct Migrator {
    scripts: HashMap<String, Script>,
    graph: RevisionGraph,
    tables: Tables,
    mode: TransactionMode,
    timeouts: Timeouts,
    progress: Option<ProgressHook>,
    warning: Option<WarningHook>,
    online: bool,
    assume_history_shape: bool,
    resume: bool,
    data_loss: DataLossGuard,
    script_dirs: Vec<std::path::PathBuf>,
}

/// Told of each step as soon as it has run, so that a command line can show progress on a
/// long run (the runner itself never prints). See [`Migrator::with_progress`].
#[derive(Clone)]
pub struct ProgressHook(std::sync::Arc<dyn Fn(&AppliedStep) + Send + Sync>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

/// Told of each warning as the run makes it (a loss the data-loss guard let through), so
/// that a command line shows it even when a later step fails and no report comes back. See
/// [`Migrator::with_warnings`].
#[derive(Clone)]
pub struct WarningHook(std::sync::Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for WarningHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WarningHook")
    }
}

impl Migrator {
    /// Builds the revision graph of `scripts`; fails on duplicate ids, dangling down
    /// revisions, cycles... each error naming the file at fault.
    pub fn new(scripts: Vec<Script>) -> Result<Self, MigrateError> {
        let graph = RevisionGraph::new(scripts.iter().map(Script::info).collect())?;
        let scripts = scripts
            .into_iter()
            .map(|s| (s.revision.id.to_owned(), s))
            .collect();
        Ok(Migrator {
            scripts,
            graph,
            tables: Tables::default(),
            mode: TransactionMode::default(),
            timeouts: Timeouts::default(),
            progress: None,
            warning: None,
            online: false,
            assume_history_shape: false,
            resume: false,
            data_loss: DataLossGuard::default(),
            script_dirs: Vec::new(),
        })
    }

    /// Calls `hook` after each step of `upgrade`/`downgrade` has run (committed, or done
    /// inside the run's one transaction in all-in-one mode), before the next one starts.
    pub fn with_progress(mut self, hook: impl Fn(&AppliedStep) + Send + Sync + 'static) -> Self {
        self.progress = Some(ProgressHook(std::sync::Arc::new(hook)));
        self
    }

    /// Calls `hook` with each warning of `upgrade`/`downgrade` as it is made (a loss the
    /// data-loss guard lets through in warn mode, before its revision runs). The report of a
    /// run that succeeds holds the same warnings; a run that fails returns no report, and
    /// this is how its warnings reach the user.
    pub fn with_warnings(mut self, hook: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.warning = Some(WarningHook(std::sync::Arc::new(hook)));
        self
    }

    /// Runs (and prints, offline) each statement in its online form
    /// ([`retort_dialect::Dialect::online_statement`]): the environment's `online = true`.
    /// On MySQL/MariaDB every `ALTER TABLE` then says `ALGORITHM=INPLACE, LOCK=NONE` (an added
    /// column `ALGORITHM=INSTANT`) and every `CREATE INDEX` `ALGORITHM=INPLACE LOCK=NONE`, so
    /// the server refuses a change it could only make by copying or locking the table,
    /// instead of making it so. Nothing changes on PostgreSQL and SQLite, whose online forms
    /// are ops autogenerate writes.
    pub fn with_online(mut self, online: bool) -> Self {
        self.online = online;
        self
    }

    /// Goes on with a revision interrupted on a database that commits DDL implicitly
    /// (MySQL), from the statement after the last one its progress rows record (the CLI's
    /// `--resume`). Without it such a run refuses, naming the statement, since the failure
    /// left the schema half-changed. (Where DDL is transactional, a revision interrupted
    /// after a statement outside a transaction resumes by itself: the rest was rolled back.)
    pub fn with_resume(mut self, resume: bool) -> Self {
        self.resume = resume;
        self
    }

    /// Uses these version and log tables instead of `retort_version` / `retort_log`.
    pub fn with_tables(mut self, tables: Tables) -> Self {
        self.tables = tables;
        self
    }

    /// One transaction per revision (the default) or one for the whole run.
    pub fn with_transaction_mode(mut self, mode: TransactionMode) -> Self {
        self.mode = mode;
        self
    }

    /// The lock wait, session timeouts and DDL lock retries (`Settings::timeouts`; the CLI's
    /// `--lock-timeout` is `timeouts.with_lock_wait(..)`).
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Offline `--sql` on SQLite: rebuild tables as the revision history builds them
    /// (`--assume-history-shape`). Without it, a script that would rebuild a table is
    /// refused ([`MigrateError::OfflineRebuild`]): with no database to read, a column,
    /// index, trigger or view added outside the history would be lost. The online runner
    /// always reads the live table and ignores this.
    pub fn with_assumed_history_shape(mut self, assume: bool) -> Self {
        self.assume_history_shape = assume;
        self
    }

    /// What `upgrade` and `downgrade` do with an unmarked drop of a table holding rows or a
    /// column holding values (see [`DataLossGuard`]; default: refuse the revision, naming
    /// each object and its count, before any of it runs). `[lint] data_loss` of the
    /// environment; the CLI's `--allow-data-loss` is [`DataLossGuard::Warn`].
    pub fn with_data_loss_guard(mut self, guard: DataLossGuard) -> Self {
        self.data_loss = guard;
        self
    }

    /// Folders the scripts' paths (`versions/x.rs`) are relative to, tried in order, so that
    /// a refusal can name the op's line in its file. Without them (or when no file is
    /// there, as in an application that embeds its revisions) the line is not given.
    pub fn with_script_dirs(mut self, dirs: Vec<std::path::PathBuf>) -> Self {
        self.script_dirs = dirs;
        self
    }

    /// The text of `script`'s file, from the first of the script folders that has it.
    pub(crate) fn script_source(&self, script: &Script) -> Option<String> {
        self.script_dirs
            .iter()
            .find_map(|d| std::fs::read_to_string(d.join(script.path)).ok())
    }

    /// The lock wait and session timeouts in use.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The revision graph of the compiled scripts.
    pub fn graph(&self) -> &RevisionGraph {
        &self.graph
    }

    /// The version and log tables in use.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// Every compiled script, in no particular order.
    pub fn scripts(&self) -> impl Iterator<Item = &Script> {
        self.scripts.values()
    }

    /// The compiled script of revision `id`.
    pub fn script(&self, id: &str) -> Option<&Script> {
        self.scripts.get(id)
    }

    /// The lock name: one lock per version table, so two environments sharing a database
    /// under different version tables do not wait on each other. The schema is the one
    /// the table resolves to (asked of the database when not configured), so that
    /// `version_table_schema = "public"` and the default, which name one table on most
    /// PostgreSQL servers, take one lock.
    pub async fn lock_key<D: Driver>(&self, driver: &mut D) -> Result<String, MigrateError> {
        let schema = match &self.tables.schema {
            Some(s) => Some(s.clone()),
            None => driver
                .default_schema()
                .await
                .map_err(|source| MigrateError::Lock { source })?,
        };
        Ok(format!(
            "retort:{}.{}",
            schema.as_deref().unwrap_or(""),
            self.tables.version
        ))
    }

    fn sql(&self, backend: Backend) -> VersionSql {
        VersionSql::new(backend, self.tables.clone())
    }

    /// The applied heads, read-only: an empty list when the version table does not exist.
    pub async fn current<D: Driver>(&self, driver: &mut D) -> Result<Vec<String>, MigrateError> {
        let sql = self.sql(driver.backend());
        if !self.version_table_exists(driver).await? {
            return Ok(Vec::new());
        }
        let rows = driver
            .query_text(&sql.select_versions())
            .await
            .map_err(|source| MigrateError::Bookkeeping {
                what: format!("reading the version table {}", self.tables.version),
                source,
            })?;
        Ok(rows
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect())
    }

    /// Every row of the log table, oldest first, read-only: empty when it does not exist.
    pub async fn log<D: Driver>(&self, driver: &mut D) -> Result<Vec<LogEntry>, MigrateError> {
        if !self.log_table_exists(driver).await? {
            return Ok(Vec::new());
        }
        let rows = driver
            .query_text(&self.sql(driver.backend()).select_log())
            .await
            .map_err(|source| MigrateError::Bookkeeping {
                what: format!("reading the log table {}", self.tables.log),
                source,
            })?;
        Ok(VersionSql::parse_log(rows))
    }

    /// The schema the upgrades of every revision up to `heads` build, replayed in memory
    /// from the scripts' recorded operations (no database). Operations that cannot be
    /// replayed (raw SQL is opaque) are skipped; the dialect renders against what is known.
    pub fn schema_at<S: AsRef<str>>(&self, heads: &[S]) -> MetaData {
        self.replay(heads, false).unwrap_or_default()
    }

    /// [`Migrator::schema_at`], failing when a revision's script panics (rather than
    /// leaving it out of the schema the run renders against).
    pub(crate) fn try_schema_at<S: AsRef<str>>(
        &self,
        heads: &[S],
    ) -> Result<MetaData, MigrateError> {
        self.replay(heads, true)
    }

    fn replay<S: AsRef<str>>(&self, heads: &[S], strict: bool) -> Result<MetaData, MigrateError> {
        let mut schema = MetaData::new();
        let mut current: Vec<String> = Vec::new();
        for head in heads {
            let Ok(plan) = self.graph.plan_upgrade(&current, head.as_ref()) else {
                continue;
            };
            for step in &plan.steps {
                match self.step_ops(&step.revision, Direction::Upgrade) {
                    Ok((_, ops)) => {
                        for op in &ops {
                            let _ = op.apply(&mut schema);
                        }
                    }
                    Err(e @ MigrateError::RevisionPanicked { .. }) if strict => return Err(e),
                    Err(_) => {}
                }
            }
            current = plan.heads_after().to_vec();
        }
        Ok(schema)
    }

    /// Applied revisions whose script changed since it ran: for each revision in
    /// `applied` (usually every ancestor of the current heads), the checksum of its last
    /// logged upgrade is compared with the compiled one. Pure: pass [`Migrator::log`]'s
    /// rows. A revision with no logged upgrade (stamped, or applied by offline SQL
    /// elsewhere) is not reported.
    pub fn checksum_drift(&self, log: &[LogEntry], applied: &[String]) -> Vec<ChecksumDrift> {
        let mut drift = Vec::new();
        for id in applied {
            let Some(script) = self.script(id) else {
                continue;
            };
            let last = log.iter().rev().find(|e| {
                &e.revision == id
                    && (e.direction == LogDirection::Upgrade
                        || (e.direction == LogDirection::Repair && e.checksum.is_some()))
            });
            if let Some(recorded) = last.and_then(|e| e.checksum.as_deref()) {
                if recorded != script.checksum {
                    drift.push(ChecksumDrift {
                        revision: id.clone(),
                        path: script.path.to_owned(),
                        recorded: recorded.to_owned(),
                        compiled: script.checksum.to_owned(),
                    });
                }
            }
        }
        drift
    }

    fn catalog_error(&self, source: sqlx::Error) -> MigrateError {
        MigrateError::Bookkeeping {
            what: "reading the catalog".into(),
            source,
        }
    }

    async fn log_table_exists<D: Driver>(&self, driver: &mut D) -> Result<bool, MigrateError> {
        driver
            .table_exists(self.tables.schema.as_deref(), &self.tables.log)
            .await
            .map_err(|source| self.catalog_error(source))
    }

    async fn version_table_exists<D: Driver>(&self, driver: &mut D) -> Result<bool, MigrateError> {
        driver
            .table_exists(self.tables.schema.as_deref(), &self.tables.version)
            .await
            .map_err(|source| self.catalog_error(source))
    }

    /// `upgrade <target>` (`head`, `heads`, an id or prefix, `+2`, `label@head`...).
    pub async fn upgrade<D: Driver>(
        &self,
        driver: &mut D,
        target: &str,
    ) -> Result<Report, MigrateError> {
        self.lock(driver).await?;
        let result = async {
            let current = self.current(driver).await?;
            let log = self.verify(driver, &current).await?;
            let plan = self.graph.plan_upgrade(&current, target)?;
            self.run_plan(driver, plan, &log).await
        }
        .await;
        self.unlock(driver, result).await
    }

    /// `downgrade <target>` (`base`, `-1`, an id...).
    pub async fn downgrade<D: Driver>(
        &self,
        driver: &mut D,
        target: &str,
    ) -> Result<Report, MigrateError> {
        self.lock(driver).await?;
        let result = async {
            let current = self.current(driver).await?;
            let log = self.verify(driver, &current).await?;
            let plan = self.graph.plan_downgrade(&current, target)?;
            self.run_plan(driver, plan, &log).await
        }
        .await;
        self.unlock(driver, result).await
    }

    /// `stamp <targets> [--purge]`: sets the version table without running any script
    /// (one log row per stamped revision, direction `stamp`). `purge` empties the table
    /// first, even of revisions no script knows, and logs each revision no script
    /// declares that the database counted as applied as forgotten (a `repair` row without
    /// a checksum, reported as a [`LogDirection::Repair`] step).
    pub async fn stamp<D: Driver>(
        &self,
        driver: &mut D,
        targets: &[&str],
        purge: bool,
    ) -> Result<Report, MigrateError> {
        self.lock(driver).await?;
        let result = self.stamp_locked(driver, targets, purge).await;
        self.unlock(driver, result).await
    }

    async fn stamp_locked<D: Driver>(
        &self,
        driver: &mut D,
        targets: &[&str],
        purge: bool,
    ) -> Result<Report, MigrateError> {
        let current = self.current(driver).await?;
        let plan = self.graph.plan_stamp(&current, targets, purge)?;
        let sql = self.sql(driver.backend());
        let mut statements = Vec::new();
        let mut steps = Vec::new();
        if purge && !current.is_empty() {
            statements.push(sql.delete_all_versions());
        }
        if purge {
            // Purging is how a head no file declares is left behind: the revisions no
            // file declares that the database still counts as applied are logged as
            // forgotten (`repair` without a checksum), so no later run stops on them.
            let log = self.log(driver).await?;
            let mut forgotten: Vec<String> = Vec::new();
            for p in self.integrity_problems(&current, &log) {
                if let IntegrityProblem::UnknownHead { revision, .. }
                | IntegrityProblem::Gone { revision } = p
                {
                    if !forgotten.contains(&revision) {
                        forgotten.push(revision);
                    }
                }
            }
            for rev in forgotten {
                statements.push(sql.insert_log(&rev, LogDirection::Repair, None, None));
                steps.push(AppliedStep {
                    revision: rev,
                    direction: LogDirection::Repair,
                    path: String::new(),
                    duration: std::time::Duration::ZERO,
                    statements: 0,
                });
            }
        }
        for step in &plan.steps {
            statements.extend(sql.change(&step.change));
            for rev in &step.to {
                statements.push(sql.insert_log(rev, LogDirection::Stamp, None, Some(0)));
                steps.push(AppliedStep {
                    revision: rev.clone(),
                    direction: LogDirection::Stamp,
                    path: self
                        .script(rev)
                        .map_or_else(String::new, |s| s.path.to_owned()),
                    duration: std::time::Duration::ZERO,
                    statements: 0,
                });
            }
        }
        let report = Report {
            heads_before: current,
            heads_after: plan.heads_after().to_vec(),
            steps,
            warnings: Vec::new(),
        };
        if statements.is_empty() {
            return Ok(report);
        }
        self.begin(driver).await?;
        let done = async {
            self.ensure_tables(driver).await?;
            for s in &statements {
                self.bookkeeping(driver, s, "stamping the version table")
                    .await?;
            }
            self.commit(driver).await
        }
        .await;
        if let Err(e) = done {
            let _ = driver.execute("ROLLBACK").await;
            return Err(e);
        }
        Ok(report)
    }

    /// `ensure_version`: creates the version and log tables when missing (under the lock,
    /// in one transaction) and returns the names of those it created.
    pub async fn ensure_version<D: Driver>(
        &self,
        driver: &mut D,
    ) -> Result<Vec<String>, MigrateError> {
        self.lock(driver).await?;
        let result = async {
            let before = [
                self.version_table_exists(driver).await?,
                self.log_table_exists(driver).await?,
            ];
            if before == [true, true] {
                return Ok(Vec::new());
            }
            self.begin(driver).await?;
            let created = async {
                self.ensure_tables(driver).await?;
                self.commit(driver).await
            }
            .await;
            if let Err(e) = created {
                let _ = driver.execute("ROLLBACK").await;
                return Err(e);
            }
            Ok([&self.tables.version, &self.tables.log]
                .into_iter()
                .zip(before)
                .filter(|(_, existed)| !existed)
                .map(|(name, _)| name.clone())
                .collect())
        }
        .await;
        self.unlock(driver, result).await
    }

    /// Releases the lock whatever `result` is; the run's own error wins over an unlock
    /// error. (Dropping the driver releases the lock too, should the run's future itself
    /// be dropped half-way.)
    pub(super) async fn unlock<D: Driver, T>(
        &self,
        driver: &mut D,
        result: Result<T, MigrateError>,
    ) -> Result<T, MigrateError> {
        let unlocked = driver.unlock().await;
        let value = result?;
        unlocked.map_err(|source| MigrateError::Unlock { source })?;
        Ok(value)
    }

    /// Fails with [`MigrateError::LockLost`] unless the migration lock is still held:
    /// asked before every commit (and before each statement that runs outside a
    /// transaction), so nothing is committed once the lock's session has ended. The
    /// moment between this check and the COMMIT itself is covered by the version
    /// table's compare-and-set (`run::move_version`).
    async fn ensure_locked<D: Driver>(
        &self,
        driver: &mut D,
        during: impl FnOnce() -> String,
    ) -> Result<(), MigrateError> {
        let (held, cause) = match driver.lock_held().await {
            Ok(held) => (held, None),
            Err(e) => (false, Some(e.to_string())),
        };
        if held {
            return Ok(());
        }
        Err(MigrateError::LockLost {
            key: self.lock_key(driver).await.unwrap_or_default(),
            during: during(),
            cause,
            applied: Vec::new(),
            committed: 0,
        })
    }

    async fn begin<D: Driver>(&self, driver: &mut D) -> Result<(), MigrateError> {
        let begin = driver.begin_sql();
        self.bookkeeping(driver, begin, "opening a transaction")
            .await
    }

    async fn commit<D: Driver>(&self, driver: &mut D) -> Result<(), MigrateError> {
        self.commit_for(driver, || "committing".to_owned()).await
    }

    /// Commits once the lock is verified still held; `during` names what is committed.
    async fn commit_for<D: Driver>(
        &self,
        driver: &mut D,
        during: impl FnOnce() -> String,
    ) -> Result<(), MigrateError> {
        self.ensure_locked(driver, during).await?;
        self.bookkeeping(driver, "COMMIT", "committing").await
    }

    async fn bookkeeping<D: Driver>(
        &self,
        driver: &mut D,
        sql: &str,
        what: &str,
    ) -> Result<(), MigrateError> {
        driver
            .execute(sql)
            .await
            .map_err(|source| MigrateError::Bookkeeping {
                what: format!("{what} ({sql}){}", run::privilege_hint(&source)),
                source,
            })
    }

    /// Creates the version and log tables when missing (inside the caller's transaction).
    async fn ensure_tables<D: Driver>(&self, driver: &mut D) -> Result<(), MigrateError> {
        let sql = self.sql(driver.backend());
        if !self.version_table_exists(driver).await? {
            self.bookkeeping(
                driver,
                &sql.create_version_table(),
                "creating the version table",
            )
            .await?;
        }
        if !self.log_table_exists(driver).await? {
            self.bookkeeping(driver, &sql.create_log_table(), "creating the log table")
                .await?;
        }
        Ok(())
    }

    /// The operations a step records, from its script.
    pub fn step_ops(
        &self,
        revision: &str,
        direction: Direction,
    ) -> Result<(&Script, Vec<Op>), MigrateError> {
        let script = self
            .script(revision)
            .ok_or_else(|| MigrateError::MissingScript {
                revision: revision.to_owned(),
            })?;
        // Revision code is the user's: a panic in it (an `unwrap`, an explicit `panic!`)
        // becomes an error naming the revision instead of tearing down the command, and
        // since every step is recorded before any SQL runs, nothing has run yet.
        let record = std::panic::catch_unwind(|| {
            let mut ops = Operations::new();
            script.record(&mut ops, direction == Direction::Upgrade);
            ops.into_ops()
        });
        match record {
            Ok(ops) => Ok((script, ops)),
            Err(payload) => Err(MigrateError::RevisionPanicked {
                revision: revision.to_owned(),
                path: script.path.to_owned(),
                direction: match direction {
                    Direction::Upgrade => LogDirection::Upgrade,
                    Direction::Downgrade => LogDirection::Downgrade,
                },
                message: panic_message(payload.as_ref()),
            }),
        }
    }
}

/// The text a panic was raised with (`panic!("..")` gives a `&str` or a `String`).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
