//! SQLite (3.35 and later, for `DROP COLUMN`; sqlx bundles 3.46), the embedded default.
//! Overrides only what differs from the standard defaults:
//!
//! * names: quoted with `"..."` when they are one of SQLite's keywords (`keywords`) or
//!   not plain lower-case; no length limit;
//! * types: the declared names that give the right affinity and read back as written, and
//!   enums as a `VARCHAR` with a `CHECK` (`types`);
//! * tables: the identity key as `INTEGER PRIMARY KEY AUTOINCREMENT`, defaults in
//!   parentheses with PostgreSQL's "now" mapped to `CURRENT_TIMESTAMP`, bare `REFERENCES`,
//!   every foreign key inside `CREATE TABLE`, no comments (`ddl`);
//! * migration operations: what `ALTER TABLE` can do stays an `ALTER TABLE`, the rest is a
//!   table rebuild (`plan`, `rebuild`, `render`);
//! * comparison: constraints the diff adds stay unnamed, as SQLite leaves them
//!   ([`SqliteCompare`]).
//!
//! # What the runner must do around a rebuild
//!
//! Build it from the live table: the replayed history knows nothing of a column, index,
//! trigger or view added by raw SQL, and a rebuild rendered from it alone would drop them.
//! The runner reads the catalog ([`live::SCHEMA_OBJECTS_SQL`] and the introspection
//! queries) inside the revision's transaction just before the rebuild, and
//! [`live::render_op_live`] builds it from those rows: every live column kept and copied,
//! indexes, triggers and dependent views re-created, and anything it cannot carry over
//! refused by name ([`DialectError::Rebuild`]). Offline `--sql` has no live table: it uses
//! a definition the revision declares with `op.copy_from(..)`
//! ([`live::render_op_declared`]) or, when the user accepts it, the replayed shape
//! (`render_op`).
//!
//! A rebuild must run with foreign keys off: with keys on, `DROP TABLE` of the old table
//! first deletes its rows, and that delete fires the children's actions (`ON DELETE
//! CASCADE` rows deleted, `SET NULL` keys cleared), and the copy of a table that holds
//! orphan rows from before would fail on rows the rebuild did not break.
//! `PRAGMA defer_foreign_keys=ON` defers only the checks, not those actions, so it is no
//! substitute. `PRAGMA foreign_keys` cannot change inside a transaction, so when
//! [`Sqlite::needs_foreign_keys_off`] says so (for every rebuild), the runner, on the one
//! connection it migrates with, runs [`FOREIGN_KEYS_OFF`] before `BEGIN`, reads
//! [`FOREIGN_KEY_CHECK`] after `BEGIN` and again before `COMMIT` (a row that was not there
//! before is a reference the transaction broke: roll back and report it), and
//! [`FOREIGN_KEYS_ON`] after the transaction, whatever its outcome. The rendered rebuild
//! of a referenced table itself fails with a message naming the pragma if keys are still
//! on, so a runner that forgets loses no data.

mod backend;
mod compare;
mod ddl;
pub mod entities;
mod enums;
pub mod introspect;
mod keywords;
pub mod live;
mod plan;
mod read_schema;
mod rebuild;
mod render;
mod types;

use retort_core::ops::{AlterColumn, Constraint, Op};
use retort_core::{Column, ForeignKey, Index, MetaData, ServerDefault, Table, Type};

use crate::{ansi, Dialect, DialectError, TableName};

pub use backend::SqliteBackend;
pub use compare::SqliteCompare;
pub use ddl::default_expr;
pub use enums::{adopt_unnamed_enum_checks, raise_enums};
pub use rebuild::tmp_name;

type Result<T> = std::result::Result<T, DialectError>;

/// Run before `BEGIN` when [`Sqlite::needs_foreign_keys_off`] (a no-op inside a transaction).
pub const FOREIGN_KEYS_OFF: &str = "PRAGMA foreign_keys = OFF";
/// Run after `BEGIN` and again before `COMMIT` around a rebuild with keys off: every row it
/// returns is a broken reference (table, rowid, parent, key index); one that was not there
/// after `BEGIN` was broken by the transaction, which must roll back.
pub const FOREIGN_KEY_CHECK: &str = "PRAGMA foreign_key_check";
/// Run after the transaction that [`FOREIGN_KEYS_OFF`] preceded, committed or not.
pub const FOREIGN_KEYS_ON: &str = "PRAGMA foreign_keys = ON";

/// The SQLite dialect. See the module notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sqlite;

impl Sqlite {
    /// Whether running `ops` (from `schema`, the schema before them) rebuilds a table (any
    /// table: a key that refers to it may have been added by raw SQL), so foreign keys must
    /// be off around the transaction (see the module notes). Errors when an op does not fit
    /// the schema.
    pub fn needs_foreign_keys_off(&self, ops: &[Op], schema: &MetaData) -> Result<bool> {
        render::needs_foreign_keys_off(ops, schema)
    }

    fn no_comments(&self) -> DialectError {
        DialectError::unsupported(
            self.name(),
            "comments",
            "SQLite keeps none: comment operations render as no SQL, and create_all leaves \
             comments out",
        )
    }
    fn rebuild_only(&self, what: &str, table: TableName<'_>) -> DialectError {
        DialectError::unsupported(
            self.name(),
            format!("ALTER TABLE {what} (on `{}`)", table.name),
            "SQLite changes it by rebuilding the table: render the operation with \
             render_op/render_ops, which do",
        )
    }
}

impl Dialect for Sqlite {
    fn name(&self) -> &'static str {
        "SQLite"
    }
    fn kind(&self) -> Option<retort_core::DialectKind> {
        Some(retort_core::DialectKind::Sqlite)
    }
    fn transactional_ddl(&self) -> bool {
        true
    }
    fn is_reserved_word(&self, word: &str) -> bool {
        keywords::is_keyword(word)
    }

    fn column_type(&self, ty: &Type) -> Result<String> {
        types::column_type(self, ty)
    }
    /// SQLite checks a unique constraint at once and lets NULLs repeat: what it cannot do
    /// is an error, not a constraint that silently means less.
    fn unique_clause(&self, unique: &retort_core::Unique) -> Result<String> {
        let what = |w: &str| {
            format!(
                "{w} on the unique constraint {} ({})",
                unique.name.as_deref().unwrap_or("(unnamed)"),
                unique.columns.join(", ")
            )
        };
        if unique.deferrable.is_some() {
            return Err(DialectError::unsupported(
                self.name(),
                what("DEFERRABLE"),
                "SQLite checks unique constraints at once; leave `deferrable` out for SQLite",
            ));
        }
        if unique.nulls_not_distinct {
            return Err(DialectError::unsupported(
                self.name(),
                what("NULLS NOT DISTINCT"),
                "SQLite lets NULLs repeat in a unique constraint; a unique index on \
                 `coalesce(column, <a value never stored>)` gives the same rule",
            ));
        }
        ansi::ddl::unique_clause(self, unique)
    }
    fn default_clause(&self, default: &ServerDefault) -> Result<String> {
        ddl::default_clause(self, default)
    }
    fn column_definition(&self, column: &Column) -> Result<String> {
        ddl::column_definition(self, column)
    }
    fn foreign_key_clause(&self, table_schema: Option<&str>, fk: &ForeignKey) -> Result<String> {
        ddl::foreign_key_clause(self, table_schema, fk)
    }

    fn create_schema(&self, name: &str) -> Result<String> {
        Err(DialectError::unsupported(
            self.name(),
            format!("CREATE SCHEMA (`{name}`)"),
            "a schema is an attached database file: ATTACH it on the connection",
        ))
    }
    fn drop_schema(&self, name: &str) -> Result<String> {
        Err(DialectError::unsupported(
            self.name(),
            format!("DROP SCHEMA (`{name}`)"),
            "a schema is an attached database file: DETACH it and delete the file",
        ))
    }
    fn create_table(&self, table: &Table) -> Result<String> {
        ddl::create_table(self, table)
    }
    fn add_foreign_key(&self, table: TableName<'_>, _fk: &ForeignKey) -> Result<String> {
        Err(self.rebuild_only("ADD CONSTRAINT .. FOREIGN KEY", table))
    }
    fn drop_constraint(&self, table: TableName<'_>, _name: &str) -> Result<String> {
        Err(self.rebuild_only("DROP CONSTRAINT", table))
    }
    fn add_constraint(&self, table: TableName<'_>, constraint: &Constraint) -> Result<String> {
        if let Constraint::Exclude(x) = constraint {
            // Refused by name: SQLite has no exclusion constraints at all.
            self.exclude_clause(table.name, x)?;
        }
        Err(self.rebuild_only("ADD CONSTRAINT", table))
    }
    fn create_index(&self, table: TableName<'_>, index: &Index) -> Result<String> {
        ddl::create_index(self, table, index)
    }
    fn comment_on_table(&self, _table: TableName<'_>, _comment: Option<&str>) -> Result<String> {
        Err(self.no_comments())
    }
    fn comment_on_column(
        &self,
        _table: TableName<'_>,
        _column: &str,
        _comment: Option<&str>,
    ) -> Result<String> {
        Err(self.no_comments())
    }

    /// A rebuild of the table, unless only the name (`RENAME COLUMN`) or comment changes.
    fn alter_column(&self, alter: &AlterColumn, schema: &MetaData) -> Result<Vec<String>> {
        render::render_op(self, &Op::AlterColumn(alter.clone()), schema)
    }
    /// SQLite has no concurrent index build; the plain one is what there is.
    fn create_index_concurrently(&self, table: TableName<'_>, index: &Index) -> Result<String> {
        self.create_index(table, index)
    }
    fn drop_index_concurrently(&self, table: TableName<'_>, name: &str) -> Result<String> {
        ansi::ddl::drop_index(self, table, name)
    }
    fn render_op(&self, op: &Op, schema: &MetaData) -> Result<Vec<String>> {
        render::render_op(self, op, schema)
    }
    fn render_ops(&self, ops: &[Op], schema: &MetaData) -> Result<Vec<String>> {
        render::render_ops(self, ops, schema)
    }
    /// Only raw SQL declared `.outside_transaction()` (SQLite cannot `VACUUM` in a
    /// transaction either); `concurrently` is a plain index build, which can.
    fn op_needs_autocommit(&self, op: &Op) -> bool {
        matches!(
            op,
            Op::Execute {
                outside_transaction: true,
                ..
            }
        )
    }

    fn create_all(&self, md: &MetaData) -> Result<Vec<String>> {
        ddl::create_all(self, md, false)
    }
    fn create_all_validated(&self, md: retort_core::Validated<'_>) -> Result<Vec<String>> {
        ddl::create_all(self, md.get(), true)
    }
    fn drop_all(&self, md: &MetaData) -> Result<Vec<String>> {
        ddl::drop_all(self, md)
    }
}
