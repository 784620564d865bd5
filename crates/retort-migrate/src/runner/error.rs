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

    #[error("{direction} of revision {revision} ({path}) failed at statement {index} of {total}:\n    {statement}\n{source}{}", applied_note(.applied, *.rolled_back_all))]
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
        /// In all-in-one mode the whole run was rolled back, those steps included.
        rolled_back_all: bool,
    },

    #[error("offline SQL needs a range for {what}: write `<from>:<to>`, e.g. `{example}`")]
    OfflineRange { what: String, example: String },

    #[error("the revision graph names {revision}, but no compiled script provides it; rebuild the migrations binary")]
    MissingScript { revision: String },
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
            MigrateError::Step { applied, .. } | MigrateError::Render { applied, .. } => applied,
            _ => &[],
        }
    }
}
