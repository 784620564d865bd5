//! MySQL/MariaDB as a [`BackendSupport`]: `AUTO_INCREMENT` and `DATETIME(6)` in the log
//! table, `lock_wait_timeout` for the session, the model as MySQL keeps it
//! ([`super::as_stored`]), and triggers read from `information_schema.TRIGGERS`.
//!
//! MySQL commits DDL implicitly ([`crate::Dialect::transactional_ddl`] is false), so the
//! engine records progress per statement; the statement timeout is not set (MySQL's
//! `max_execution_time` covers only `SELECT`, MariaDB's `max_statement_time` is its own).

use std::time::Duration;

use retort_core::diff::CompareDialect;
use retort_core::{DialectKind, MetaData};

use crate::backend::{BackendFuture, BackendSupport, LogTableColumns};
use crate::live_schema::{Catalog, LiveSchema, ReadSchemaError, SchemaRequest};
use crate::table_dependents::{self as td, TableDependent, TextRow};
use crate::Dialect;

use super::{Mysql, MysqlCompare};

/// The file the trigger query comes from, for messages.
pub const MYSQL_TABLE_DEPENDENTS_FILE: &str = "queries/mysql/table_dependents.sql";

/// MySQL and MariaDB, for the migration engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct MysqlBackend;

impl BackendSupport for MysqlBackend {
    fn name(&self) -> &'static str {
        "mysql"
    }

    fn schemes(&self) -> &'static [&'static str] {
        &["mysql", "mariadb"]
    }

    fn url_problem(&self, after_scheme: &str) -> Option<&'static str> {
        (!after_scheme.starts_with("//"))
            .then_some("a MySQL URL starts with `mysql://` (or `mariadb://`)")
    }

    fn dialect_kind(&self) -> DialectKind {
        DialectKind::Mysql
    }

    fn dialect(&self) -> &'static (dyn Dialect + Send + Sync) {
        &Mysql
    }

    fn compare(&self) -> &'static (dyn CompareDialect + Send + Sync) {
        &MysqlCompare
    }

    fn as_stored(&self, md: &MetaData) -> Option<MetaData> {
        Some(super::as_stored(md))
    }

    fn cast_to_text(&self, expr: &str) -> String {
        format!("CAST({expr} AS CHAR)")
    }

    fn log_table_columns(&self) -> LogTableColumns {
        LogTableColumns {
            id: "BIGINT AUTO_INCREMENT",
            applied_at: "DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)",
        }
    }

    /// `SET SESSION lock_wait_timeout` in seconds (at least 1), when configured: how long
    /// DDL waits for a table's metadata lock.
    fn session_settings(
        &self,
        _statement_timeout: Option<Duration>,
        ddl_lock_timeout: Option<Duration>,
    ) -> Vec<String> {
        ddl_lock_timeout
            .map(|t| {
                format!(
                    "SET SESSION lock_wait_timeout = {}",
                    t.as_secs_f64().ceil().max(1.0) as u64
                )
            })
            .into_iter()
            .collect()
    }

    /// A statement holding `;` (a trigger's `BEGIN .. END` body) between `DELIMITER` lines,
    /// for the `mysql` client, which would end it at the first `;`: the delimiter is the
    /// first of `//`, `$$`, `@@@` the statement does not contain.
    fn script_statement(&self, sql: &str) -> Option<String> {
        if !sql.contains(';') {
            return None;
        }
        let delimiter = ["//", "$$", "@@@", "|||"]
            .into_iter()
            .find(|d| !sql.contains(d))?;
        Some(format!(
            "DELIMITER {delimiter}\n{sql}\n{delimiter}\nDELIMITER ;\n\n"
        ))
    }

    fn table_exists_sql(&self, schema: Option<&str>, table: &str) -> String {
        let schema = schema.map_or_else(|| "DATABASE()".to_owned(), super::text_literal);
        format!(
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = {schema} AND TABLE_NAME = {}",
            super::text_literal(table)
        )
    }

    fn default_schema_sql(&self) -> Option<&'static str> {
        Some("SELECT DATABASE()")
    }

    fn table_dependents_sql(&self, _schema: Option<&str>) -> (&'static str, String) {
        (
            MYSQL_TABLE_DEPENDENTS_FILE,
            include_str!("../../queries/mysql/table_dependents.sql").to_owned(),
        )
    }

    fn statement_effect(&self, sql: &str) -> Option<crate::StatementEffect> {
        super::statement_effect(sql)
    }

    fn table_dependents(
        &self,
        rows: &[TextRow],
        default_schema: Option<&str>,
    ) -> Vec<TableDependent> {
        td::postgres_table_dependents(rows, default_schema.unwrap_or_default())
    }

    fn read_schema<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        request: SchemaRequest<'a>,
    ) -> BackendFuture<'a, Result<LiveSchema, ReadSchemaError>> {
        Box::pin(super::read_schema::read_schema(catalog, request))
    }

    /// Views under scratch names, created and dropped in the current database (MySQL's DDL
    /// commits, so no rolled-back transaction); triggers' heads without the server
    /// (`mysql::entities`).
    fn spell_entities<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        db: &'a MetaData,
        model: &'a MetaData,
    ) -> BackendFuture<'a, Result<crate::backend::Spelled, String>> {
        // A view MySQL will not compile is compared as text (`mysql::entities`), so nothing
        // is reported as malformed here.
        Box::pin(async move {
            let entities =
                super::entities::spell_entities(catalog, db.entities(), model.entities()).await?;
            Ok(crate::backend::Spelled {
                entities,
                malformed: Vec::new(),
            })
        })
    }

    /// MySQL rewrites a view's query (qualified names, backticks, aliases).
    fn rewrites_entities(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_urls_and_settings() {
        assert_eq!(MysqlBackend.schemes(), ["mysql", "mariadb"]);
        assert!(MysqlBackend.url_problem("//root@h/db").is_none());
        assert!(MysqlBackend.url_problem("h/db").is_some());
        assert!(MysqlBackend.session_settings(None, None).is_empty());
        assert_eq!(
            MysqlBackend.session_settings(None, Some(Duration::from_millis(1500))),
            ["SET SESSION lock_wait_timeout = 2"]
        );
        assert!(!MysqlBackend.dialect().transactional_ddl());
    }

    /// The `mysql` client ends a statement at its first `;`: a `BEGIN .. END` trigger in
    /// an offline script goes between `DELIMITER` lines, a plain statement does not.
    #[test]
    fn a_statement_holding_semicolons_is_delimited_for_the_mysql_client() {
        assert_eq!(MysqlBackend.script_statement("DROP VIEW v"), None);
        let body = "CREATE TRIGGER t BEFORE UPDATE ON o FOR EACH ROW BEGIN SET NEW.n = 1; END";
        assert_eq!(
            MysqlBackend.script_statement(body).unwrap(),
            format!("DELIMITER //\n{body}\n//\nDELIMITER ;\n\n")
        );
        let slashes =
            "CREATE TRIGGER t BEFORE UPDATE ON o FOR EACH ROW BEGIN SET NEW.u = 'a//b'; END";
        assert!(MysqlBackend
            .script_statement(slashes)
            .unwrap()
            .starts_with("DELIMITER $$\n"));
    }
    /// MySQL reads `\` in a string literal as an escape: a version table named `ver\`
    /// (any name is allowed in retort.toml) must not end the literal early.
    #[test]
    fn a_backslash_in_a_name_stays_inside_its_literal() {
        let sql = MysqlBackend.table_exists_sql(Some("it's"), "ver\\");
        assert!(sql.contains("TABLE_SCHEMA = 'it''s'"), "{sql}");
        assert!(sql.contains("TABLE_NAME = 'ver\\\\'"), "{sql}");
    }
}
