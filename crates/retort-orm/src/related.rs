//! The typed calls on a relationship handle (`Customer::orders`, `Order::customer`):
//! [`Related::load`] for a list of parents in one query, writes through the parent
//! ([`Related::add`], [`Related::insert_with`]), and [`Children`], a parent's loaded
//! collection whose [`Children::save`] applies the `save-update` and `delete-orphan`
//! cascades.

use std::future::Future;
use std::marker::PhantomData;

use retort_core::record::{Many, One, Record, Rel, Value};
use retort_core::RelationshipKind;

use crate::relation::{self, in_tx, row_key, Link, Side};
use crate::render::{model, models, row_model};
use crate::{insert_rows, Conn, Error, Persist, Tx};

/// What a relationship handle loads into for each parent: a `Vec` for `has_many`, an
/// `Option` for `belongs_to` and `has_one`.
pub trait Cardinality {
    /// The loaded value for one parent.
    type Of<C>;
    /// The rows found for one parent, as that value.
    fn collect<C>(rows: Vec<C>) -> Self::Of<C>;
}

impl Cardinality for Many {
    type Of<C> = Vec<C>;
    fn collect<C>(rows: Vec<C>) -> Vec<C> {
        rows
    }
}

impl Cardinality for One {
    type Of<C> = Option<C>;
    fn collect<C>(rows: Vec<C>) -> Option<C> {
        rows.into_iter().next()
    }
}

fn resolve<P: Record>(name: &'static str) -> Result<Link, Error> {
    relation::resolve(Side::of::<P>(), &P::table(), name)
}

fn values<M: Record>(rows: &[M]) -> Result<Vec<Vec<Value>>, Error> {
    rows.iter()
        .map(|r| r.to_values().map_err(Error::value::<M>))
        .collect()
}

/// Loading and writing through a relationship handle. In scope with `retort::orm::Related`
/// (or the prelude).
pub trait Related<P, C>: Copy + Send + 'static {
    /// A `Vec<C>` (`has_many`) or an `Option<C>` (`belongs_to`, `has_one`).
    type Loaded;

    /// The related rows of every parent, in the parents' order, in one `SELECT .. WHERE
    /// key IN (..)` (several when the parents outnumber the database's parameter limit):
    /// SQLAlchemy's `selectinload`, no query a parent.
    fn load(
        self,
        conn: impl Conn,
        parents: &[P],
    ) -> impl Future<Output = Result<Vec<Self::Loaded>, Error>> + Send;

    /// [`Related::load`] for one parent.
    fn load_one(
        self,
        conn: impl Conn,
        parent: &P,
    ) -> impl Future<Output = Result<Self::Loaded, Error>> + Send;

    /// Insert `child` as related to `parent` (`has_many`, `has_one`): its foreign key is set
    /// from the parent's key, whatever it held. The child as stored.
    fn add(
        self,
        conn: impl Conn,
        parent: &P,
        child: C,
    ) -> impl Future<Output = Result<C, Error>> + Send;

    /// Relate an existing `child` to `parent` through a `many_to_many` relationship's
    /// association table (one row there).
    fn attach(
        self,
        conn: impl Conn,
        parent: &P,
        child: &C,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Insert a new `parent` and its `children` in one transaction, the parent first (the
    /// `save-update` cascade): each child's foreign key is set from the key the parent got.
    /// Through a `many_to_many`, the children not in the database yet are inserted (those
    /// that are, by primary key, saved), then one association row each. Refused, naming the
    /// relationship, when its cascade has no `save-update`.
    fn insert_with(
        self,
        conn: impl Conn,
        parent: &P,
        children: Vec<C>,
    ) -> impl Future<Output = Result<(P, Vec<C>), Error>> + Send;
}

impl<P, C, K> Related<P, C> for Rel<P, C, K>
where
    P: Persist,
    C: Persist,
    P::Key: Send,
    C::Key: Send,
    K: Cardinality + Send + 'static,
    K::Of<C>: Send,
{
    type Loaded = K::Of<C>;

    fn load(
        self,
        mut conn: impl Conn,
        parents: &[P],
    ) -> impl Future<Output = Result<Vec<Self::Loaded>, Error>> + Send {
        let parents = values(parents);
        async move {
            let parents = parents?;
            let link = resolve::<P>(self.name())?;
            // Each child built as its row streams in; one shared by two parents (through
            // an association table) copied through its values.
            let grouped = relation::load_grouped_as(
                &mut conn,
                &link,
                &parents,
                row_model::<C>,
                |c: &C, i| c.value_at(i).map_err(Error::value::<C>),
                |c: &C| model::<C>(c.to_values().map_err(Error::value::<C>)?),
            )
            .await?;
            Ok(grouped.into_iter().map(K::collect).collect())
        }
    }

    fn load_one(
        self,
        conn: impl Conn,
        parent: &P,
    ) -> impl Future<Output = Result<Self::Loaded, Error>> + Send {
        let load = self.load(conn, std::slice::from_ref(parent));
        async move {
            let mut all = load.await?;
            Ok(all.remove(0))
        }
    }

    fn add(
        self,
        mut conn: impl Conn,
        parent: &P,
        child: C,
    ) -> impl Future<Output = Result<C, Error>> + Send {
        let parent = parent.to_values().map_err(Error::value::<P>);
        let child = child.to_values().map_err(Error::value::<C>);
        async move {
            let (parent, mut child) = (parent?, child?);
            let link = resolve::<P>(self.name())?;
            if matches!(link.kind, RelationshipKind::ManyToOne) {
                return Err(link.error(
                    "a belongs-to relationship refers to its target: set the foreign key field, or add through the target's has-many",
                ));
            }
            if link.via.is_some() {
                // The child, then the association row, in one transaction.
                return in_tx(&mut conn, move |tx: &mut Tx| {
                    Box::pin(async move {
                        let mut tx = tx;
                        let child = insert_rows::<C>(&mut tx, vec![child]).await?.remove(0);
                        let key = link.child_key(&child.to_values().map_err(Error::value::<C>)?);
                        let via = link.via.as_ref().expect("checked");
                        relation::associate_all(
                            &mut tx,
                            &link,
                            via,
                            &link.parent_key(&parent),
                            vec![key],
                        )
                        .await?;
                        Ok(child)
                    })
                })
                .await;
            }
            link.set_child_key(&mut child, &link.parent_key(&parent));
            let mut rows = insert_rows::<C>(&mut conn, vec![child]).await?;
            Ok(rows.remove(0))
        }
    }

    fn attach(
        self,
        mut conn: impl Conn,
        parent: &P,
        child: &C,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let parent = parent.to_values().map_err(Error::value::<P>);
        let child = child.to_values().map_err(Error::value::<C>);
        async move {
            let (parent, child) = (parent?, child?);
            let link = resolve::<P>(self.name())?;
            let Some(via) = &link.via else {
                return Err(link.error(
                    "attach relates rows through a many-to-many association table; for this relationship use add",
                ));
            };
            relation::associate_all(
                &mut conn,
                &link,
                via,
                &link.parent_key(&parent),
                vec![link.child_key(&child)],
            )
            .await
        }
    }

    fn insert_with(
        self,
        mut conn: impl Conn,
        parent: &P,
        children: Vec<C>,
    ) -> impl Future<Output = Result<(P, Vec<C>), Error>> + Send {
        let parent = parent.to_values().map_err(Error::value::<P>);
        let children = values(&children);
        async move {
            let (parent, children) = (parent?, children?);
            let link = resolve::<P>(self.name())?;
            if !link.cascade.save_update {
                return Err(link.error(
                    "its cascade has no `save-update`, so children are not inserted with the parent; \
                     insert them yourself or declare `cascade = \"save-update\"`",
                ));
            }
            if matches!(link.kind, RelationshipKind::ManyToOne) {
                return Err(link.error(
                    "insert_with inserts a parent with the rows that refer to it (has_many, has_one, \
                     many_to_many); a belongs-to relationship's target is inserted before the row",
                ));
            }
            in_tx(&mut conn, move |tx: &mut Tx| {
                Box::pin(async move {
                    let mut tx = tx;
                    let parent = insert_rows::<P>(&mut tx, vec![parent]).await?.remove(0);
                    let parent_key =
                        link.parent_key(&parent.to_values().map_err(Error::value::<P>)?);
                    if link.via.is_some() {
                        let children = relate_via::<C>(tx, &link, &parent_key, children).await?;
                        return Ok((parent, children));
                    }
                    let children = children
                        .into_iter()
                        .map(|mut c| {
                            link.set_child_key(&mut c, &parent_key);
                            c
                        })
                        .collect();
                    let children = insert_rows::<C>(&mut tx, children).await?;
                    Ok((parent, children))
                })
            })
            .await
        }
    }
}

/// Relate `children` to the parent whose key is `parent_key` through `link`'s association
/// table, in foreign-key order: the children not in the database inserted (one statement;
/// refused without `save-update`), those that are saved (`save-update` carries their
/// changes; without it they are related as they are stored), then one association row
/// each. The children as stored, in their order.
async fn relate_via<C>(
    tx: &mut Tx,
    link: &Link,
    parent_key: &[Value],
    children: Vec<Vec<Value>>,
) -> Result<Vec<C>, Error>
where
    C: Persist,
    C::Key: Send,
{
    let via = link.via.as_ref().expect("a many-to-many link");
    let mut tx = tx;
    let stored = relation::stored(&mut tx, Side::of::<C>(), &children).await?;
    let mut out: Vec<Option<C>> = Vec::with_capacity(children.len());
    let mut new = Vec::new();
    for (row, stored) in children.into_iter().zip(stored) {
        if !stored {
            new.push((out.len(), row));
            out.push(None);
        } else if link.cascade.save_update {
            let row = C::from_values(row).map_err(Error::value::<C>)?;
            out.push(Some(row.save(&mut *tx).await?));
        } else {
            out.push(Some(model::<C>(row)?));
        }
    }
    if !new.is_empty() && !link.cascade.save_update {
        return Err(link.error(
            "a child not in the database was added, but the cascade has no `save-update`; \
             insert it yourself or declare `cascade = \"save-update\"`",
        ));
    }
    let (at, rows): (Vec<usize>, Vec<Vec<Value>>) = new.into_iter().unzip();
    for (i, row) in at.into_iter().zip(insert_rows::<C>(&mut tx, rows).await?) {
        out[i] = Some(row);
    }
    let out: Vec<C> = out.into_iter().flatten().collect();
    let keys = values(&out)?
        .into_iter()
        .map(|r| link.child_key(&r))
        .collect();
    relation::associate_all(&mut tx, link, via, parent_key, keys).await?;
    Ok(out)
}

/// One parent's collection through a `has_many` or `many_to_many` relationship, loaded by
/// [`HasChildren::children`]: change it as a `Vec` (`push`, `remove`, `retain`, or through
/// `iter_mut`), then [`Children::save`] it, as SQLAlchemy's session flushes a collection.
pub struct Children<P, C> {
    name: &'static str,
    parent_key: Vec<Value>,
    loaded: Vec<Vec<Value>>,
    /// The collection as it is now.
    pub items: Vec<C>,
    _parent: PhantomData<fn() -> P>,
}

impl<P, C> std::fmt::Debug for Children<P, C>
where
    C: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Children")
            .field("relationship", &self.name)
            .field("items", &self.items)
            .finish()
    }
}

impl<P, C> std::ops::Deref for Children<P, C> {
    type Target = Vec<C>;
    fn deref(&self) -> &Vec<C> {
        &self.items
    }
}

impl<P, C> std::ops::DerefMut for Children<P, C> {
    fn deref_mut(&mut self) -> &mut Vec<C> {
        &mut self.items
    }
}

impl<P, C> Children<P, C>
where
    P: Persist,
    C: Persist,
    P::Key: Send,
    C::Key: Send,
{
    /// Write the collection, in one transaction, as the relationship's cascade says:
    /// every child gets the parent's key; a child that was not loaded is inserted
    /// (`save-update`; refused, naming the relationship, without it); one that was is
    /// saved; one taken out is deleted with `delete-orphan` (and what its own `delete`
    /// cascades reach), else its foreign key is set to `NULL` (a `NOT NULL` key then fails
    /// as a violation, as in SQLAlchemy). Through a many-to-many association table, a child
    /// added gets an association row (inserted first when it is not in the database,
    /// `save-update`), and one taken out loses its association row only, the child itself
    /// deleted with `delete-orphan` alone. The collection as stored, in its order.
    pub async fn save(self, mut conn: impl Conn) -> Result<Vec<C>, Error> {
        let current = values(&self.items)?;
        let Children {
            name,
            parent_key,
            loaded,
            ..
        } = self;
        in_tx(&mut conn, move |tx: &mut Tx| {
            Box::pin(async move {
                let link = resolve::<P>(name)?;
                let child = Side::of::<C>();
                // Without a key, a kept child cannot be told from a removed one (and a
                // de-association would match every row).
                if child.key_columns().is_empty() {
                    return Err(Error::NoPrimaryKey {
                        model: C::MODEL_NAME,
                        what: "Children::save",
                    });
                }
                let was: Vec<Option<Vec<relation::Key>>> =
                    loaded.iter().map(|r| row_key(child, r)).collect();
                let mut kept = std::collections::HashSet::new();
                let mut out: Vec<Option<C>> = Vec::with_capacity(current.len());
                let mut new = Vec::new();
                let mut tx = tx;
                let via = link.via.is_some();
                for mut row in current {
                    // Through an association table, `there` is the child's own key.
                    if !via {
                        link.set_child_key(&mut row, &parent_key);
                    }
                    let k = row_key(child, &row);
                    if k.is_some() && was.contains(&k) {
                        kept.insert(k);
                        let row = C::from_values(row).map_err(Error::value::<C>)?;
                        out.push(Some(row.save(&mut *tx).await?));
                    } else {
                        if !link.cascade.save_update && !via {
                            return Err(link.error(
                                "a child not loaded from the database was added, but the cascade has no `save-update`; \
                                 insert it yourself or declare `cascade = \"save-update\"`",
                            ));
                        }
                        new.push((out.len(), row));
                        out.push(None);
                    }
                }
                let removed: Vec<Vec<Value>> = loaded
                    .into_iter()
                    .zip(&was)
                    .filter(|(_, k)| !kept.contains(k))
                    .map(|(r, _)| r)
                    .collect();
                if let Some(via_table) = &link.via {
                    // Only the association rows go, unless delete-orphan says the child too.
                    let keys = removed.iter().map(|r| link.child_key(r)).collect();
                    relation::dissociate_children(&mut tx, &link, via_table, &parent_key, keys)
                        .await?;
                    if link.cascade.delete_orphan {
                        relation::delete_rows(tx, child, removed).await?;
                    }
                } else if link.cascade.delete_orphan {
                    relation::delete_rows(tx, child, removed).await?;
                } else {
                    relation::detach(tx, &link, &removed).await?;
                }
                let (at, rows): (Vec<usize>, Vec<Vec<Value>>) = new.into_iter().unzip();
                let inserted = if via {
                    relate_via::<C>(tx, &link, &parent_key, rows).await?
                } else {
                    insert_rows::<C>(&mut tx, rows).await?
                };
                for (i, row) in at.into_iter().zip(inserted) {
                    out[i] = Some(row);
                }
                Ok(out.into_iter().flatten().collect())
            })
        })
        .await
    }
}

/// `has_many` handles also open a parent's collection: `Customer::orders.children(&db, &ada)`.
pub trait HasChildren<P, C> {
    /// The children `parent` has now through this relationship (one query).
    fn children(
        self,
        conn: impl Conn,
        parent: &P,
    ) -> impl Future<Output = Result<Children<P, C>, Error>> + Send;
}

impl<P, C> HasChildren<P, C> for Rel<P, C, Many>
where
    P: Persist,
    C: Persist,
    P::Key: Send,
    C::Key: Send,
{
    fn children(
        self,
        mut conn: impl Conn,
        parent: &P,
    ) -> impl Future<Output = Result<Children<P, C>, Error>> + Send {
        let parent = parent.to_values().map_err(Error::value::<P>);
        async move {
            let parent = parent?;
            let link = resolve::<P>(self.name())?;
            let loaded = relation::load_grouped(&mut conn, &link, std::slice::from_ref(&parent))
                .await?
                .remove(0);
            Ok(Children {
                name: self.name(),
                parent_key: link.parent_key(&parent),
                items: models::<C>(loaded.clone())?,
                loaded,
                _parent: PhantomData,
            })
        }
    }
}
