//! SQL dialects: how each database spells Retort's schema model.
//!
//! * [`Dialect`] is the trait: one small method per name, literal, type, clause and
//!   statement, each with a standard-SQL default (the free functions in [`ansi`]).
//! * [`Postgres`] overrides only where PostgreSQL differs; [`Sqlite`] does the same, and
//!   replaces the ALTERs SQLite lacks with a table rebuild ([`sqlite`]); [`Mysql`] serves MySQL 8
//!   and MariaDB ([`mysql`]: inline enums, `MODIFY COLUMN`, `information_schema` introspection).
//! * [`Dialect::render_op`] renders one migration operation ([`retort_core::ops::Op`])
//!   against the schema it applies to, by default a dispatch onto the statement methods
//!   ([`ansi::ops`]); [`Dialect::render_ops`] renders a list, replaying each op into a copy
//!   of the schema; [`Dialect::op_needs_autocommit`] says which ops must run outside a
//!   transaction.
//! * [`Dialect::create_all`] / [`Dialect::drop_all`] render a whole
//!   [`MetaData`](retort_core::MetaData), in the foreign-key order that
//!   [`retort_core::sort_tables`] computes (dialect-neutral, so every database agrees).
//!
//! * [`BackendSupport`] ([`backend`]) is everything else a database does differently, for
//!   the migration engine: its dialect and comparison, the bookkeeping tables' column types,
//!   session settings, the live checks around statements. [`PostgresBackend`],
//!   [`SqliteBackend`] and [`MysqlBackend`] implement it; `retort-migrate` keeps the one registry of them.
//! * [`table_dependents`] names what a live table has that the model does not (triggers,
//!   policies, rules), which `DROP TABLE` would take with it.
//!
//! Rendering is pure: statements are returned as strings (without a trailing `;`), never
//! executed here, so they can be snapshot-tested, printed for offline `--sql` runs, or run by
//! the migration runner. Names are quoted so that no name can break out of its identifier,
//! and literal values so that none can break out of its string; SQL expressions that the model
//! states on purpose (defaults, checks, index predicates) are passed through as written.

pub mod ansi;
pub mod backend;
pub mod canonical;
mod catalog_row;
mod create_all;
mod dialect;
pub mod entities;
mod error;
pub mod live_schema;
pub mod mysql;
pub mod postgres;
pub mod session;
pub mod sql_text;
pub mod sqlite;
pub mod table_dependents;

pub use backend::{
    BackendFuture, BackendSupport, ForeignKeySwitch, LogTableColumns, Spelled, StatementEffect,
};
pub use canonical::{Canonical, Substitution};
pub use create_all::within_name_limit;
pub use dialect::{Dialect, TableName};
pub use error::DialectError;
pub use live_schema::{
    Catalog, CatalogError, Concurrency, LiveSchema, ReadSchemaError, SchemaRequest,
};
pub use mysql::{Mysql, MysqlBackend};
/// PostgreSQL introspection, also at the crate root where it was first published.
pub use postgres::introspect;
pub use postgres::{respell, Postgres, PostgresBackend};
pub use session::{lock_number, LockStatements, LockWait};
pub use sqlite::{Sqlite, SqliteBackend};
