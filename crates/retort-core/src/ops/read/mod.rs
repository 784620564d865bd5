//! Reading a revision file's recorded ops from its text, without compiling it.
//!
//! `revision --autogenerate` writes files that only record ops: a `REVISION` constant and
//! `upgrade`/`downgrade` bodies made of `op.` calls with literal arguments. Compiling
//! thousands of them made every rebuild of a migrations crate linear in the history, so
//! `retort-build` reads each file with [`read_revision`] at build time: a file it reads is
//! embedded as text (`include_str!`) and read again here at run time; a file it does not
//! (hand-written Rust, a call this reader does not know) is compiled as before. The reader
//! knows a strict subset of the writer's output and refuses anything else with the line,
//! so "readable" means "records exactly what compiling it would": `retort-script-check`
//! checks that on every file the writer's snapshot tests produce.
//!
//! The subset: `Revision::new(..)` with `.message`, `.down_revision`,
//! `.down_revisions`, `.branch_labels`, `.depends_on`; `op.create_table` (columns with
//! `not_null`, `nullable`, `identity(Identity::always()/by_default())`, `server_default`
//! (`ServerDefault::expr/text/int/bool`), `comment`, `primary_key`; table-level
//! `primary_key`, `foreign_key` (`name`, `on_delete`, `on_update`), `unique`, `index`,
//! `schema`, `comment`), `op.drop_table` (`.existing(Table::build(..))`, `.data_loss_ok()`),
//! `op.create_index` (`.unique()`, `.concurrently()`), `op.drop_index` (`.existing(
//! Index::on_columns(..).name(..))`), `op.add_column`/`op.drop_column` (`Column::new(..)` with the
//! column modifiers above), `op.alter_column` (nullability, type, `using`, server default,
//! comment, rename, and their `existing_*`), `op.execute(..)` (`.reverse_sql`,
//! `.outside_transaction()`); table-level `check(..)` (`.name`); `op.create_check_constraint`
//! (`.not_valid()`), `op.create_primary_key`, `op.create_unique_constraint`,
//! `op.create_foreign_key` (actions, `.referent_schema`, `.not_valid()`),
//! `op.drop_constraint` (`.existing(Constraint::PrimaryKey/Unique/Check/ForeignKey(..))`),
//! `op.validate_constraint`; names as `"name"`, `conv("name")` or `Unnamed` where the builder
//! takes them; `op.create_schema`/`drop_schema`; `op.create_enum`, `drop_enum`
//! (`.existing`), `add_enum_value` (`.before`/`.after`/`.existing`), `recreate_enum`;
//! `op.create_table_comment`/`drop_table_comment` (`.existing_comment`);
//! `op.create_entity`/`drop_entity`/`replace_entity` (`.existing`) of `View`,
//! `MaterializedView` (`with_no_data`, `index`, `unique_index`), `Function::new/procedure`,
//! `Trigger`, `Policy`, `RowLevelSecurity` (`forced`), `Grant::on_*` (`with_grant_option`),
//! `Extension` (`version`), `SchemaComment`, each with `in_schema`, `after`,
//! `only_on(DialectKind::..)` where the kind has them; `.schema(..)` on the calls that take
//! it; types without parameters, `Varchar`/`Char` with a length, `Time`/`Timestamp { tz }`,
//! `Type::numeric(p, s)`.

pub mod bundle;
mod entity;
mod eval;
mod syntax;

use crate::ops::Op;

pub use eval::ReadRevision;

/// Why a file is not one this reader reads: the line and what it met there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {what}")]
pub struct ReadError {
    /// 1-based line in the file.
    pub line: u32,
    /// What was there, or what was expected.
    pub what: String,
}

impl ReadError {
    pub(crate) fn new(line: u32, what: impl Into<String>) -> Self {
        ReadError {
            line,
            what: what.into(),
        }
    }
}

/// Reads a revision file's `REVISION` and the ops its `upgrade` and `downgrade` record.
pub fn read_revision(text: &str) -> Result<ReadRevision, ReadError> {
    eval::file(text)
}

/// The ops one direction of a read revision records (`upgrade` when `up`).
pub fn read_ops(text: &str, up: bool) -> Result<Vec<Op>, ReadError> {
    let r = read_revision(text)?;
    Ok(if up { r.upgrade } else { r.downgrade })
}

#[cfg(test)]
mod tests;
