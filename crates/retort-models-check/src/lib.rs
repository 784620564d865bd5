//! Compile-time half of the `models --from-db` round trip (issue 18, item 2).
//!
//! `fixtures/<sample>/` holds each public sample database (its schema and a few rows, per
//! database, with its origin and licence beside it); `src/generated/<sample>_<dialect>.rs`
//! is what `retort_migrate::models::render_models` writes for it once loaded into a fresh
//! database, formatted by rustfmt. This crate includes every one as a module, so generated
//! code that does not compile fails the build; `tests/round_trip.rs` checks each file is
//! current, then builds its `metadata()` on an empty database through autogenerate and the
//! runner's ops, and compares the schema with the original (`pg_dump -s` / `sqlite_schema`,
//! normalised), and `check` against the original.
//!
//! Adding a sample: put it under `fixtures/`, list it in `tests/round_trip.rs`, run the test
//! with `RETORT_UPDATE_SNAPSHOTS=1` (which writes `src/generated/..`), then list it below.

#![deny(unused)]

/// The `chinook` sample's models, generated from MariaDB/MySQL.
#[path = "generated/chinook_mysql.rs"]
pub mod chinook_mysql;
/// The `chinook` sample's models, generated from PostgreSQL.
#[path = "generated/chinook_postgres.rs"]
pub mod chinook_postgres;
/// The `chinook` sample's models from PostgreSQL as a module folder (`models --from-db --dir`).
#[path = "generated/chinook_postgres_dir/mod.rs"]
pub mod chinook_postgres_dir;
/// The `chinook` sample's models, generated from SQLite.
#[path = "generated/chinook_sqlite.rs"]
pub mod chinook_sqlite;
/// The `davical` sample's models, generated from PostgreSQL (its one database).
#[path = "generated/davical_postgres.rs"]
pub mod davical_postgres;
/// The `hostile` sample's models (names to quote and keep), generated from MariaDB/MySQL.
#[path = "generated/hostile_mysql.rs"]
pub mod hostile_mysql;
/// The `hostile` sample's models (names to quote and keep), generated from PostgreSQL.
#[path = "generated/hostile_postgres.rs"]
pub mod hostile_postgres;
/// The `hostile` sample's models (names to quote and keep), generated from SQLite.
#[path = "generated/hostile_sqlite.rs"]
pub mod hostile_sqlite;
/// The `jupyterhub` sample's models, generated from PostgreSQL.
#[path = "generated/jupyterhub_postgres.rs"]
pub mod jupyterhub_postgres;
/// The `jupyterhub` sample's models, generated from SQLite.
#[path = "generated/jupyterhub_sqlite.rs"]
pub mod jupyterhub_sqlite;
/// The `mlflow` sample's models, generated from PostgreSQL.
#[path = "generated/mlflow_postgres.rs"]
pub mod mlflow_postgres;
/// The `mlflow` sample's models, generated from SQLite.
#[path = "generated/mlflow_sqlite.rs"]
pub mod mlflow_sqlite;
/// The `optuna` sample's models, generated from PostgreSQL.
#[path = "generated/optuna_postgres.rs"]
pub mod optuna_postgres;
/// The `optuna` sample's models, generated from SQLite.
#[path = "generated/optuna_sqlite.rs"]
pub mod optuna_sqlite;
/// The `pagila` sample's models, generated from PostgreSQL (its one database).
#[path = "generated/pagila_postgres.rs"]
pub mod pagila_postgres;
