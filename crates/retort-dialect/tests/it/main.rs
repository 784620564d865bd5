//! retort-dialect's integration tests, one binary: DDL snapshots and quoting rules without
//! a database, and the same DDL run on a real PostgreSQL (`postgres_db`), SQLite and MariaDB
//! (`mysql_db`, `mysql_introspect`), through retort-testkit: a fresh database per test.

mod array_dimensions;
mod constraint_options;
mod ddl_snapshots;
mod enum_dependents;
mod exclusion;
mod extension_refusals;
mod function_replace;
mod introspect;
mod model_options;
mod models;
mod mysql_db;
mod mysql_ddl;
mod mysql_introspect;
mod ops;
mod pg_catalog_concurrent;
mod pg_catalog_jit;
mod pg_catalog_scope;
mod postgres_db;
mod quoting;
mod sqlite_db;
mod sqlite_ddl;
mod sqlite_introspect;
mod swap;
mod view_replace;
