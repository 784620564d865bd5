//! [`TestDb`]: one fresh database for one test, on any supported dialect.
//!
//! The constructors panic when no database can be had, on purpose: a database test must
//! never pass by skipping. Outside CI the message says to run `scripts/test.sh`, which
//! finds or starts a server. `try_*` constructors return the error instead, for tests
//! of the testkit itself.
//!
//! Cleanup: call [`TestDb::close`] at the end of a test (the [`crate::db_test!`] macro
//! does); if the test panics first, `Drop` drops the database from a helper thread with
//! its own runtime, since `Drop` cannot await.

use std::path::PathBuf;

use sqlx::mysql::MySqlPool;
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;

use crate::env;
use crate::error::{excerpt, TestDbError};
use crate::mysql::MySqlServer;
use crate::pg_dump;
use crate::postgres::PgServer;
use crate::redact::redact_url;
use crate::sqlite;

/// The databases a test can run on. `#[non_exhaustive]`: more may come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TestDialect {
    Postgres,
    Sqlite,
    /// MariaDB or MySQL, whichever the server at `RETORT_TEST_MYSQL_URL` is.
    Mysql,
}

impl TestDialect {
    /// Every dialect the testkit can provide, for "run this body on each" loops.
    pub const ALL: &'static [TestDialect] = &[
        TestDialect::Postgres,
        TestDialect::Sqlite,
        TestDialect::Mysql,
    ];

    /// A human name for messages.
    pub fn name(self) -> &'static str {
        match self {
            TestDialect::Postgres => "PostgreSQL",
            TestDialect::Sqlite => "SQLite",
            TestDialect::Mysql => "MySQL/MariaDB",
        }
    }
}

enum Backend {
    Postgres {
        server: PgServer,
        pool: PgPool,
    },
    Sqlite {
        // Held for its Drop, which removes the directory and the database in it.
        _dir: tempfile::TempDir,
        path: PathBuf,
        pool: SqlitePool,
    },
    Mysql {
        server: MySqlServer,
        pool: MySqlPool,
    },
}

/// A fresh, empty database of its own for one test; dropped when the test ends.
pub struct TestDb {
    name: String,
    url: String,
    backend: Backend,
    closed: bool,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb")
            .field("dialect", &self.dialect())
            .field("name", &self.name)
            .field("url", &redact_url(&self.url))
            .finish()
    }
}

impl TestDb {
    /// A fresh database of `dialect` for the test `test_name`; panics when impossible.
    pub async fn new(dialect: TestDialect, test_name: &str) -> TestDb {
        match dialect {
            TestDialect::Postgres => Self::postgres(test_name).await,
            TestDialect::Sqlite => Self::sqlite(test_name).await,
            TestDialect::Mysql => Self::mysql(test_name).await,
        }
    }

    /// A fresh PostgreSQL database on the test server; panics with what to do when no
    /// server is reachable (never skips).
    pub async fn postgres(test_name: &str) -> TestDb {
        match Self::try_postgres(test_name).await {
            Ok(db) => db,
            Err(err) => panic!("{}", no_postgres_message(&err)),
        }
    }

    /// A fresh PostgreSQL database on the server from the environment.
    pub async fn try_postgres(test_name: &str) -> Result<TestDb, TestDbError> {
        Self::try_postgres_on(&PgServer::from_env()?, test_name).await
    }

    /// A fresh PostgreSQL database on `server`.
    pub async fn try_postgres_on(
        server: &PgServer,
        test_name: &str,
    ) -> Result<TestDb, TestDbError> {
        let (name, url, pool) = server.create_database(test_name).await?;
        Ok(TestDb {
            name,
            url,
            backend: Backend::Postgres {
                server: server.clone(),
                pool,
            },
            closed: false,
        })
    }

    /// A fresh MariaDB/MySQL database on the test server; panics with what to do when no
    /// server is reachable (never skips).
    pub async fn mysql(test_name: &str) -> TestDb {
        match Self::try_mysql(test_name).await {
            Ok(db) => db,
            Err(err) => panic!("{}", no_mysql_message(&err)),
        }
    }

    /// A fresh MariaDB/MySQL database on the server from the environment.
    pub async fn try_mysql(test_name: &str) -> Result<TestDb, TestDbError> {
        Self::try_mysql_on(&MySqlServer::from_env()?, test_name).await
    }

    /// A fresh MariaDB/MySQL database on `server`.
    pub async fn try_mysql_on(
        server: &MySqlServer,
        test_name: &str,
    ) -> Result<TestDb, TestDbError> {
        let (name, url, pool) = server.create_database(test_name).await?;
        Ok(TestDb {
            name,
            url,
            backend: Backend::Mysql {
                server: server.clone(),
                pool,
            },
            closed: false,
        })
    }

    /// A fresh SQLite database in a file of its own; panics if the file cannot be made.
    pub async fn sqlite(test_name: &str) -> TestDb {
        match Self::try_sqlite(test_name).await {
            Ok(db) => db,
            Err(err) => panic!("cannot create a SQLite test database: {err}"),
        }
    }

    /// A fresh SQLite database in a file of its own.
    pub async fn try_sqlite(test_name: &str) -> Result<TestDb, TestDbError> {
        let file = sqlite::create(test_name).await?;
        Ok(TestDb {
            name: file.name,
            url: file.url,
            backend: Backend::Sqlite {
                _dir: file.dir,
                path: file.path,
                pool: file.pool,
            },
            closed: false,
        })
    }

    /// Which database this is.
    pub fn dialect(&self) -> TestDialect {
        match self.backend {
            Backend::Postgres { .. } => TestDialect::Postgres,
            Backend::Sqlite { .. } => TestDialect::Sqlite,
            Backend::Mysql { .. } => TestDialect::Mysql,
        }
    }

    /// The database's name (unique; starts with `retort_test_`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The URL of this database, e.g. to hand to a CLI under test. It may contain a
    /// password: print [`TestDb::redacted_url`] instead.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted_url(&self) -> String {
        redact_url(&self.url)
    }

    /// The SQLite database file, or `None` for a server database.
    pub fn sqlite_path(&self) -> Option<&std::path::Path> {
        match &self.backend {
            Backend::Sqlite { path, .. } => Some(path),
            Backend::Postgres { .. } | Backend::Mysql { .. } => None,
        }
    }

    /// The pool of a PostgreSQL test database. Panics on another dialect: that is a
    /// mistake in the test, not a condition to handle.
    pub fn pg_pool(&self) -> &PgPool {
        match &self.backend {
            Backend::Postgres { pool, .. } => pool,
            _ => panic!(
                "pg_pool() called on a {} test database {}",
                self.dialect().name(),
                self.name
            ),
        }
    }

    /// The pool of a SQLite test database. Panics on another dialect (a test mistake).
    pub fn sqlite_pool(&self) -> &SqlitePool {
        match &self.backend {
            Backend::Sqlite { pool, .. } => pool,
            _ => panic!(
                "sqlite_pool() called on a {} test database {}",
                self.dialect().name(),
                self.name
            ),
        }
    }

    /// The pool of a MariaDB/MySQL test database. Panics on another dialect (a test
    /// mistake).
    pub fn mysql_pool(&self) -> &MySqlPool {
        match &self.backend {
            Backend::Mysql { pool, .. } => pool,
            _ => panic!(
                "mysql_pool() called on a {} test database {}",
                self.dialect().name(),
                self.name
            ),
        }
    }

    /// Run `sql` (one or several `;`-separated statements, no parameters).
    pub async fn execute(&self, sql: &str) -> Result<(), TestDbError> {
        let result = match &self.backend {
            Backend::Postgres { pool, .. } => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
            Backend::Sqlite { pool, .. } => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
            Backend::Mysql { pool, .. } => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
        };
        result.map_err(|source| TestDbError::Sql {
            database: self.name.clone(),
            statement: excerpt(sql),
            source,
        })
    }

    /// Run `statements` in order, stopping at the first failure.
    pub async fn execute_all(&self, statements: &[String]) -> Result<(), TestDbError> {
        for statement in statements {
            self.execute(statement).await?;
        }
        Ok(())
    }

    /// The first column of every row of `sql`, as text (cast in the SQL if needed; on
    /// MariaDB/MySQL a binary-collated text column is read as its UTF-8 bytes).
    pub async fn query_strings(&self, sql: &str) -> Result<Vec<String>, TestDbError> {
        // Not kept as a prepared statement: tests run DDL between queries (a type dropped
        // and re-created), and a statement cached on a pooled connection across that can
        // fail with "cache lookup failed for type".
        let result = match &self.backend {
            Backend::Postgres { pool, .. } => {
                sqlx::query_scalar(sql)
                    .persistent(false)
                    .fetch_all(pool)
                    .await
            }
            Backend::Sqlite { pool, .. } => {
                sqlx::query_scalar(sql)
                    .persistent(false)
                    .fetch_all(pool)
                    .await
            }
            // A text column of a binary collation (the test databases' `utf8mb4_bin`) comes
            // back flagged binary, which sqlx will not decode as a String: read the bytes.
            Backend::Mysql { pool, .. } => {
                use sqlx::Row as _;
                sqlx::query(sql)
                    .persistent(false)
                    .fetch_all(pool)
                    .await
                    .and_then(|rows| {
                        rows.iter()
                            .map(|row| {
                                row.try_get::<String, _>(0).or_else(|_| {
                                    row.try_get::<Vec<u8>, _>(0)
                                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                                })
                            })
                            .collect()
                    })
            }
        };
        result.map_err(|source| TestDbError::Sql {
            database: self.name.clone(),
            statement: excerpt(sql),
            source,
        })
    }

    /// Every user-created schema object, as `"<kind> <name>"` sorted by name: tables,
    /// views, sequences, indexes, types and schemas outside the system catalogs (on
    /// MariaDB/MySQL: tables, views, sequences, indexes, routines, triggers and events of
    /// the test database, the testkit's marker function left out). Empty means the
    /// database is as fresh as it was made.
    pub async fn user_objects(&self) -> Result<Vec<String>, TestDbError> {
        self.query_strings(match self.dialect() {
            TestDialect::Postgres => include_str!("queries/postgres_user_objects.sql"),
            TestDialect::Sqlite => include_str!("queries/sqlite_user_objects.sql"),
            TestDialect::Mysql => include_str!("queries/mysql_user_objects.sql"),
        })
        .await
    }

    /// `pg_dump --schema-only` of this database (PostgreSQL only).
    pub async fn pg_dump_schema(&self) -> Result<String, TestDbError> {
        if self.dialect() != TestDialect::Postgres {
            return Err(TestDbError::Unsupported {
                dialect: self.dialect().name(),
                what: "pg_dump_schema()",
            });
        }
        let url = self.url.clone();
        // pg_dump blocks on a child process; keep the runtime's thread free meanwhile.
        match tokio::task::spawn_blocking(move || pg_dump::pg_dump_schema(&url)).await {
            Ok(result) => result,
            Err(join) => Err(TestDbError::PgDump {
                database: self.name.clone(),
                reason: format!("the pg_dump task failed: {join}"),
            }),
        }
    }

    /// `psql -f file` on this database (PostgreSQL only), without `-v ON_ERROR_STOP`, so the
    /// script's own settings decide; the output and exit status are the test's to judge.
    pub async fn psql_file(
        &self,
        file: &std::path::Path,
    ) -> Result<std::process::Output, TestDbError> {
        if self.dialect() != TestDialect::Postgres {
            return Err(TestDbError::Unsupported {
                dialect: self.dialect().name(),
                what: "psql_file()",
            });
        }
        let (url, file) = (self.url.clone(), file.to_owned());
        match tokio::task::spawn_blocking(move || pg_dump::psql_file(&url, &file)).await {
            Ok(result) => result,
            Err(join) => Err(TestDbError::Psql {
                database: self.name.clone(),
                reason: format!("the psql task failed: {join}"),
            }),
        }
    }

    /// The `CREATE` statements SQLite keeps for this database (`sqlite_master.sql`), in
    /// creation order: SQLite's counterpart of a schema dump (SQLite only).
    pub async fn sqlite_schema(&self) -> Result<Vec<String>, TestDbError> {
        if self.dialect() != TestDialect::Sqlite {
            return Err(TestDbError::Unsupported {
                dialect: self.dialect().name(),
                what: "sqlite_schema()",
            });
        }
        self.query_strings(
            "SELECT sql FROM sqlite_master \
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
        )
        .await
    }

    /// Close the pool and drop the database. Prefer this to relying on `Drop`.
    pub async fn close(mut self) -> Result<(), TestDbError> {
        self.closed = true;
        match &self.backend {
            Backend::Postgres { server, pool } => {
                pool.close().await;
                server.drop_database(&self.name).await
            }
            Backend::Sqlite { pool, .. } => {
                pool.close().await;
                Ok(()) // the TempDir field removes the file as `self` drops
            }
            Backend::Mysql { server, pool } => {
                pool.close().await;
                server.drop_database(&self.name).await
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        let server = match &self.backend {
            Backend::Postgres { server, .. } => Server::Postgres(server.clone()),
            Backend::Mysql { server, .. } => Server::Mysql(server.clone()),
            Backend::Sqlite { .. } => return,
        };
        let name = self.name.clone();
        // Drop cannot await, and may run inside (or after) the test's runtime, so
        // the DROP runs on a thread with a runtime of its own. Best effort: a
        // database missed here is dropped by this run's leak cleanup (a later test
        // process of the same run, or `scripts/test.sh` at its end: see `naming`).
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                let _ = runtime.block_on(server.drop_database(&name));
            }
        });
        let _ = dropper.join();
    }
}

/// A server to drop a database on from `Drop` (which cannot borrow `self.backend` into
/// another thread).
enum Server {
    Postgres(PgServer),
    Mysql(MySqlServer),
}

impl Server {
    async fn drop_database(&self, name: &str) -> Result<(), TestDbError> {
        match self {
            Server::Postgres(server) => server.drop_database(name).await,
            Server::Mysql(server) => server.drop_database(name).await,
        }
    }
}

/// The panic message when no MariaDB/MySQL server can be had: strict under CI or after
/// the test script verified the server, otherwise a pointer to `scripts/test.sh`.
pub fn no_mysql_message(err: &TestDbError) -> String {
    if env::strict(env::MYSQL_VERIFIED_VAR) {
        format!(
            "MySQL/MariaDB database test cannot run: {err}.\n\
             A database test never skips under CI or after scripts/test.sh verified the server \
             ({} / {} is set). Start MariaDB/MySQL or fix {}.",
            "CI",
            env::MYSQL_VERIFIED_VAR,
            env::MYSQL_URL_VAR
        )
    } else {
        format!(
            "MySQL/MariaDB database test cannot run: {err}.\n\
             Database tests never skip. Run `scripts/test.sh` (it uses {url_var} or the local \
             server {default}, or starts the machine's mariadbd), or set {url_var} to a server \
             where you may CREATE DATABASE (Debian/Ubuntu: apt-get install mariadb-server).",
            url_var = env::MYSQL_URL_VAR,
            default = env::DEFAULT_MYSQL_URL,
        )
    }
}

/// The panic message when no PostgreSQL server can be had: strict under CI or after the
/// test script verified the server, otherwise a pointer to `scripts/test.sh`.
pub fn no_postgres_message(err: &TestDbError) -> String {
    if env::strict(env::POSTGRES_VERIFIED_VAR) {
        format!(
            "PostgreSQL database test cannot run: {err}.\n\
             A database test never skips under CI or after scripts/test.sh verified the server \
             ({} / {} is set). Start PostgreSQL or fix {}.",
            "CI",
            env::POSTGRES_VERIFIED_VAR,
            env::POSTGRES_URL_VAR
        )
    } else {
        format!(
            "PostgreSQL database test cannot run: {err}.\n\
             Database tests never skip. Run `scripts/test.sh` (it uses {url_var} or the local \
             server {default}, or starts a throwaway cluster with initdb/pg_ctl), or set \
             {url_var} to a server where you may CREATE DATABASE.",
            url_var = env::POSTGRES_URL_VAR,
            default = env::DEFAULT_POSTGRES_URL,
        )
    }
}
