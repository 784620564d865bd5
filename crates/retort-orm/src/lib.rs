//! Retort's query runtime: the models do something. Async on sqlx pools, for PostgreSQL,
//! SQLite (3.35 or later, for `RETURNING`) and MariaDB (10.5 or later, for `INSERT ..
//! RETURNING`; `save` updates, then reads the row back, in one transaction), each behind its
//! Cargo feature. MySQL 8 has no `RETURNING` and is not served.
//!
//! `#[derive(Model)]` already gives each model what this crate needs
//! ([`retort_core::record::Record`]: its columns, which of them the server fills, the row to
//! and from values, and one typed column handle a field, `Order::customer_id`). This crate
//! runs statements with them:
//!
//! * [`Persist`] (implemented for every model): `insert` one or `insert_many` (batched
//!   multi-row `INSERT .. RETURNING`, so identities and server defaults such as `now()` come
//!   back), `get` by primary key, `save` (every non-key column), `delete`, `find()` with
//!   typed filters, `update()` of chosen columns, `raw` SQL mapped to the model;
//! * [`Db`] (a pool) and [`Tx`] (`db.begin()`, [`Tx::commit`], rolled back when dropped), both
//!   a [`Conn`]: pass `&db` or `&mut tx` to any call;
//! * [`Error::Violation`]: unique, foreign-key, not-null and check violations placed on the
//!   model's fields and the constraint's name;
//! * relationships, through the handles the derive generates (`Customer::orders`):
//!   [`Related::load`] for a list of parents in one `IN` query (SQLAlchemy's `selectinload`,
//!   chunked under the parameter limit), [`Select::with`] for a query's rows each with its
//!   `belongs_to` parent in the same statement (a `LEFT JOIN`, SQLAlchemy's `joinedload`:
//!   [`Joined`]), [`Related::add`] and [`Related::insert_with`]
//!   (write through the parent; `save-update`), [`HasChildren::children`] and
//!   [`Children::save`] (`save-update`, `delete-orphan`), and `delete` cascading as the
//!   relationship's `delete` says, in one transaction (`relation.rs` has the design notes).
//!
//! SQL is written through the dialect (`retort-dialect` quotes every name) and every value is
//! a bound parameter. Tracking changes is explicit: `save` writes every non-key column,
//! `update().set(col, v)` writes the ones you name.
//!
//! ```no_run
//! # use retort::prelude::*;
//! # use retort::orm::{Db, Persist};
//! #[derive(Debug, Model)]
//! #[retort(table = "customers")]
//! pub struct Customer {
//!     #[retort(primary_key, identity = "always")]
//!     pub customer_id: i32,
//!     pub email_address: String,
//! }
//! # async fn tour() -> Result<(), retort::orm::Error> {
//! let db = Db::connect("sqlite::memory:").await?;
//! let ada = Customer { customer_id: 0, email_address: "ada@example.com".into() }
//!     .insert(&db)
//!     .await?; // customer_id filled by the database
//! let found = Customer::find()
//!     .filter(Customer::email_address.like("%@example.com"))
//!     .order_by(Customer::customer_id.desc())
//!     .all(&db)
//!     .await?;
//! assert_eq!(found[0].customer_id, ada.customer_id);
//! # Ok(()) }
//! ```

#[cfg(not(any(feature = "postgres", feature = "sqlite", feature = "mysql")))]
compile_error!("retort-orm needs a backend: enable its `postgres`, `sqlite` or `mysql` feature");

mod backend;
mod conn;
mod error;
mod joined;
mod query;
mod related;
mod relation;
mod render;

use std::future::Future;

pub use conn::{Backend, Conn, Db, Tx};
pub use error::{Error, Violation, ViolationKind};
pub use joined::Joined;
pub use query::{Raw, Select, Update};
pub use related::{Cardinality, Children, HasChildren, Related};
pub use retort_core::record::{Col, Filter, Many, One, OrderBy, Record, Rel, Value};

use render::{fetch_models, wanted, Sql};

/// What every model can do against a database: implemented for every
/// [`Record`] (every `#[derive(Model)]` struct). Bring it into scope (`use
/// retort::orm::Persist`, or `retort::prelude::*` with the `orm` feature).
pub trait Persist: Record + Send + Sync + 'static
where
    Self::Key: Send,
{
    /// Insert this row; the row as stored, with what the server filled (identity keys,
    /// server defaults). Columns the server fills are left out of the `INSERT`.
    fn insert(&self, mut conn: impl Conn) -> impl Future<Output = Result<Self, Error>> + Send {
        let values = self.to_values();
        async move {
            let values = values.map_err(Error::value::<Self>)?;
            let mut rows = insert_rows::<Self>(&mut conn, vec![values]).await?;
            Ok(rows.remove(0))
        }
    }

    /// Insert many rows, in multi-row `INSERT`s as large as the database's parameter limit
    /// allows; the rows as stored, in the order given.
    fn insert_many(
        mut conn: impl Conn,
        rows: &[Self],
    ) -> impl Future<Output = Result<Vec<Self>, Error>> + Send {
        let values: Result<Vec<_>, _> = rows.iter().map(Record::to_values).collect();
        async move {
            let values = values.map_err(Error::value::<Self>)?;
            insert_rows::<Self>(&mut conn, values).await
        }
    }

    /// The row with this primary key, if there is one.
    fn get(
        mut conn: impl Conn,
        key: Self::Key,
    ) -> impl Future<Output = Result<Option<Self>, Error>> + Send {
        let key = Self::key_values(key);
        async move {
            let mut sql = select_all::<Self>(conn.backend())?;
            sql.where_key::<Self>(key, "get")?;
            let rows = fetch_models::<Self>(&mut conn, sql, wanted::<Self>()?).await?;
            Ok(rows.into_iter().next())
        }
    }

    /// Write every non-key column of this row to the row with its key; the row as stored
    /// (triggers may change it). [`Error::NotFound`] when no row has the key.
    fn save(&self, mut conn: impl Conn) -> impl Future<Output = Result<Self, Error>> + Send {
        let values = self.to_values();
        async move {
            let values = values.map_err(Error::value::<Self>)?;
            let mut key = Vec::new();
            let mut sets = Vec::new();
            for (c, v) in Self::columns().iter().zip(values) {
                if c.primary_key {
                    key.push(v);
                } else if !c.computed {
                    sets.push((c.name, v));
                }
            }
            let mut sql = Sql::new(conn.backend());
            sql.push("UPDATE ");
            sql.table::<Self>()?;
            sql.push(" SET ");
            if sets.is_empty() {
                // Nothing but the key: touch the key so the row still comes back.
                let first = Self::columns().iter().find(|c| c.primary_key);
                if let Some(c) = first {
                    sql.name(c.name)?;
                    sql.push(" = ");
                    sql.name(c.name)?;
                }
            }
            for (i, (c, v)) in sets.into_iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.name(c)?;
                sql.push(" = ");
                sql.param(v);
            }
            if !conn.backend().updates_return() {
                // MariaDB: the UPDATE, then the row read back by its key, in one transaction
                // so that nothing comes between them.
                sql.where_key::<Self>(key.clone(), "save")?;
                return relation::in_tx(&mut conn, move |tx: &mut Tx| {
                    Box::pin(async move {
                        let mut c = &mut *tx;
                        c.execute(sql.text, sql.params)
                            .await
                            .map_err(Error::from_sqlx::<Self>)?;
                        let mut read = select_all::<Self>(c.backend())?;
                        read.where_key::<Self>(key, "save")?;
                        let rows = fetch_models::<Self>(&mut c, read, wanted::<Self>()?).await?;
                        rows.into_iter().next().ok_or(Error::NotFound {
                            model: Self::MODEL_NAME,
                        })
                    })
                })
                .await;
            }
            sql.where_key::<Self>(key, "save")?;
            returning::<Self>(&mut sql)?;
            let rows = fetch_models::<Self>(&mut conn, sql, wanted::<Self>()?).await?;
            rows.into_iter().next().ok_or(Error::NotFound {
                model: Self::MODEL_NAME,
            })
        }
    }

    /// Delete this row (by its primary key); whether there was one. A relationship with the
    /// `delete` cascade deletes its rows first, recursively, in one transaction (the
    /// caller's, or one of its own), whatever the foreign keys' `ON DELETE` says.
    fn delete(&self, mut conn: impl Conn) -> impl Future<Output = Result<bool, Error>> + Send {
        let values = self.to_values();
        async move {
            let values = values.map_err(Error::value::<Self>)?;
            let side = relation::Side::of::<Self>();
            if relation::cascades_delete(side) {
                return relation::in_tx(&mut conn, move |tx: &mut Tx| {
                    relation::delete_rows(tx, side, vec![values])
                })
                .await
                .map(|n| n > 0);
            }
            let key = Self::columns()
                .iter()
                .zip(values)
                .filter(|(c, _)| c.primary_key)
                .map(|(_, v)| v)
                .collect();
            delete_key::<Self>(&mut conn, key).await
        }
    }

    /// Delete the row with this primary key; whether there was one. Cascades as
    /// [`Persist::delete`] does.
    fn delete_by_key(
        mut conn: impl Conn,
        key: Self::Key,
    ) -> impl Future<Output = Result<bool, Error>> + Send {
        let key = Self::key_values(key);
        async move {
            let side = relation::Side::of::<Self>();
            if !relation::cascades_delete(side) {
                return delete_key::<Self>(&mut conn, key).await;
            }
            relation::in_tx(&mut conn, move |tx: &mut Tx| {
                Box::pin(async move {
                    let mut sql = select_all::<Self>(tx.backend())?;
                    sql.where_key::<Self>(key, "delete")?;
                    let mut c = &mut *tx;
                    let wanted = wanted::<Self>()?;
                    let read = wanted.clone();
                    let rows = c
                        .fetch(sql.text, sql.params, wanted, move |r| {
                            backend::values(r, &read)
                        })
                        .await
                        .map_err(Error::from_sqlx::<Self>)?
                        .map_err(Error::value::<Self>)?;
                    Ok(relation::delete_rows(tx, side, rows).await? > 0)
                })
            })
            .await
        }
    }

    /// A query of this model's rows.
    fn find() -> Select<Self> {
        Select::default()
    }

    /// An `UPDATE` of the columns you `set`.
    fn update() -> Update<Self> {
        Update::default()
    }

    /// Your SQL, its rows read as this model by column name.
    fn raw(sql: impl Into<String>) -> Raw<Self> {
        Raw::new(sql.into())
    }
}

impl<M: Record + Send + Sync + 'static> Persist for M where M::Key: Send {}

fn select_all<M: Record>(backend: Backend) -> Result<Sql, Error> {
    let mut sql = Sql::new(backend);
    sql.push("SELECT ");
    sql.names(M::columns().iter().map(|c| c.name))?;
    sql.push(" FROM ");
    sql.table::<M>()?;
    Ok(sql)
}

fn returning<M: Record>(sql: &mut Sql) -> Result<(), Error> {
    sql.push(" RETURNING ");
    sql.names(M::columns().iter().map(|c| c.name))
}

async fn delete_key<M: Record>(conn: &mut impl Conn, key: Vec<Value>) -> Result<bool, Error> {
    let mut sql = Sql::new(conn.backend());
    sql.push("DELETE FROM ");
    sql.table::<M>()?;
    sql.where_key::<M>(key, "delete")?;
    let n = conn
        .execute(sql.text, sql.params)
        .await
        .map_err(Error::from_sqlx::<M>)?;
    Ok(n > 0)
}

/// `INSERT .. VALUES (..), (..) RETURNING ..` in batches under the parameter limit; rows
/// whose every column the server fills go one by one as `DEFAULT VALUES`.
pub(crate) async fn insert_rows<M: Record + Send>(
    conn: &mut impl Conn,
    rows: Vec<Vec<Value>>,
) -> Result<Vec<M>, Error> {
    let wanted = wanted::<M>()?;
    let columns = M::columns();
    let written: Vec<usize> = (0..columns.len())
        .filter(|&i| !columns[i].server_filled)
        .collect();
    let backend = conn.backend();
    let per_batch = if written.is_empty() {
        1
    } else {
        (backend.max_params() / written.len()).max(1)
    };
    let mut out = Vec::with_capacity(rows.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO ");
        sql.table::<M>()?;
        if written.is_empty() {
            rows.next();
            // MariaDB has no `DEFAULT VALUES`: an empty column list and row instead.
            sql.push(if backend == Backend::Mysql {
                " () VALUES ()"
            } else {
                " DEFAULT VALUES"
            });
        } else {
            sql.push(" (");
            sql.names(written.iter().map(|&i| columns[i].name))?;
            sql.push(") VALUES ");
            for (n, row) in rows.by_ref().take(per_batch).enumerate() {
                sql.push(if n == 0 { "(" } else { ", (" });
                // The row's values of the written columns, in column order (as `written`).
                let values = row
                    .into_iter()
                    .zip(columns)
                    .filter(|(_, c)| !c.server_filled)
                    .map(|(v, _)| v);
                for (j, v) in values.enumerate() {
                    if j > 0 {
                        sql.push(", ");
                    }
                    sql.param(v);
                }
                sql.push(")");
            }
        }
        returning::<M>(&mut sql)?;
        out.extend(fetch_models::<M>(conn, sql, wanted.clone()).await?);
    }
    Ok(out)
}
