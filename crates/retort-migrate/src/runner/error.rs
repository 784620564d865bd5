//! [`MigrateError`]: why a run stopped, and what it had done by then.

use std::time::Duration;

use retort_core::graph::GraphError;

use crate::render::RenderError;

/// A step that ran to completion (committed, or part of a transaction still open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedStep {
    /// The revision's id.
    pub revision: String,
    /// Whether it was applied, undone, stamped or repaired.
    pub direction: crate::LogDirection,
    /// The script's file (`versions/x.rs`).
    pub path: String,
    /// How long the step took, its bookkeeping included.
    pub duration: Duration,
    /// How many statements the step's operations rendered to.
    pub statements: usize,
}

/// Why a run failed. Messages name the revision and file, and never a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The revision graph is broken or the target is not in it (unknown revision, several heads, cycle).
    #[error(transparent)]
    Graph(#[from] GraphError),

    /// The database could not be reached (or refused the credentials).
    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// Redacted.
        url: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// Another run held the migration lock longer than the lock wait.
    #[error("another run holds the migration lock ({key}): waited {}, held by {}; wait for it to finish, or raise lock_timeout in retort.toml (--lock-timeout)", fmt_secs(*.waited), .holder.as_ref().map_or_else(|| "a session the database cannot name (it may just have released it)".to_owned(), |h| h.to_string()))]
    LockTimeout {
        /// The lock, as the database names it (the advisory lock key, the lock file, the `GET_LOCK` name).
        key: String,
        /// How long this run waited.
        waited: Duration,
        /// The session holding it, when the database can tell.
        holder: Option<crate::LockHolder>,
    },

    /// The applied history and the compiled scripts disagree (an edited, missing or inserted revision); nothing ran.
    #[error("the applied history does not match the compiled revisions; nothing was run:{}\n{}", problem_list(.problems), integrity_advice(.problems))]
    Integrity {
        /// Every disagreement found.
        problems: Vec<super::IntegrityProblem>,
    },

    /// A revision stopped half-way with committed statements, and this run may not simply go on.
    #[error("{direction} of revision {revision} ({path}) was interrupted after {done} statement(s) committed ({why}); {reason}", why = if *.implicit_commits { "this database commits every DDL statement on its own" } else { "it has statements that run outside a transaction" })]
    Interrupted {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Whether the revision was being applied or undone.
        direction: crate::LogDirection,
        /// How many of its statements are committed.
        done: usize,
        /// Why this run does not go on, and what to do.
        reason: String,
        /// The database commits DDL implicitly (MySQL), so the revision stopped wherever a
        /// statement failed, rather than at a statement it declared outside a transaction.
        implicit_commits: bool,
    },

    /// A transaction of the run would need more locks than the PostgreSQL server's lock
    /// table holds ("out of shared memory" mid-way); nothing was run.
    #[error("revision {revision} ({path}) would take about {estimate} locks in one transaction, more than this server's lock table holds (max_locks_per_transaction {per_transaction} x {slots} connection slots = {capacity}); nothing was run. Raise max_locks_per_transaction to at least {needed} in postgresql.conf (a restart applies it), or split the revision into smaller ones{all_hint}")]
    LockTable {
        /// The revision whose transaction is too big (the first, in `transaction_mode = "all"`).
        revision: String,
        /// Its script's file.
        path: String,
        /// The estimated locks of the transaction.
        estimate: usize,
        /// The server's `max_locks_per_transaction`.
        per_transaction: usize,
        /// `max_connections + max_prepared_transactions`.
        slots: usize,
        /// Their product: the documented size of the lock table.
        capacity: usize,
        /// The `max_locks_per_transaction` whose lock table holds the estimate.
        needed: usize,
        /// Advice for `transaction_mode = "all"`, else empty.
        all_hint: String,
    },

    /// A failed `CREATE INDEX CONCURRENTLY` left INVALID indexes that must be dropped before resuming.
    #[error("revision {revision} ({path}) was interrupted and a failed concurrent index build left INVALID index(es) {}; drop them (`DROP INDEX CONCURRENTLY ...`) and run again to resume", .indexes.join(", "))]
    InvalidIndex {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// The INVALID indexes, schema-qualified.
        indexes: Vec<String>,
    },

    /// A SQLite table rebuild broke references that held before it; the revision was rolled back.
    #[error("revision {revision} ({path}) rebuilt tables with foreign keys off and broke references that held before it (references already broken before are not counted); rolled back:\n    {}", .violations.join("\n    "))]
    ForeignKeyCheck {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Each broken reference, as `PRAGMA foreign_key_check` reports it.
        violations: Vec<String>,
    },

    /// The version table did not move exactly as this run planned: another run (whose
    /// lock did not exclude this one) or a hand edit changed it under the run.
    #[error("{direction} of revision {revision} ({path}) {outcome}: the version table no longer held what this run read under its lock ({detail}); another run or a hand edit changed it meanwhile, and recording the revision would apply it twice{}\nRun `current` to see where the database is, then run the command again.", applied_note_committed(.applied, *.rolled_back_all, *.committed), outcome = .statements_committed.map_or_else(|| "was rolled back".to_owned(), |n| format!("was not recorded, though its {n} statement(s) ran and stay (this database commits each DDL statement on its own; the log's progress rows record them)")))]
    VersionConflict {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Whether the revision was being applied or undone.
        direction: crate::LogDirection,
        /// What was found against what was expected, in words.
        detail: String,
        /// Steps of this run that had finished before, in order.
        applied: Vec<AppliedStep>,
        /// Whether those steps were rolled back too (all-in-one mode, nothing committed yet).
        rolled_back_all: bool,
        /// How many of `applied` (the first ones) are committed.
        committed: usize,
        /// Where DDL commits implicitly (MySQL): how many statements of the revision ran
        /// and stay, though the revision is not recorded.
        statements_committed: Option<usize>,
    },

    /// The migration lock's session ended during the run (killed, or closed by
    /// `idle_session_timeout` or a proxy), so another run may hold the lock now.
    #[error("the migration lock ({key}) was lost before {during}: its session ended (killed, or closed by idle_session_timeout or a proxy){}, so another run may hold it now; this run stopped and rolled back what it had not committed{}\nRun `current` to see where the database is, then run the command again.", .cause.as_ref().map_or_else(String::new, |c| format!(" ({c})")), lost_note(.applied, *.committed))]
    LockLost {
        /// The lock, as the database names it.
        key: String,
        /// What the run was about to do (`committing upgrade of revision ...`).
        during: String,
        /// The error the lock session gave, if it gave one.
        cause: Option<String>,
        /// Steps of this run that had finished, and how many of them are committed.
        applied: Vec<AppliedStep>,
        /// How many of `applied` (the first ones) are committed.
        committed: usize,
    },

    /// The lock session could not release the lock at the end of a run whose work is
    /// done (and committed, each commit under a verified lock).
    #[error("the run's work is done, but releasing the migration lock failed (when its session has ended, the server has released the lock with it): {source}")]
    Unlock {
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// Waiting for the migration lock failed (not a timeout: the statement itself failed).
    #[error("waiting for the migration lock failed: {source}")]
    Lock {
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// Reading or writing the version or log table failed.
    #[error("{what} failed: {source}")]
    Bookkeeping {
        /// The bookkeeping statement, in words (`reading the version table`).
        what: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// Revisions of the run grant to, or make policies for, roles the server does not have:
    /// found before anything was sent (`upgrade` checks what autogenerate and `check` do).
    #[error("the run would grant to, or make policies for, roles that do not exist in the database:\n    {}\nNothing was sent. Roles are not under version control: create them first (CREATE ROLE ..), or in the revision itself before the grant (op.execute(\"CREATE ROLE ..\")), or fix the name.", .roles.join("\n    "))]
    UnknownRoles {
        /// Each as "role `x` (named by `create grant ..` in upgrade of revision r (path))".
        roles: Vec<String>,
    },

    /// Reading the server's roles, to check those a revision names, failed.
    #[error("reading the database's roles failed: {source}")]
    ReadRoles {
        /// The catalog error.
        #[source]
        source: retort_dialect::ReadSchemaError,
    },

    /// An operation of the revision could not be rendered for this database; nothing of it ran.
    #[error("{direction} of revision {revision} ({path}) cannot be rendered: {source}{}", applied_note(.applied, *.rolled_back_all))]
    Render {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Whether the revision was being applied or undone.
        direction: crate::LogDirection,
        /// The op that failed and why.
        #[source]
        source: Box<RenderError>,
        /// Steps of this run that had finished before, in order.
        applied: Vec<AppliedStep>,
        /// Whether those steps were rolled back too (all-in-one mode, nothing committed yet).
        rolled_back_all: bool,
    },

    /// A statement of the revision failed.
    #[error("{direction} of revision {revision} ({path}) failed at statement {index} of {total}:\n    {statement}\n{source}{}{}{}", dependents_note(.source), applied_note_committed(.applied, *.rolled_back_all, *.committed), progress_note(*.progress, *.resume_explicit, .invalid_indexes))]
    Step {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Whether the revision was being applied or undone.
        direction: crate::LogDirection,
        /// 1-based.
        index: usize,
        /// How many statements the step has.
        total: usize,
        /// The statement that failed, as sent.
        statement: String,
        /// The database's error.
        #[source]
        source: sqlx::Error,
        /// Steps that ran before this one, in order.
        applied: Vec<AppliedStep>,
        /// In all-in-one mode the whole run was rolled back, those steps included (false
        /// once a statement outside a transaction forced a commit).
        rolled_back_all: bool,
        /// How many of `applied` (the first ones) are committed.
        committed: usize,
        /// Statements of this revision committed before the failure (it has statements
        /// that run outside a transaction, or the database commits DDL implicitly); the next
        /// run resumes after them, by itself or (`resume_explicit`) when asked to.
        progress: Option<usize>,
        /// The database commits DDL implicitly: the next run refuses to go on with this
        /// revision until told to resume it ([`Migrator::with_resume`](super::Migrator::with_resume))
        /// or its progress is forgotten (`repair`).
        resume_explicit: bool,
        /// INVALID indexes left by a failed concurrent index build.
        invalid_indexes: Vec<String>,
    },

    /// The revision's `upgrade` or `downgrade` function panicked while its operations
    /// were recorded (before any SQL of the run).
    #[error("{direction} of revision {revision} ({path}) panicked while recording its operations: {message}\nNothing was run: every step is recorded before the first statement. Fix the revision's code and run the command again.")]
    RevisionPanicked {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Whether the revision was being applied or undone.
        direction: crate::LogDirection,
        /// The panic's message.
        message: String,
    },

    /// Before an enum type is recreated (or a column leaves it), the database has objects
    /// depending on it that the history does not know, which the swap would stop at or
    /// lose; nothing of the revision ran (see `retort_dialect::postgres::enum_dependents`).
    #[error("{direction} of revision {revision} ({path}) changes enum type {type_name}, on which the database has what the revision history does not know:\n    {}\nNothing of this revision ran: it would stop at them or lose them. Drop them in the revision before the change (op.execute) and create them again after it, or describe them in the model.{}", .dependents.join("\n    "), applied_note_committed(.applied, *.rolled_back_all, *.committed))]
    UnknownDependents {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Whether the revision was being applied or undone.
        direction: crate::LogDirection,
        /// `schema.name` of the enum type.
        type_name: String,
        /// Each as `pg_describe_object` words it, with its schema.
        dependents: Vec<String>,
        /// Steps of this run that had finished before, in order.
        applied: Vec<AppliedStep>,
        /// Whether those steps were rolled back too (all-in-one mode, nothing committed yet).
        rolled_back_all: bool,
        /// How many of `applied` (the first ones) are committed.
        committed: usize,
    },

    /// A revision drops a table on which the database has what the history cannot know (a
    /// trigger; on PostgreSQL also a policy, rule or grant, one on a column too): `DROP
    /// TABLE` would take it along without a word. Nothing of the revision ran.
    #[error("{direction} of revision {revision} ({path}) drops table {table}, which has what the revision history does not know:\n    {}\nNothing of this revision ran: DROP TABLE would take them along and the downgrade could not bring them back. Drop (a grant: REVOKE) them first in the revision (op.execute, with the statements that create them again in its downgrade), or by hand if they are meant to go.{}", .lost.join("\n    "), applied_note_committed(.applied, *.rolled_back_all, *.committed))]
    LostObjects {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Whether the revision was being applied or undone.
        direction: crate::LogDirection,
        /// `schema.name` of the table.
        table: String,
        /// Each as "trigger audit_ins on table audited" ("grant SELECT to app on table t").
        lost: Vec<String>,
        /// Steps of this run that had finished before, in order.
        applied: Vec<AppliedStep>,
        /// Whether those steps were rolled back too (all-in-one mode, nothing committed yet).
        rolled_back_all: bool,
        /// How many of `applied` (the first ones) are committed.
        committed: usize,
    },

    /// The data-loss guard: the revision drops tables holding rows or columns holding
    /// values, and neither the ops (`.data_loss_ok()`) nor the run allow it. Nothing of the
    /// revision ran.
    #[error("{direction} of revision {revision} ({path}) would lose data; nothing of this revision ran:\n    {}\nIf losing it is intended, mark each op in the revision file:\n    {}\nor run with --allow-data-loss (or set data_loss = \"warn\" under [lint] for this environment in retort.toml).{}", loss_list(.path, .losses), marked_list(.losses), applied_note_committed(.applied, *.rolled_back_all, *.committed))]
    DataLoss {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// Whether the revision was being applied or undone.
        direction: crate::LogDirection,
        /// Each drop that would lose data, with its count.
        losses: Vec<super::DataLoss>,
        /// Steps of this run that had finished before, in order.
        applied: Vec<AppliedStep>,
        /// Whether those steps were rolled back too (all-in-one mode, nothing committed yet).
        rolled_back_all: bool,
        /// How many of `applied` (the first ones) are committed.
        committed: usize,
    },

    /// Offline `--sql` was given a single revision where it needs a range.
    #[error("offline SQL needs a range for {what}: write `<from>:<to>`, e.g. `{example}`")]
    OfflineRange {
        /// What was asked for (`upgrade --sql head`).
        what: String,
        /// A range that would do.
        example: String,
    },

    /// Offline `--sql` would rebuild SQLite tables it cannot read.
    #[error("revision {revision} ({path}) rebuilds SQLite table(s) {}, and offline SQL has no database to read their live shape from: a column, index, trigger or view added outside the revision history would be lost. Run it online (the runner rebuilds from the live table), declare the table as the database has it with op.copy_from(..) before the operation, or pass --assume-history-shape to rebuild it as the history builds it", .tables.join(", "))]
    OfflineRebuild {
        /// The revision's id.
        revision: String,
        /// Its script's file (`versions/x.rs`).
        path: String,
        /// The tables the revision rebuilds.
        tables: Vec<String>,
    },

    /// The graph names a revision no compiled script provides (the binary is older than the versions folder).
    #[error("the revision graph names {revision}, but no compiled script provides it; rebuild the migrations binary")]
    MissingScript {
        /// The revision's id.
        revision: String,
    },
}

fn fmt_secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// What to do about integrity problems: `repair` settles all but an unknown head, whose
/// own message names the `stamp --purge` that settles it.
fn integrity_advice(problems: &[super::IntegrityProblem]) -> String {
    if problems
        .iter()
        .any(|p| matches!(p, super::IntegrityProblem::InsideSquash { .. }))
    {
        return "A database inside a squashed range is brought past it with the build from before the squash; `repair` and `stamp` cannot replay the revisions it still lacks.".to_owned();
    }
    let unknown = problems
        .iter()
        .any(|p| matches!(p, super::IntegrityProblem::UnknownHead { .. }));
    let others = problems
        .iter()
        .any(|p| !matches!(p, super::IntegrityProblem::UnknownHead { .. }));
    match (unknown, others) {
        (true, false) => "Restore the file as it was applied, or run the `stamp --purge` named above; `repair` cannot choose the revision to record instead.".to_owned(),
        (true, true) => "Restore the files as they were applied; or run the `stamp --purge` named above for the head no file declares, then `repair` to accept the current files as the truth for the rest (logged).".to_owned(),
        _ => "Restore the files as they were applied, or run `repair` to accept the current files as the truth (logged).".to_owned(),
    }
}

fn problem_list(problems: &[super::IntegrityProblem]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

fn applied_note_committed(
    applied: &[AppliedStep],
    rolled_back_all: bool,
    committed: usize,
) -> String {
    if rolled_back_all || committed >= applied.len() {
        return applied_note(applied, rolled_back_all);
    }
    let names = |steps: &[AppliedStep]| {
        steps
            .iter()
            .map(|s| format!("{} {} ({})", s.direction.as_str(), s.revision, s.path))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (kept, undone) = applied.split_at(committed);
    let mut note = String::from("\nA statement outside a transaction forced a commit (transaction_mode = \"all\" could not hold):");
    if !kept.is_empty() {
        note.push_str(&format!(" {} stay committed;", names(kept)));
    }
    note.push_str(&format!(" {} were rolled back.", names(undone)));
    note
}

fn lost_note(applied: &[AppliedStep], committed: usize) -> String {
    let kept = &applied[..committed.min(applied.len())];
    if kept.is_empty() {
        return String::new();
    }
    let list: Vec<String> = kept
        .iter()
        .map(|s| format!("{} {} ({})", s.direction.as_str(), s.revision, s.path))
        .collect();
    format!(". Committed before the loss: {}", list.join(", "))
}

/// What to do when the database refused a column change because an entity reads the column
/// (issue 14, item 5): a hand-written `drop_column` or type change under a view, which
/// autogenerate would have wrapped in the view's drop and create. Names what stands in the
/// way as the server does (PostgreSQL's `DETAIL`, one line a dependent; SQLite's message
/// names the view or trigger). Empty for any other error.
fn dependents_note(source: &sqlx::Error) -> String {
    let Some(db) = source.as_database_error() else {
        return String::new();
    };
    let message = db.message();
    let postgres = db.code().as_deref() == Some("2BP01")
        || message.contains("used by a view or rule")
        || message.contains("used in a trigger definition")
        || message.contains("used in a policy definition");
    let sqlite = message.contains("after drop column")
        || (message.starts_with("error in ") && message.contains("no such column"));
    if !(postgres || sqlite) {
        return String::new();
    }
    #[cfg(feature = "postgres")]
    let detail = db
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .and_then(|e| e.detail())
        .map(|d| d.lines().collect::<Vec<_>>().join("\n    "));
    #[cfg(not(feature = "postgres"))]
    let detail: Option<String> = None;
    let what = detail.unwrap_or_else(|| message.to_owned());
    format!(
        "\nWhat reads the column:\n    {what}\nA view (or materialized view, trigger, function with a SQL-standard body) that reads a column must be out of the way while the column is dropped or its type changes: in the revision, drop it before this statement (`op.drop_entity(View::new(..))` with its definition) and create it again after (`op.create_entity(..)`), and the mirror in the downgrade; autogenerate writes exactly this when the model declares it. If it is meant to go, drop it before the change (`op.drop_entity(..)`)."
    )
}

fn progress_note(progress: Option<usize>, resume_explicit: bool, invalid: &[String]) -> String {
    let mut note = String::new();
    match progress {
        Some(done) if resume_explicit => note.push_str(&format!(
            "\nThis database commits DDL statement by statement: its first {done} statement(s) stay committed (recorded in the log). The next run refuses to go on until you fix the cause and run again with `--resume` (from statement {}), or undo them by hand and run `repair`.",
            done + 1
        )),
        Some(done) => note.push_str(&format!(
            "\nIts first {done} statement(s) stay committed (recorded in the log); the next run resumes after them."
        )),
        None => {}
    }
    if !invalid.is_empty() {
        note.push_str(&format!(
            "\nThe failed concurrent build left INVALID index(es) {}: drop them (`DROP INDEX CONCURRENTLY ...`) before running again.",
            invalid.join(", ")
        ));
    }
    note
}

fn loss_list(path: &str, losses: &[super::DataLoss]) -> String {
    losses
        .iter()
        .map(|l| match l.line {
            Some(line) => format!("{l} ({path}:{line})"),
            None => format!("{l} ({path})"),
        })
        .collect::<Vec<_>>()
        .join("\n    ")
}

fn marked_list(losses: &[super::DataLoss]) -> String {
    losses
        .iter()
        .map(|l| format!("{};", l.marked))
        .collect::<Vec<_>>()
        .join("\n    ")
}

fn applied_note(applied: &[AppliedStep], rolled_back_all: bool) -> String {
    if applied.is_empty() {
        return "\nNothing had been applied before it in this run.".to_owned();
    }
    let list: Vec<String> = applied
        .iter()
        .map(|s| format!("{} {} ({})", s.direction.as_str(), s.revision, s.path))
        .collect();
    if rolled_back_all {
        format!(
            "\nBefore it this run had applied {}; the whole run was rolled back (transaction_mode = \"all\").",
            list.join(", ")
        )
    } else {
        format!(
            "\nBefore it this run had applied and committed {}.",
            list.join(", ")
        )
    }
}

impl MigrateError {
    /// The steps applied before the failure (and still applied, unless the run's single
    /// transaction was rolled back).
    pub fn applied(&self) -> &[AppliedStep] {
        match self {
            MigrateError::Step { applied, .. }
            | MigrateError::Render { applied, .. }
            | MigrateError::VersionConflict { applied, .. }
            | MigrateError::UnknownDependents { applied, .. }
            | MigrateError::LostObjects { applied, .. }
            | MigrateError::DataLoss { applied, .. } => applied,
            MigrateError::LockLost {
                applied, committed, ..
            } => &applied[..(*committed).min(applied.len())],
            _ => &[],
        }
    }
}
