//! [`Joined`]: a query's rows each with its `belongs_to` parent, read in the same statement
//! (SQLAlchemy's `joinedload`), where [`crate::Related::load`] is the batched `IN` query
//! (`selectinload`).
//!
//! The statement is `SELECT t0.<child's columns>, t1.<key> AS retort_joined, t1.<parent's
//! columns> FROM child t0 LEFT JOIN parent t1 ON t0.fk = t1.key [AND ..] WHERE ..`: every
//! column qualified by its table's alias (both tables may have an `id` or share the foreign
//! key's name), read by position, never by name. The foreign key's first referenced column
//! comes once more before the parent's columns: `NULL` there says that the child has no
//! parent (a `NULL` foreign key, or one that refers to no row), so a parent with `NOT NULL`
//! columns is not read out of a row of `NULL`s. A composite foreign key joins on every one
//! of its columns.

use std::marker::PhantomData;

use retort_core::record::{Filter, OrderBy, Record, Value};
use retort_core::RelationshipKind;

use crate::query::Select;
use crate::relation::{self, Side};
use crate::render::{wanted, Sql};
use crate::{Conn, Error};

/// A [`Select`] of `M`'s rows joined to the parent `P` each belongs to:
/// `Order::find().filter(..).with(Order::customer).all(&db)` gives `Vec<(Order,
/// Option<Customer>)>`. Filters, order, limit and offset are on `M`'s columns, as the
/// select's.
pub struct Joined<M, P> {
    select: Select<M>,
    relationship: &'static str,
    _parent: PhantomData<fn() -> P>,
}

impl<M, P> Joined<M, P>
where
    M: Record + Send + 'static,
    P: Record + Send + 'static,
{
    pub(crate) fn new(select: Select<M>, relationship: &'static str) -> Self {
        Joined {
            select,
            relationship,
            _parent: PhantomData,
        }
    }
    /// Only rows where `filter` holds (and-ed with earlier filters).
    pub fn filter(mut self, filter: Filter<M>) -> Self {
        self.select = self.select.filter(filter);
        self
    }
    /// Order by this key, after earlier ones.
    pub fn order_by(mut self, key: OrderBy<M>) -> Self {
        self.select = self.select.order_by(key);
        self
    }
    /// At most `n` rows (of `M`: each has at most one parent).
    pub fn limit(mut self, n: u64) -> Self {
        self.select = self.select.limit(n);
        self
    }
    /// Skip the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.select = self.select.offset(n);
        self
    }

    /// Every matching row with its parent, in one statement.
    pub async fn all(self, mut conn: impl Conn) -> Result<Vec<(M, Option<P>)>, Error> {
        let link = relation::resolve(Side::of::<M>(), &M::table(), self.relationship)?;
        if !matches!(link.kind, RelationshipKind::ManyToOne) {
            return Err(link.error(
                "`with` joins the one row a belongs-to relationship refers to; \
                 load a has-one, has-many or many-to-many with its handle's `load` (one `IN` query)",
            ));
        }
        let children = M::columns();
        let parents = P::columns();
        let marker = &parents[link.there[0]];
        let marker_kind = marker
            .kind
            .ok_or_else(|| link.error("the parent's key cannot be read"))?;
        let mut wanted = wanted::<M>()?;
        wanted.push("retort_joined", marker_kind);
        for (name, kind) in crate::render::wanted::<P>()?.cols {
            wanted.push(name, kind);
        }

        let mut sql = Sql::new(conn.backend());
        sql.push("SELECT ");
        for (i, c) in children.iter().enumerate() {
            sql.push(if i == 0 { "t0." } else { ", t0." });
            sql.name(c.name)?;
        }
        sql.push(", t1.");
        sql.name(marker.name)?;
        sql.push(" AS retort_joined");
        for c in parents {
            sql.push(", t1.");
            sql.name(c.name)?;
        }
        sql.push(" FROM ");
        sql.table::<M>()?;
        sql.push(" t0 LEFT JOIN ");
        sql.table_of(&link.to_table)?;
        sql.push(" t1 ON ");
        for (i, (&h, &t)) in link.here.iter().zip(&link.there).enumerate() {
            sql.push(if i == 0 { "t0." } else { " AND t0." });
            sql.name(children[h].name)?;
            sql.push(" = t1.");
            sql.name(parents[t].name)?;
        }
        self.select.tail("t0.", &mut sql)?;

        let field = marker.field;
        conn.fetch(sql.text, sql.params, wanted, move |row| {
            let child = M::from_row(row).map_err(Error::value::<M>)?;
            let parent = match relation::read_value(row, marker_kind, P::MODEL_NAME, field)? {
                Value::Null(_) => None,
                _ => Some(P::from_row(row).map_err(Error::value::<P>)?),
            };
            Ok((child, parent))
        })
        .await
        .map_err(Error::from_sqlx::<M>)?
    }

    /// The first matching row with its parent, if any (`LIMIT 1`).
    pub async fn one(self, conn: impl Conn) -> Result<Option<(M, Option<P>)>, Error> {
        Ok(self.limit(1).all(conn).await?.into_iter().next())
    }
}
