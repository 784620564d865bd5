//! Opening a driver from a URL or an application's pool, without generics at the call
//! site: [`AnyDriver`] is whichever driver the URL's scheme names.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

use crate::driver::{Driver, LockHolder, PgDriver, SqliteDriver, TextRows};
use crate::runner::MigrateError;
use crate::url::{Backend, DatabaseUrl};

/// The driver for a URL's backend.
pub enum AnyDriver {
    // Boxed: a PostgreSQL driver holds two connections, far larger than SQLite's one.
    Postgres(Box<PgDriver>),
    Sqlite(SqliteDriver),
}

/// Where to migrate: a URL, or the pool an application already has (its connect options
/// are reused for the runner's own dedicated connections; no pooled connection is held).
///
/// `Debug` shows the URL redacted and never the connect options' password (sqlx's own
/// `Debug` of `PgConnectOptions` prints it).
#[derive(Clone)]
#[non_exhaustive]
pub enum Target {
    Url(DatabaseUrl),
    Postgres(PgConnectOptions),
    Sqlite(SqliteConnectOptions),
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Url(url) => f.debug_tuple("Url").field(url).finish(),
            Target::Postgres(o) => f
                .debug_struct("Postgres")
                .field("host", &o.get_host())
                .field("port", &o.get_port())
                .field("username", &o.get_username())
                .field("database", &o.get_database())
                .field("password", &"***")
                .finish(),
            Target::Sqlite(o) => f
                .debug_struct("Sqlite")
                .field("filename", &o.get_filename())
                .finish(),
        }
    }
}

impl From<DatabaseUrl> for Target {
    fn from(url: DatabaseUrl) -> Self {
        Target::Url(url)
    }
}
impl From<&DatabaseUrl> for Target {
    fn from(url: &DatabaseUrl) -> Self {
        Target::Url(url.clone())
    }
}
impl From<&PgPool> for Target {
    fn from(pool: &PgPool) -> Self {
        Target::Postgres((*pool.connect_options()).clone())
    }
}
impl From<&SqlitePool> for Target {
    fn from(pool: &SqlitePool) -> Self {
        Target::Sqlite((*pool.connect_options()).clone())
    }
}

impl AnyDriver {
    /// For read-only commands (`current`, `history`, `check`): like [`AnyDriver::connect`],
    /// but a SQLite file that does not exist yet is not created; `None` then means "no
    /// database, so nothing applied".
    pub async fn connect_existing(
        target: impl Into<Target>,
    ) -> Result<Option<AnyDriver>, MigrateError> {
        let target = target.into();
        let file = match &target {
            Target::Url(url) if url.backend() == Backend::Sqlite => {
                SqliteConnectOptions::from_str(url.expose_secret())
                    .ok()
                    .map(|o| o.get_filename().to_owned())
            }
            Target::Sqlite(options) => Some(options.get_filename().to_owned()),
            _ => None,
        };
        if let Some(file) = file {
            let name = file.to_string_lossy();
            let in_memory = name.is_empty() || name.contains(":memory:");
            if !in_memory && !file.exists() {
                return Ok(None);
            }
        }
        AnyDriver::connect(target).await.map(Some)
    }

    /// Connects to `target`, creating a SQLite file on first use. Errors show the URL
    /// redacted.
    pub async fn connect(target: impl Into<Target>) -> Result<AnyDriver, MigrateError> {
        match target.into() {
            Target::Url(url) => {
                let shown = url.redacted();
                let err = |source| MigrateError::Connect {
                    url: shown.clone(),
                    source,
                };
                match url.backend() {
                    Backend::Postgres => {
                        let options =
                            PgConnectOptions::from_str(url.expose_secret()).map_err(err)?;
                        Ok(AnyDriver::Postgres(Box::new(
                            PgDriver::connect(options).await.map_err(err)?,
                        )))
                    }
                    Backend::Sqlite => {
                        let options =
                            SqliteConnectOptions::from_str(url.expose_secret()).map_err(err)?;
                        Ok(AnyDriver::Sqlite(
                            SqliteDriver::connect(options).await.map_err(err)?,
                        ))
                    }
                }
            }
            Target::Postgres(options) => {
                let shown = format!(
                    "postgres://{}/{}",
                    options.get_host(),
                    options.get_database().unwrap_or("")
                );
                Ok(AnyDriver::Postgres(Box::new(
                    PgDriver::connect(options)
                        .await
                        .map_err(|source| MigrateError::Connect { url: shown, source })?,
                )))
            }
            Target::Sqlite(options) => {
                let shown = format!("sqlite://{}", options.get_filename().display());
                Ok(AnyDriver::Sqlite(
                    SqliteDriver::connect(options)
                        .await
                        .map_err(|source| MigrateError::Connect { url: shown, source })?,
                ))
            }
        }
    }
}

macro_rules! delegate {
    ($self:ident, $d:ident => $e:expr) => {
        match $self {
            AnyDriver::Postgres($d) => $e,
            AnyDriver::Sqlite($d) => $e,
        }
    };
}

impl Driver for AnyDriver {
    fn backend(&self) -> Backend {
        delegate!(self, d => d.backend())
    }
    fn transactional_ddl(&self) -> bool {
        delegate!(self, d => d.transactional_ddl())
    }
    fn begin_sql(&self) -> &'static str {
        delegate!(self, d => d.begin_sql())
    }
    async fn lock(&mut self, key: &str) -> Result<(), sqlx::Error> {
        delegate!(self, d => d.lock(key).await)
    }
    async fn try_lock(&mut self, key: &str) -> Result<bool, sqlx::Error> {
        delegate!(self, d => d.try_lock(key).await)
    }
    async fn lock_holder(&mut self, key: &str) -> Result<Option<LockHolder>, sqlx::Error> {
        delegate!(self, d => d.lock_holder(key).await)
    }
    async fn unlock(&mut self) -> Result<(), sqlx::Error> {
        delegate!(self, d => d.unlock().await)
    }
    async fn lock_held(&mut self) -> Result<bool, sqlx::Error> {
        delegate!(self, d => d.lock_held().await)
    }
    async fn default_schema(&mut self) -> Result<Option<String>, sqlx::Error> {
        delegate!(self, d => d.default_schema().await)
    }
    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        delegate!(self, d => d.execute(sql).await)
    }
    async fn execute_rows(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        delegate!(self, d => d.execute_rows(sql).await)
    }
    async fn query_text(&mut self, sql: &str) -> Result<TextRows, sqlx::Error> {
        delegate!(self, d => d.query_text(sql).await)
    }
    async fn table_exists(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> Result<bool, sqlx::Error> {
        delegate!(self, d => d.table_exists(schema, table).await)
    }
    async fn close(self) -> Result<(), sqlx::Error> {
        delegate!(self, d => d.close().await)
    }
}
