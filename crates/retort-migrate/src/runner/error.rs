//! [`MigrateError`]: why a run stopped, and what it had done by then.

use std::time::Duration;

use retort_core::graph::GraphError;

use crate::render::RenderError;

/// A step that ran to completion (committed, or part of a transaction still open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedStep {
    pub revision: String,
    pub direction: crate::LogDirection,
    /// The script's file (`versions/x.rs`).
    pub path: String,
    pub duration: Duration,
    /// How many statements the step's operations rendered to.
    pub statements: usize,
}

/// Why a run failed. Messages name the revision and file, and never a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    #[error(transparent)]
    Graph(#[from] GraphError),

    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// Redacted.
        url: String,
        #[source]
        source: sqlx::Error,
    },

    #[error("another run holds the migration lock ({key}): waited {}, held by {}; wait for it to finish, or raise lock_timeout in retort.toml (--lock-timeout)", fmt_secs(*.waited), .holder.as_ref().map_or_else(|| "a session the database cannot name (it may just have released it)".to_owned(), |h| h.to_string()))]
    LockTimeout {
        key: String,
        waited: Duration,
        holder: Option<crate::LockHolder>,
    },

    #[error("the applied history does not match the compiled revisions; nothing was run:{}\nRestore the files as they were applied, or run `repair` to accept the current files as the truth (logged).", problem_list(.problems))]
    Integrity {
        problems: Vec<super::IntegrityProblem>,
    },

    #[error("{direction} of revision {revision} ({path}) was interrupted after {done} statement(s) committed (it has statements that run outside a transaction); {reason}")]
    Interrupted {
        revision: String,
        path: String,
        direction: crate::LogDirection,
        done: usize,
        reason: String,
    },

    #[error("revision {revision} ({path}) was interrupted and a failed concurrent index build left INVALID index(es) {}; drop them (`DROP INDEX CONCURRENTLY ...`) and run again to resume", .indexes.join(", "))]
    InvalidIndex {
        revision: String,
        path: String,
        indexes: Vec<String>,
    },

    #[error("revision {revision} ({path}) rebuilt tables with foreign keys off and left broken references; rolled back:\n    {}", .violations.join("\n    "))]
    ForeignKeyCheck {
        revision: String,
        path: String,
        violations: Vec<String>,
    },

    #[error("waiting for the migration lock failed: {source}")]
    Lock {
        #[source]
        source: sqlx::Error,
    },

    /// Reading or writing the version or log table failed.
    #[error("{what} failed: {source}")]
    Bookkeeping {
        what: String,
        #[source]
        source: sqlx::Error,
    },

    #[error("{direction} of revision {revision} ({path}) cannot be rendered: {source}{}", applied_note(.applied, *.rolled_back_all))]
    Render {
        revision: String,
        path: String,
        direction: crate::LogDirection,
        #[source]
        source: Box<RenderError>,
        applied: Vec<AppliedStep>,
        rolled_back_all: bool,
    },

    #[error("{direction} of revision {revision} ({path}) failed at statement {index} of {total}:\n    {statement}\n{source}{}{}", applied_note_committed(.applied, *.rolled_back_all, *.committed), progress_note(*.progress, .invalid_indexes))]
    Step {
        revision: String,
        path: String,
        direction: crate::LogDirection,
        /// 1-based.
        index: usize,
        total: usize,
        statement: String,
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
        /// that run outside a transaction); the next run resumes after them.
        progress: Option<usize>,
        /// INVALID indexes left by a failed concurrent index build.
        invalid_indexes: Vec<String>,
    },

    /// Before an enum type is recreated (or a column leaves it), the database has objects
    /// depending on it that the history does not know, which the swap would stop at or
    /// lose; nothing of the revision ran (see `retort_dialect::postgres::enum_dependents`).
    #[error("{direction} of revision {revision} ({path}) changes enum type {type_name}, on which the database has what the revision history does not know:\n    {}\nNothing of this revision ran: it would stop at them or lose them. Drop them in the revision before the change (op.execute) and create them again after it, or describe them in the model.{}", .dependents.join("\n    "), applied_note_committed(.applied, *.rolled_back_all, *.committed))]
    UnknownDependents {
        revision: String,
        path: String,
        direction: crate::LogDirection,
        /// `schema.name` of the enum type.
        type_name: String,
        /// Each as `pg_describe_object` words it, with its schema.
        dependents: Vec<String>,
        applied: Vec<AppliedStep>,
        rolled_back_all: bool,
        committed: usize,
    },

    #[error("offline SQL needs a range for {what}: write `<from>:<to>`, e.g. `{example}`")]
    OfflineRange { what: String, example: String },

    #[error("the revision graph names {revision}, but no compiled script provides it; rebuild the migrations binary")]
    MissingScript { revision: String },
}

fn fmt_secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
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

fn progress_note(progress: Option<usize>, invalid: &[String]) -> String {
    let mut note = String::new();
    if let Some(done) = progress {
        note.push_str(&format!(
            "\nIts first {done} statement(s) stay committed (recorded in the log); the next run resumes after them."
        ));
    }
    if !invalid.is_empty() {
        note.push_str(&format!(
            "\nThe failed concurrent build left INVALID index(es) {}: drop them (`DROP INDEX CONCURRENTLY ...`) before running again.",
            invalid.join(", ")
        ));
    }
    note
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
            | MigrateError::UnknownDependents { applied, .. } => applied,
            _ => &[],
        }
    }
}
