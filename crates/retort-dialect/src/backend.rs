//! [`BackendSupport`]: everything a database does differently from another, in one trait.
//!
//! The migration engine (`retort-migrate`) holds one registry of `&'static dyn
//! BackendSupport`, keyed by the URL scheme, and asks the backend instead of matching on
//! which database it is: how to spell DDL ([`BackendSupport::dialect`]), what counts as
//! equal ([`BackendSupport::compare`]), the bookkeeping tables' column types, the session
//! settings after the migration lock is taken, the checks before and after statements
//! (a table's unmodelled dependents, invalid indexes, a SQLite rebuild's foreign keys).
//! Each database implements it in its own module (`postgres::PostgresBackend`,
//! `sqlite::SqliteBackend`), overriding the defaults only where it differs; a new database
//! is one more implementation and one more registry entry.
//!
//! Everything here is pure: statements are text, catalog rows are text, and the driver
//! that runs them lives in `retort-migrate`.

use std::time::Duration;

use retort_core::diff::CompareDialect;
use retort_core::ops::Op;
use retort_core::{DialectKind, MetaData};

use crate::canonical::Canonical;
use crate::live_schema::{Catalog, LiveSchema, ReadSchemaError, SchemaRequest};
use crate::table_dependents::{TableDependent, TextRow};
use crate::{Dialect, DialectError};

/// A future a backend returns for its conversation with a live database.
pub type BackendFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What [`BackendSupport::spell_entities`] learnt from the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spelled {
    /// The model's entities as the server prints them, as (index into
    /// `model.entities()`, the entity as printed).
    pub entities: Vec<(usize, retort_core::Entity)>,
    /// The model's entities the server refused as malformed SQL (a syntax error, which no
    /// order of creation or revision mends), as (index into `model.entities()`, the
    /// server's message).
    pub malformed: Vec<(usize, String)>,
}

/// What a database does differently, for the engine that migrates it.
pub trait BackendSupport: Send + Sync {
    /// The lowercase name used in messages and in `retort.toml` (`postgres`, `sqlite`, `mysql`).
    fn name(&self) -> &'static str;

    /// The URL schemes that name this database (`postgres`, `postgresql`), lowercase.
    fn schemes(&self) -> &'static [&'static str];

    /// Why the rest of a URL after `scheme:` cannot name a database of this kind, if it
    /// cannot (`postgres:db` lacks its `//`), as the end of a sentence.
    fn url_problem(&self, _after_scheme: &str) -> Option<&'static str> {
        None
    }

    /// Which per-dialect variants of types and defaults this database takes.
    fn dialect_kind(&self) -> DialectKind;

    /// How this database spells DDL and renders ops.
    fn dialect(&self) -> &'static (dyn Dialect + Send + Sync);

    /// The diff's equality for this database.
    fn compare(&self) -> &'static (dyn CompareDialect + Send + Sync);

    /// The model as this database gives a schema back, when it keeps less than a model
    /// says (SQLite: `Uuid` as `CHAR(36)`, no schemas, enums known by name alone):
    /// autogenerate compares in this form, so nothing that did not change shows, then
    /// writes new definitions as the model spells them. `None`: the database keeps what a
    /// model says.
    fn as_stored(&self, _md: &MetaData) -> Option<MetaData> {
        None
    }

    /// Reads in `db` (introspected) what an earlier version of Retort stored in a form that
    /// only the model can tell (SQLite: an enum as an unnamed check), as `stored` (the
    /// model, [`BackendSupport::as_stored`]) has it where the two agree exactly.
    fn read_earlier_forms(&self, _db: &mut MetaData, _stored: &MetaData) {}

    /// `expr` cast to the database's text type, for the bookkeeping queries that read
    /// every value as text (`CAST(x AS TEXT)`; MySQL spells it `CHAR`).
    fn cast_to_text(&self, expr: &str) -> String {
        format!("CAST({expr} AS TEXT)")
    }

    /// The column types of the log table's `id` (numbered on insert) and `applied_at`
    /// (filled on insert) columns.
    fn log_table_columns(&self) -> LogTableColumns;

    /// The statements that configure the migration session once the lock is held:
    /// a statement timeout and a wait for DDL locks, where the database has them.
    fn session_settings(
        &self,
        _statement_timeout: Option<Duration>,
        _ddl_lock_timeout: Option<Duration>,
    ) -> Vec<String> {
        Vec::new()
    }

    /// Whether a failed statement can be retried inside the transaction through a savepoint
    /// (PostgreSQL's lock timeouts: the transaction survives the failed attempt).
    fn retries_statements_in_savepoint(&self) -> bool {
        false
    }

    /// The line an offline `--sql` script starts with, if any (psql's `ON_ERROR_STOP`).
    fn script_preamble(&self) -> Option<&'static str> {
        None
    }

    /// `sql` as an offline script writes it, when the database's command-line client needs
    /// more than `sql;` (MySQL's `mysql` client ends a statement at its first `;`, so a
    /// trigger's `BEGIN .. END` body goes between `DELIMITER` lines). `None`: `sql;`.
    fn script_statement(&self, _sql: &str) -> Option<String> {
        None
    }

    /// The enum type (schema, name) `op` re-creates, drops or moves a column off, when the
    /// database keeps enum types apart from tables: before such an op the runner asks the
    /// database what depends on the type that the history does not know.
    fn enum_changed_by(&self, _op: &Op, _schema: &MetaData) -> Option<(Option<String>, String)> {
        None
    }

    /// The catalog query for what depends on an enum type, and the file it comes from;
    /// `None` where [`BackendSupport::enum_changed_by`] never names one.
    fn enum_dependents_sql(
        &self,
        _schema: Option<&str>,
        _name: &str,
    ) -> Option<(&'static str, String)> {
        None
    }

    /// The dependents among the rows of [`BackendSupport::enum_dependents_sql`] that
    /// `known` (the schema at that point) does not have, each described for a message.
    fn unknown_enum_dependents(&self, _rows: &[TextRow], _known: &MetaData) -> Vec<String> {
        Vec::new()
    }

    /// Whether `ops`, run against `schema`, need foreign keys off around their
    /// transaction (a SQLite table rebuild). Errors when an op does not fit the schema.
    fn needs_foreign_keys_off(
        &self,
        _ops: &[Op],
        _schema: &MetaData,
    ) -> Result<bool, DialectError> {
        Ok(false)
    }

    /// The statements that turn foreign-key enforcement off and on around a transaction
    /// and list what it broke, for a backend whose [`BackendSupport::needs_foreign_keys_off`]
    /// can be true (SQLite's pragmas).
    fn foreign_key_switch(&self) -> Option<&'static ForeignKeySwitch> {
        None
    }

    /// Whether `op` is rendered at run time from the live table (a SQLite rebuild), and
    /// then which tables it rebuilds; empty for an op rendered from the history alone.
    fn rebuilt_tables(&self, _op: &Op, _schema: &MetaData) -> Vec<String> {
        Vec::new()
    }

    /// One text value, `0` when `schema` (`None`: the default one) has no table `table`.
    fn table_exists_sql(&self, schema: Option<&str>, table: &str) -> String;

    /// The query whose one text value is the default schema, when the database has schemas.
    fn default_schema_sql(&self) -> Option<&'static str> {
        None
    }

    /// The catalog query for what the tables of `schema` have that the model cannot say
    /// (triggers; policies, rules), and the file it comes from, for messages.
    fn table_dependents_sql(&self, schema: Option<&str>) -> (&'static str, String);

    /// The rows of [`BackendSupport::table_dependents_sql`] as objects; `default_schema` is
    /// what [`BackendSupport::default_schema_sql`] returned (or `None`).
    fn table_dependents(
        &self,
        rows: &[TextRow],
        default_schema: Option<&str>,
    ) -> Vec<TableDependent>;

    /// A query listing indexes a failed build left invalid, one name a row.
    fn invalid_indexes_sql(&self) -> Option<&'static str> {
        None
    }

    /// Where DDL commits on its own (MySQL): whether `sql`, a statement a killed run left in
    /// doubt (begun, its progress row never written), took effect. `None`: the statement
    /// cannot be read so, and the engine refuses to guess (the default).
    fn statement_effect(&self, _sql: &str) -> Option<StatementEffect> {
        None
    }

    /// Reads the live schema through `catalog` (outside any transaction): the catalog
    /// queries, a fixed number whatever the table count, in one read-only snapshot, the
    /// pure rows-to-model builder, and what the tables have that the model cannot say.
    fn read_schema<'a>(
        &'a self,
        catalog: &'a mut dyn Catalog,
        request: SchemaRequest<'a>,
    ) -> BackendFuture<'a, Result<LiveSchema, ReadSchemaError>>;

    /// The model's expressions as the database behind `catalog` spells those it stores
    /// in another form than `model` writes them ([`Canonical`]), `db` being the schema
    /// [`BackendSupport::read_schema`] read. `Err` says why the database could not be
    /// asked; the comparison then goes on as text. The default, for a database that keeps
    /// expressions as written, asks nothing and finds none; PostgreSQL spells them in
    /// rolled-back scratch tables.
    fn canonicalise<'a>(
        &'a self,
        _catalog: &'a mut dyn Catalog,
        _db: &'a MetaData,
        _model: &'a MetaData,
    ) -> BackendFuture<'a, Result<Canonical, String>> {
        Box::pin(async { Ok(Canonical::default()) })
    }

    /// The model's entities (views, functions, triggers) as the database behind `catalog`
    /// prints them, as (index into `model.entities()`, the entity as printed), for
    /// [`crate::entities::align`], with those it refused as malformed; `db` is the schema
    /// [`BackendSupport::read_schema`] read.
    /// `Err` says why the database could not be asked (the comparison then goes on as
    /// text). The default, for a database that keeps definitions as written (SQLite), asks
    /// nothing; PostgreSQL creates them all in one rolled-back transaction.
    fn spell_entities<'a>(
        &'a self,
        _catalog: &'a mut dyn Catalog,
        _db: &'a MetaData,
        _model: &'a MetaData,
    ) -> BackendFuture<'a, Result<Spelled, String>> {
        Box::pin(async { Ok(Spelled::default()) })
    }

    /// The schema the database behind `catalog` puts an unqualified object in, named, so
    /// that an entity the model declares there by name (`.in_schema("public")`) is compared
    /// as the unqualified one the catalog reads back; `None` where entities take no schema
    /// (the default: MySQL, whose schema is the database). PostgreSQL asks the session
    /// (`current_schema()`, which `search_path` moves).
    fn default_schema<'a>(
        &'a self,
        _catalog: &'a mut dyn Catalog,
    ) -> BackendFuture<'a, Result<Option<String>, ReadSchemaError>> {
        let offline = self.offline_default_schema().map(str::to_owned);
        Box::pin(async move { Ok(offline) })
    }

    /// [`BackendSupport::default_schema`] with no database to ask (offline autogenerate):
    /// the backend's own default (PostgreSQL's `public`, SQLite's `main`). The default: none.
    fn offline_default_schema(&self) -> Option<&'static str> {
        None
    }

    /// Whether the database keeps an entity's definition in its own words rather than as
    /// written (PostgreSQL prints views and functions back its own way), so that an old
    /// definition read from it is the server's print of it. The default: kept as written.
    fn rewrites_entities(&self) -> bool {
        false
    }

    /// The roles the model's grants and policies name that the database behind `catalog`
    /// does not have, as (role, the first entity naming it). The default, for a database
    /// without grants or policies in the model (SQLite, MySQL refuse them by name), asks
    /// nothing.
    fn missing_roles<'a>(
        &'a self,
        _catalog: &'a mut dyn Catalog,
        _model: &'a MetaData,
    ) -> BackendFuture<'a, Result<Vec<(String, String)>, ReadSchemaError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// The database's default privileges (`ALTER DEFAULT PRIVILEGES`), each as the statement
    /// that made it (`ALTER DEFAULT PRIVILEGES FOR ROLE o IN SCHEMA s GRANT SELECT ON TABLES
    /// TO app`): not under version control, so autogenerate and `check` name each rather than
    /// let it go unseen. The default, for a database without them, asks nothing.
    fn default_privileges<'a>(
        &'a self,
        _catalog: &'a mut dyn Catalog,
    ) -> BackendFuture<'a, Result<Vec<String>, ReadSchemaError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// Gives the expressions of `db` that have no counterpart in `model` (what a drop or a
    /// change records as an old value) words every backend runs, where the database says
    /// they mean the same (issue 11, item 14); `included` says which tables count. The
    /// number respelled, or why the database could not be asked. The default, for a
    /// database that keeps expressions as written, has nothing to undo; PostgreSQL offers
    /// each expression without its casts and parentheses in rolled-back scratch tables.
    fn undecorate<'a>(
        &'a self,
        _catalog: &'a mut dyn Catalog,
        _db: &'a mut MetaData,
        _model: &'a MetaData,
        _canonical: &'a Canonical,
        _included: &'a (dyn Fn(&retort_core::Table) -> bool + Send + Sync),
    ) -> BackendFuture<'a, Result<usize, String>> {
        Box::pin(async { Ok(0) })
    }
}

/// How to tell whether a statement a killed run left in doubt took effect
/// ([`BackendSupport::statement_effect`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatementEffect {
    /// Running it again gives the same schema (a column restated, `IF NOT EXISTS`).
    Repeatable,
    /// Ask the catalog whether it took effect.
    Ask {
        /// What it asks, in words (`table f_two exists`).
        what: String,
        /// One row, one value: `1` when the statement took effect, `0` when not.
        sql: String,
    },
}

/// Foreign keys off around a transaction (see [`BackendSupport::foreign_key_switch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKeySwitch {
    /// Run before `BEGIN` (a no-op inside a transaction).
    pub off: &'static str,
    /// Run after `COMMIT` or `ROLLBACK`.
    pub on: &'static str,
    /// The check an offline script shows before its `COMMIT`: any row is a broken reference.
    pub check: &'static str,
    /// The same check as a query of three text columns: the referring table, its row, the
    /// table referred to; read before and after, so only references the transaction broke
    /// are blamed on it.
    pub broken_references: &'static str,
}

/// The types of the log table's generated columns (see
/// [`BackendSupport::log_table_columns`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogTableColumns {
    /// `id`: numbered by the database on insert.
    pub id: &'static str,
    /// `applied_at`: the time of the insert, `NOT NULL` with its default.
    pub applied_at: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PostgresBackend, SqliteBackend};

    #[test]
    fn session_settings_only_where_configured_and_never_zero() {
        let pg = PostgresBackend;
        assert!(pg.session_settings(None, None).is_empty());
        assert_eq!(
            pg.session_settings(
                Some(Duration::from_micros(10)),
                Some(Duration::from_secs(2))
            ),
            ["SET statement_timeout = 1", "SET lock_timeout = 2000"]
        );
        assert!(SqliteBackend
            .session_settings(Some(Duration::from_secs(1)), None)
            .is_empty());
    }

    #[test]
    fn url_shapes() {
        assert!(PostgresBackend.url_problem("//h/db").is_none());
        assert!(PostgresBackend.url_problem("h/db").is_some());
        assert!(SqliteBackend.url_problem("//app.db").is_none());
        assert!(SqliteBackend.url_problem(":memory:").is_none());
        assert!(SqliteBackend.url_problem("//").is_some());
    }
}
