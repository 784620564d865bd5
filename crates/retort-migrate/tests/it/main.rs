//! retort-migrate's integration tests: one binary, one module per subject.
//!
//! Database tests run once per dialect on a fresh database (`retort_testkit::db_test!`):
//! PostgreSQL on the test server, SQLite in a temporary file, MariaDB/MySQL where a test
//! lists it.

mod access;
mod autogenerate;
mod canonical;
mod config;
mod default_schema;
mod entity_columns;
mod fixtures;
mod guard;
mod hostile_entities;
mod implicit_commits;
mod lint;
mod mysql_entities;
mod mysql_online;
mod offline;
mod rebuild;
mod runner;
mod tls;
mod versioned;
mod writer;
