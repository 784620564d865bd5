//! PostgreSQL as a [`BackendSupport`]: identity and `timestamptz` in the log table,
//! `statement_timeout` / `lock_timeout` for the session, retries in a savepoint, psql's
//! `ON_ERROR_STOP`, the live checks of enum dependents and invalid indexes.

use std::time::Duration;

use retort_core::diff::CompareDialect;
use retort_core::ops::Op;
use retort_core::{DialectKind, MetaData};

use crate::backend::{BackendFuture, BackendSupport, LogTableColumns};
use crate::canonical::Canonical;
use crate::live_schema::{Catalog, LiveSchema, ReadSchemaError, SchemaRequest};
use crate::table_dependents::{self as td, TableDependent, TextRow};
use crate::Dialect;

use super::introspect::PgCompare;
use super::Postgres;

/// PostgreSQL, for the migration engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresBackend;

impl BackendSupport for PostgresBackend {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn schemes(&self) -> &'static [&'static str] {
        &["postgres", "postgresql"]
    }

    fn url_problem(&self, after_scheme: &str) -> Option<&'static str> {
        (!after_scheme.starts_with("//")).then_some("a PostgreSQL URL starts with `postgres://`")
    }

    fn dialect_kind(&self) -> DialectKind {
        DialectKind::Postgres
    }

    fn dialect(&self) -> &'static (dyn Dialect + Send + Sync) {
        &Postgres
    }

    fn compare(&self) -> &'static (dyn CompareDialect + Send + Sync) {
        &PgCompare
    }

    fn log_table_columns(&self) -> LogTableColumns {
        LogTableColumns {
            id: "BIGINT GENERATED ALWAYS AS IDENTITY",
            applied_at: "TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP",
        }
    }

    /// `SET statement_timeout` and `SET lock_timeout` in milliseconds (at least 1: 0 would
    /// mean no limit), each only when configured, so the server's or role's settings stand.
    fn session_settings(
        &self,
        statement_timeout: Option<Duration>,
        ddl_lock_timeout: Option<Duration>,
    ) -> Vec<String> {
        [
            ("statement_timeout", statement_timeout),
            ("lock_timeout", ddl_lock_timeout),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| format!("SET {name} = {}", v.as_millis().max(1))))
        .collect()
    }

    fn retries_statements_in_savepoint(&self) -> bool {
        true
    }

    /// psql goes on after a failed statement unless told otherwise: a failure before a
    /// statement that runs outside the transaction (or in a later revision) would let the
    /// rest run and record the version.
    fn script_preamble(&self) -> Option<&'static str> {
        Some("\\set ON_ERROR_STOP on")
    }

    fn enum_changed_by(&self, op: &Op, schema: &MetaData) -> Option<(Option<String>, String)> {
        super::enum_changed_by(op, schema)
    }

    fn enum_dependents_sql(
        &self,
        schema: Option<&str>,
        name: &str,
    ) -> Option<(&'static str, String)> {
        Some((
            super::ENUM_DEPENDENTS_FILE,
            super::enum_dependents_sql(schema, name),
        ))
    }

    fn unknown_enum_dependents(&self, rows: &[TextRow], known: &MetaData) -> Vec<String> {
        super::unknown_dependents(rows, known)
    }

    fn table_exists_sql(&self, schema: Option<&str>, table: &str) -> String {
        let schema = schema.map_or_else(
            || "current_schema()".to_owned(),
            crate::session::text_literal,
        );
        format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM pg_catalog.pg_tables \
             WHERE schemaname = {schema} AND tablename = {}",
            crate::session::text_literal(table)
        )
    }

    fn default_schema_sql(&self) -> Option<&'static str> {
        Some("SELECT current_schema()::text")
    }

    fn table_dependents_sql(&self, schema: Option<&str>) -> (&'static str, String) {
        (
            td::POSTGRES_TABLE_DEPENDENTS_FILE,
            td::postgres_table_dependents_sql(&[schema.unwrap_or("public")]),
        )
    }

    fn table_dependents(
        &self,
        rows: &[TextRow],
        default_schema: Option<&str>,
    ) -> Vec<TableDependent> {
        td::postgres_table_dependents(rows, default_schema.unwrap_or("public"))
    }

    fn invalid_indexes_sql(&self) -> Option<&'static str> {
        Some(include_str!("../../queries/postgres/invalid_indexes.sql"))
    }

    fn read_schema<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        request: SchemaRequest<'a>,
    ) -> BackendFuture<'a, Result<LiveSchema, ReadSchemaError>> {
        Box::pin(super::read_schema::read_schema(catalog, request))
    }

    /// The module notes of `postgres::canonical`: scratch tables in `pg_temp`, rolled back;
    /// nothing is sent when every expression already compares equal.
    fn canonicalise<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        db: &'a MetaData,
        model: &'a MetaData,
    ) -> BackendFuture<'a, Result<Canonical, String>> {
        Box::pin(super::canonical::canonicalise(catalog, db, model))
    }

    /// `pg_get_viewdef`, `pg_get_functiondef` and `pg_get_triggerdef` print the server's
    /// own words.
    fn rewrites_entities(&self) -> bool {
        true
    }

    /// `postgres::entity_catalog`: every model entity created in one rolled-back
    /// transaction and read back with the catalog queries; nothing is sent when every
    /// definition already matches as text.
    fn spell_entities<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        db: &'a MetaData,
        model: &'a MetaData,
    ) -> BackendFuture<'a, Result<crate::backend::Spelled, String>> {
        Box::pin(async move {
            if !crate::entities::needs_spelling(db.entities(), model.entities()) {
                return Ok(Default::default());
            }
            let default_schema = catalog
                .query("SELECT current_schema()::text")
                .await
                .map_err(|e| e.to_string())?
                .into_iter()
                .find_map(|r| r.into_iter().next().flatten())
                .unwrap_or_else(|| "public".to_owned());
            let mut schemas = vec![default_schema.clone()];
            for s in model.entities().iter().filter_map(|e| e.schema()) {
                if !schemas.iter().any(|x| x == s) {
                    schemas.push(s.to_owned());
                }
            }
            super::entity_catalog::spell_entities(
                catalog,
                db.entities(),
                model.entities(),
                &schemas,
                &default_schema,
            )
            .await
        })
    }

    /// The session's `current_schema()`.
    fn default_schema<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
    ) -> BackendFuture<'a, Result<Option<String>, ReadSchemaError>> {
        Box::pin(super::read_schema::current_schema(catalog))
    }

    /// A server's `search_path` as shipped: `"$user", public`.
    fn offline_default_schema(&self) -> Option<&'static str> {
        Some("public")
    }

    /// `queries/postgres/roles.sql`, asked only when the model has a grant or a policy.
    fn missing_roles<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        model: &'a MetaData,
    ) -> BackendFuture<'a, Result<Vec<(String, String)>, ReadSchemaError>> {
        Box::pin(super::access_catalog::read_missing_roles(catalog, model))
    }

    /// `queries/postgres/default_privileges.sql`.
    fn default_privileges<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
    ) -> BackendFuture<'a, Result<Vec<String>, ReadSchemaError>> {
        Box::pin(super::access_catalog::read_default_privileges(catalog))
    }

    fn undecorate<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        db: &'a mut MetaData,
        model: &'a MetaData,
        canonical: &'a Canonical,
        included: &'a (dyn Fn(&retort_core::Table) -> bool + Send + Sync),
    ) -> BackendFuture<'a, Result<usize, String>> {
        Box::pin(super::respell::undecorate(
            catalog, db, model, canonical, included,
        ))
    }
}
