//! PostgreSQL: the server the tests share, and the fresh databases made on it.
//!
//! A [`PgServer`] is a connection URL to a maintenance database (normally `postgres`)
//! where the test user may `CREATE DATABASE`. Each test gets its own database, created
//! from `template0` with UTF-8 and the C locale so dumps and sort orders are the same on
//! every machine, and dropped `WITH (FORCE)` so a pool the test forgot to close cannot
//! keep it alive. Each database carries a marker (`COMMENT ON DATABASE`, see [`naming`])
//! naming the run, host and pid that made it; the first time a process makes a database it
//! drops the ones its own run left behind (their process is gone), and nothing else: a
//! database of the same shape made by anyone else, on a shared server, is never touched.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, Executor};

use crate::env;
use crate::error::TestDbError;
use crate::naming;
use crate::redact::{redact_url, scrub};

/// Connections per test pool: enough for concurrency tests, small enough for many tests
/// in parallel on a server with the default `max_connections = 100`.
const POOL_SIZE: u32 = 4;

static LEAK_CLEANUP_DONE: AtomicBool = AtomicBool::new(false);

/// A PostgreSQL server on which test databases are created.
#[derive(Clone)]
pub struct PgServer {
    url: String,
}

impl std::fmt::Debug for PgServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgServer")
            .field("url", &redact_url(&self.url))
            .finish()
    }
}

impl PgServer {
    /// The server named by `RETORT_TEST_POSTGRES_URL`, else the local default.
    pub fn from_env() -> Result<Self, TestDbError> {
        env::postgres_server_url()
            .map(Self::at)
            .ok_or(TestDbError::NotConfigured {
                dialect: "PostgreSQL",
                url_var: env::POSTGRES_URL_VAR,
            })
    }

    /// A server at an explicit URL (its database is the maintenance database).
    pub fn at(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }

    /// The server URL (may contain a password: print [`PgServer::redacted_url`] instead).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server URL with any password replaced by `***`.
    pub fn redacted_url(&self) -> String {
        redact_url(&self.url)
    }

    /// The URL of database `name` on this server.
    pub fn database_url(&self, name: &str) -> Result<String, TestDbError> {
        crate::server::database_url(&self.url, name).map_err(|e| self.invalid(e))
    }

    /// An admin connection to the maintenance database, or `Unreachable`.
    pub async fn connect(&self) -> Result<PgConnection, TestDbError> {
        let options = self.options(&self.url)?;
        crate::server::connect_within(options.connect())
            .await
            .map_err(|reason| self.unreachable(reason))
    }

    /// Whether a database called `name` exists on the server.
    pub async fn database_exists(&self, name: &str) -> Result<bool, TestDbError> {
        let mut conn = self.connect().await?;
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
            .bind(name)
            .fetch_optional(&mut conn)
            .await
            .map_err(|e| self.unreachable(e.to_string()))?;
        let _ = conn.close().await;
        Ok(found.is_some())
    }

    /// Create a fresh database for `test_name` and return its name, URL and a pool on it.
    pub async fn create_database(
        &self,
        test_name: &str,
    ) -> Result<(String, String, PgPool), TestDbError> {
        self.drop_leaked_once().await;
        let mut conn = self.connect().await?;
        let name = naming::unique_database_name(test_name);
        // The name is sanitised to [a-z0-9_], quoting it is belt and braces.
        let create = format!(
            "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' \
             LC_COLLATE 'C' LC_CTYPE 'C'"
        );
        conn.execute(create.as_str())
            .await
            .map_err(|e| self.create_failed(&name, e.to_string()))?;
        // The marker is how a later cleanup knows this run made it (the name proves nothing).
        let comment = format!(
            "COMMENT ON DATABASE \"{name}\" IS '{}'",
            naming::marker().replace('\'', "''")
        );
        if let Err(e) = conn.execute(comment.as_str()).await {
            let _ = conn.close().await;
            let _ = self.drop_database(&name).await;
            return Err(self.create_failed(&name, e.to_string()));
        }
        let _ = conn.close().await;

        let url = self.database_url(&name)?;
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(self.options(&url)?)
            .await
            .map_err(|e| self.create_failed(&name, e.to_string()));
        match pool {
            Ok(pool) => Ok((name, url, pool)),
            Err(err) => {
                let _ = self.drop_database(&name).await;
                Err(err)
            }
        }
    }

    /// `DROP DATABASE IF EXISTS name WITH (FORCE)`: also ends sessions still connected.
    pub async fn drop_database(&self, name: &str) -> Result<(), TestDbError> {
        let mut conn = self.connect().await?;
        let drop = format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            name.replace('"', "\"\"")
        );
        let result = conn.execute(drop.as_str()).await;
        let _ = conn.close().await;
        result.map(|_| ()).map_err(|e| TestDbError::Drop {
            name: name.to_owned(),
            url: self.redacted_url(),
            reason: scrub(&e.to_string(), &self.url),
        })
    }

    /// Drop the testkit databases this run left behind and return their names: those
    /// whose marker names this run ([`naming::run_id`]) and this host, made by a process
    /// that no longer runs (a crashed or killed test process of the same
    /// `scripts/test.sh` run). A database without that marker is never dropped, whatever
    /// its name says.
    pub async fn drop_leaked_databases(&self) -> Result<Vec<String>, TestDbError> {
        let mut conn = self.connect().await?;
        let pattern = format!("{}%", naming::DATABASE_PREFIX.replace('_', "\\_"));
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT datname::text, shobj_description(oid, 'pg_database') \
             FROM pg_database WHERE datname LIKE $1",
        )
        .bind(pattern)
        .fetch_all(&mut conn)
        .await
        .map_err(|e| self.unreachable(e.to_string()))?;
        let mut dropped = Vec::new();
        for (name, comment) in rows {
            if !naming::is_leaked_by_this_run(comment.as_deref()) {
                continue;
            }
            let drop = format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                name.replace('"', "\"\"")
            );
            // Best effort: another process of this run may be dropping the same leftover.
            if conn.execute(drop.as_str()).await.is_ok() {
                dropped.push(name);
            }
        }
        let _ = conn.close().await;
        Ok(dropped)
    }

    /// [`PgServer::drop_leaked_databases`], the first time this process makes a database.
    async fn drop_leaked_once(&self) {
        if !LEAK_CLEANUP_DONE.swap(true, Ordering::SeqCst) {
            let _ = self.drop_leaked_databases().await;
        }
    }

    fn options(&self, url: &str) -> Result<PgConnectOptions, TestDbError> {
        PgConnectOptions::from_str(url)
            .map(|o| o.disable_statement_logging())
            .map_err(|e| self.invalid(e))
    }

    fn invalid(&self, e: impl std::fmt::Display) -> TestDbError {
        TestDbError::InvalidUrl {
            url: self.redacted_url(),
            reason: scrub(&e.to_string(), &self.url),
        }
    }

    fn unreachable(&self, reason: String) -> TestDbError {
        TestDbError::Unreachable {
            dialect: "PostgreSQL",
            url: self.redacted_url(),
            reason: scrub(&reason, &self.url),
        }
    }

    fn create_failed(&self, name: &str, reason: String) -> TestDbError {
        TestDbError::Create {
            name: name.to_owned(),
            url: self.redacted_url(),
            reason: scrub(&reason, &self.url),
        }
    }
}
