//! Test support for Retort: a fresh database per test, on a real server, never a mock.
//!
//! * [`TestDb`]: one fresh, uniquely named database for one test (PostgreSQL or
//!   MariaDB/MySQL on the test server, or SQLite in a temporary file), with its URL, a pool, `execute`,
//!   `execute_all`, `user_objects`, `pg_dump_schema` and `mysql_schema`. [`TestDb::close`] drops it; if a
//!   test panics first, `Drop` does. Tests therefore run in parallel without sharing state.
//! * [`db_test!`]: one test body run once per dialect, like ripgrep's `rgtest!`.
//! * [`DumpNormalizer`] / [`normalize_pg_dump`] and [`assert_same_text`]: compare pg_dump
//!   outputs without their random keys and version lines, and show a diff on mismatch.
//! * [`assert_file_current`]: a file a test compares with, written only when
//!   `RETORT_UPDATE_SNAPSHOTS=1` asks for it.
//!
//! Cleanup drops only what this run made: each database is marked (`COMMENT ON DATABASE`;
//! on MariaDB/MySQL, which have no database comments, the comment of a stored function in
//! it, [`MARKER_ROUTINE`]) with the run's id (`RETORT_TEST_RUN_ID`, set by `scripts/test.sh`), host and pid, and
//! a leftover is dropped only when its marker names this run ([`is_leaked_by_this_run`]).
//!
//! Where the server is: `RETORT_TEST_POSTGRES_URL`, else `postgres://postgres@127.0.0.1:5432/postgres`
//! (unless `RETORT_TEST_NO_LOCAL` is set); MariaDB/MySQL: `RETORT_TEST_MYSQL_URL`, else
//! `mysql://root@127.0.0.1:3306`. `scripts/test.sh` finds or starts them and sets
//! `RETORT_TEST_POSTGRES_VERIFIED=1` / `RETORT_TEST_MYSQL_VERIFIED=1`. A database test never skips: with no server it
//! panics, saying to run `scripts/test.sh` (or, under `CI` or after the script verified the
//! server, that the server vanished). See [`env`] for every variable.
//!
//! ```text
//! retort_testkit::db_test!(creates_a_table, [postgres, sqlite], |db| {
//!     db.execute("CREATE TABLE t (id integer PRIMARY KEY)").await?;
//!     assert_eq!(db.user_objects().await?.len(), /* table (+ pk index on pg) */ ..);
//!     Ok(())
//! });
//! ```

mod diff;
pub mod env;
mod error;
mod mysql;
mod naming;
mod normalize;
mod pg_dump;
mod postgres;
mod redact;
mod roles;
mod server;
mod snapshot;
mod sqlite;
mod test_db;
pub mod tls;

pub use diff::{assert_same_text, unified_diff};
pub use error::TestDbError;
pub use mysql::{MySqlServer, MARKER_ROUTINE};
pub use naming::{
    is_leaked_by_this_run, marker, owner_pid, parse_marker, run_id, sanitize, unique_database_name,
    Marker, DATABASE_PREFIX, RUN_ID_VAR,
};
pub use normalize::{normalize_pg_dump, DumpNormalizer};
pub use pg_dump::candidates as pg_dump_candidates;
pub use postgres::PgServer;
pub use redact::{normalize_server, redact_url};
pub use roles::{test_role_name, TestRoles};
pub use snapshot::{assert_file_current, update_snapshots, UPDATE_SNAPSHOTS_VAR};
pub use test_db::{no_mysql_message, no_postgres_message, TestDb, TestDialect};

/// The error type a [`db_test!`] body may return with `?`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Run `future` to completion on a fresh current-thread Tokio runtime: what a plain
/// `#[test]` needs to call the async testkit without depending on Tokio's macros.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("cannot start a Tokio runtime for the test: {e}"))
        .block_on(future)
}

/// End of a [`db_test!`] body: drop the database, then fail the test if the body failed.
#[doc(hidden)]
pub async fn finish(db: TestDb, outcome: Result<(), BoxError>) {
    let name = db.name().to_owned();
    let closed = db.close().await;
    if let Err(err) = outcome {
        panic!("test failed on database {name}: {err}");
    }
    if let Err(err) = closed {
        panic!("{err}");
    }
}

/// Define a test whose body runs once per dialect, each run on a fresh [`TestDb`].
///
/// `db_test!(name, |db| { ...; Ok(()) })` runs on PostgreSQL and SQLite;
/// `db_test!(name, [postgres], |db| { ... })` on the ones listed (the names of
/// [`TestDb`]'s constructors: `postgres`, `sqlite`, `mysql`). Each dialect becomes its own test `name::<dialect>`, so a
/// failure says which database it was. The body is an async block returning
/// `Result<(), BoxError>`: use `?` and end with `Ok(())`.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:block) => {
        $crate::db_test!($name, [postgres, sqlite], |$db| $body);
    };
    ($name:ident, [$($dialect:ident),+ $(,)?], |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $dialect() {
                    $crate::block_on(async {
                        let $db = $crate::TestDb::$dialect(concat!(module_path!(), "::", stringify!($dialect))).await;
                        let outcome: ::std::result::Result<(), $crate::BoxError> =
                            async { $body }.await;
                        $crate::finish($db, outcome).await;
                    })
                }
            )+
        }
    };
}
