//! The statement builders: [`Select`] (filters, order, limit, count, exists, delete),
//! [`Update`] (`SET` some columns where a filter holds) and [`Raw`] (your SQL, rows mapped
//! to the model).

use std::marker::PhantomData;

use retort_core::record::{Col, FieldValue, Filter, One, OrderBy, Record, Rel, Value, ValueKind};

use crate::backend::{values, Param, Wanted};
use crate::joined::Joined;
use crate::render::{fetch_models, row_model, wanted, Sql};
use crate::{Conn, Error};

/// `SELECT` of a model's rows: `Order::find().filter(..).order_by(..).limit(n).all(&db)`.
pub struct Select<M> {
    filter: Option<Filter<M>>,
    order: Vec<OrderBy<M>>,
    limit: Option<u64>,
    offset: Option<u64>,
}

impl<M: Record> Default for Select<M> {
    fn default() -> Self {
        Select {
            filter: None,
            order: Vec::new(),
            limit: None,
            offset: None,
        }
    }
}

impl<M: Record + Send + 'static> Select<M> {
    /// Only rows where `filter` holds (and-ed with earlier filters).
    pub fn filter(mut self, filter: Filter<M>) -> Self {
        self.filter = Some(match self.filter {
            Some(f) => f.and(filter),
            None => filter,
        });
        self
    }
    /// Order by this key, after earlier ones.
    pub fn order_by(mut self, key: OrderBy<M>) -> Self {
        self.order.push(key);
        self
    }
    /// At most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }
    /// Skip the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = Some(n);
        self
    }

    /// Each row with its parent through a `belongs_to` relationship, read in the same
    /// statement: `SELECT t0.*, t1.* FROM child t0 LEFT JOIN parent t1 ON t1.key =
    /// t0.fk` with this query's filters, order, limit and offset (SQLAlchemy's
    /// `joinedload`). Rows come as `(child, Option<parent>)`, `None` where the foreign key
    /// is `NULL` (or refers to no row). For a list of parents you already hold, or a
    /// `has_many`, [`crate::Related::load`] is the batched `IN` query.
    pub fn with<P: Record + Send + 'static>(self, relationship: Rel<M, P, One>) -> Joined<M, P> {
        Joined::new(self, relationship.name())
    }

    fn where_clause(&self, sql: &mut Sql) -> Result<(), Error> {
        self.where_on("", sql)
    }

    /// ` WHERE ..` with every column after `prefix` (`t0.` in a join).
    pub(crate) fn where_on(&self, prefix: &str, sql: &mut Sql) -> Result<(), Error> {
        if let Some(f) = &self.filter {
            sql.push(" WHERE ");
            sql.expr_on(prefix, &f.expr)?;
        }
        Ok(())
    }

    fn select_sql(&self, conn: &impl Conn) -> Result<Sql, Error> {
        let mut sql = Sql::new(conn.backend());
        sql.push("SELECT ");
        sql.names(M::columns().iter().map(|c| c.name))?;
        sql.push(" FROM ");
        sql.table::<M>()?;
        self.tail("", &mut sql)?;
        Ok(sql)
    }

    /// ` WHERE .. ORDER BY .. LIMIT .. OFFSET ..`, every column after `prefix`.
    pub(crate) fn tail(&self, prefix: &str, sql: &mut Sql) -> Result<(), Error> {
        self.where_on(prefix, sql)?;
        for (i, o) in self.order.iter().enumerate() {
            sql.push(if i == 0 { " ORDER BY " } else { ", " });
            sql.push(prefix);
            sql.name(o.column)?;
            if o.descending {
                sql.push(" DESC");
            }
        }
        match (self.limit, self.offset) {
            (Some(l), _) => sql.push(&format!(" LIMIT {l}")),
            // SQLite takes OFFSET only after a LIMIT; -1 is none.
            (None, Some(_)) if sql.backend == crate::Backend::Sqlite => sql.push(" LIMIT -1"),
            // MySQL too, its "none" being the largest unsigned 64-bit number.
            (None, Some(_)) if sql.backend == crate::Backend::Mysql => {
                sql.push(" LIMIT 18446744073709551615")
            }
            _ => {}
        }
        if let Some(o) = self.offset {
            sql.push(&format!(" OFFSET {o}"));
        }
        Ok(())
    }

    /// Every matching row.
    pub async fn all(self, mut conn: impl Conn) -> Result<Vec<M>, Error> {
        let sql = self.select_sql(&conn)?;
        fetch_models::<M>(&mut conn, sql, wanted::<M>()?).await
    }

    /// The first matching row, if any (`LIMIT 1`).
    pub async fn one(self, conn: impl Conn) -> Result<Option<M>, Error> {
        Ok(self.limit(1).all(conn).await?.into_iter().next())
    }

    /// How many rows match (limit and offset ignored).
    pub async fn count(self, mut conn: impl Conn) -> Result<i64, Error> {
        let mut sql = Sql::new(conn.backend());
        sql.push("SELECT count(*) AS n FROM ");
        sql.table::<M>()?;
        self.where_clause(&mut sql)?;
        let wanted = Wanted::at(vec![("n", ValueKind::I64)]);
        let read = wanted.clone();
        let rows = conn
            .fetch(sql.text, sql.params, wanted, move |r| values(r, &read))
            .await
            .map_err(Error::from_sqlx::<M>)?
            .map_err(Error::value::<M>)?;
        match rows.into_iter().next().and_then(|r| r.into_iter().next()) {
            Some(Value::I64(n)) => Ok(n),
            other => Err(Error::Database(sqlx::Error::Protocol(format!(
                "count(*) read back as {other:?}"
            )))),
        }
    }

    /// Whether any row matches.
    pub async fn exists(self, mut conn: impl Conn) -> Result<bool, Error> {
        let mut sql = Sql::new(conn.backend());
        sql.push("SELECT EXISTS (SELECT 1 FROM ");
        sql.table::<M>()?;
        self.where_clause(&mut sql)?;
        sql.push(") AS e");
        let wanted = Wanted::at(vec![("e", ValueKind::Bool)]);
        let read = wanted.clone();
        let rows = conn
            .fetch(sql.text, sql.params, wanted, move |r| values(r, &read))
            .await
            .map_err(Error::from_sqlx::<M>)?
            .map_err(Error::value::<M>)?;
        Ok(matches!(
            rows.into_iter().next().and_then(|r| r.into_iter().next()),
            Some(Value::Bool(true))
        ))
    }

    /// Delete every matching row (order, limit and offset ignored); how many went.
    pub async fn delete(self, mut conn: impl Conn) -> Result<u64, Error> {
        let mut sql = Sql::new(conn.backend());
        sql.push("DELETE FROM ");
        sql.table::<M>()?;
        self.where_clause(&mut sql)?;
        conn.execute(sql.text, sql.params)
            .await
            .map_err(Error::from_sqlx::<M>)
    }
}

/// `UPDATE` of some columns where a filter holds:
/// `Order::update().set(Order::customer_id, 2).filter(..).execute(&db)`.
pub struct Update<M> {
    sets: Vec<(&'static str, Value)>,
    filter: Option<Filter<M>>,
}

impl<M> Default for Update<M> {
    fn default() -> Self {
        Update {
            sets: Vec::new(),
            filter: None,
        }
    }
}

impl<M: Record + Send + 'static> Update<M> {
    /// Set `column` to `value` (typed as the field).
    pub fn set<T: FieldValue>(mut self, column: Col<M, T>, value: impl Into<T>) -> Self {
        self.sets.push((column.name(), value.into().into_value()));
        self
    }
    /// Only rows where `filter` holds (without one, every row).
    pub fn filter(mut self, filter: Filter<M>) -> Self {
        self.filter = Some(match self.filter {
            Some(f) => f.and(filter),
            None => filter,
        });
        self
    }
    /// Run it; how many rows changed. With nothing to set, nothing runs.
    pub async fn execute(self, mut conn: impl Conn) -> Result<u64, Error> {
        if self.sets.is_empty() {
            return Ok(0);
        }
        let mut sql = Sql::new(conn.backend());
        sql.push("UPDATE ");
        sql.table::<M>()?;
        sql.push(" SET ");
        for (i, (c, v)) in self.sets.into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.name(c)?;
            sql.push(" = ");
            sql.param(v);
        }
        if let Some(f) = &self.filter {
            sql.push(" WHERE ");
            sql.expr(&f.expr)?;
        }
        conn.execute(sql.text, sql.params)
            .await
            .map_err(Error::from_sqlx::<M>)
    }
}

/// Your SQL, its rows read as the model by column name:
/// `Order::raw("SELECT * FROM orders WHERE customer_id = $1").bind(7).all(&db)`.
/// Parameters are written as the database writes them (`$1` on PostgreSQL, `?` or `?1` on
/// SQLite).
pub struct Raw<M> {
    sql: String,
    params: Vec<Value>,
    _marker: PhantomData<fn() -> M>,
}

impl<M: Record + Send + 'static> Raw<M> {
    pub(crate) fn new(sql: String) -> Self {
        Raw {
            sql,
            params: Vec::new(),
            _marker: PhantomData,
        }
    }
    /// The next parameter.
    pub fn bind(mut self, value: impl FieldValue) -> Self {
        self.params.push(value.into_value());
        self
    }
    /// Every row, as models.
    pub async fn all(self, mut conn: impl Conn) -> Result<Vec<M>, Error> {
        // The user's SQL: its columns found by name, in whatever order it lists them.
        let wanted = Wanted::named(wanted::<M>()?.cols);
        let params = self.params.into_iter().map(Param::One).collect();
        conn.fetch(self.sql, params, wanted, row_model::<M>)
            .await
            .map_err(Error::from_sqlx::<M>)?
    }
    /// Run it for its effect (an `UPDATE`, a `DELETE`); how many rows it touched.
    pub async fn execute(self, mut conn: impl Conn) -> Result<u64, Error> {
        let params = self.params.into_iter().map(Param::One).collect();
        conn.execute(self.sql, params)
            .await
            .map_err(Error::from_sqlx::<M>)
    }
}
