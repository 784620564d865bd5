//! The PostgreSQL driver: a work connection and a dedicated lock connection.
//!
//! The lock is `pg_advisory_lock(n)`, a session-level lock, taken on its own connection
//! so that the work connection's transactions (committed or rolled back per revision)
//! never affect it, and so that closing that connection, on any path, releases it.
//! [`Driver::try_lock`] is `pg_try_advisory_lock`: the runner polls it with backoff, so the
//! wait is bounded, and on timeout [`Driver::lock_holder`] reads the holder from `pg_locks`
//! joined with `pg_stat_activity`. Both connections set `application_name` to
//! `retort-<pid>` (unless the URL names one), which is what a holder is then called.
//!
//! The lock session is idle for the whole run, so it turns `idle_session_timeout` off for
//! itself and a task pings it (`pg_lock`); and since an administrator or a network can
//! still end it, [`Driver::lock_held`] asks it, before every commit, whether it still
//! holds the lock (a dead session fails the question).

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Connection, Executor, Row};

use std::str::FromStr;
use std::time::Duration;

use super::pg_lock::{LockSession, KEEPALIVE};
use super::{application_name, literal, lock_number, text_rows, Driver, LockHolder, TextRows};
use crate::connect::{AnyDriver, DriverEntry};
use crate::url::Backend;

/// PostgreSQL's entry in the registry ([`crate::backends::driver`]).
pub(crate) const ENTRY: DriverEntry = DriverEntry {
    connect: |url| {
        Box::pin(async move {
            let options = PgConnectOptions::from_str(url.expose_secret())?;
            Ok(AnyDriver::Postgres(Box::new(
                PgDriver::connect(options).await?,
            )))
        })
    },
    describe: |url| {
        PgConnectOptions::from_str(url.expose_secret())
            .ok()
            .map(|o| describe(&o))
    },
    file: |_| None,
};

/// A PostgreSQL connection for the runner, with a second session holding the advisory lock.
pub struct PgDriver {
    options: PgConnectOptions,
    conn: PgConnection,
    lock: Option<LockSession>,
    keepalive: Duration,
}

impl PgDriver {
    /// Opens the work connection; the lock connection is opened by [`Driver::lock`].
    pub async fn connect(options: PgConnectOptions) -> Result<Self, sqlx::Error> {
        let options = if options.get_application_name().is_none() {
            options.application_name(&application_name())
        } else {
            options
        };
        let conn = PgConnection::connect_with(&options).await?;
        Ok(PgDriver {
            options,
            conn,
            lock: None,
            keepalive: KEEPALIVE,
        })
    }

    /// Pings the lock session this often while the lock is held (default 30 s).
    pub fn with_keepalive(mut self, every: Duration) -> Self {
        self.keepalive = every;
        self
    }
}

/// A bigint advisory lock shows in `pg_locks` as classid = its high 32 bits, objid = its
/// low 32 bits, objsubid = 1.
fn lock_parts(n: i64) -> (i64, i64) {
    let n = n as u64;
    ((n >> 32) as i64, (n & 0xffff_ffff) as i64)
}

impl Driver for PgDriver {
    fn backend(&self) -> Backend {
        crate::backends::POSTGRES
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    async fn lock(&mut self, key: &str) -> Result<(), sqlx::Error> {
        if self.lock.is_some() {
            return Ok(());
        }
        let n = lock_number(key);
        let mut conn = PgConnection::connect_with(&self.options).await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(n)
            .execute(&mut conn)
            .await?;
        self.lock = Some(LockSession::start(conn, n, self.keepalive).await?);
        Ok(())
    }

    async fn try_lock(&mut self, key: &str) -> Result<bool, sqlx::Error> {
        if self.lock.is_some() {
            return Ok(true);
        }
        let n = lock_number(key);
        let mut conn = PgConnection::connect_with(&self.options).await?;
        let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(n)
            .fetch_one(&mut conn)
            .await?;
        if taken {
            self.lock = Some(LockSession::start(conn, n, self.keepalive).await?);
        } else {
            // Not ours: close at once rather than keep an idle session per attempt.
            conn.close().await?;
        }
        Ok(taken)
    }

    async fn lock_holder(&mut self, key: &str) -> Result<Option<LockHolder>, sqlx::Error> {
        let (hi, lo) = lock_parts(lock_number(key));
        let row = sqlx::query(
            "SELECT CAST(a.pid AS BIGINT), CAST(a.application_name AS TEXT), \
             CAST(a.backend_start AS TEXT), CAST(a.client_addr AS TEXT) \
             FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.database = \
             (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) \
             AND l.classid = CAST($1 AS OID) AND l.objid = CAST($2 AS OID) AND l.objsubid = 1 \
             LIMIT 1",
        )
        .bind(hi)
        .bind(lo)
        .fetch_optional(&mut self.conn)
        .await?;
        Ok(row.map(|row| LockHolder {
            pid: row.try_get(0).ok(),
            application_name: row.try_get(1).ok(),
            since: row.try_get(2).ok(),
            client: row.try_get(3).ok().flatten(),
        }))
    }

    async fn unlock(&mut self) -> Result<(), sqlx::Error> {
        if let Some(lock) = self.lock.take() {
            let n = lock.n;
            let Some(mut conn) = lock.stop().await else {
                // Still shared (cannot happen once the task is gone): dropping it closes
                // the session, which releases the lock.
                return Ok(());
            };
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(n)
                .execute(&mut conn)
                .await;
            // Closing the session releases the lock even if the unlock failed.
            let closed = conn.close().await;
            unlocked?;
            closed?;
        }
        Ok(())
    }

    async fn lock_held(&mut self) -> Result<bool, sqlx::Error> {
        let Some(lock) = &self.lock else {
            return Ok(false);
        };
        let Some(mut conn) = lock.conn().await else {
            return Ok(false);
        };
        // Asked on the lock session itself: a dead session fails the query, a live one
        // says whether it still holds the advisory lock.
        let (hi, lo) = lock_parts(lock.n);
        let held: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' \
             AND pid = pg_backend_pid() AND granted AND classid = CAST($1 AS OID) \
             AND objid = CAST($2 AS OID) AND objsubid = 1)",
        )
        .bind(hi)
        .bind(lo)
        .fetch_one(&mut *conn)
        .await?;
        Ok(held)
    }

    async fn default_schema(&mut self) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT CAST(current_schema() AS TEXT)")
            .fetch_one(&mut self.conn)
            .await
    }

    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.conn.execute(sql).await.map(|_| ())
    }

    async fn execute_rows(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        self.conn.execute(sql).await.map(|r| r.rows_affected())
    }

    async fn query_text(&mut self, sql: &str) -> Result<TextRows, sqlx::Error> {
        let rows = sqlx::query(sql).fetch_all(&mut self.conn).await?;
        text_rows(&rows)
    }

    async fn table_exists(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> Result<bool, sqlx::Error> {
        let schema = schema.map_or_else(|| "current_schema()".to_owned(), literal);
        let sql = format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM pg_catalog.pg_tables \
             WHERE schemaname = {schema} AND tablename = {}",
            literal(table)
        );
        let rows = self.query_text(&sql).await?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .cloned()
            .flatten()
            .as_deref()
            != Some("0"))
    }

    async fn close(mut self) -> Result<(), sqlx::Error> {
        let unlocked = self.unlock().await;
        let closed = self.conn.close().await;
        unlocked?;
        closed
    }
}

/// `postgresql://user@host:port/db`, with `?sslmode=` when it is not the default `prefer`.
pub(crate) fn describe(o: &PgConnectOptions) -> String {
    use sqlx::postgres::PgSslMode;
    let db = o.get_database().unwrap_or("");
    let mut out = match o.get_socket() {
        Some(socket) => format!(
            "postgresql://{}@/{db}?host={}",
            o.get_username(),
            socket.display()
        ),
        None => format!(
            "postgresql://{}@{}:{}/{db}",
            o.get_username(),
            o.get_host(),
            o.get_port()
        ),
    };
    let mode = match o.get_ssl_mode() {
        PgSslMode::Prefer => None,
        PgSslMode::Disable => Some("disable"),
        PgSslMode::Allow => Some("allow"),
        PgSslMode::Require => Some("require"),
        PgSslMode::VerifyCa => Some("verify-ca"),
        PgSslMode::VerifyFull => Some("verify-full"),
    };
    if let Some(mode) = mode {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str("sslmode=");
        out.push_str(mode);
    }
    out
}
