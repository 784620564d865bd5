//! Relationships at run time: a relationship resolved to the foreign key it follows
//! ([`Link`]), batched loading (SQLAlchemy's `selectinload`: one `IN` query a relationship
//! for a whole list of parents, chunked under the parameter limit), and the cascades that
//! run inside a transaction (`delete`, `delete-orphan`, `save-update`, and without `delete`
//! the children's foreign key set to `NULL` before their parent goes, SQLAlchemy's default).
//! A relationship with `passive_deletes` is left to the foreign key's `ON DELETE` instead;
//! on a many-to-many that means its association rows, which the runtime then neither loads
//! nor deletes (SQLAlchemy's `passive_deletes` on a `secondary`: an unloaded collection is
//! left to the link table's `ON DELETE CASCADE`, the `delete` cascade included).
//! A foreign key of several columns is followed on all of them: its values are matched as
//! a row value (`(a, b) IN (..)`; on SQLite, whose `IN` takes a row value only against a
//! subquery, `IN (VALUES ..)`).
//!
//! Cascades reach models whose types the caller never named (a customer's orders' lines),
//! so this module works on rows as values, with each model's side ([`Side`]) taken from the
//! function pointers the derive records in [`RelationInfo`].

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;

use retort_core::record::{ColumnInfo, Expr, Record, RelationInfo, RowReader, Value, ValueKind};
use retort_core::{Cascade, ForeignKey, Relationship, RelationshipKind, Table};

use crate::render::Sql;
use crate::{Conn, Error, Tx};

pub(crate) type BoxFut<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// One model as the runtime sees it without its type.
#[derive(Clone, Copy)]
pub(crate) struct Side {
    pub model: &'static str,
    pub table: fn() -> Table,
    pub columns: fn() -> &'static [ColumnInfo],
    pub relations: fn() -> &'static [RelationInfo],
}

impl Side {
    pub fn of<M: Record>() -> Side {
        Side {
            model: M::MODEL_NAME,
            table: M::table,
            columns: M::columns,
            relations: M::relations,
        }
    }
    fn target(info: &RelationInfo) -> Side {
        Side {
            model: info.target_model,
            table: info.target_table,
            columns: info.target_columns,
            relations: info.target_relations,
        }
    }
    fn column(&self, name: &str) -> Option<usize> {
        (self.columns)().iter().position(|c| c.name == name)
    }
    pub fn key_columns(&self) -> Vec<usize> {
        let cols = (self.columns)();
        (0..cols.len()).filter(|&i| cols[i].primary_key).collect()
    }
}

/// A relationship resolved to columns: a row of `from` and a row of `to` belong together
/// where `from`'s columns `here` equal `to`'s columns `there`, pairwise (one pair for a
/// single-column foreign key, several for a composite one).
pub(crate) struct Link {
    pub name: &'static str,
    pub kind: RelationshipKind,
    pub cascade: Cascade,
    pub from: Side,
    pub to: Side,
    pub to_table: Table,
    pub here: Vec<usize>,
    pub there: Vec<usize>,
    /// A many-to-many relationship's association table: its columns referring to `from`
    /// and its columns referring to `to`.
    pub via: Option<Via>,
}

/// An association table, as a many-to-many relationship follows it: `from_cols` refer to
/// the parent's `here` columns, `to_cols` to the child's `there` columns, in order.
pub(crate) struct Via {
    pub table: Table,
    pub from_cols: Vec<String>,
    pub to_cols: Vec<String>,
}

impl Link {
    pub fn error(&self, problem: impl Into<String>) -> Error {
        Error::Relationship {
            model: self.from.model,
            relationship: self.name,
            problem: problem.into(),
        }
    }
    /// The parent's key values this relationship matches on.
    pub fn parent_key(&self, parent: &[Value]) -> Vec<Value> {
        pick(parent, &self.here)
    }
    /// The child's values matched against the parent's key.
    pub fn child_key(&self, child: &[Value]) -> Vec<Value> {
        pick(child, &self.there)
    }
    /// `child`'s foreign key set from the parent's key values (`has_many`, `has_one`).
    pub fn set_child_key(&self, child: &mut [Value], parent_key: &[Value]) {
        for (&t, v) in self.there.iter().zip(parent_key) {
            child[t] = v.clone();
        }
    }
    fn there_names(&self) -> Vec<&'static str> {
        let columns = (self.to.columns)();
        self.there.iter().map(|&t| columns[t].name).collect()
    }
}

/// The values of `cols` in `row`.
pub(crate) fn pick(row: &[Value], cols: &[usize]) -> Vec<Value> {
    cols.iter().map(|&c| row[c].clone()).collect()
}

/// The relationship `name` of `from`, resolved to the one foreign key between the two tables.
pub(crate) fn resolve(from: Side, from_table: &Table, name: &str) -> Result<Link, Error> {
    let info = (from.relations)()
        .iter()
        .find(|r| r.field == name)
        .ok_or_else(|| Error::Relationship {
            model: from.model,
            relationship: "?",
            problem: format!("no relationship named `{name}`"),
        })?;
    link(from, from_table, info)
}

fn link(from: Side, from_table: &Table, info: &RelationInfo) -> Result<Link, Error> {
    let err = |problem: String| Error::Relationship {
        model: from.model,
        relationship: info.field,
        problem,
    };
    let rel = from_table
        .relationships
        .iter()
        .find(|r| r.field == info.field)
        .ok_or_else(|| err("missing from the model's table".into()))?;
    let to = Side::target(info);
    let to_table = (to.table)();
    let mut via = None;
    let (here, there) = match &rel.kind {
        RelationshipKind::OneToMany | RelationshipKind::OneToOne => {
            let fk = one_foreign_key(&to_table, from_table, rel).map_err(err)?;
            (fk.ref_columns.clone(), fk.columns.clone())
        }
        RelationshipKind::ManyToOne => {
            let fk = one_foreign_key(from_table, &to_table, rel).map_err(err)?;
            (fk.columns.clone(), fk.ref_columns.clone())
        }
        RelationshipKind::ManyToMany { secondary } => {
            let Some(through) = info.through else {
                return Err(err(format!(
                    "the runtime needs the association table `{secondary}` itself: name a function returning it \
                     (`secondary = {}`, SQLAlchemy's `secondary=table`) or its model (`through = AssocModel`)",
                    secondary.rsplit('.').next().unwrap_or(secondary)
                )));
            };
            let table = through();
            // The derive takes no `foreign_keys` on a many-to-many: its association table
            // has one key to each side.
            let every = retort_core::Relationship {
                foreign_keys: Vec::new(),
                ..rel.clone()
            };
            let to_from = one_foreign_key(&table, from_table, &every).map_err(err)?;
            let to_to = one_foreign_key(&table, &to_table, &every).map_err(err)?;
            let pair = (to_from.ref_columns.clone(), to_to.ref_columns.clone());
            via = Some(Via {
                from_cols: to_from.columns.clone(),
                to_cols: to_to.columns.clone(),
                table,
            });
            pair
        }
    };
    let position = |side: Side, names: Vec<String>| -> Result<Vec<usize>, Error> {
        names
            .iter()
            .map(|n| {
                side.column(n)
                    .ok_or_else(|| err(format!("`{n}` is not a column of {}", side.model)))
            })
            .collect()
    };
    Ok(Link {
        name: info.field,
        kind: rel.kind.clone(),
        cascade: rel.cascade,
        from,
        to,
        to_table,
        here: position(from, here)?,
        there: position(to, there)?,
        via,
    })
}

/// The one foreign key of `referring` to `referred` (of one column or several) that `rel`
/// follows: the one whose columns its `foreign_keys` names, or without `foreign_keys` the
/// only one.
fn one_foreign_key<'t>(
    referring: &'t Table,
    referred: &Table,
    rel: &Relationship,
) -> Result<&'t ForeignKey, String> {
    let between: Vec<&ForeignKey> = referring
        .foreign_keys
        .iter()
        .filter(|fk| {
            fk.ref_table == referred.name
                && (fk.ref_schema.is_none()
                    || referred.schema.is_none()
                    || fk.ref_schema == referred.schema)
        })
        .collect();
    let found: Vec<&ForeignKey> = between
        .iter()
        .copied()
        .filter(|fk| rel.follows(fk))
        .collect();
    if found.is_empty() && !rel.foreign_keys.is_empty() {
        return Err(format!(
            "{} names no foreign key from `{}` to `{}`{}",
            Relationship::foreign_keys_attribute(&rel.foreign_keys),
            referring.name,
            referred.name,
            candidates(&between)
        ));
    }
    match found.as_slice() {
        [fk] if !fk.columns.is_empty() && fk.columns.len() == fk.ref_columns.len() => Ok(fk),
        [fk] => Err(format!(
            "the foreign key ({}) from `{}` to `{}` does not name as many referenced columns ({})",
            fk.columns.join(", "),
            referring.name,
            referred.name,
            fk.ref_columns.join(", ")
        )),
        [] => Err(format!(
            "no foreign key from `{}` to `{}` to follow",
            referring.name, referred.name
        )),
        _ => Err(format!(
            "{} foreign keys from `{}` to `{}`; the runtime cannot tell which one this relationship follows{}: \
             name its columns with `foreign_keys = \"..\"`",
            found.len(),
            referring.name,
            referred.name,
            candidates(&found)
        )),
    }
}

/// `` (its keys: `a_id`; `b_id`)``: the foreign keys' columns, for an error; empty for none.
fn candidates(fks: &[&ForeignKey]) -> String {
    if fks.is_empty() {
        return String::new();
    }
    let each: Vec<String> = fks
        .iter()
        .map(|fk| {
            let cols: Vec<String> = fk.columns.iter().map(|c| format!("`{c}`")).collect();
            cols.join(", ")
        })
        .collect();
    format!(" (its keys: {})", each.join("; "))
}

/// A value as a hash key; integers of any width compare equal (an `i32` key and an `i64`
/// foreign key), `NULL` matches nothing.
#[derive(PartialEq, Eq, Hash, Clone)]
pub(crate) enum Key {
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
    Bool(bool),
    Other(String),
}

pub(crate) fn key(v: &Value) -> Option<Key> {
    Some(match v {
        Value::Null(_) => return None,
        Value::I16(x) => Key::Int(i64::from(*x)),
        Value::I32(x) => Key::Int(i64::from(*x)),
        Value::I64(x) => Key::Int(*x),
        Value::Text(x) => Key::Text(x.clone()),
        Value::Bytes(x) => Key::Bytes(x.clone()),
        Value::Bool(x) => Key::Bool(*x),
        other => Key::Other(format!("{other:?}")),
    })
}

/// Several values as one hash key; `None` when one is `NULL` (a composite foreign key with
/// a `NULL` refers to nothing).
pub(crate) fn tuple_key(values: &[Value]) -> Option<Vec<Key>> {
    values.iter().map(key).collect()
}

/// A parent's key as [`load_grouped_as`] looks its rows up: one column's value as it is
/// (no vector a row for the common one-column key), several as a tuple.
#[derive(PartialEq, Eq, Hash)]
enum Owner {
    One(Key),
    Many(Vec<Key>),
}

impl Owner {
    /// `None` when a value is `NULL`.
    fn of(values: &[Value]) -> Option<Owner> {
        match values {
            [v] => key(v).map(Owner::One),
            vs => tuple_key(vs).map(Owner::Many),
        }
    }
}

/// The next column of a row as a hash key (`None` for `NULL`), integers and text read
/// straight from the row rather than through a [`Value`].
fn read_key(
    row: &mut dyn RowReader,
    kind: ValueKind,
    model: &'static str,
) -> Result<Option<Key>, Error> {
    let err = |problem| Error::Value {
        model,
        source: retort_core::record::ValueError {
            field: "retort_parent",
            problem,
        },
    };
    Ok(match kind {
        ValueKind::I16 => row.read_i16().map_err(err)?.map(|x| Key::Int(x.into())),
        ValueKind::I32 => row.read_i32().map_err(err)?.map(|x| Key::Int(x.into())),
        ValueKind::I64 => row.read_i64().map_err(err)?.map(Key::Int),
        ValueKind::Text => row.read_text().map_err(err)?.map(Key::Text),
        _ => key(&read_value(row, kind, model, "retort_parent")?),
    })
}

fn wanted_of(side: Side) -> Result<crate::backend::Wanted, Error> {
    (side.columns)()
        .iter()
        .map(|c| match c.kind {
            Some(k) => Ok((c.name, k)),
            None => Err(Error::Value {
                model: side.model,
                source: retort_core::record::ValueError {
                    field: c.field,
                    problem: "the query runtime cannot read or write this field's type yet".into(),
                },
            }),
        })
        .collect::<Result<_, _>>()
        .map(crate::backend::Wanted::at)
}

/// The next of a row's columns as a value of `kind`; an error names `field` of `model`.
pub(crate) fn read_value(
    row: &mut dyn RowReader,
    kind: ValueKind,
    model: &'static str,
    field: &'static str,
) -> Result<Value, Error> {
    row.value(kind).map_err(|problem| Error::Value {
        model,
        source: retort_core::record::ValueError { field, problem },
    })
}

/// The tuples distinct, those with a `NULL` left out.
fn distinct(tuples: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    let mut seen = HashSet::new();
    tuples
        .into_iter()
        .filter(|t| tuple_key(t).is_some_and(|k| seen.insert(k)))
        .collect()
}

/// How many tuples of `width` values one statement binds, `reserved` parameters apart.
fn chunk_size(backend: crate::conn::Backend, width: usize, reserved: usize) -> usize {
    ((backend.max_params() - reserved) / width.max(1)).max(1)
}

/// Every row of `side` whose columns `cols` hold one of `tuples`, each mapped by `map` as
/// it streams in: one `SELECT .. WHERE col IN (..)` (`= ANY($1)` on PostgreSQL; a row
/// value `(a, b) IN (..)` for several columns) a chunk of the database's parameter limit.
async fn select_in<T: Send>(
    conn: &mut impl Conn,
    side: Side,
    table: &Table,
    cols: &[usize],
    tuples: Vec<Vec<Value>>,
    mut map: impl FnMut(&mut dyn RowReader) -> Result<T, Error> + Send,
) -> Result<Vec<T>, Error> {
    let tuples = distinct(tuples);
    let wanted = wanted_of(side)?;
    let columns = (side.columns)();
    let names: Vec<&str> = cols.iter().map(|&c| columns[c].name).collect();
    let backend = conn.backend();
    let mut out = Vec::new();
    for chunk in tuples.chunks(chunk_size(backend, cols.len(), 0)) {
        let mut sql = Sql::new(backend);
        sql.push("SELECT ");
        sql.names(columns.iter().map(|c| c.name))?;
        sql.push(" FROM ");
        sql.table_of(table)?;
        sql.push(" WHERE ");
        sql.in_tuples("", &names, chunk)?;
        let rows = conn
            .fetch(sql.text, sql.params, wanted.clone(), &mut map)
            .await
            .map_err(|e| Error::from_sqlx_on(e, side.model, table, columns))??;
        out.extend(rows);
    }
    Ok(out)
}

/// The rows of `link.to` for each parent row (of `link.from`), in the parents' order: one
/// batched query for all of them. A row two parents share is cloned.
pub(crate) async fn load_grouped(
    conn: &mut impl Conn,
    link: &Link,
    parents: &[Vec<Value>],
) -> Result<Vec<Vec<Vec<Value>>>, Error> {
    let wanted = wanted_of(link.to)?;
    let model = link.to.model;
    let read = move |row: &mut dyn RowReader| {
        crate::backend::values(row, &wanted).map_err(|source| Error::Value { model, source })
    };
    load_grouped_as(
        conn,
        link,
        parents,
        read,
        |r: &Vec<Value>, i| Ok(r[i].clone()),
        |r: &Vec<Value>| Ok(r.clone()),
    )
    .await
}

/// [`load_grouped`], each row mapped by `map` (to the model, decoded straight from the
/// row's columns) as it streams in, so only the mapped rows accumulate; `at` reads a
/// column's value back from a mapped row (its foreign key), `dup` copies one for a second
/// parent that shares it.
pub(crate) async fn load_grouped_as<T: Send>(
    conn: &mut impl Conn,
    link: &Link,
    parents: &[Vec<Value>],
    map: impl Fn(&mut dyn RowReader) -> Result<T, Error> + Send,
    at: impl Fn(&T, usize) -> Result<Value, Error> + Send,
    dup: impl Fn(&T) -> Result<T, Error> + Send,
) -> Result<Vec<Vec<T>>, Error> {
    let keys: Vec<Vec<Value>> = parents.iter().map(|p| link.parent_key(p)).collect();
    // Where a row's parent key is: through an association table, in the columns that follow
    // the model's (`retort_parent_0..`, of the parent's table); otherwise in the row's own
    // foreign key, taken from the mapped row (`at`), so the query carries no column twice.
    let (side, cols) = match &link.via {
        Some(_) => (link.from, &link.here),
        None => (link.to, &link.there),
    };
    let own = link.via.is_none();
    let columns = (side.columns)();
    let parent_kinds = cols
        .iter()
        .map(|&c| columns[c].kind)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| link.error("the parent's key cannot be read"))?;
    let mut by_key: HashMap<Owner, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if let Some(k) = Owner::of(k) {
            by_key.entry(k).or_default().push(i);
        }
    }
    let mut out: Vec<Vec<T>> = std::iter::repeat_with(Vec::new)
        .take(parents.len())
        .collect();
    // Each row goes to its parents' lists as it streams in: only the mapped rows stay, not
    // a list of every row with its parent's key beside the lists it is then sorted into
    // (which tripled the bench's peak memory for 100,000 orders).
    let model = link.to.model;
    let (lists, by_key) = (&mut out, &by_key);
    let place = move |row: &mut dyn RowReader| -> Result<(), Error> {
        let t = map(row)?;
        let mut read = |i: usize, kind: ValueKind| -> Result<Option<Key>, Error> {
            if own {
                Ok(key(&at(&t, cols[i])?))
            } else {
                read_key(row, kind, model)
            }
        };
        let owner = match parent_kinds.as_slice() {
            [kind] => read(0, *kind)?.map(Owner::One),
            kinds => kinds
                .iter()
                .enumerate()
                .map(|(i, &kind)| read(i, kind))
                .collect::<Result<Option<Vec<_>>, _>>()?
                .map(Owner::Many),
        };
        let Some(owners) = owner.and_then(|k| by_key.get(&k)) else {
            return Ok(());
        };
        if let Some((last, rest)) = owners.split_last() {
            for &i in rest {
                lists[i].push(dup(&t)?);
            }
            lists[*last].push(t);
        }
        Ok(())
    };
    match &link.via {
        Some(via) => select_via(conn, link, via, keys, place).await?,
        None => select_in(conn, link.to, &link.to_table, &link.there, keys, place).await?,
    };
    Ok(out)
}

/// Run `work` in one transaction: the caller's, or one opened on the pool and committed
/// when `work` succeeds (rolled back, by dropping it, when it fails).
pub(crate) async fn in_tx<T, F>(conn: &mut impl Conn, work: F) -> Result<T, Error>
where
    T: Send,
    F: for<'a> FnOnce(&'a mut Tx) -> BoxFut<'a, T> + Send,
{
    if let Some(tx) = conn.tx() {
        return work(tx).await;
    }
    let db = conn
        .pool()
        .expect("a connection is a pool or a transaction");
    let mut tx = db.begin().await?;
    let out = work(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}

/// Whether deleting a row of `side` reaches other rows (then it needs a transaction): a
/// `delete` cascade, association rows, or children whose key is set to `NULL`; not a
/// relationship with `passive_deletes`, left to the database.
pub(crate) fn cascades_delete(side: Side) -> bool {
    if (side.relations)().is_empty() {
        return false;
    }
    let table = (side.table)();
    (side.relations)().iter().any(|info| {
        table
            .relationships
            .iter()
            .find(|r| r.field == info.field)
            .is_some_and(|r| {
                !r.passive_deletes
                    && (r.cascade.delete
                        || info.through.is_some()
                        || matches!(
                            r.kind,
                            RelationshipKind::OneToMany | RelationshipKind::OneToOne
                        ))
            })
    })
}

/// Delete these rows of `side` (whole rows, in its column order) and, first, what their
/// `delete` cascades reach, recursively: SQLAlchemy's `delete` cascade, run by the runtime
/// whatever the foreign keys' `ON DELETE` says. A `has_many`/`has_one` without `delete`
/// has its children's foreign key set to `NULL` first, as SQLAlchemy does by default
/// (`passive_deletes=False`); a `NOT NULL` key is [`Error::ForeignKeyNotNull`]. How many
/// rows of `side` went.
pub(crate) fn delete_rows(tx: &mut Tx, side: Side, rows: Vec<Vec<Value>>) -> BoxFut<'_, u64> {
    Box::pin(async move {
        if rows.is_empty() {
            return Ok(0);
        }
        let table = (side.table)();
        let mut after = Vec::new();
        for info in (side.relations)() {
            let declared = table.relationships.iter().find(|r| r.field == info.field);
            // SQLAlchemy's passive_deletes=True: the foreign key's ON DELETE does it.
            if declared.is_some_and(|r| r.passive_deletes) {
                continue;
            }
            let associated = info.through.is_some();
            let refers_here = declared.is_some_and(|r| {
                matches!(
                    r.kind,
                    RelationshipKind::OneToMany | RelationshipKind::OneToOne
                )
            });
            if !declared.is_some_and(|r| r.cascade.delete) && !associated && !refers_here {
                continue;
            }
            let link = link(side, &table, info)?;
            if !link.cascade.delete && link.via.is_none() {
                null_children(tx, &link, &rows).await?;
                continue;
            }
            if let Some(via) = &link.via {
                let targets = if link.cascade.delete {
                    load_grouped(&mut &mut *tx, &link, &rows)
                        .await?
                        .into_iter()
                        .flatten()
                        .collect()
                } else {
                    Vec::new()
                };
                dissociate(tx, &link, via, &rows).await?;
                after.push((link.to, targets));
                continue;
            }
            let targets = load_grouped(&mut &mut *tx, &link, &rows)
                .await?
                .into_iter()
                .flatten()
                .collect::<Vec<_>>();
            match link.kind {
                // The target refers to these rows: it goes first.
                RelationshipKind::OneToMany | RelationshipKind::OneToOne => {
                    delete_rows(tx, link.to, targets).await?;
                }
                // These rows refer to the target: it goes after them.
                _ => after.push((link.to, targets)),
            }
        }
        let n = delete_by_keys(&mut *tx, side, &table, &rows).await?;
        for (to, targets) in after {
            delete_rows(tx, to, targets).await?;
        }
        Ok(n)
    })
}

/// `DELETE` of these rows by their primary key: one `IN` a chunk (a row value `IN` for a
/// composite key).
async fn delete_by_keys(
    tx: &mut Tx,
    side: Side,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<u64, Error> {
    let key = side.key_columns();
    let columns = (side.columns)();
    if key.is_empty() {
        return Err(Error::NoPrimaryKey {
            model: side.model,
            what: "delete (cascade)",
        });
    }
    let names: Vec<&str> = key.iter().map(|&k| columns[k].name).collect();
    let tuples: Vec<Vec<Value>> = rows.iter().map(|r| pick(r, &key)).collect();
    let mut conn = tx;
    let backend = conn.backend();
    let mut n = 0;
    for chunk in tuples.chunks(chunk_size(backend, key.len(), 0)) {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM ");
        sql.table_of(table)?;
        sql.push(" WHERE ");
        sql.in_tuples("", &names, chunk)?;
        n += conn
            .execute(sql.text, sql.params)
            .await
            .map_err(|e| Error::from_sqlx_on(e, side.model, table, columns))?;
    }
    Ok(n)
}

/// `UPDATE .. SET there = NULL` for these rows of `link.to`: a child taken out of its
/// parent's collection without `delete-orphan` (SQLAlchemy's de-association).
pub(crate) async fn detach(tx: &mut Tx, link: &Link, rows: &[Vec<Value>]) -> Result<(), Error> {
    let columns = (link.to.columns)();
    let key = link.to.key_columns();
    let nulls = null_values(link)?;
    let mut conn = tx;
    for r in rows {
        let mut sql = Sql::new(conn.backend());
        sql.push("UPDATE ");
        sql.table_of(&link.to_table)?;
        sql.push(" SET ");
        set_nulls(&mut sql, link, &nulls)?;
        sql.push(" WHERE ");
        sql.expr(&Expr::And(
            key.iter()
                .map(|&k| {
                    Expr::Cmp(
                        columns[k].name,
                        retort_core::record::CmpOp::Eq,
                        r[k].clone(),
                    )
                })
                .collect(),
        ))?;
        conn.execute(sql.text, sql.params)
            .await
            .map_err(|e| Error::from_sqlx_on(e, link.to.model, &link.to_table, columns))?;
    }
    Ok(())
}

/// A typed `NULL` for each of the child's foreign-key columns.
fn null_values(link: &Link) -> Result<Vec<Value>, Error> {
    let columns = (link.to.columns)();
    link.there
        .iter()
        .map(|&t| {
            columns[t]
                .kind
                .map(Value::Null)
                .ok_or_else(|| link.error("the foreign key's type cannot be written"))
        })
        .collect()
}

/// `a = NULL, b = NULL` over the child's foreign-key columns.
fn set_nulls(sql: &mut Sql, link: &Link, nulls: &[Value]) -> Result<(), Error> {
    for (i, (name, null)) in link.there_names().into_iter().zip(nulls).enumerate() {
        sql.push(if i == 0 { "" } else { ", " });
        sql.name(name)?;
        sql.push(" = ");
        sql.param(null.clone());
    }
    Ok(())
}

/// The primary-key values of a row of `side`, as hash keys.
pub(crate) fn row_key(side: Side, row: &[Value]) -> Option<Vec<Key>> {
    side.key_columns().iter().map(|&k| key(&row[k])).collect()
}

/// The rows of `link.to` joined to the association table, each with the key of the parent
/// it belongs to last: `SELECT t.*, s.from_col FROM to t JOIN via s ON s.to_col = t.there
/// WHERE s.from_col IN (..)` (row values for composite keys), chunked as [`select_in`].
async fn select_via<T: Send>(
    conn: &mut impl Conn,
    link: &Link,
    via: &Via,
    keys: Vec<Vec<Value>>,
    mut map: impl FnMut(&mut dyn RowReader) -> Result<T, Error> + Send,
) -> Result<Vec<T>, Error> {
    let keys = distinct(keys);
    let columns = (link.to.columns)();
    let mut wanted = wanted_of(link.to)?;
    let parent_columns = (link.from.columns)();
    for &h in &link.here {
        let kind = parent_columns[h]
            .kind
            .ok_or_else(|| link.error("the parent's key cannot be read"))?;
        wanted.push("retort_parent", kind);
    }
    let from_cols: Vec<&str> = via.from_cols.iter().map(String::as_str).collect();
    let backend = conn.backend();
    let mut out = Vec::new();
    for chunk in keys.chunks(chunk_size(backend, from_cols.len(), 0)) {
        let mut sql = Sql::new(backend);
        sql.push("SELECT ");
        for (i, c) in columns.iter().enumerate() {
            sql.push(if i == 0 { "t." } else { ", t." });
            sql.name(c.name)?;
        }
        for (i, c) in from_cols.iter().enumerate() {
            sql.push(", s.");
            sql.name(c)?;
            sql.push(&format!(" AS retort_parent_{i}"));
        }
        sql.push(" FROM ");
        sql.table_of(&link.to_table)?;
        sql.push(" t JOIN ");
        sql.table_of(&via.table)?;
        sql.push(" s ON ");
        for (i, (to_col, &t)) in via.to_cols.iter().zip(&link.there).enumerate() {
            sql.push(if i == 0 { "s." } else { " AND s." });
            sql.name(to_col)?;
            sql.push(" = t.");
            sql.name(columns[t].name)?;
        }
        sql.push(" WHERE ");
        sql.in_tuples("s.", &from_cols, chunk)?;
        let rows = conn
            .fetch(sql.text, sql.params, wanted.clone(), &mut map)
            .await
            .map_err(|e| Error::from_sqlx_on(e, link.to.model, &link.to_table, columns))??;
        out.extend(rows);
    }
    Ok(out)
}

/// `DELETE FROM via WHERE from_col IN (..)`: the association rows of these parents, which
/// SQLAlchemy deletes with a parent whatever the cascade.
async fn dissociate(tx: &mut Tx, link: &Link, via: &Via, rows: &[Vec<Value>]) -> Result<(), Error> {
    let mut conn = tx;
    let backend = conn.backend();
    let keys: Vec<Vec<Value>> = distinct(rows.iter().map(|r| link.parent_key(r)).collect());
    let from_cols: Vec<&str> = via.from_cols.iter().map(String::as_str).collect();
    for chunk in keys.chunks(chunk_size(backend, from_cols.len(), 0)) {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM ");
        sql.table_of(&via.table)?;
        sql.push(" WHERE ");
        sql.in_tuples("", &from_cols, chunk)?;
        conn.execute(sql.text, sql.params)
            .await
            .map_err(|e| Error::from_sqlx_on(e, link.from.model, &via.table, &[]))?;
    }
    Ok(())
}

/// Before parents are deleted through `link` (a `has_many`/`has_one` without `delete`):
/// their children's foreign key set to `NULL`, as SQLAlchemy's flush does by default; a
/// child whose key is `NOT NULL` makes it [`Error::ForeignKeyNotNull`] (SQLAlchemy sends
/// the `UPDATE` and the database refuses it; here it is told before, by the model).
async fn null_children(tx: &mut Tx, link: &Link, parents: &[Vec<Value>]) -> Result<(), Error> {
    let columns = (link.to.columns)();
    let names = link.there_names();
    let not_null = names
        .iter()
        .find(|n| link.to_table.get_column(n).is_some_and(|c| !c.nullable));
    let keys: Vec<Vec<Value>> = distinct(parents.iter().map(|p| link.parent_key(p)).collect());
    if keys.is_empty() {
        return Ok(());
    }
    if let Some(column) = not_null {
        let children = select_in(
            &mut &mut *tx,
            link.to,
            &link.to_table,
            &link.there,
            keys,
            |_| Ok(()),
        )
        .await?;
        if children.is_empty() {
            return Ok(());
        }
        return Err(Error::ForeignKeyNotNull {
            model: link.from.model,
            relationship: link.name,
            child: link.to.model,
            column: column.to_string(),
        });
    }
    let nulls = null_values(link)?;
    let mut conn = tx;
    let backend = conn.backend();
    for chunk in keys.chunks(chunk_size(backend, names.len(), nulls.len())) {
        let mut sql = Sql::new(backend);
        sql.push("UPDATE ");
        sql.table_of(&link.to_table)?;
        sql.push(" SET ");
        set_nulls(&mut sql, link, &nulls)?;
        sql.push(" WHERE ");
        sql.in_tuples("", &names, chunk)?;
        conn.execute(sql.text, sql.params)
            .await
            .map_err(|e| Error::from_sqlx_on(e, link.to.model, &link.to_table, columns))?;
    }
    Ok(())
}

/// Which of these rows of `side` are in the database already, by primary key (one
/// `SELECT` a chunk): a child added to a many-to-many collection that exists is related,
/// one that does not is inserted first (as is a row whose key has a `NULL`).
pub(crate) async fn stored(
    conn: &mut impl Conn,
    side: Side,
    rows: &[Vec<Value>],
) -> Result<Vec<bool>, Error> {
    let key_columns = side.key_columns();
    if key_columns.is_empty() {
        return Err(Error::NoPrimaryKey {
            model: side.model,
            what: "relating it through a many-to-many",
        });
    }
    let table = (side.table)();
    let kc = key_columns.clone();
    let wanted = wanted_of(side)?;
    let model = side.model;
    let found: HashSet<Vec<Key>> = select_in(
        conn,
        side,
        &table,
        &key_columns,
        rows.iter().map(|r| pick(r, &key_columns)).collect(),
        move |row| {
            let row = crate::backend::values(row, &wanted)
                .map_err(|source| Error::Value { model, source })?;
            Ok(tuple_key(&pick(&row, &kc)))
        },
    )
    .await?
    .into_iter()
    .flatten()
    .collect();
    Ok(rows
        .iter()
        .map(|r| tuple_key(&pick(r, &key_columns)).is_some_and(|k| found.contains(&k)))
        .collect())
}

/// `INSERT INTO via (from_cols.., to_cols..) VALUES (..), (..)`: association rows relating
/// the parent whose key is `parent` to each of `children` (their key values), a chunk a
/// statement.
pub(crate) async fn associate_all(
    conn: &mut impl Conn,
    link: &Link,
    via: &Via,
    parent: &[Value],
    children: Vec<Vec<Value>>,
) -> Result<(), Error> {
    let backend = conn.backend();
    let width = via.from_cols.len() + via.to_cols.len();
    for chunk in children.chunks(chunk_size(backend, width, 0)) {
        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO ");
        sql.table_of(&via.table)?;
        sql.push(" (");
        sql.names(via.from_cols.iter().chain(&via.to_cols).map(String::as_str))?;
        sql.push(") VALUES ");
        for (i, child) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            for (j, v) in parent.iter().chain(child).enumerate() {
                sql.push(if j == 0 { "" } else { ", " });
                sql.param(v.clone());
            }
            sql.push(")");
        }
        conn.execute(sql.text, sql.params)
            .await
            .map_err(|e| Error::from_sqlx_on(e, link.from.model, &via.table, &[]))?;
    }
    Ok(())
}

/// `DELETE FROM via WHERE from_cols = parent AND to_cols IN (..)`: the association rows
/// relating the parent to these children, taken out of its collection; the children stay.
pub(crate) async fn dissociate_children(
    conn: &mut impl Conn,
    link: &Link,
    via: &Via,
    parent: &[Value],
    children: Vec<Vec<Value>>,
) -> Result<(), Error> {
    let backend = conn.backend();
    let to_cols: Vec<&str> = via.to_cols.iter().map(String::as_str).collect();
    let children = distinct(children);
    for chunk in children.chunks(chunk_size(backend, to_cols.len(), parent.len())) {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM ");
        sql.table_of(&via.table)?;
        sql.push(" WHERE ");
        for (col, v) in via.from_cols.iter().zip(parent) {
            sql.name(col)?;
            sql.push(" = ");
            sql.param(v.clone());
            sql.push(" AND ");
        }
        sql.in_tuples("", &to_cols, chunk)?;
        conn.execute(sql.text, sql.params)
            .await
            .map_err(|e| Error::from_sqlx_on(e, link.from.model, &via.table, &[]))?;
    }
    Ok(())
}
