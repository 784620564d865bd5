//! [`DialectError`]: why a model or an object could not be rendered as SQL.

use retort_core::SchemaErrors;

/// Rendering failed. Every message names the object at fault and says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DialectError {
    /// The database cannot express this; `hint` says what to use instead.
    #[error("{dialect} does not support {what}; {hint}")]
    Unsupported {
        dialect: &'static str,
        what: String,
        hint: String,
    },
    /// A name that no quoting can make safe or exact (a NUL byte, empty, too long).
    #[error("invalid identifier {ident:?}: {reason}; rename it")]
    InvalidIdentifier { ident: String, reason: String },
    /// A literal value that cannot be written as SQL (a NUL byte in text, a malformed number).
    #[error("invalid literal for {what}: {reason}")]
    InvalidLiteral { what: String, reason: String },
    /// The object must be named for this statement (dropping an index the database named).
    #[error("{what} has no name; {hint}")]
    Unnamed { what: String, hint: String },
    /// An op of a list did not fit the schema the earlier ops left
    /// ([`crate::Dialect::render_ops`]), so what follows would be rendered against a wrong
    /// schema. `index` counts from 1.
    #[error("operation {index} ({op}) does not fit the schema it would run on: {source}")]
    Replay {
        index: usize,
        op: String,
        #[source]
        source: Box<retort_core::ops::ApplyError>,
    },
    /// A SQLite table rebuild would lose something the database has (a column, index,
    /// trigger or view the revision history does not know, or a clause the model cannot
    /// carry), so it is refused; `object` names it.
    #[error("cannot rebuild table `{table}`: {object} {problem}; {hint}")]
    Rebuild {
        table: String,
        object: String,
        problem: String,
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
