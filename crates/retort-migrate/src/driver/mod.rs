//! The database surface the runner needs, and nothing more.
//!
//! [`Driver`] is deliberately tiny (as refinery's drivers are): run a statement (and say
//! how many rows it changed), read a few rows of text, take, check and release the
//! migration lock, name the default schema, say how a transaction begins.
//! Everything else (which statements, in which transaction, what to record) is the
//! runner's, written once for every database. One module per database implements it:
//!
//! * [`postgres`]: two dedicated connections, one doing the work and one holding a
//!   session-level `pg_advisory_lock`, kept alive by a ping task (`pg_lock`); DDL is
//!   transactional.
//! * [`sqlite`]: one connection doing the work in `BEGIN IMMEDIATE` transactions, and the
//!   lock held as a write transaction on a small side file (`<db>-retort-lock`).
//! * [`mysql`] (MySQL and MariaDB): a work connection and a dedicated one holding a named
//!   `GET_LOCK`; DDL commits implicitly, so the runner records progress per statement.
//!
//! Every driver opens its own connections, never ones borrowed from a pool: a session
//! lock left on a pooled connection would outlive the run, whereas a dedicated connection
//! that is dropped on any path (error, panic, cancelled future) closes its session and
//! the server releases the lock with it.

#[cfg(feature = "mysql")]
pub mod mysql;
#[cfg(feature = "postgres")]
mod pg_lock;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use std::future::Future;

use crate::url::Backend;

#[cfg(feature = "mysql")]
pub use mysql::MysqlDriver;
#[cfg(feature = "postgres")]
pub use postgres::PgDriver;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteDriver;

/// Rows read as text: one `Vec` per row, one `Option<String>` per column (`None` for
/// NULL). The runner casts every column it reads to text in SQL, so drivers need no types.
pub type TextRows = Vec<Vec<Option<String>>>;

/// Every value of every row as text (catalog queries cast their columns to text), for
/// the PostgreSQL and SQLite drivers' `query_text` (MySQL's reads the text protocol
/// unchecked instead, see `mysql`).
#[cfg(any(feature = "postgres", feature = "sqlite"))]
pub(crate) fn text_rows<R>(rows: &[R]) -> Result<TextRows, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| row.try_get::<Option<String>, _>(i))
                .collect()
        })
        .collect()
}

/// What the runner needs from a database connection.
///
/// Methods return `Send` futures so a run can be spawned on a multi-threaded runtime.
pub trait Driver: Send {
    /// Which database this driver talks to.
    fn backend(&self) -> Backend;

    /// Whether DDL takes part in transactions (so a failed revision rolls back whole).
    fn transactional_ddl(&self) -> bool;

    /// The statement that opens a transaction (`BEGIN`, `BEGIN IMMEDIATE`).
    fn begin_sql(&self) -> &'static str {
        "BEGIN"
    }

    /// Waits for the migration lock named by `key` (one per version table), held until
    /// [`Driver::unlock`] or until the driver is dropped.
    fn lock(&mut self, key: &str) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Tries once to take the migration lock named by `key`, without waiting: `true` when
    /// it is now held (until [`Driver::unlock`] or drop), `false` when another session
    /// holds it. The runner polls this with backoff up to its lock timeout.
    fn try_lock(&mut self, key: &str) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// Who holds the lock named by `key`, as far as the database can tell; `None` when
    /// nobody does (or the database cannot say).
    fn lock_holder(
        &mut self,
        key: &str,
    ) -> impl Future<Output = Result<Option<LockHolder>, sqlx::Error>> + Send;

    /// Releases the lock taken by [`Driver::lock`]; does nothing when none is held.
    fn unlock(&mut self) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// How long a statement may wait for a lock another connection holds on the database
    /// itself (SQLite's busy timeout; sqlx's default is a fixed 5 s). The runner sets it to
    /// its lock timeout once it holds the migration lock. Session configuration, not a
    /// statement of the run: the default does nothing (PostgreSQL has `lock_timeout`).
    fn set_lock_wait(
        &mut self,
        wait: std::time::Duration,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        let _ = wait;
        async { Ok(()) }
    }

    /// Whether the lock taken by [`Driver::lock`] / [`Driver::try_lock`] is still held,
    /// asked of the database where it can be lost (a PostgreSQL session ended by
    /// `pg_terminate_backend`, `idle_session_timeout` or a proxy): `false`, or an error,
    /// means another run may hold it now. The runner asks before every commit.
    fn lock_held(&mut self) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// The schema an unqualified table name resolves to on the work connection
    /// (PostgreSQL's `current_schema()`, SQLite's `main`), so that two spellings of one
    /// version table take one lock. The default asks the backend's
    /// `default_schema_sql`; `None` when the backend has none.
    fn default_schema(
        &mut self,
    ) -> impl Future<Output = Result<Option<String>, sqlx::Error>> + Send {
        async move {
            match crate::backends::support(self.backend()).default_schema_sql() {
                Some(sql) => Ok(first_value(self.query_text(sql).await?)),
                None => Ok(None),
            }
        }
    }

    /// Runs one statement (or a script of several) without preparing it.
    fn execute(&mut self, sql: &str) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Runs one statement and returns how many rows it changed (the version table's
    /// compare-and-set checks it).
    fn execute_rows(&mut self, sql: &str) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    /// Runs a query whose columns are all text (or NULL).
    fn query_text(
        &mut self,
        sql: &str,
    ) -> impl Future<Output = Result<TextRows, sqlx::Error>> + Send;

    /// [`Driver::query_text`] handing each row to `each` as it arrives, until `each` says
    /// `false`. By default the whole result is read first; a driver that streams holds one
    /// row at a time (the catalog read of a large schema).
    fn query_text_each(
        &mut self,
        sql: &str,
        each: &mut (dyn FnMut(Vec<Option<String>>) -> bool + Send),
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        async move {
            for row in self.query_text(sql).await? {
                if !each(row) {
                    break;
                }
            }
            Ok(())
        }
    }

    /// Whether `schema.table` exists (`schema` `None`: the connection's default). Reads
    /// the catalog only (the backend's `table_exists_sql`), so read-only commands create
    /// nothing.
    fn table_exists(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send {
        let sql = crate::backends::support(self.backend()).table_exists_sql(schema, table);
        async move { Ok(first_value(self.query_text(&sql).await?).as_deref() != Some("0")) }
    }

    /// Closes the connections, releasing the lock if still held.
    fn close(self) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// A new connection to the same database as a catalog of its own, for a live read
    /// that runs its catalog queries side by side ([`retort_dialect::Catalog::sibling`]):
    /// no lock, no transaction, closed by the read. `None` (the default) when the driver
    /// reads on its work connection alone.
    fn catalog_sibling(
        &mut self,
    ) -> impl Future<Output = Result<Option<Box<dyn retort_dialect::Catalog>>, sqlx::Error>> + Send
    {
        async { Ok(None) }
    }
}

/// The first value of the first row, if any.
pub(crate) fn first_value(rows: TextRows) -> Option<String> {
    rows.into_iter()
        .next()
        .and_then(|r| r.into_iter().next().flatten())
}

/// A driver as a backend's introspection sees it ([`retort_dialect::Catalog`]): run a
/// statement, read text rows. The backend's conversation with the server (which catalog
/// queries, in which snapshot) is its own; the driver only carries it.
pub(crate) struct DriverCatalog<'d, D>(pub &'d mut D);

impl<D: Driver> retort_dialect::Catalog for DriverCatalog<'_, D> {
    fn execute<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> retort_dialect::live_schema::CatalogFuture<'a, ()> {
        Box::pin(async move {
            self.0
                .execute(sql)
                .await
                .map_err(|e| Box::new(e) as retort_dialect::CatalogError)
        })
    }

    fn query<'a>(
        &'a mut self,
        sql: &'a str,
    ) -> retort_dialect::live_schema::CatalogFuture<'a, TextRows> {
        Box::pin(async move {
            self.0
                .query_text(sql)
                .await
                .map_err(|e| Box::new(e) as retort_dialect::CatalogError)
        })
    }

    fn query_each<'a>(
        &'a mut self,
        sql: &'a str,
        each: &'a mut (dyn FnMut(Vec<Option<String>>) -> bool + Send),
    ) -> retort_dialect::live_schema::CatalogFuture<'a, ()> {
        Box::pin(async move {
            self.0
                .query_text_each(sql, each)
                .await
                .map_err(|e| Box::new(e) as retort_dialect::CatalogError)
        })
    }

    fn sibling<'a>(
        &'a mut self,
    ) -> retort_dialect::live_schema::CatalogFuture<'a, Option<Box<dyn retort_dialect::Catalog>>>
    {
        Box::pin(async move {
            self.0
                .catalog_sibling()
                .await
                .map_err(|e| Box::new(e) as retort_dialect::CatalogError)
        })
    }
}

/// The session holding a migration lock, as named in a lock-timeout error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct LockHolder {
    /// The holder's process id: the PostgreSQL backend pid, or the OS pid of the retort
    /// process holding a SQLite lock.
    pub pid: Option<i64>,
    /// PostgreSQL's `application_name` of the holding session (Retort sets `retort-<pid>`
    /// with the OS pid of the process), or `retort-<pid>` for SQLite.
    pub application_name: Option<String>,
    /// Since when, as the database prints a timestamp (PostgreSQL: the holding session's
    /// `backend_start`, as Retort's lock connection takes the lock as it connects).
    pub since: Option<String>,
    /// The holder's client address, when known.
    pub client: Option<String>,
}

impl LockHolder {
    /// The row of a backend's lock-holder query (`retort_dialect::LockStatements::holder`):
    /// session id, name, since when, client; each text or NULL.
    #[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
    pub(crate) fn from_row(row: Vec<Option<String>>) -> LockHolder {
        let mut it = row.into_iter();
        let mut next = || it.next().flatten();
        let pid = next().and_then(|p| p.parse().ok());
        LockHolder {
            pid,
            application_name: next(),
            since: next(),
            client: next(),
        }
    }
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(pid) = self.pid {
            parts.push(format!("pid {pid}"));
        }
        if let Some(app) = self.application_name.as_deref().filter(|a| !a.is_empty()) {
            parts.push(format!("application_name {app:?}"));
        }
        if let Some(client) = &self.client {
            parts.push(format!("from {client}"));
        }
        if let Some(since) = &self.since {
            parts.push(format!("since {since}"));
        }
        if parts.is_empty() {
            f.write_str("an unidentified session")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// The `application_name` Retort gives its own sessions: `retort-<OS pid>`, so a lock
/// holder (or a long statement in `pg_stat_activity`) can be traced to its process.
pub fn application_name() -> String {
    format!("retort-{}", std::process::id())
}

/// `'text'` with quotes doubled: the one way a value reaches SQL text in this crate.
pub(crate) fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
