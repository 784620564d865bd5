//! The SQLite driver: one connection, `BEGIN IMMEDIATE` transactions, a side-file lock.
//!
//! `BEGIN IMMEDIATE` takes the database's write lock at the start of each transaction, so
//! two writers never interleave inside a revision. Between revisions, though, a second
//! run could slip in; the run-long lock is therefore a write transaction held open on a
//! side database `<db>-retort-lock`, which a second run waits on (the busy timeout) until
//! the first releases it. SQLite's own file locks are dropped by the OS when a process
//! dies, so a crashed run never leaves the lock behind.
//!
//! A run that ends normally removes the side file (and its `.holder`) while it still holds
//! the lock, so nothing is left beside the database. Removing it could let two runs in at
//! once: one that opened the old file and waits on it, and one that creates a new file. So
//! on Unix a taker keeps the file it locked open (its inode cannot be reused meanwhile)
//! and, once it holds the lock, checks that the path still names that same file; if the
//! file was removed or replaced, it lets go and takes the lock again on the file the path
//! names now. Elsewhere (Windows), a file another process has open cannot be removed, so
//! the side file is removed after the lock is let go, and only when no one has it open.
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

use super::{application_name, text_rows, Driver, LockHolder, TextRows};
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

/// A SQLite connection for the runner, locked with `BEGIN IMMEDIATE` and a lock file.
pub struct SqliteDriver {
    conn: SqliteConnection,
    lock_file: Option<PathBuf>,
    lock: Option<Held>,
    lock_wait: Duration,
}

/// The side file's lock: a write transaction on it, and (on Unix) the file kept open so
/// the lock can be told to be on the file its path names.
struct Held {
    conn: SqliteConnection,
    #[cfg(unix)]
    _pinned: std::fs::File,
}

/// The device and inode a path names now (`None`: the path names no file).
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Takes the lock on the side file `file`, waiting up to `wait` for another holder:
/// `None` when another holder still has it after `wait` (only with `wait` zero: a longer
/// wait that runs out is SQLite's busy error).
async fn take(file: &Path, wait: Duration) -> Result<Option<Held>, sqlx::Error> {
    loop {
        // Open (or create) the file first and remember which file it is: while this
        // process keeps it open, its inode cannot be reused by another file.
        #[cfg(unix)]
        let (pinned, id) = {
            use std::os::unix::fs::MetadataExt;
            let pinned = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(file)
                .map_err(sqlx::Error::Io)?;
            let meta = pinned.metadata().map_err(sqlx::Error::Io)?;
            (pinned, (meta.dev(), meta.ino()))
        };
        let options = SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true)
            .busy_timeout(wait);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        let begun = conn.execute("BEGIN IMMEDIATE").await;
        // The lock counts only when the path still names the file locked: a holder that
        // finished removed it (or a new one replaced it) while this run waited.
        #[cfg(unix)]
        let moved = file_id(file) != Some(id);
        #[cfg(not(unix))]
        let moved = false;
        match begun {
            Ok(_) if !moved => {
                return Ok(Some(Held {
                    conn,
                    #[cfg(unix)]
                    _pinned: pinned,
                }))
            }
            Ok(_) => {
                let rolled_back = conn.execute("ROLLBACK").await;
                conn.close().await?;
                rolled_back?;
            }
            // Whatever failed, it failed on a file that is gone: try the new one.
            Err(_) if moved => {
                let _ = conn.close().await;
            }
            Err(e) if is_busy(&e) && wait.is_zero() => {
                conn.close().await?;
                return Ok(None);
            }
            Err(e) => {
                let _ = conn.close().await;
                return Err(e);
            }
        }
    }
}

/// Removes the side file and its `.holder`; a file already gone is no error, and any
/// other failure only leaves the file in place (it does no harm there).
fn remove_side_files(lock_file: &Path) {
    let _ = std::fs::remove_file(holder_file(lock_file));
    let _ = std::fs::remove_file(lock_file);
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
        // A zero wait would come back empty-handed instead of waiting: wait at least 1 ms.
        let wait = self.lock_wait.max(Duration::from_millis(1));
        let held = take(file, wait)
            .await?
            .ok_or_else(|| sqlx::Error::Protocol("the SQLite lock is busy".to_owned()))?;
        self.lock = Some(held);
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
        let Some(held) = take(&file, Duration::ZERO).await? else {
            return Ok(false);
        };
        self.lock = Some(held);
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
        if let Some(held) = self.lock.take() {
            let file = self.lock_file.as_deref();
            // On Unix the files go while the lock is still held: a run waiting on them
            // sees the path no longer names the file it locked, and tries again.
            #[cfg(unix)]
            if let Some(file) = file {
                remove_side_files(file);
            }
            let mut conn = held.conn;
            let rolled_back = conn.execute("ROLLBACK").await;
            let closed = conn.close().await;
            // Elsewhere the removal fails while another process has the file open.
            #[cfg(not(unix))]
            if let Some(file) = file {
                remove_side_files(file);
            }
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
