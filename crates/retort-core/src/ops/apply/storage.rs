//! Table inheritance (`INHERIT` / `NO INHERIT`) and storage parameters (`SET (..)`), replayed.

use super::super::error::ApplyError;
use super::context::Cx;
use crate::{Column, MetaData, TableRef};

/// Whether `parent` names the table `name` in `schema` (each side's `None` the default
/// schema).
pub(super) fn is_parent(
    parent: &TableRef,
    default_schema: Option<&str>,
    schema: Option<&str>,
    name: &str,
) -> bool {
    parent.name == name && parent.schema.as_deref().or(default_schema) == schema.or(default_schema)
}

/// `ALTER TABLE t INHERIT parent`: the parent exists, the child has its columns already.
pub(super) fn inherit(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    parent: &TableRef,
) -> Result<(), ApplyError> {
    let columns: Vec<String> = cx
        .table(md, &parent.schema, &parent.name)?
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let default_schema = md.default_schema().map(str::to_owned);
    let parent_schema = md
        .get_table(parent.schema.as_deref(), &parent.name)
        .and_then(|p| p.schema.clone());
    let t = cx.table_mut(md, schema, table)?;
    for c in &columns {
        cx.need_column(t, c)?;
    }
    if t.inherits.iter().any(|p| {
        is_parent(
            p,
            default_schema.as_deref(),
            parent_schema.as_deref(),
            &parent.name,
        )
    }) {
        return Err(ApplyError::ExistingMismatch {
            op: cx.op.clone(),
            target: t.qualified_name(),
            property: "parents".into(),
            recorded: format!("no {}", parent.qualified_name()),
            actual: format!("it inherits from {} already", parent.qualified_name()),
        });
    }
    t.inherits.push(parent.clone());
    Ok(())
}

/// `ALTER TABLE t NO INHERIT parent`: the columns only the parent gave become the table's own.
pub(super) fn no_inherit(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    parent: &TableRef,
) -> Result<(), ApplyError> {
    let default_schema = md.default_schema().map(str::to_owned);
    let t = cx.table(md, schema, table)?;
    let Some(at) = t
        .inherits
        .iter()
        .position(|p| same_ref(p, parent, default_schema.as_deref()))
    else {
        return Err(ApplyError::ExistingMismatch {
            op: cx.op.clone(),
            target: t.qualified_name(),
            property: "parents".into(),
            recorded: parent.qualified_name(),
            actual: format!(
                "[{}]",
                t.inherits
                    .iter()
                    .map(TableRef::qualified_name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    };
    // The columns another remaining parent still gives stay inherited.
    let remaining: Vec<String> = t
        .inherits
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .filter_map(|(_, p)| md.get_table(p.schema.as_deref(), &p.name))
        .flat_map(|p| p.columns.iter().map(|c| c.name.clone()))
        .collect();
    let t = cx.table_mut(md, schema, table)?;
    t.inherits.remove(at);
    for c in t.columns.iter_mut().filter(|c| c.inherited) {
        if !remaining.contains(&c.name) {
            c.inherited = false;
        }
    }
    Ok(())
}

fn same_ref(a: &TableRef, b: &TableRef, default_schema: Option<&str>) -> bool {
    a.name == b.name
        && a.schema.as_deref().or(default_schema) == b.schema.as_deref().or(default_schema)
}

/// `SET (..)` / `RESET (..)` on the table, or on the index (or key) named `index`.
pub(super) fn set_storage(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    index: &Option<String>,
    with: &[(String, String)],
    existing: &Option<Vec<(String, String)>>,
) -> Result<(), ApplyError> {
    let t = cx.table_mut(md, schema, table)?;
    let target = t.qualified_name();
    let slot = match index {
        None => &mut t.with,
        Some(name) => {
            let n = Some(name.as_str());
            if let Some(i) = t.indexes.iter_mut().find(|i| i.name.as_deref() == n) {
                &mut i.with
            } else if let Some(pk) = t.primary_key.as_mut().filter(|pk| pk.name.as_deref() == n) {
                &mut pk.with
            } else if let Some(u) = t.uniques.iter_mut().find(|u| u.name.as_deref() == n) {
                &mut u.with
            } else {
                return Err(ApplyError::UnknownIndex {
                    op: cx.op.clone(),
                    table: target,
                    name: name.clone(),
                });
            }
        }
    };
    match existing {
        Some(old) if old != slot => Err(ApplyError::ExistingMismatch {
            op: cx.op.clone(),
            target,
            property: "storage parameters".into(),
            recorded: format!("{old:?}"),
            actual: format!("{slot:?}"),
        }),
        Some(_) => {
            *slot = with.to_vec();
            Ok(())
        }
        // Not recorded: the op sets what it names and resets nothing, as its SQL does.
        None => {
            for (name, value) in with {
                match slot.iter_mut().find(|(n, _)| n == name) {
                    Some(kept) => kept.1.clone_from(value),
                    None => slot.push((name.clone(), value.clone())),
                }
            }
            Ok(())
        }
    }
}

/// The tables that inherit from `(schema, name)`, children of children included, by
/// position in `md` (PostgreSQL forbids a cycle, so the walk ends).
fn descendants(md: &MetaData, schema: Option<&str>, name: &str) -> Vec<usize> {
    let default_schema = md.default_schema().map(str::to_owned);
    let mut out: Vec<usize> = Vec::new();
    let mut queue = vec![(schema.map(str::to_owned), name.to_owned())];
    while let Some((s, n)) = queue.pop() {
        for (i, t) in md.tables().iter().enumerate() {
            let child = t
                .inherits
                .iter()
                .any(|p| is_parent(p, default_schema.as_deref(), s.as_deref(), &n));
            if child && !out.contains(&i) {
                out.push(i);
                queue.push((t.schema.clone(), t.name.clone()));
            }
        }
    }
    out
}

/// A column added to a parent reaches its children, as in PostgreSQL: inherited where the
/// child lacks it, merged with the child's own where it has one.
pub(super) fn add_to_children(
    md: &mut MetaData,
    schema: Option<&str>,
    name: &str,
    column: &Column,
) {
    for i in descendants(md, schema, name) {
        let t = &mut md.tables_mut()[i];
        if t.get_column(&column.name).is_none() {
            let mut c = column.clone();
            c.inherited = true;
            c.comment = None;
            t.columns.push(c);
        }
    }
}

/// A column dropped from a parent goes from the children that have it only from their
/// parents (a child's own stays, as in PostgreSQL).
pub(super) fn drop_from_children(
    md: &mut MetaData,
    schema: Option<&str>,
    name: &str,
    column: &str,
) {
    for i in descendants(md, schema, name) {
        md.tables_mut()[i]
            .columns
            .retain(|c| !(c.name == column && c.inherited));
    }
}
