//! Where queries run: a pool ([`Db`]) or a transaction ([`Tx`]), both a [`Conn`].

use std::future::Future;

use retort_core::record::RowReader;
use retort_dialect::Dialect;

use crate::backend::{Param, Wanted};
use crate::Error;

/// Which database a connection talks to: how SQL is quoted and parameters are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// PostgreSQL: `"name"`, `$1`.
    Postgres,
    /// SQLite (3.35 or later, for `RETURNING`): `"name"`, `?1`.
    Sqlite,
    /// MariaDB (10.5 or later, for `INSERT .. RETURNING`): `` `name` ``, `?`.
    Mysql,
}

impl Backend {
    /// The dialect that quotes names.
    pub fn dialect(self) -> &'static dyn Dialect {
        match self {
            Backend::Postgres => &retort_dialect::Postgres,
            Backend::Sqlite => &retort_dialect::Sqlite,
            Backend::Mysql => &retort_dialect::Mysql,
        }
    }
    /// The `n`th parameter (from 1).
    pub fn placeholder(self, n: usize) -> String {
        let mut s = String::new();
        self.write_placeholder(&mut s, n);
        s
    }
    /// The `n`th parameter (from 1), written at the end of `sql` (no string of its own: an
    /// `INSERT` of a batch writes thousands). MySQL's is a bare `?`, numbered by position.
    pub(crate) fn write_placeholder(self, sql: &mut String, n: usize) {
        use std::fmt::Write as _;
        let _ = match self {
            Backend::Postgres => write!(sql, "${n}"),
            Backend::Sqlite => write!(sql, "?{n}"),
            Backend::Mysql => write!(sql, "?"),
        };
    }
    /// Whether an `IN` list of one kind goes as one array parameter (`= ANY($n)`).
    pub(crate) fn binds_arrays(self) -> bool {
        self == Backend::Postgres
    }
    /// The most parameters one statement may carry.
    pub(crate) fn max_params(self) -> usize {
        match self {
            Backend::Postgres => 65_535,
            // SQLITE_MAX_VARIABLE_NUMBER since 3.32.
            Backend::Sqlite => 32_766,
            // The protocol's 16-bit count of a prepared statement's parameters.
            Backend::Mysql => 65_535,
        }
    }
    /// Whether `UPDATE .. RETURNING` works (MariaDB returns from `INSERT` and `DELETE` only).
    pub(crate) fn updates_return(self) -> bool {
        self != Backend::Mysql
    }
}

enum Pool {
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
    #[cfg(feature = "mysql")]
    Mysql(sqlx::MySqlPool),
}

/// A pool of connections to one database. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct Db {
    pool: std::sync::Arc<Pool>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({:?})", self.backend())
    }
}

#[cfg(feature = "postgres")]
impl From<sqlx::PgPool> for Db {
    fn from(pool: sqlx::PgPool) -> Self {
        Db {
            pool: std::sync::Arc::new(Pool::Postgres(pool)),
        }
    }
}

#[cfg(feature = "sqlite")]
impl From<sqlx::SqlitePool> for Db {
    fn from(pool: sqlx::SqlitePool) -> Self {
        Db {
            pool: std::sync::Arc::new(Pool::Sqlite(pool)),
        }
    }
}

#[cfg(feature = "mysql")]
impl From<sqlx::MySqlPool> for Db {
    fn from(pool: sqlx::MySqlPool) -> Self {
        Db {
            pool: std::sync::Arc::new(Pool::Mysql(pool)),
        }
    }
}

impl Db {
    /// A pool for `url`: `postgres://..`, `sqlite:..` (SQLite with foreign keys on, as
    /// sqlx sets them) or `mysql://..` / `mariadb://..`.
    pub async fn connect(url: &str) -> Result<Db, Error> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            #[cfg(feature = "postgres")]
            "postgres" | "postgresql" => Ok(sqlx::PgPool::connect(url)
                .await
                .map_err(Error::Database)?
                .into()),
            #[cfg(feature = "sqlite")]
            "sqlite" => Ok(sqlx::SqlitePool::connect(url)
                .await
                .map_err(Error::Database)?
                .into()),
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" => {
                let url = url.replacen("mariadb://", "mysql://", 1);
                Ok(sqlx::MySqlPool::connect(&url)
                    .await
                    .map_err(Error::Database)?
                    .into())
            }
            other => Err(Error::UnsupportedUrl {
                scheme: other.to_string(),
            }),
        }
    }

    /// The database this pool talks to.
    pub fn backend(&self) -> Backend {
        match &*self.pool {
            #[cfg(feature = "postgres")]
            Pool::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "mysql")]
            Pool::Mysql(_) => Backend::Mysql,
        }
    }

    /// A transaction: pass `&mut tx` wherever a [`Conn`] goes, then [`Tx::commit`]. Dropped
    /// without a commit (an early `?` return), it rolls back.
    pub async fn begin(&self) -> Result<Tx, Error> {
        let inner = match &*self.pool {
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => TxInner::Postgres(p.begin().await.map_err(Error::Database)?),
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) => TxInner::Sqlite(p.begin().await.map_err(Error::Database)?),
            #[cfg(feature = "mysql")]
            Pool::Mysql(p) => TxInner::Mysql(p.begin().await.map_err(Error::Database)?),
        };
        Ok(Tx { inner })
    }
}

enum TxInner {
    #[cfg(feature = "postgres")]
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    #[cfg(feature = "mysql")]
    Mysql(sqlx::Transaction<'static, sqlx::MySql>),
}

/// An open transaction. Rolled back when dropped without [`Tx::commit`].
pub struct Tx {
    inner: TxInner,
}

impl Tx {
    /// Commit it.
    pub async fn commit(self) -> Result<(), Error> {
        match self.inner {
            #[cfg(feature = "postgres")]
            TxInner::Postgres(t) => t.commit().await,
            #[cfg(feature = "sqlite")]
            TxInner::Sqlite(t) => t.commit().await,
            #[cfg(feature = "mysql")]
            TxInner::Mysql(t) => t.commit().await,
        }
        .map_err(Error::Database)
    }
    /// Roll it back (what dropping it does, but waiting for the server's answer).
    pub async fn rollback(self) -> Result<(), Error> {
        match self.inner {
            #[cfg(feature = "postgres")]
            TxInner::Postgres(t) => t.rollback().await,
            #[cfg(feature = "sqlite")]
            TxInner::Sqlite(t) => t.rollback().await,
            #[cfg(feature = "mysql")]
            TxInner::Mysql(t) => t.rollback().await,
        }
        .map_err(Error::Database)
    }
}

/// Where a query runs: `&Db` (a pooled connection a statement) or `&mut Tx`.
pub trait Conn: Send {
    /// The database it talks to.
    fn backend(&self) -> Backend;
    /// Run `sql`, reading the `wanted` columns of each row as it streams in and mapping it
    /// with `map` (a failed `map` stops the read: the inner error).
    #[doc(hidden)]
    fn fetch<T: Send, X: Send>(
        &mut self,
        sql: String,
        params: Vec<Param>,
        wanted: Wanted,
        map: impl FnMut(&mut dyn RowReader) -> Result<T, X> + Send,
    ) -> impl Future<Output = Result<Result<Vec<T>, X>, sqlx::Error>> + Send;
    /// Run `sql`; the number of rows it touched.
    #[doc(hidden)]
    fn execute(
        &mut self,
        sql: String,
        params: Vec<Param>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;
    /// The pool, when this is one (a cascade opens its transaction on it).
    #[doc(hidden)]
    fn pool(&self) -> Option<Db> {
        None
    }
    /// The transaction, when this is one (a cascade runs inside it).
    #[doc(hidden)]
    fn tx(&mut self) -> Option<&mut Tx> {
        None
    }
}

impl Conn for &Db {
    fn backend(&self) -> Backend {
        Db::backend(self)
    }
    fn pool(&self) -> Option<Db> {
        Some((*self).clone())
    }
    #[allow(unused_variables)]
    fn fetch<T: Send, X: Send>(
        &mut self,
        sql: String,
        params: Vec<Param>,
        wanted: Wanted,
        map: impl FnMut(&mut dyn RowReader) -> Result<T, X> + Send,
    ) -> impl Future<Output = Result<Result<Vec<T>, X>, sqlx::Error>> + Send {
        let pool = self.pool.clone();
        async move {
            match &*pool {
                #[cfg(feature = "postgres")]
                Pool::Postgres(p) => crate::backend::pg::fetch(p, &sql, params, &wanted, map).await,
                #[cfg(feature = "sqlite")]
                Pool::Sqlite(p) => crate::backend::lite::fetch(p, &sql, params, &wanted, map).await,
                #[cfg(feature = "mysql")]
                Pool::Mysql(p) => crate::backend::my::fetch(p, &sql, params, &wanted, map).await,
            }
        }
    }
    #[allow(unused_variables)]
    fn execute(
        &mut self,
        sql: String,
        params: Vec<Param>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send {
        let pool = self.pool.clone();
        async move {
            match &*pool {
                #[cfg(feature = "postgres")]
                Pool::Postgres(p) => crate::backend::pg::execute(p, &sql, params).await,
                #[cfg(feature = "sqlite")]
                Pool::Sqlite(p) => crate::backend::lite::execute(p, &sql, params).await,
                #[cfg(feature = "mysql")]
                Pool::Mysql(p) => crate::backend::my::execute(p, &sql, params).await,
            }
        }
    }
}

impl Conn for &mut Tx {
    fn tx(&mut self) -> Option<&mut Tx> {
        Some(&mut **self)
    }
    fn backend(&self) -> Backend {
        match &self.inner {
            #[cfg(feature = "postgres")]
            TxInner::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "sqlite")]
            TxInner::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "mysql")]
            TxInner::Mysql(_) => Backend::Mysql,
        }
    }
    #[allow(unused_variables)]
    fn fetch<T: Send, X: Send>(
        &mut self,
        sql: String,
        params: Vec<Param>,
        wanted: Wanted,
        map: impl FnMut(&mut dyn RowReader) -> Result<T, X> + Send,
    ) -> impl Future<Output = Result<Result<Vec<T>, X>, sqlx::Error>> + Send {
        let inner = &mut self.inner;
        async move {
            match inner {
                #[cfg(feature = "postgres")]
                TxInner::Postgres(t) => {
                    crate::backend::pg::fetch(&mut **t, &sql, params, &wanted, map).await
                }
                #[cfg(feature = "sqlite")]
                TxInner::Sqlite(t) => {
                    crate::backend::lite::fetch(&mut **t, &sql, params, &wanted, map).await
                }
                #[cfg(feature = "mysql")]
                TxInner::Mysql(t) => {
                    crate::backend::my::fetch(&mut **t, &sql, params, &wanted, map).await
                }
            }
        }
    }
    #[allow(unused_variables)]
    fn execute(
        &mut self,
        sql: String,
        params: Vec<Param>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send {
        let inner = &mut self.inner;
        async move {
            match inner {
                #[cfg(feature = "postgres")]
                TxInner::Postgres(t) => crate::backend::pg::execute(&mut **t, &sql, params).await,
                #[cfg(feature = "sqlite")]
                TxInner::Sqlite(t) => crate::backend::lite::execute(&mut **t, &sql, params).await,
                #[cfg(feature = "mysql")]
                TxInner::Mysql(t) => crate::backend::my::execute(&mut **t, &sql, params).await,
            }
        }
    }
}
