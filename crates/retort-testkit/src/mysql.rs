//! MariaDB/MySQL: the server the tests share, and the fresh databases made on it.
//!
//! A [`MySqlServer`] is a connection URL (normally with no database, or with one the test
//! user may read) to a server where the test user may `CREATE DATABASE`. Each test gets its
//! own database, created with `utf8mb4` and the binary collation `utf8mb4_bin`, so sort
//! orders and uniqueness are the same on MariaDB and MySQL 8 (whose charset defaults differ:
//! `utf8mb4_general_ci` against `utf8mb4_0900_ai_ci`) and case-sensitive as on PostgreSQL.
//!
//! The marker: MySQL and MariaDB have no database comments, so the marker (see
//! [`naming`]) is kept in the test database as the comment of a stored function,
//! [`MARKER_ROUTINE`]. A function, not a table: catalog introspection reads tables,
//! columns, keys and indexes, so a function is invisible to it (a marker table would show
//! up as a table to drop in every comparison), and it goes with its database.
//! `information_schema.ROUTINES` lists every marker of the server in one query, which is how
//! a cleanup (here, or `scripts/test.sh` at the end of its run) finds what this run left
//! behind; a database without this run's marker is never dropped, whatever its name says.
//!
//! Dropping: MySQL has no `DROP DATABASE .. WITH (FORCE)`; a session of the test (a pool it
//! forgot, a transaction left open by a panic) holding a metadata lock would make the
//! `DROP` wait, so the sessions using the test database are killed first (only those: the
//! database is the test's own).

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlPool, MySqlPoolOptions};
use sqlx::{ConnectOptions, Connection, Executor};

use crate::env;
use crate::error::TestDbError;
use crate::naming;
use crate::redact::{redact_url, scrub};

/// Connections per test pool (MariaDB's default `max_connections` is 151).
const POOL_SIZE: u32 = 4;
/// The stored function whose comment is the marker of a test database.
pub const MARKER_ROUTINE: &str = "retort_testkit_marker";

static LEAK_CLEANUP_DONE: AtomicBool = AtomicBool::new(false);

/// A MariaDB or MySQL server on which test databases are created.
#[derive(Clone)]
pub struct MySqlServer {
    url: String,
}

impl std::fmt::Debug for MySqlServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MySqlServer")
            .field("url", &redact_url(&self.url))
            .finish()
    }
}

impl MySqlServer {
    /// The server named by `RETORT_TEST_MYSQL_URL`, else the local default.
    pub fn from_env() -> Result<Self, TestDbError> {
        env::mysql_server_url()
            .map(Self::at)
            .ok_or(TestDbError::NotConfigured {
                dialect: "MySQL/MariaDB",
                url_var: env::MYSQL_URL_VAR,
            })
    }

    /// A server at an explicit URL.
    pub fn at(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }

    /// The server URL (may contain a password: print [`MySqlServer::redacted_url`] instead).
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

    /// An admin connection to the server, or `Unreachable`.
    pub async fn connect(&self) -> Result<MySqlConnection, TestDbError> {
        let options = self.options(&self.url)?;
        crate::server::connect_within(options.connect())
            .await
            .map_err(|reason| self.unreachable(reason))
    }

    /// Whether a database called `name` exists on the server.
    pub async fn database_exists(&self, name: &str) -> Result<bool, TestDbError> {
        let mut conn = self.connect().await?;
        let found: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")
                .bind(name)
                .fetch_optional(&mut conn)
                .await
                .map_err(|e| self.unreachable(e.to_string()))?;
        let _ = conn.close().await;
        Ok(found.is_some())
    }

    /// The marker of database `name` (the comment of its [`MARKER_ROUTINE`]), if any.
    pub async fn marker_of(&self, name: &str) -> Result<Option<String>, TestDbError> {
        let mut conn = self.connect().await?;
        let found: Option<String> = sqlx::query_scalar(
            "SELECT CAST(ROUTINE_COMMENT AS CHAR) FROM information_schema.ROUTINES \
             WHERE ROUTINE_SCHEMA = ? AND ROUTINE_NAME = ?",
        )
        .bind(name)
        .bind(MARKER_ROUTINE)
        .fetch_optional(&mut conn)
        .await
        .map_err(|e| self.unreachable(e.to_string()))?;
        let _ = conn.close().await;
        Ok(found)
    }

    /// Create a fresh database for `test_name` and return its name, URL and a pool on it.
    pub async fn create_database(
        &self,
        test_name: &str,
    ) -> Result<(String, String, MySqlPool), TestDbError> {
        self.drop_leaked_once().await;
        let mut conn = self.connect().await?;
        let name = naming::unique_database_name(test_name);
        // The name is sanitised to [a-z0-9_], quoting it is belt and braces.
        let create = format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        conn.execute(create.as_str())
            .await
            .map_err(|e| self.create_failed(&name, e.to_string()))?;
        // The marker is how a later cleanup knows this run made it (the name proves nothing).
        // DETERMINISTIC NO SQL: accepted with binary logging on, without extra privileges.
        let mark = format!(
            "CREATE FUNCTION `{name}`.`{MARKER_ROUTINE}`() RETURNS INT \
             DETERMINISTIC NO SQL COMMENT '{}' RETURN 1",
            naming::marker().replace('\\', "\\\\").replace('\'', "''")
        );
        if let Err(e) = conn.execute(mark.as_str()).await {
            let _ = conn.close().await;
            let _ = self.drop_database(&name).await;
            return Err(self.create_failed(&name, e.to_string()));
        }
        let _ = conn.close().await;

        let url = self.database_url(&name)?;
        let pool = MySqlPoolOptions::new()
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

    /// End the sessions using database `name`, then `DROP DATABASE IF EXISTS name`.
    pub async fn drop_database(&self, name: &str) -> Result<(), TestDbError> {
        let mut conn = self.connect().await?;
        let result = drop_on(&mut conn, name).await;
        let _ = conn.close().await;
        result.map_err(|e| TestDbError::Drop {
            name: name.to_owned(),
            url: self.redacted_url(),
            reason: scrub(&e.to_string(), &self.url),
        })
    }

    /// Drop the testkit databases this run left behind and return their names: those
    /// whose marker names this run ([`naming::run_id`]) and this host, made by a process
    /// that no longer runs. A database without that marker is never dropped.
    pub async fn drop_leaked_databases(&self) -> Result<Vec<String>, TestDbError> {
        let mut conn = self.connect().await?;
        let pattern = format!("{}%", naming::DATABASE_PREFIX.replace('_', "\\_"));
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT CAST(ROUTINE_SCHEMA AS CHAR), CAST(ROUTINE_COMMENT AS CHAR) \
             FROM information_schema.ROUTINES \
             WHERE ROUTINE_NAME = ? AND ROUTINE_SCHEMA LIKE ?",
        )
        .bind(MARKER_ROUTINE)
        .bind(pattern)
        .fetch_all(&mut conn)
        .await
        .map_err(|e| self.unreachable(e.to_string()))?;
        let mut dropped = Vec::new();
        for (name, comment) in rows {
            if !naming::is_leaked_by_this_run(comment.as_deref()) {
                continue;
            }
            // Best effort: another process of this run may be dropping the same leftover.
            if drop_on(&mut conn, &name).await.is_ok() {
                dropped.push(name);
            }
        }
        let _ = conn.close().await;
        Ok(dropped)
    }

    /// [`MySqlServer::drop_leaked_databases`], the first time this process makes a database.
    async fn drop_leaked_once(&self) {
        if !LEAK_CLEANUP_DONE.swap(true, Ordering::SeqCst) {
            let _ = self.drop_leaked_databases().await;
        }
    }

    fn options(&self, url: &str) -> Result<MySqlConnectOptions, TestDbError> {
        MySqlConnectOptions::from_str(url)
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
            dialect: "MySQL/MariaDB",
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

/// Kill the other sessions whose current database is `name` (they would hold the `DROP`
/// on a metadata lock), then drop it.
async fn drop_on(conn: &mut MySqlConnection, name: &str) -> Result<(), sqlx::Error> {
    // As text: the id's SQL type differs between MariaDB and MySQL (signed or not).
    let sessions: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(ID AS CHAR) FROM information_schema.PROCESSLIST \
         WHERE DB = ? AND ID <> CONNECTION_ID()",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    for id in sessions
        .iter()
        .filter(|id| id.bytes().all(|b| b.is_ascii_digit()))
    {
        // The session may have ended meanwhile: not an error.
        let _ = conn.execute(format!("KILL {id}").as_str()).await;
    }
    let drop = format!("DROP DATABASE IF EXISTS `{}`", name.replace('`', "``"));
    conn.execute(drop.as_str()).await.map(|_| ())
}
