//! [`DialectError`]: why a model or an object could not be rendered as SQL.

use retort_core::SchemaErrors;

/// Rendering failed. Every message names the object at fault and says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DialectError {
    /// The database cannot express this; `hint` says what to use instead.
    #[error("{dialect} does not support {what}; {hint}")]
    Unsupported {
        /// The database's name (`PostgreSQL`, `SQLite`, `MySQL`).
        dialect: &'static str,
        /// What was asked for, naming the object.
        what: String,
        /// What to do instead.
        hint: String,
    },
    /// A name that no quoting can make safe or exact (a NUL byte, empty, too long).
    #[error("invalid identifier {ident:?}: {reason}; rename it")]
    InvalidIdentifier {
        /// The name as given.
        ident: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A literal value that cannot be written as SQL (a NUL byte in text, a malformed number).
    #[error("invalid literal for {what}: {reason}")]
    InvalidLiteral {
        /// What the value was for (a default, a row of `bulk_insert`).
        what: String,
        /// Why it cannot be written.
        reason: String,
    },
    /// The object must be named for this statement (dropping an index the database named).
    #[error("{what} has no name; {hint}")]
    Unnamed {
        /// The object, described.
        what: String,
        /// How to name it.
        hint: String,
    },
    /// An op of a list did not fit the schema the earlier ops left
    /// ([`crate::Dialect::render_ops`]), so what follows would be rendered against a wrong
    /// schema. `index` counts from 1.
    #[error("operation {index} ({op}) does not fit the schema it would run on: {source}")]
    Replay {
        /// Which op of the list, counting from 1.
        index: usize,
        /// The op, described in one line.
        op: String,
        /// Why it did not fit.
        #[source]
        source: Box<retort_core::ops::ApplyError>,
    },
    /// A SQLite table rebuild would lose something the database has (a column, index,
    /// trigger or view the revision history does not know, or a clause the model cannot
    /// carry), so it is refused; `object` names it.
    #[error("cannot rebuild table `{table}`: {object} {problem}; {hint}")]
    Rebuild {
        /// The table that was to be rebuilt.
        table: String,
        /// What would be lost (`trigger audit`, `column legacy`).
        object: String,
        /// Why it cannot be kept.
        problem: String,
        /// What to do (add it to the model, or drop it first by hand).
        hint: String,
    },
    /// The model failed validation, so no DDL was rendered for it.
    #[error("cannot render DDL for an invalid model: {0}")]
    InvalidSchema(#[from] SchemaErrors),
}

impl DialectError {
    pub(crate) fn unsupported(
        dialect: &'static str,
        what: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        DialectError::Unsupported {
            dialect,
            what: what.into(),
            hint: hint.into(),
        }
    }
}
