//! Tests of the testkit itself, against the real test server (one binary for all).

mod db_test_macro;
mod mysql;
mod naming;
mod normalize;
mod postgres;
mod redact;
mod snapshot;
mod sqlite;
