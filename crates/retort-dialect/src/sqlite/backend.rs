//! SQLite as a [`BackendSupport`]: the rowid alias and text timestamps in the log table,
//! table rebuilds rendered from the live table with foreign keys off around them, and
//! triggers read from `sqlite_master`.

use retort_core::diff::CompareDialect;
use retort_core::ops::Op;
use retort_core::{DialectKind, MetaData};

use crate::backend::{BackendFuture, BackendSupport, ForeignKeySwitch, LogTableColumns};
use crate::live_schema::{Catalog, LiveSchema, ReadSchemaError, SchemaRequest};
use crate::table_dependents::{self as td, TableDependent, TextRow};
use crate::{Dialect, DialectError};

use super::{live, Sqlite, SqliteCompare};

/// SQLite, for the migration engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteBackend;

impl BackendSupport for SqliteBackend {
    /// The main database file (`main.v` is `v`).
    fn offline_default_schema(&self) -> Option<&'static str> {
        Some("main")
    }

    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn table_exists_sql(&self, schema: Option<&str>, table: &str) -> String {
        // An attached database is a schema, with its own `sqlite_master`.
        let master = match schema {
            Some(s) => format!("\"{}\".sqlite_master", s.replace('"', "\"\"")),
            None => "sqlite_master".to_owned(),
        };
        format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM {master} WHERE type = 'table' AND name = {}",
            crate::session::text_literal(table)
        )
    }

    fn schemes(&self) -> &'static [&'static str] {
        &["sqlite"]
    }

    fn url_problem(&self, after_scheme: &str) -> Option<&'static str> {
        after_scheme
            .trim_start_matches('/')
            .is_empty()
            .then_some("a SQLite URL names a file (`sqlite://app.db`) or `sqlite::memory:`")
    }

    fn dialect_kind(&self) -> DialectKind {
        DialectKind::Sqlite
    }

    fn dialect(&self) -> &'static (dyn Dialect + Send + Sync) {
        &Sqlite
    }

    fn compare(&self) -> &'static (dyn CompareDialect + Send + Sync) {
        &SqliteCompare
    }

    fn as_stored(&self, md: &MetaData) -> Option<MetaData> {
        Some(super::introspect::normalise_model_for_sqlite(md))
    }

    fn read_earlier_forms(&self, db: &mut MetaData, stored: &MetaData) {
        super::adopt_unnamed_enum_checks(db, stored);
    }

    fn log_table_columns(&self) -> LogTableColumns {
        LogTableColumns {
            // INTEGER PRIMARY KEY is SQLite's rowid alias, numbered on insert.
            id: "INTEGER",
            applied_at: "TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP",
        }
    }

    fn needs_foreign_keys_off(&self, ops: &[Op], schema: &MetaData) -> Result<bool, DialectError> {
        Sqlite.needs_foreign_keys_off(ops, schema)
    }

    fn foreign_key_switch(&self) -> Option<&'static ForeignKeySwitch> {
        Some(&ForeignKeySwitch {
            off: super::FOREIGN_KEYS_OFF,
            on: super::FOREIGN_KEYS_ON,
            check: super::FOREIGN_KEY_CHECK,
            broken_references:
                "SELECT \"table\", CAST(rowid AS TEXT), parent FROM pragma_foreign_key_check",
        })
    }

    fn rebuilt_tables(&self, op: &Op, schema: &MetaData) -> Vec<String> {
        live::rebuilt_tables(op, schema)
    }

    fn table_dependents_sql(&self, _schema: Option<&str>) -> (&'static str, String) {
        (
            "queries/sqlite/schema_objects.sql",
            live::SCHEMA_OBJECTS_SQL.to_owned(),
        )
    }

    fn table_dependents(
        &self,
        rows: &[TextRow],
        _default_schema: Option<&str>,
    ) -> Vec<TableDependent> {
        td::sqlite_table_dependents(rows)
    }

    fn read_schema<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        request: SchemaRequest<'a>,
    ) -> BackendFuture<'a, Result<LiveSchema, ReadSchemaError>> {
        Box::pin(super::read_schema::read_schema(catalog, request))
    }
}
