//! The MySQL/MariaDB driver: a work connection and a dedicated lock connection.
//!
//! The lock is `GET_LOCK`, a named lock owned by a session, taken on its own connection
//! (as PostgreSQL's advisory lock) so that closing that connection, on any path, releases
//! it; the work connection's implicit commits never touch it. Its statements are
//! `retort_dialect::mysql::MysqlLock`'s (the name, the session's `wait_timeout`, the holder
//! from `IS_USED_LOCK` and the process list). [`Driver::try_lock`] asks once without
//! waiting and the runner polls it with backoff; [`Driver::lock_held`] asks the lock
//! session, before every commit, whether it still owns the lock.
//!
//! MySQL commits DDL implicitly ([`Driver::transactional_ddl`] is false): the runner then
//! records progress after every statement (see the runner's notes).
//!
//! Every query reads its values as text through the text protocol (`COM_QUERY`: sqlx sends
//! a statement without arguments so), whatever their SQL type.

use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlRow};
use sqlx::{Connection, Executor, Row};

use retort_dialect::mysql::{MysqlLock, LOCK_SESSION_WAIT_TIMEOUT};
use retort_dialect::{LockStatements, LockWait};

use super::{Driver, LockHolder, TextRows};
use crate::connect::{AnyDriver, DriverEntry};
use crate::url::Backend;

/// MySQL's and MariaDB's entry in the registry ([`crate::backends::driver`]).
pub(crate) const ENTRY: DriverEntry = DriverEntry {
    connect: |url| {
        Box::pin(async move {
            let options = MySqlConnectOptions::from_str(url.expose_secret())?;
            Ok(AnyDriver::Mysql(Box::new(
                MysqlDriver::connect(options).await?,
            )))
        })
    },
    describe: |url| {
        MySqlConnectOptions::from_str(url.expose_secret())
            .ok()
            .map(|o| describe(&o))
    },
    file: |_| None,
};

/// The lock's statements ([`retort_dialect::LockStatements`]).
const LOCK: MysqlLock = MysqlLock;

/// A MySQL/MariaDB connection for the runner, with a second session holding `GET_LOCK`.
pub struct MysqlDriver {
    options: MySqlConnectOptions,
    conn: MySqlConnection,
    /// The lock session and the lock's key, while held.
    lock: Option<(MySqlConnection, String)>,
}

impl MysqlDriver {
    /// Opens the work connection; the lock connection is opened by [`Driver::lock`].
    pub async fn connect(options: MySqlConnectOptions) -> Result<Self, sqlx::Error> {
        let conn = MySqlConnection::connect_with(&options).await?;
        Ok(MysqlDriver {
            options,
            conn,
            lock: None,
        })
    }

    /// A lock session that owns the lock `key` once this returns `true`.
    async fn take(&mut self, key: &str, wait: LockWait) -> Result<bool, sqlx::Error> {
        if self.lock.is_some() {
            return Ok(true);
        }
        let mut conn = MySqlConnection::connect_with(&self.options).await?;
        for sql in LOCK.session_setup() {
            conn.execute(sql.as_str()).await?;
        }
        let got = first_value(&mut conn, &LOCK.acquire(key, wait)).await?;
        match got.as_deref() {
            Some("1") => {
                self.lock = Some((conn, key.to_owned()));
                Ok(true)
            }
            // Held elsewhere: close at once rather than keep an idle session per attempt.
            Some("0") => {
                conn.close().await?;
                Ok(false)
            }
            other => {
                conn.close().await?;
                Err(sqlx::Error::Protocol(format!(
                    "GET_LOCK for {key} answered {other:?} instead of 1 or 0"
                )))
            }
        }
    }
}

/// The lock's name for a version table's key ([`crate::Migrator::lock_key`]), so an operator
/// (or a test) can find the session holding it: `SELECT IS_USED_LOCK('<name>')`.
pub use retort_dialect::mysql::lock_name;

/// Every value of every row as text: the text protocol sends values as text whatever their
/// type, so they are read as such unchecked.
fn text_rows(rows: &[MySqlRow]) -> Result<TextRows, sqlx::Error> {
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| row.try_get_unchecked::<Option<String>, _>(i))
                .collect()
        })
        .collect()
}

async fn query_text(conn: &mut MySqlConnection, sql: &str) -> Result<TextRows, sqlx::Error> {
    // A bare `&str` has no arguments: sqlx sends it as `COM_QUERY`, the text protocol.
    let rows = conn.fetch_all(sql).await?;
    text_rows(&rows)
}

async fn first_value(conn: &mut MySqlConnection, sql: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(query_text(conn, sql)
        .await?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next().flatten()))
}

impl Driver for MysqlDriver {
    fn backend(&self) -> Backend {
        crate::backends::MYSQL
    }

    /// MySQL and MariaDB commit before and after every DDL statement.
    fn transactional_ddl(&self) -> bool {
        false
    }

    async fn lock(&mut self, key: &str) -> Result<(), sqlx::Error> {
        // Blocks an hour at a time (MariaDB answers NULL to a "for ever" timeout); the
        // runner itself polls `try_lock`.
        while !self.take(key, LockWait::Block).await? {}
        Ok(())
    }

    async fn try_lock(&mut self, key: &str) -> Result<bool, sqlx::Error> {
        self.take(key, LockWait::Try).await
    }

    async fn lock_holder(&mut self, key: &str) -> Result<Option<LockHolder>, sqlx::Error> {
        let rows = query_text(&mut self.conn, &LOCK.holder(key)).await?;
        Ok(rows.into_iter().next().map(LockHolder::from_row))
    }

    async fn unlock(&mut self) -> Result<(), sqlx::Error> {
        if let Some((mut conn, key)) = self.lock.take() {
            let released = conn.execute(LOCK.release(&key).as_str()).await;
            // Closing the session releases the lock even if the release failed.
            let closed = conn.close().await;
            released?;
            closed?;
        }
        Ok(())
    }

    async fn set_lock_wait(&mut self, wait: Duration) -> Result<(), sqlx::Error> {
        // DDL waits for metadata locks at most this long (`lock_wait_timeout`, whole
        // seconds, at least 1), rather than the server's default of a year.
        let secs = wait
            .as_secs()
            .clamp(1, u64::from(LOCK_SESSION_WAIT_TIMEOUT));
        self.conn
            .execute(format!("SET SESSION lock_wait_timeout = {secs}").as_str())
            .await
            .map(|_| ())
    }

    async fn lock_held(&mut self) -> Result<bool, sqlx::Error> {
        let Some((conn, key)) = &mut self.lock else {
            return Ok(false);
        };
        // Asked on the lock session itself: a dead session fails the query.
        let sql = LOCK.held_here(key);
        Ok(first_value(conn, &sql).await?.as_deref() == Some("1"))
    }

    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.conn.execute(sql).await.map(|_| ())
    }

    async fn execute_rows(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        self.conn.execute(sql).await.map(|r| r.rows_affected())
    }

    async fn query_text(&mut self, sql: &str) -> Result<TextRows, sqlx::Error> {
        query_text(&mut self.conn, sql).await
    }

    async fn close(mut self) -> Result<(), sqlx::Error> {
        let unlocked = self.unlock().await;
        let closed = self.conn.close().await;
        unlocked?;
        closed
    }
}

/// `mysql://user@host:port/db`, never the password.
pub(crate) fn describe(o: &MySqlConnectOptions) -> String {
    format!(
        "mysql://{}@{}:{}/{}",
        o.get_username(),
        o.get_host(),
        o.get_port(),
        o.get_database().unwrap_or("")
    )
}
