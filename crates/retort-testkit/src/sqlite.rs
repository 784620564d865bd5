//! SQLite: a fresh database file in a temporary directory of its own.
//!
//! No server is needed, so this flavour is always available. The directory (with the
//! database and its `-wal`/`-shm` companions) is removed when the test database closes
//! or is dropped.

use std::path::PathBuf;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::ConnectOptions;
use tempfile::TempDir;

use crate::error::TestDbError;
use crate::naming;

/// A created SQLite test database: its directory, file, URL and pool.
pub(crate) struct SqliteFile {
    pub dir: TempDir,
    pub path: PathBuf,
    pub url: String,
    pub pool: SqlitePool,
    pub name: String,
}

/// Create a fresh, empty database file for `test_name` with foreign keys enforced.
pub(crate) async fn create(test_name: &str) -> Result<SqliteFile, TestDbError> {
    let name = naming::unique_database_name(test_name);
    let dir = tempfile::Builder::new()
        .prefix(&format!("{name}-"))
        .tempdir()
        .map_err(|e| TestDbError::Create {
            name: name.clone(),
            url: std::env::temp_dir().display().to_string(),
            reason: e.to_string(),
        })?;
    let path = dir.path().join(format!("{name}.sqlite3"));
    let url = format!("sqlite://{}", path.display());
    let failed = |reason: String| TestDbError::Create {
        name: name.clone(),
        url: url.clone(),
        reason,
    };
    let options = SqliteConnectOptions::from_str(&url)
        .map_err(|e| failed(e.to_string()))?
        .create_if_missing(true)
        .foreign_keys(true)
        .disable_statement_logging();
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|e| failed(e.to_string()))?;
    Ok(SqliteFile {
        dir,
        path,
        url,
        pool,
        name,
    })
}
