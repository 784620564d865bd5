//! MySQL 8 and MariaDB 10.11 (one dialect). Overrides only what differs from the standard
//! defaults: backtick quoting and MySQL's reserved words, 64-character names, backslash
//! escapes in text literals, the types (`types`: `TINYINT(1)` booleans, `VARCHAR(255)` for a
//! `VARCHAR` without a length, `DATETIME(6)`, `CHAR(36)` UUIDs, `JSON`, inline `ENUM(..)`), `AUTO_INCREMENT`
//! identities, comments inside the definitions, every constraint named, keys on TEXT/BLOB
//! columns refused (`ddl`), and the ALTER spellings (`ops`: `MODIFY COLUMN`, `CHANGE COLUMN`,
//! `DROP FOREIGN KEY`, `DROP INDEX .. ON`, `DROP PRIMARY KEY`).
//! `introspect` reads a database back from `information_schema` and [`MysqlCompare`] is the
//! diff's equality; [`MysqlBackend`] is the engine's view of it. `docs/mysql.md` lists what
//! differs between MySQL 8 and MariaDB.
//!
//! Text literals escape backslashes (`\\`): MySQL reads a backslash as an escape unless
//! `NO_BACKSLASH_ESCAPES` is in `sql_mode`, which it is not by default (the engine's session
//! keeps it so).

mod backend;
mod compare;
mod ddl;
pub mod entities;
mod in_doubt;
pub mod introspect;
mod keywords;
mod lock;
mod ops;
mod read_schema;
mod types;

pub use backend::MysqlBackend;
pub use compare::{as_stored, MysqlCompare};
pub use ddl::is_current_timestamp;
pub use in_doubt::statement_effect;
pub use lock::{lock_name, MysqlLock, LOCK_SESSION_WAIT_TIMEOUT};
pub use types::{canonical_type, TIME_PRECISION, VARCHAR_DEFAULT_LENGTH};

use retort_core::ops::{AlterColumn, Op};
use retort_core::{Check, Column, ForeignKey, Index, MetaData, ServerDefault, Table, Type, Unique};

use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

/// MySQL's and MariaDB's longest name (tables, columns, indexes, constraints), in characters.
pub const MAX_IDENTIFIER_LEN: usize = 64;

/// The MySQL/MariaDB dialect (MySQL 8.0.19+, MariaDB 10.5+).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mysql;

impl Dialect for Mysql {
    fn name(&self) -> &'static str {
        "MySQL"
    }
    fn kind(&self) -> Option<retort_core::DialectKind> {
        Some(retort_core::DialectKind::Mysql)
    }
    fn max_identifier_length(&self) -> Option<usize> {
        Some(MAX_IDENTIFIER_LEN)
    }
    fn max_identifier_len(&self) -> Option<usize> {
        Some(MAX_IDENTIFIER_LEN)
    }
    fn is_reserved_word(&self, word: &str) -> bool {
        keywords::is_reserved(word)
    }
    /// `` `name` `` with backticks doubled, when the name is not bare.
    fn quote_identifier(&self, ident: &str) -> Result<String> {
        let invalid = |reason: &str| DialectError::InvalidIdentifier {
            ident: ident.to_owned(),
            reason: reason.to_owned(),
        };
        if ident.is_empty() {
            return Err(invalid("it is empty"));
        }
        if ident.contains('\0') {
            return Err(invalid("it contains a NUL character"));
        }
        if ident.chars().count() > MAX_IDENTIFIER_LEN {
            return Err(invalid(&format!(
                "it is {} characters long and MySQL keeps at most {MAX_IDENTIFIER_LEN}",
                ident.chars().count()
            )));
        }
        if ident.ends_with(' ') {
            return Err(invalid("MySQL does not allow a name to end with a space"));
        }
        if crate::ansi::quote::is_bare(self, ident) {
            return Ok(ident.to_owned());
        }
        Ok(format!("`{}`", ident.replace('`', "``")))
    }
    /// `'text'` with `'` doubled and `\` escaped (see the module notes).
    fn string_literal(&self, value: &str) -> Result<String> {
        if value.contains('\0') {
            return Err(DialectError::InvalidLiteral {
                what: format!("text {value:?}"),
                reason: "it contains a NUL character, which SQL text cannot hold".into(),
            });
        }
        Ok(text_literal(value))
    }

    fn column_type(&self, ty: &Type) -> Result<String> {
        types::column_type(self, ty)
    }
    fn default_clause(&self, default: &ServerDefault) -> Result<String> {
        // Without the column's type; column definitions call `ddl::default_clause` with it.
        ddl::default_clause(self, default, &Type::Integer)
    }
    fn column_definition(&self, column: &Column) -> Result<String> {
        ddl::column_definition(self, column)
    }
    fn foreign_key_clause(&self, table_schema: Option<&str>, fk: &ForeignKey) -> Result<String> {
        ddl::foreign_key_clause(self, table_schema, fk)
    }
    fn unique_clause(&self, unique: &Unique) -> Result<String> {
        ddl::unique_clause(self, unique)
    }
    fn check_clause(&self, check: &Check) -> Result<String> {
        ddl::check_clause(self, check)
    }
    /// PostgreSQL's name for an unnamed key (`t_col_fkey`), which `create_table` writes.
    fn foreign_key_name(&self, table: TableName<'_>, fk: &ForeignKey) -> Result<String> {
        match &fk.name {
            Some(name) => Ok(name.clone()),
            None => Ok(ddl::constraint_name(
                table,
                &retort_core::ops::Constraint::ForeignKey(fk.clone()),
            )
            .unwrap_or_default()),
        }
    }
    fn unnamed_constraint_name(
        &self,
        table: &Table,
        constraint: &retort_core::ops::Constraint,
    ) -> Option<String> {
        use retort_core::diff::CompareDialect as _;
        MysqlCompare.constraint_name(table, constraint)
    }
    fn create_schema(&self, name: &str) -> Result<String> {
        Err(no_schemas(self, name))
    }
    fn drop_schema(&self, name: &str) -> Result<String> {
        Err(no_schemas(self, name))
    }
    fn create_table(&self, table: &Table) -> Result<String> {
        ddl::create_table(self, table)
    }
    fn add_constraint(
        &self,
        table: TableName<'_>,
        constraint: &retort_core::ops::Constraint,
    ) -> Result<String> {
        use retort_core::ops::Constraint;
        let mut c = constraint.clone();
        let name = ddl::constraint_name(table, constraint);
        match &mut c {
            Constraint::Unique(u) if u.name.is_none() => u.name = name,
            Constraint::Check(ch) if ch.name.is_none() => ch.name = name,
            Constraint::PrimaryKey(pk) => pk.name = None,
            _ => {}
        }
        crate::ansi::alter::add_constraint(self, table, &c)
    }
    fn create_index(&self, table: TableName<'_>, index: &Index) -> Result<String> {
        ddl::create_index(self, table, index)
    }
    /// `DROP INDEX name ON table`: an index belongs to its table.
    fn drop_index(&self, table: TableName<'_>, name: &str) -> Result<String> {
        Ok(format!(
            "DROP INDEX {} ON {}",
            self.quote_identifier(name)?,
            self.table_name(table)?
        ))
    }
    /// With `online = true`: every `ALTER TABLE` with `ALGORITHM=INPLACE, LOCK=NONE` (an
    /// added column `ALGORITHM=INSTANT`: MariaDB 10.3+ and MySQL 8.0.12+ add a column
    /// without touching the rows), every `CREATE INDEX` with `ALGORITHM=INPLACE LOCK=NONE`;
    /// an ALTER InnoDB can only do by copying the table is then refused by the server
    /// (lint rule `mysql-copying-alter` names those beforehand). Statements that already
    /// say an algorithm, and others (`RENAME TABLE`, `DROP INDEX .. ON`, views), as they are.
    fn online_statement(&self, op: &Op, sql: String) -> String {
        if sql.contains("ALGORITHM=") {
            return sql;
        }
        if let Some(rest) = sql.strip_prefix("ALTER TABLE ") {
            let adds_a_column = matches!(op, Op::AddColumn { .. })
                && rest.contains(" ADD COLUMN ")
                && !rest.contains(" FOREIGN KEY ");
            let clause = if adds_a_column {
                "ALGORITHM=INSTANT"
            } else {
                "ALGORITHM=INPLACE, LOCK=NONE"
            };
            return format!("{sql}, {clause}");
        }
        if sql.starts_with("CREATE INDEX ") || sql.starts_with("CREATE UNIQUE INDEX ") {
            return format!("{sql} ALGORITHM=INPLACE LOCK=NONE");
        }
        sql
    }
    /// `CREATE INDEX .. ALGORITHM=INPLACE LOCK=NONE`: MySQL has no `CONCURRENTLY`, but
    /// these clauses make the server build the index while writes go on, or refuse
    /// (`docs/online.md`) rather than lock the table for the build.
    fn create_index_concurrently(&self, table: TableName<'_>, index: &Index) -> Result<String> {
        Ok(format!(
            "{} ALGORITHM=INPLACE LOCK=NONE",
            ddl::create_index(self, table, index)?
        ))
    }
    /// `ALTER TABLE t DROP INDEX name, ALGORITHM=INPLACE, LOCK=NONE` (MariaDB takes the
    /// clauses in this form only).
    fn drop_index_concurrently(&self, table: TableName<'_>, name: &str) -> Result<String> {
        Ok(format!(
            "ALTER TABLE {} DROP INDEX {}, ALGORITHM=INPLACE, LOCK=NONE",
            self.table_name(table)?,
            self.quote_identifier(name)?
        ))
    }
    /// `ALTER TABLE t COMMENT = '..'` (`''` removes it).
    fn comment_on_table(&self, table: TableName<'_>, comment: Option<&str>) -> Result<String> {
        Ok(format!(
            "ALTER TABLE {} COMMENT = {}",
            self.table_name(table)?,
            self.string_literal(comment.unwrap_or(""))?
        ))
    }
    /// MySQL keeps a column's comment in its definition: refused here, rendered by
    /// `alter_column` (`MODIFY COLUMN`), which knows the rest of the definition.
    fn comment_on_column(
        &self,
        table: TableName<'_>,
        column: &str,
        comment: Option<&str>,
    ) -> Result<String> {
        let _ = comment;
        Err(DialectError::unsupported(
            self.name(),
            format!(
                "a comment on column `{}.{column}` without its definition",
                table.name
            ),
            "MySQL restates the column to change its comment: use op.alter_column(..).comment(..), \
             rendered as MODIFY COLUMN from the schema",
        ))
    }
    fn alter_column(&self, alter: &AlterColumn, schema: &MetaData) -> Result<Vec<String>> {
        ops::alter_column(self, alter, schema)
    }
    /// Views and triggers (`entities`); every other kind is refused by name.
    fn create_entity(&self, entity: &retort_core::Entity) -> Result<Vec<String>> {
        entities::create_entity(self, entity)
    }
    /// `CREATE OR REPLACE VIEW`; a trigger dropped and created again.
    fn replace_entity(
        &self,
        entity: &retort_core::Entity,
        _existing: Option<&retort_core::Entity>,
    ) -> Result<Vec<String>> {
        entities::replace_entity(self, entity)
    }
    /// `DROP VIEW name`, `DROP TRIGGER name`.
    fn drop_entity(&self, key: &retort_core::EntityKey) -> Result<Vec<String>> {
        entities::drop_entity(self, key)
    }
    fn render_op(&self, op: &Op, schema: &MetaData) -> Result<Vec<String>> {
        ops::render_op(self, op, schema)
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

fn no_schemas(d: &Mysql, name: &str) -> DialectError {
    DialectError::unsupported(
        d.name(),
        format!("creating or dropping schema `{name}`"),
        "a MySQL schema is a database: create it outside the migrations and name it in the URL",
    )
}

/// `'text'` as MySQL reads it: `'` doubled and `\` escaped (MySQL's default `sql_mode` takes
/// a backslash as an escape). Every literal this module writes goes through here.
pub(crate) fn text_literal(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
}
