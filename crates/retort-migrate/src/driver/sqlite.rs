//! The SQLite driver: one connection, `BEGIN IMMEDIATE` transactions, a side-file lock.
//!
//! `BEGIN IMMEDIATE` takes the database's write lock at the start of each transaction, so
//! two writers never interleave inside a revision. Between revisions, though, a second
//! run could slip in; the run-long lock is therefore a write transaction held open on a
//! side database `<db>-retort-lock`, which a second run waits on (the busy timeout) until
//! the first releases it. SQLite's own file locks are dropped by the OS when a process
//! dies, so a crashed run never leaves the lock behind. The side file is left in place:
//! deleting it while another run waits on it would let a third one in.
//! An in-memory database is private to its process and needs no lock.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Executor, Row};

use super::{literal, Driver, TextRows};
use crate::url::Backend;

/// How long a run waits for another run's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(600);

pub struct SqliteDriver {
    conn: SqliteConnection,
    lock_file: Option<PathBuf>,
    lock: Option<SqliteConnection>,
}

impl SqliteDriver {
    /// Opens the database, creating the file on first use.
    pub async fn connect(options: SqliteConnectOptions) -> Result<Self, sqlx::Error> {
        let options = options.create_if_missing(true);
        let file = options.get_filename();
        let lock_file = (!is_memory(file)).then(|| side_file(file));
        let conn = SqliteConnection::connect_with(&options).await?;
        Ok(SqliteDriver {
            conn,
            lock_file,
            lock: None,
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

impl Driver for SqliteDriver {
    fn backend(&self) -> Backend {
        Backend::Sqlite
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
            .busy_timeout(LOCK_WAIT);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        conn.execute("BEGIN IMMEDIATE").await?;
        self.lock = Some(conn);
        Ok(())
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

    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.conn.execute(sql).await.map(|_| ())
    }

    async fn query_text(&mut self, sql: &str) -> Result<TextRows, sqlx::Error> {
        let rows = sqlx::query(sql).fetch_all(&mut self.conn).await?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| row.try_get::<Option<String>, _>(i))
                    .collect()
            })
            .collect()
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
