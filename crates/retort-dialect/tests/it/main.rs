//! retort-dialect's integration tests, one binary: DDL snapshots and quoting rules without
//! a database, and the same DDL run on a real PostgreSQL.

mod ddl_snapshots;
mod models;
