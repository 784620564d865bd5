//! PostgreSQL's migration operations beyond the standard: `ALTER COLUMN` with `USING`,
//! identity changes (`ADD GENERATED`, `SET GENERATED`, `SET START WITH`, `DROP IDENTITY`)
//! and generation-expression changes (`DROP EXPRESSION`; a new expression re-adds the
//! column, as PostgreSQL 15 has no ALTER for it), and `CREATE/DROP INDEX CONCURRENTLY`,
//! which must run outside a transaction ([`crate::Dialect::op_needs_autocommit`]).
//!
//! `ALTER TYPE .. ADD VALUE` may run in a transaction since PostgreSQL 12, but the new value
//! cannot be used until that transaction commits ("unsafe use of new value"), so a revision
//! that adds a value and then uses it (as a default, in an UPDATE) would fail. It is
//! therefore run in autocommit like `CONCURRENTLY`: the runner commits before it (with a
//! progress row) and begins again after it, so the rest of the revision sees the value.
//! Running it twice is harmless to resume: the runner counts "already exists" as done.

use retort_core::ops::{AlterColumn, Op};
use retort_core::MetaData;

use crate::ansi::alter_column::AlterFeatures;
use crate::{ansi, Dialect, DialectError};

type Result<T> = std::result::Result<T, DialectError>;

pub(super) fn alter_column<D: Dialect + ?Sized>(
    d: &D,
    alter: &AlterColumn,
    schema: &MetaData,
) -> Result<Vec<String>> {
    let everything = AlterFeatures {
        using: true,
        identity: true,
        computed: true,
    };
    ansi::alter_column::alter_column(d, alter, schema, everything)
}

/// `CREATE [UNIQUE] INDEX ..` or `DROP INDEX ..` with `CONCURRENTLY` after `INDEX`. The
/// statement comes from the dialect's own renderer, so its start is known; anything else is
/// an internal error reported as unsupported rather than a wrong statement.
pub(super) fn concurrently(statement: String) -> Result<String> {
    for head in ["CREATE UNIQUE INDEX", "CREATE INDEX", "DROP INDEX"] {
        if let Some(rest) = statement.strip_prefix(head) {
            return Ok(format!("{head} CONCURRENTLY{rest}"));
        }
    }
    Err(DialectError::unsupported(
        "PostgreSQL",
        format!("`CONCURRENTLY` on `{statement}`"),
        "record the index operation without `concurrently`",
    ))
}

/// See the module notes: concurrent index builds and drops, and added enum values.
pub(super) fn needs_autocommit(op: &Op) -> bool {
    op.runs_outside_transaction() || matches!(op, Op::AddEnumValue { .. })
}
