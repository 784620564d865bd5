//! Opening a driver from a URL or an application's pool, without generics at the call
//! site: [`AnyDriver`] is whichever driver the URL's scheme names.
//!
//! Each backend is a Cargo feature (`postgres`, `sqlite`, `mysql`): a variant exists only when its
//! driver is compiled, and a URL for a backend left out is refused when connecting, with
//! the feature to enable. TLS (`tls`) is sqlx's rustls, used by PostgreSQL URLs that ask
//! for it (`sslmode=require`, `verify-ca`, `verify-full`, `sslrootcert=`).

#[cfg(feature = "mysql")]
use sqlx::mysql::{MySqlConnectOptions, MySqlPool};
#[cfg(feature = "postgres")]
use sqlx::postgres::{PgConnectOptions, PgPool};
#[cfg(feature = "sqlite")]
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

#[cfg(feature = "mysql")]
use crate::driver::MysqlDriver;
#[cfg(feature = "postgres")]
use crate::driver::PgDriver;
#[cfg(feature = "sqlite")]
use crate::driver::SqliteDriver;
use crate::driver::{Driver, LockHolder, TextRows};
use crate::runner::MigrateError;
use crate::url::{Backend, DatabaseUrl};

/// The driver for a URL's backend.
#[non_exhaustive]
pub enum AnyDriver {
    // Boxed: a PostgreSQL driver holds two connections, far larger than SQLite's one.
    /// A PostgreSQL connection (and its lock session).
    #[cfg(feature = "postgres")]
    Postgres(Box<PgDriver>),
    /// A SQLite database file.
    #[cfg(feature = "sqlite")]
    Sqlite(SqliteDriver),
    /// A MySQL or MariaDB connection (and its lock session).
    #[cfg(feature = "mysql")]
    Mysql(Box<MysqlDriver>),
}

/// Where to migrate: a URL, or the pool an application already has (its connect options
/// are reused for the runner's own dedicated connections; no pooled connection is held).
///
/// `Debug` shows the URL redacted and never the connect options' password (sqlx's own
/// `Debug` of `PgConnectOptions` prints it).
#[derive(Clone)]
#[non_exhaustive]
pub enum Target {
    /// A database URL (`postgres://`, `sqlite://`, `mysql://`).
    Url(DatabaseUrl),
    /// The connect options of an application's PostgreSQL pool.
    #[cfg(feature = "postgres")]
    Postgres(PgConnectOptions),
    /// The connect options of an application's SQLite pool.
    #[cfg(feature = "sqlite")]
    Sqlite(SqliteConnectOptions),
    /// The connect options of an application's MySQL pool.
    #[cfg(feature = "mysql")]
    Mysql(MySqlConnectOptions),
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Url(url) => f.debug_tuple("Url").field(url).finish(),
            #[cfg(feature = "postgres")]
            Target::Postgres(o) => f
                .debug_struct("Postgres")
                .field("host", &o.get_host())
                .field("port", &o.get_port())
                .field("username", &o.get_username())
                .field("database", &o.get_database())
                .field("password", &"***")
                .finish(),
            #[cfg(feature = "sqlite")]
            Target::Sqlite(o) => f
                .debug_struct("Sqlite")
                .field("filename", &o.get_filename())
                .finish(),
            #[cfg(feature = "mysql")]
            Target::Mysql(o) => f
                .debug_struct("Mysql")
                .field("host", &o.get_host())
                .field("port", &o.get_port())
                .field("username", &o.get_username())
                .field("database", &o.get_database())
                .field("password", &"***")
                .finish(),
        }
    }
}

impl Target {
    /// What this target points at, for a `Target:` line: the dialect, then host, port,
    /// user and database (PostgreSQL, as the driver will use them, defaults and `PG*`
    /// variables filled in) or the file (SQLite, made absolute). Never the password.
    pub fn describe(&self) -> String {
        match self {
            Target::Url(url) => crate::backends::driver(url.backend())
                .and_then(|d| (d.describe)(url))
                .unwrap_or_else(|| url.redacted()),
            #[cfg(feature = "postgres")]
            Target::Postgres(o) => crate::driver::postgres::describe(o),
            #[cfg(feature = "sqlite")]
            Target::Sqlite(o) => crate::driver::sqlite::describe(o),
            #[cfg(feature = "mysql")]
            Target::Mysql(o) => crate::driver::mysql::describe(o),
        }
    }
}

/// How one backend connects, as the registry ([`crate::backends::driver`]) hands it out:
/// each driver module has one, so nothing here matches on the backend.
pub(crate) struct DriverEntry {
    /// Opens the driver for a URL of this backend (its connect options parsed from it).
    pub connect: fn(&DatabaseUrl) -> ConnectFuture<'_>,
    /// The URL as the driver will use it, for a `Target:` line; `None` when the driver
    /// cannot parse it (the redacted URL is shown then). Never the password.
    pub describe: fn(&DatabaseUrl) -> Option<String>,
    /// The file the URL names, if the database is a file: read-only commands do not
    /// create it (`None` for an in-memory database or a server).
    pub file: fn(&DatabaseUrl) -> Option<std::path::PathBuf>,
}

/// What [`DriverEntry::connect`] returns.
pub(crate) type ConnectFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<AnyDriver, sqlx::Error>> + Send + 'a>,
>;

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
#[cfg(feature = "postgres")]
impl From<&PgPool> for Target {
    fn from(pool: &PgPool) -> Self {
        Target::Postgres((*pool.connect_options()).clone())
    }
}
#[cfg(feature = "mysql")]
impl From<&MySqlPool> for Target {
    fn from(pool: &MySqlPool) -> Self {
        Target::Mysql((*pool.connect_options()).clone())
    }
}
#[cfg(feature = "sqlite")]
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
            Target::Url(url) => crate::backends::driver(url.backend()).and_then(|d| (d.file)(url)),
            #[cfg(feature = "sqlite")]
            Target::Sqlite(options) => crate::driver::sqlite::file_of(options),
            #[allow(unreachable_patterns)]
            _ => None,
        };
        if let Some(file) = file {
            if !file.exists() {
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
                let err = |source| MigrateError::Connect {
                    url: url.redacted(),
                    source,
                };
                let backend = url.backend();
                let Some(driver) = crate::backends::driver(backend) else {
                    return Err(err(sqlx::Error::Configuration(
                        format!(
                            "this build of Retort has no {backend} driver; enable the `{backend}` feature of the `retort` crate"
                        )
                        .into(),
                    )));
                };
                (driver.connect)(&url).await.map_err(err)
            }
            #[cfg(feature = "postgres")]
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
            #[cfg(feature = "sqlite")]
            Target::Sqlite(options) => {
                let shown = format!("sqlite://{}", options.get_filename().display());
                Ok(AnyDriver::Sqlite(
                    SqliteDriver::connect(options)
                        .await
                        .map_err(|source| MigrateError::Connect { url: shown, source })?,
                ))
            }
            #[cfg(feature = "mysql")]
            Target::Mysql(options) => {
                let shown = crate::driver::mysql::describe(&options);
                Ok(AnyDriver::Mysql(Box::new(
                    MysqlDriver::connect(options)
                        .await
                        .map_err(|source| MigrateError::Connect { url: shown, source })?,
                )))
            }
        }
    }
}

macro_rules! delegate {
    ($self:ident, $d:ident => $e:expr) => {
        match $self {
            #[cfg(feature = "postgres")]
            AnyDriver::Postgres($d) => $e,
            #[cfg(feature = "sqlite")]
            AnyDriver::Sqlite($d) => $e,
            #[cfg(feature = "mysql")]
            AnyDriver::Mysql($d) => $e,
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
    async fn set_lock_wait(&mut self, wait: std::time::Duration) -> Result<(), sqlx::Error> {
        delegate!(self, d => d.set_lock_wait(wait).await)
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
    async fn query_text_each(
        &mut self,
        sql: &str,
        each: &mut (dyn FnMut(Vec<Option<String>>) -> bool + Send),
    ) -> Result<(), sqlx::Error> {
        delegate!(self, d => d.query_text_each(sql, each).await)
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
    async fn catalog_sibling(
        &mut self,
    ) -> Result<Option<Box<dyn retort_dialect::Catalog>>, sqlx::Error> {
        delegate!(self, d => d.catalog_sibling().await)
    }
}
