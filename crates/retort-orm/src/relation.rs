//! Relationships at run time: a relationship resolved to the foreign key it follows
//! ([`Link`]), batched loading (SQLAlchemy's `selectinload`: one `IN` query a relationship
//! for a whole list of parents, chunked under the parameter limit), and the cascades that
//! run inside a transaction (`delete`, `delete-orphan`, `save-update`).
//!
//! Cascades reach models whose types the caller never named (a customer's orders' lines),
//! so this module works on rows as values, with each model's side ([`Side`]) taken from the
//! function pointers the derive records in [`RelationInfo`].

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;

use retort_core::record::{ColumnInfo, Expr, Record, RelationInfo, RowReader, Value, ValueKind};
use retort_core::{Cascade, ForeignKey, RelationshipKind, Table};

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
/// where `from`'s column `here` equals `to`'s column `there`.
pub(crate) struct Link {
    pub name: &'static str,
    pub kind: RelationshipKind,
    pub cascade: Cascade,
    pub from: Side,
    pub to: Side,
    pub to_table: Table,
    pub here: usize,
    pub there: usize,
    /// A many-to-many relationship's association table: its column referring to `from`
    /// and its column referring to `to`.
    pub via: Option<Via>,
}

/// An association table, as a many-to-many relationship follows it.
pub(crate) struct Via {
    pub table: Table,
    pub from_col: String,
    pub to_col: String,
}

impl Link {
    pub fn error(&self, problem: impl Into<String>) -> Error {
        Error::Relationship {
            model: self.from.model,
            relationship: self.name,
            problem: problem.into(),
        }
    }
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
            let fk = one_foreign_key(&to_table, from_table).map_err(err)?;
            (fk.ref_columns[0].clone(), fk.columns[0].clone())
        }
        RelationshipKind::ManyToOne => {
            let fk = one_foreign_key(from_table, &to_table).map_err(err)?;
            (fk.columns[0].clone(), fk.ref_columns[0].clone())
        }
        RelationshipKind::ManyToMany { secondary } => {
            let Some(through) = info.through else {
                return Err(err(format!(
                    "the runtime needs the association model of `{secondary}`: declare `through = AssocModel`"
                )));
            };
            let table = through();
            let to_from = one_foreign_key(&table, from_table).map_err(err)?;
            let to_to = one_foreign_key(&table, &to_table).map_err(err)?;
            let pair = (to_from.ref_columns[0].clone(), to_to.ref_columns[0].clone());
            via = Some(Via {
                from_col: to_from.columns[0].clone(),
                to_col: to_to.columns[0].clone(),
                table,
            });
            pair
        }
    };
    let here = from
        .column(&here)
        .ok_or_else(|| err(format!("`{here}` is not a column of {}", from.model)))?;
    let there = to
        .column(&there)
        .ok_or_else(|| err(format!("`{there}` is not a column of {}", to.model)))?;
    Ok(Link {
        name: info.field,
        kind: rel.kind.clone(),
        cascade: rel.cascade,
        from,
        to,
        to_table,
        here,
        there,
        via,
    })
}

/// The one single-column foreign key of `referring` to `referred`.
fn one_foreign_key<'t>(referring: &'t Table, referred: &Table) -> Result<&'t ForeignKey, String> {
    let found: Vec<&ForeignKey> = referring
        .foreign_keys
        .iter()
        .filter(|fk| {
            fk.ref_table == referred.name
                && (fk.ref_schema.is_none()
                    || referred.schema.is_none()
                    || fk.ref_schema == referred.schema)
        })
        .collect();
    match found.as_slice() {
        [fk] if fk.columns.len() == 1 => Ok(fk),
        [fk] => Err(format!(
            "the foreign key ({}) from `{}` to `{}` has several columns; the runtime follows single-column keys only",
            fk.columns.join(", "),
            referring.name,
            referred.name
        )),
        [] => Err(format!(
            "no foreign key from `{}` to `{}` to follow",
            referring.name, referred.name
        )),
        _ => Err(format!(
            "{} foreign keys from `{}` to `{}`; the runtime cannot tell which one this relationship follows",
            found.len(),
            referring.name,
            referred.name
        )),
    }
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
fn read_value(
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

/// The values distinct, `NULL`s left out.
fn distinct(values: Vec<Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|v| key(v).is_some_and(|k| seen.insert(k)))
        .collect()
}

/// Every row of `side` whose column `col` is one of `values`, with that column again last
/// (as its parent's key, as [`select_via`] has it), each mapped by `map` as it streams in:
/// one `SELECT .., col AS retort_parent .. WHERE col IN (..)` (`= ANY($1)` on PostgreSQL) a
/// chunk of the database's parameter limit.
async fn select_in<T: Send>(
    conn: &mut impl Conn,
    side: Side,
    table: &Table,
    col: usize,
    values: Vec<Value>,
    mut map: impl FnMut(&mut dyn RowReader) -> Result<T, Error> + Send,
) -> Result<Vec<T>, Error> {
    let values = distinct(values);
    let mut wanted = wanted_of(side)?;
    let columns = (side.columns)();
    let key_kind = wanted.cols[col].1;
    wanted.push("retort_parent", key_kind);
    let backend = conn.backend();
    let mut out = Vec::new();
    for chunk in values.chunks(backend.max_params()) {
        let mut sql = Sql::new(backend);
        sql.push("SELECT ");
        sql.names(columns.iter().map(|c| c.name))?;
        sql.push(", ");
        sql.name(columns[col].name)?;
        sql.push(" AS retort_parent FROM ");
        sql.table_of(table)?;
        sql.push(" WHERE ");
        sql.expr(&Expr::In(columns[col].name, chunk.to_vec()))?;
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
    load_grouped_as(conn, link, parents, read, |r: &Vec<Value>| Ok(r.clone())).await
}

/// [`load_grouped`], each row mapped by `map` (to the model, decoded straight from the
/// row's columns) as it streams in, so only the mapped rows accumulate; `dup` copies one
/// for a second parent that shares it.
pub(crate) async fn load_grouped_as<T: Send>(
    conn: &mut impl Conn,
    link: &Link,
    parents: &[Vec<Value>],
    map: impl Fn(&mut dyn RowReader) -> Result<T, Error> + Send,
    dup: impl Fn(&T) -> Result<T, Error>,
) -> Result<Vec<Vec<T>>, Error> {
    let values = parents.iter().map(|p| p[link.here].clone()).collect();
    // A row carries its parent's key last, after the model's columns (`retort_parent`).
    let parent_kind = match &link.via {
        Some(_) => (link.from.columns)()[link.here].kind,
        None => (link.to.columns)()[link.there].kind,
    }
    .ok_or_else(|| link.error("the parent's key cannot be read"))?;
    let model = link.to.model;
    let owned = move |row: &mut dyn RowReader| -> Result<(Option<Key>, T), Error> {
        let t = map(row)?;
        let owner = read_value(row, parent_kind, model, "retort_parent")?;
        Ok((key(&owner), t))
    };
    let rows = match &link.via {
        Some(via) => select_via(conn, link, via, values, owned).await?,
        None => select_in(conn, link.to, &link.to_table, link.there, values, owned).await?,
    };
    let mut by_key: HashMap<Key, Vec<usize>> = HashMap::new();
    for (i, p) in parents.iter().enumerate() {
        if let Some(k) = key(&p[link.here]) {
            by_key.entry(k).or_default().push(i);
        }
    }
    let mut out: Vec<Vec<T>> = std::iter::repeat_with(Vec::new)
        .take(parents.len())
        .collect();
    for (owner, row) in rows {
        let Some(owners) = owner.and_then(|k| by_key.get(&k)) else {
            continue;
        };
        if let Some((last, rest)) = owners.split_last() {
            for &i in rest {
                out[i].push(dup(&row)?);
            }
            out[*last].push(row);
        }
    }
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

/// Whether deleting a row of `side` cascades anywhere (then it needs a transaction).
pub(crate) fn cascades_delete(side: Side) -> bool {
    if (side.relations)().is_empty() {
        return false;
    }
    let table = (side.table)();
    (side.relations)().iter().any(|i| i.through.is_some())
        || table
            .relationships
            .iter()
            .any(|r| r.cascade.delete && (side.relations)().iter().any(|i| i.field == r.field))
}

/// Delete these rows of `side` (whole rows, in its column order) and, first, what their
/// `delete` cascades reach, recursively: SQLAlchemy's `delete` cascade, run by the runtime
/// whatever the foreign keys' `ON DELETE` says. How many rows of `side` went.
pub(crate) fn delete_rows(tx: &mut Tx, side: Side, rows: Vec<Vec<Value>>) -> BoxFut<'_, u64> {
    Box::pin(async move {
        if rows.is_empty() {
            return Ok(0);
        }
        let table = (side.table)();
        let mut after = Vec::new();
        for info in (side.relations)() {
            let declared = table.relationships.iter().find(|r| r.field == info.field);
            let associated = info.through.is_some();
            if !declared.is_some_and(|r| r.cascade.delete) && !associated {
                continue;
            }
            let link = link(side, &table, info)?;
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

/// `DELETE` of these rows by their primary key: one `IN` a chunk for a one-column key.
async fn delete_by_keys(
    tx: &mut Tx,
    side: Side,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<u64, Error> {
    let key = side.key_columns();
    let columns = (side.columns)();
    let no_key = || Error::NoPrimaryKey {
        model: side.model,
        what: "delete (cascade)",
    };
    let mut conn = tx;
    let backend = conn.backend();
    let mut n = 0;
    let filters: Vec<Expr> = match key.as_slice() {
        [] => return Err(no_key()),
        [k] => rows
            .chunks(backend.max_params())
            .map(|c| Expr::In(columns[*k].name, c.iter().map(|r| r[*k].clone()).collect()))
            .collect(),
        ks => rows
            .iter()
            .map(|r| {
                Expr::And(
                    ks.iter()
                        .map(|&k| {
                            Expr::Cmp(
                                columns[k].name,
                                retort_core::record::CmpOp::Eq,
                                r[k].clone(),
                            )
                        })
                        .collect(),
                )
            })
            .collect(),
    };
    for f in filters {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM ");
        sql.table_of(table)?;
        sql.push(" WHERE ");
        sql.expr(&f)?;
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
    let there = &columns[link.there];
    let null = Value::Null(
        there
            .kind
            .ok_or_else(|| link.error("the foreign key's type cannot be written"))?,
    );
    let mut conn = tx;
    for r in rows {
        let mut sql = Sql::new(conn.backend());
        sql.push("UPDATE ");
        sql.table_of(&link.to_table)?;
        sql.push(" SET ");
        sql.name(there.name)?;
        sql.push(" = ");
        sql.param(null.clone());
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

/// The primary-key values of a row of `side`, as hash keys.
pub(crate) fn row_key(side: Side, row: &[Value]) -> Option<Vec<Key>> {
    side.key_columns().iter().map(|&k| key(&row[k])).collect()
}

/// The rows of `link.to` joined to the association table, each with the key of the parent
/// it belongs to last: `SELECT t.*, s.from_col FROM to t JOIN via s ON s.to_col = t.there
/// WHERE s.from_col IN (..)`, chunked as [`select_in`].
async fn select_via<T: Send>(
    conn: &mut impl Conn,
    link: &Link,
    via: &Via,
    values: Vec<Value>,
    mut map: impl FnMut(&mut dyn RowReader) -> Result<T, Error> + Send,
) -> Result<Vec<T>, Error> {
    let values = distinct(values);
    let columns = (link.to.columns)();
    let mut wanted = wanted_of(link.to)?;
    let parent_kind = (link.from.columns)()[link.here]
        .kind
        .ok_or_else(|| link.error("the parent's key cannot be read"))?;
    wanted.push("retort_parent", parent_kind);
    let backend = conn.backend();
    let mut out = Vec::new();
    for chunk in values.chunks(backend.max_params()) {
        let mut sql = Sql::new(backend);
        sql.push("SELECT ");
        for (i, c) in columns.iter().enumerate() {
            sql.push(if i == 0 { "t." } else { ", t." });
            sql.name(c.name)?;
        }
        sql.push(", s.");
        sql.name(&via.from_col)?;
        sql.push(" AS retort_parent FROM ");
        sql.table_of(&link.to_table)?;
        sql.push(" t JOIN ");
        sql.table_of(&via.table)?;
        sql.push(" s ON s.");
        sql.name(&via.to_col)?;
        sql.push(" = t.");
        sql.name(columns[link.there].name)?;
        sql.push(" WHERE s.");
        sql.name(&via.from_col)?;
        sql.in_values(chunk);
        let rows = conn
            .fetch(sql.text, sql.params, wanted.clone(), &mut map)
            .await
            .map_err(|e| Error::from_sqlx_on(e, link.to.model, &link.to_table, columns))??;
        out.extend(rows);
    }
    Ok(out)
}

/// `INSERT INTO via (from_col, to_col) VALUES (..)`: one association row.
pub(crate) async fn associate(
    conn: &mut impl Conn,
    link: &Link,
    via: &Via,
    parent: Value,
    child: Value,
) -> Result<(), Error> {
    let mut sql = Sql::new(conn.backend());
    sql.push("INSERT INTO ");
    sql.table_of(&via.table)?;
    sql.push(" (");
    sql.name(&via.from_col)?;
    sql.push(", ");
    sql.name(&via.to_col)?;
    sql.push(") VALUES (");
    sql.param(parent);
    sql.push(", ");
    sql.param(child);
    sql.push(")");
    conn.execute(sql.text, sql.params)
        .await
        .map_err(|e| Error::from_sqlx_on(e, link.from.model, &via.table, &[]))?;
    Ok(())
}

/// `DELETE FROM via WHERE from_col IN (..)`: the association rows of these parents, which
/// SQLAlchemy deletes with a parent whatever the cascade.
async fn dissociate(tx: &mut Tx, link: &Link, via: &Via, rows: &[Vec<Value>]) -> Result<(), Error> {
    let mut conn = tx;
    let backend = conn.backend();
    let values: Vec<Value> = rows.iter().map(|r| r[link.here].clone()).collect();
    for chunk in values.chunks(backend.max_params()) {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM ");
        sql.table_of(&via.table)?;
        sql.push(" WHERE ");
        sql.name(&via.from_col)?;
        sql.in_values(chunk);
        conn.execute(sql.text, sql.params)
            .await
            .map_err(|e| Error::from_sqlx_on(e, link.from.model, &via.table, &[]))?;
    }
    Ok(())
}
