//! The SQLite driver: one connection, `BEGIN IMMEDIATE` transactions, a side-file lock.
//!
//! `BEGIN IMMEDIATE` takes the database's write lock at the start of each transaction, so
//! two writers never interleave inside a revision. Between revisions, though, a second
//! run could slip in; the run-long lock is therefore a write transaction held open on a
//! side database `<db>-retort-lock`, which a second run waits on (the busy timeout) until
//! the first releases it. SQLite's own file locks are dropped by the OS when a process
//! dies, so a crashed run never leaves the lock behind. The side file is left in place:
//! deleting it while another run waits on it would let a third one in.
//! An in-memory database is private to its process and needs no lock. The side file sits
//! beside the database's canonical path (symlinks and relative paths resolved), so every
//! spelling of one file shares one lock (a second hard link to it does not).
//!
//! [`Driver::try_lock`] tries `BEGIN IMMEDIATE` on the side file with no busy wait; the
//! runner polls it with backoff up to its lock timeout. The holder then writes its pid and
//! the time into `<db>-retort-lock.holder` (a plain file: the side database's own rows
//! would be invisible to others until committed, which would release the lock), which
//! [`Driver::lock_holder`] reads for the timeout error. The file can be stale only in the
//! instant between a new holder taking the lock and rewriting it.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Executor};

use super::{application_name, literal, text_rows, Driver, LockHolder, TextRows};
use crate::connect::{AnyDriver, DriverEntry};
use crate::url::{Backend, DatabaseUrl};

/// SQLite's entry in the registry ([`crate::backends::driver`]).
pub(crate) const ENTRY: DriverEntry = DriverEntry {
    connect: |url| {
        Box::pin(async move {
            let options = SqliteConnectOptions::from_str(url.expose_secret())?;
            Ok(AnyDriver::Sqlite(SqliteDriver::connect(options).await?))
        })
    },
    describe: |url| options(url).map(|o| describe(&o)),
    file: |url| options(url).and_then(|o| file_of(&o)),
};

fn options(url: &DatabaseUrl) -> Option<SqliteConnectOptions> {
    SqliteConnectOptions::from_str(url.expose_secret()).ok()
}

/// The file `options` open, unless the database is in memory.
pub(crate) fn file_of(options: &SqliteConnectOptions) -> Option<PathBuf> {
    let file = options.get_filename();
    let name = file.to_string_lossy();
    let in_memory = name.is_empty() || name.contains(":memory:");
    (!in_memory).then(|| file.to_owned())
}

/// How long the blocking [`Driver::lock`] waits for another run's lock until
/// [`Driver::set_lock_wait`] says otherwise (the runner itself polls [`Driver::try_lock`]
/// up to its own configured wait).
const LOCK_WAIT: Duration = crate::Timeouts::DEFAULT_LOCK_WAIT;

pub struct SqliteDriver {
    conn: SqliteConnection,
    lock_file: Option<PathBuf>,
    lock: Option<SqliteConnection>,
    lock_wait: Duration,
}

impl SqliteDriver {
    /// Opens the database, creating the file on first use.
    pub async fn connect(options: SqliteConnectOptions) -> Result<Self, sqlx::Error> {
        let options = options.create_if_missing(true);
        let file = options.get_filename().to_owned();
        let conn = SqliteConnection::connect_with(&options).await?;
        // The side file is named after the database's real path (the file exists now), so
        // a run reaching it through a symlink or a relative path takes the same lock.
        let lock_file =
            (!is_memory(&file)).then(|| side_file(&std::fs::canonicalize(&file).unwrap_or(file)));
        Ok(SqliteDriver {
            conn,
            lock_file,
            lock: None,
            lock_wait: LOCK_WAIT,
        })
    }
}

fn is_memory(file: &Path) -> bool {
    let s = file.to_string_lossy();
    s.is_empty() || s.contains(":memory:") || s.contains("mode=memory")
}

fn side_file(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push("-retort-lock");
    PathBuf::from(name)
}

fn holder_file(lock_file: &Path) -> PathBuf {
    let mut name = lock_file.as_os_str().to_owned();
    name.push(".holder");
    PathBuf::from(name)
}

/// Records this process as the holder of `lock_file`. Best effort: the holder's name is
/// for the error message of a waiting run only.
fn write_holder(lock_file: &Path) {
    let _ = std::fs::write(
        holder_file(lock_file),
        format!(
            "{}\n{}\n{}\n",
            std::process::id(),
            application_name(),
            utc_now()
        ),
    );
}

/// SQLITE_BUSY (5) or SQLITE_LOCKED (6), extended codes included.
fn is_busy(e: &sqlx::Error) -> bool {
    let code = e
        .as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i32>().ok());
    matches!(code.map(|c| c & 0xff), Some(5 | 6))
}

/// The current time as `YYYY-MM-DD HH:MM:SS UTC`, without a date library.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Driver for SqliteDriver {
    fn backend(&self) -> Backend {
        crate::backends::SQLITE
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    fn begin_sql(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }

    async fn lock(&mut self, _key: &str) -> Result<(), sqlx::Error> {
        let Some(file) = &self.lock_file else {
            return Ok(());
        };
        if self.lock.is_some() {
            return Ok(());
        }
        let options = SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true)
            .busy_timeout(self.lock_wait);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        conn.execute("BEGIN IMMEDIATE").await?;
        self.lock = Some(conn);
        write_holder(file);
        Ok(())
    }

    async fn try_lock(&mut self, _key: &str) -> Result<bool, sqlx::Error> {
        let Some(file) = self.lock_file.clone() else {
            return Ok(true);
        };
        if self.lock.is_some() {
            return Ok(true);
        }
        let options = SqliteConnectOptions::new()
            .filename(&file)
            .create_if_missing(true)
            .busy_timeout(Duration::ZERO);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        match conn.execute("BEGIN IMMEDIATE").await {
            Ok(_) => {}
            Err(e) if is_busy(&e) => {
                conn.close().await?;
                return Ok(false);
            }
            Err(e) => return Err(e),
        }
        self.lock = Some(conn);
        write_holder(&file);
        Ok(true)
    }

    async fn lock_holder(&mut self, _key: &str) -> Result<Option<LockHolder>, sqlx::Error> {
        let Some(file) = &self.lock_file else {
            return Ok(None);
        };
        let Ok(text) = std::fs::read_to_string(holder_file(file)) else {
            return Ok(None);
        };
        let mut lines = text.lines();
        Ok(Some(LockHolder {
            pid: lines.next().and_then(|l| l.trim().parse().ok()),
            application_name: lines.next().map(str::to_owned),
            since: lines.next().map(str::to_owned),
            client: None,
        }))
    }

    async fn unlock(&mut self) -> Result<(), sqlx::Error> {
        if let Some(mut conn) = self.lock.take() {
            let rolled_back = conn.execute("ROLLBACK").await;
            let closed = conn.close().await;
            rolled_back?;
            closed?;
        }
        Ok(())
    }

    /// `PRAGMA busy_timeout` on the working connection (in whole milliseconds, at least 1:
    /// 0 would mean "never wait"), and the blocking lock's wait.
    async fn set_lock_wait(&mut self, wait: Duration) -> Result<(), sqlx::Error> {
        let ms = wait.as_millis().clamp(1, i32::MAX as u128);
        self.conn
            .execute(format!("PRAGMA busy_timeout = {ms}").as_str())
            .await?;
        self.lock_wait = wait;
        Ok(())
    }

    async fn lock_held(&mut self) -> Result<bool, sqlx::Error> {
        // The OS holds the side file's lock for this process as long as the connection
        // is open; nothing outside the process can end it.
        Ok(self.lock_file.is_none() || self.lock.is_some())
    }

    async fn default_schema(&mut self) -> Result<Option<String>, sqlx::Error> {
        Ok(Some("main".to_owned()))
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
        let master = match schema {
            Some(s) => format!("\"{}\".sqlite_master", s.replace('"', "\"\"")),
            None => "sqlite_master".to_owned(),
        };
        let sql = format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM {master} WHERE type = 'table' AND name = {}",
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

/// `sqlite file /abs/path.db`, or `sqlite in-memory database`.
pub(crate) fn describe(o: &SqliteConnectOptions) -> String {
    let file = o.get_filename();
    let name = file.to_string_lossy();
    if name.is_empty() || name.contains(":memory:") {
        return "sqlite in-memory database".to_owned();
    }
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    format!("sqlite file {}", file.display())
}
