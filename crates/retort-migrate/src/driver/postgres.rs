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
use sqlx::{Connection, Executor};

use std::str::FromStr;
use std::time::Duration;

use super::pg_lock::{LockSession, KEEPALIVE};
use retort_dialect::postgres::PostgresLock;
use retort_dialect::{LockStatements, LockWait};

use super::{application_name, text_rows, Driver, LockHolder, TextRows};
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

/// The lock's statements ([`retort_dialect::LockStatements`]): PostgreSQL's advisory lock.
const LOCK: PostgresLock = PostgresLock;

/// The first value of the first row of `sql`, run on `conn`.
async fn first_value(conn: &mut PgConnection, sql: &str) -> Result<Option<String>, sqlx::Error> {
    let rows = sqlx::query(sql).fetch_all(conn).await?;
    Ok(text_rows(&rows)?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next().flatten()))
}

/// Takes the lock on a new session of its own (set up first) and keeps the session
/// when it got the lock; closes it at once when another session holds it.
async fn take(
    options: &PgConnectOptions,
    key: &str,
    wait: LockWait,
) -> Result<Option<PgConnection>, sqlx::Error> {
    let mut conn = PgConnection::connect_with(options).await?;
    for sql in LOCK.session_setup() {
        conn.execute(sql.as_str()).await?;
    }
    match first_value(&mut conn, &LOCK.acquire(key, wait))
        .await?
        .as_deref()
    {
        Some("1") => Ok(Some(conn)),
        Some("0") => {
            // Not ours: close at once rather than keep an idle session per attempt.
            conn.close().await?;
            Ok(None)
        }
        other => {
            conn.close().await?;
            Err(sqlx::Error::Protocol(format!(
                "the advisory lock statement answered {other:?} instead of 1 or 0"
            )))
        }
    }
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
        if let Some(conn) = take(&self.options, key, LockWait::Block).await? {
            self.lock = Some(LockSession::start(conn, key.to_owned(), self.keepalive));
        }
        Ok(())
    }

    async fn try_lock(&mut self, key: &str) -> Result<bool, sqlx::Error> {
        if self.lock.is_some() {
            return Ok(true);
        }
        let Some(conn) = take(&self.options, key, LockWait::Try).await? else {
            return Ok(false);
        };
        self.lock = Some(LockSession::start(conn, key.to_owned(), self.keepalive));
        Ok(true)
    }

    async fn lock_holder(&mut self, key: &str) -> Result<Option<LockHolder>, sqlx::Error> {
        let rows = self.query_text(&LOCK.holder(key)).await?;
        Ok(rows.into_iter().next().map(LockHolder::from_row))
    }

    async fn unlock(&mut self) -> Result<(), sqlx::Error> {
        if let Some(lock) = self.lock.take() {
            let key = lock.key.clone();
            let Some(mut conn) = lock.stop().await else {
                // Still shared (cannot happen once the task is gone): dropping it closes
                // the session, which releases the lock.
                return Ok(());
            };
            let unlocked = conn.execute(LOCK.release(&key).as_str()).await;
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
        Ok(first_value(&mut conn, &LOCK.held_here(&lock.key))
            .await?
            .as_deref()
            == Some("1"))
    }

    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.conn.execute(sql).await.map(|_| ())
    }

    async fn execute_rows(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        self.conn.execute(sql).await.map(|r| r.rows_affected())
    }

    async fn query_text(&mut self, sql: &str) -> Result<TextRows, sqlx::Error> {
        let mut out = Vec::new();
        self.query_text_each(sql, &mut |row| {
            out.push(row);
            true
        })
        .await?;
        Ok(out)
    }

    async fn query_text_each(
        &mut self,
        sql: &str,
        each: &mut (dyn FnMut(Vec<Option<String>>) -> bool + Send),
    ) -> Result<(), sqlx::Error> {
        stream_text(&mut self.conn, sql, each).await
    }

    async fn close(mut self) -> Result<(), sqlx::Error> {
        let unlocked = self.unlock().await;
        let closed = self.conn.close().await;
        unlocked?;
        closed
    }

    async fn catalog_sibling(
        &mut self,
    ) -> Result<Option<Box<dyn retort_dialect::Catalog>>, sqlx::Error> {
        // The work connection's options (and so its `application_name`, `search_path`
        // given in the URL, TLS): the read copies what its own transaction set.
        let conn = PgConnection::connect_with(&self.options).await?;
        Ok(Some(Box::new(SiblingCatalog(Some(conn)))))
    }
}

/// Row by row as they arrive: each row is turned into text and handed on, so the driver's
/// rows and their text are never held together, and a caller that reads a row and drops it
/// (the catalog read) never holds the result at all (at 10,000 tables the columns query's
/// 90,000 rows were tens of megabytes of `check`'s peak).
async fn stream_text(
    conn: &mut PgConnection,
    sql: &str,
    each: &mut (dyn FnMut(Vec<Option<String>>) -> bool + Send),
) -> Result<(), sqlx::Error> {
    use futures_core::Stream;
    let mut rows = sqlx::query(sql).fetch(conn);
    let mut wanted = true;
    let mut reader = TextReader::default();
    while let Some(row) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut rows).poll_next(cx)).await
    {
        if !wanted {
            // Stopped early: the rest is read and dropped (an error in it included,
            // which the caller no longer asked about), so that the session is where
            // it would be after the whole result; a stream dropped half-read left its
            // rest, and its error, to the session's next query.
            if row.is_err() {
                break;
            }
            continue;
        }
        if !each(reader.row(&row?)?) {
            wanted = false;
        }
    }
    Ok(())
}

/// Reads a result's rows as text, its columns' types checked once, on its first row:
/// sqlx's `try_get` checks each value's type against `String`'s again (a list of type
/// infos built and compared per value), which was half of the CPU of decoding `check`'s
/// catalog rows at 10,000 tables. PostgreSQL types a column once for the whole result
/// (`RowDescription`), so one check holds for every row; a result with a column that is
/// not text is read checked, value by value, and fails as before.
#[derive(Default)]
struct TextReader {
    /// Whether every column is text; `None` before the first row.
    all_text: Option<bool>,
}

impl TextReader {
    fn row(&mut self, row: &sqlx::postgres::PgRow) -> Result<Vec<Option<String>>, sqlx::Error> {
        use sqlx::{Column, Row, Type, TypeInfo};
        let all_text = *self.all_text.get_or_insert_with(|| {
            row.columns().iter().all(|c| {
                let ty = c.type_info();
                ty.is_null() || <String as Type<sqlx::Postgres>>::compatible(ty)
            })
        });
        (0..row.len())
            .map(|i| {
                if all_text {
                    row.try_get_unchecked::<Option<String>, _>(i)
                } else {
                    row.try_get::<Option<String>, _>(i)
                }
            })
            .collect()
    }
}

/// A connection opened for a concurrent catalog read ([`Driver::catalog_sibling`]): read
/// only, no lock; `None` once closed.
struct SiblingCatalog(Option<PgConnection>);

impl SiblingCatalog {
    fn conn(&mut self) -> Result<&mut PgConnection, retort_dialect::CatalogError> {
        self.0
            .as_mut()
            .ok_or_else(|| "the sibling catalog connection is closed".into())
    }
}

fn boxed(e: sqlx::Error) -> retort_dialect::CatalogError {
    Box::new(e)
}

impl retort_dialect::Catalog for SiblingCatalog {
    fn execute<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> retort_dialect::live_schema::CatalogFuture<'a, ()> {
        Box::pin(async move { self.conn()?.execute(sql).await.map(|_| ()).map_err(boxed) })
    }

    fn query<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> retort_dialect::live_schema::CatalogFuture<'a, TextRows> {
        Box::pin(async move {
            let mut out = Vec::new();
            let mut keep = |row| {
                out.push(row);
                true
            };
            stream_text(self.conn()?, sql, &mut keep)
                .await
                .map_err(boxed)?;
            Ok(out)
        })
    }

    fn query_each<'a>(
        &'a mut self,
        sql: &'a str,
        each: &'a mut (dyn FnMut(Vec<Option<String>>) -> bool + Send),
    ) -> retort_dialect::live_schema::CatalogFuture<'a, ()> {
        Box::pin(async move { stream_text(self.conn()?, sql, each).await.map_err(boxed) })
    }

    fn close<'a>(&'a mut self) -> retort_dialect::live_schema::CatalogFuture<'a, ()> {
        Box::pin(async move {
            match self.0.take() {
                Some(conn) => conn.close().await.map_err(boxed),
                None => Ok(()),
            }
        })
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
