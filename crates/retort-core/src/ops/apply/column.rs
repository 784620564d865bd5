//! Dropping a column, and applying an [`AlterColumn`]: check the recorded old values, then change the column, and
//! rename it last so that references to it (keys, indexes, other tables' foreign keys)
//! follow, as they do in the database.

use std::fmt::Debug;

use super::super::error::ApplyError;
use super::super::op::AlterColumn;
use super::context::{referencing_fks, refers_to, Cx};
use crate::{IndexTarget, MetaData, Table};

pub(in crate::ops) fn drop_column(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    column: &str,
) -> Result<(), ApplyError> {
    let t = cx.table(md, schema, table)?;
    cx.need_column(t, column)?;
    if let Some(by) = referencing_fks(md, t, Some(column)).first() {
        return Err(ApplyError::StillReferenced {
            op: cx.op.clone(),
            what: format!("column `{}.{column}`", t.qualified_name()),
            by: by.clone(),
        });
    }
    let default_schema = md.default_schema().map(str::to_owned);
    let t = cx.table_mut(md, schema, table)?;
    let own_schema = t.schema.clone();
    let own_name = t.name.clone();
    let has = |cols: &[String]| cols.iter().any(|c| c == column);
    t.columns.retain(|c| c.name != column);
    // As PostgreSQL does: constraints and indexes of this table that use the column go too.
    if t.primary_key.as_ref().is_some_and(|pk| has(&pk.columns)) {
        t.primary_key = None;
    }
    t.foreign_keys.retain(|fk| {
        let self_ref = refers_to(
            fk,
            default_schema.as_deref(),
            own_schema.as_deref(),
            &own_name,
        );
        !(has(&fk.columns) || self_ref && has(&fk.ref_columns))
    });
    t.uniques.retain(|u| !has(&u.columns));
    t.excludes
        .retain(|x| !x.column_names().any(|c| c == column) && !has(&x.include));
    t.indexes
        .retain(|i| !i.column_names().any(|c| c == column) && !has(&i.include));
    // Its column privileges go with it.
    md.entities_mut().retain(|e| {
        !matches!(e, crate::Entity::Grant(g) if g.column.as_deref() == Some(column)
            && g.object == own_name && g.schema == own_schema)
    });
    Ok(())
}

pub(in crate::ops) fn apply_alter(
    op: &str,
    md: &mut MetaData,
    a: &AlterColumn,
) -> Result<(), ApplyError> {
    let cx = Cx { op: op.to_string() };
    let t = cx.table(md, &a.schema, &a.table)?;
    cx.need_column(t, &a.column)?;
    let target = format!("{}.{}", t.qualified_name(), a.column);
    if let Some(new) = &a.new_name {
        if t.get_column(new).is_some() {
            return Err(cx.column_exists(t, new));
        }
    }
    let t = cx.table_mut(md, &a.schema, &a.table)?;
    cx.need_column(t, &a.column)?;
    let Some(col) = t.columns.iter_mut().find(|c| c.name == a.column) else {
        return Ok(()); // checked just above
    };

    let mismatch =
        |property: &str, recorded: &dyn Debug, actual: &dyn Debug| ApplyError::ExistingMismatch {
            op: op.to_string(),
            target: target.clone(),
            property: property.into(),
            recorded: format!("{recorded:?}"),
            actual: format!("{actual:?}"),
        };
    if let Some(old) = a.existing_nullable {
        if old != col.nullable {
            return Err(mismatch("nullable", &old, &col.nullable));
        }
    }
    if let Some(old) = &a.existing_type {
        if *old != col.ty {
            return Err(mismatch("type", old, &col.ty));
        }
    }
    if let Some(old) = &a.existing_server_default {
        let same = match (old, &col.server_default) {
            (Some(a), Some(b)) => a.same_on(b, &col.ty),
            (a, b) => a == b,
        };
        if !same {
            return Err(mismatch("server_default", old, &col.server_default));
        }
    }
    if let Some(old) = &a.existing_comment {
        if *old != col.comment {
            return Err(mismatch("comment", old, &col.comment));
        }
    }
    if let Some(old) = &a.existing_identity {
        if old.as_ref() != col.identity.as_deref() {
            return Err(mismatch("identity", old, &col.identity.as_deref().cloned()));
        }
    }
    if let Some(old) = &a.existing_computed {
        if *old != col.computed {
            return Err(mismatch("computed", old, &col.computed));
        }
    }

    if let Some(old) = &a.existing_collation {
        if *old != col.collation {
            return Err(mismatch("collation", old, &col.collation));
        }
    }

    if let Some(n) = a.nullable {
        col.nullable = n;
    }
    if let Some(c) = &a.collation {
        col.collation.clone_from(c);
    }
    if let Some(ty) = &a.type_ {
        col.ty = ty.clone();
    }
    if let Some(d) = &a.server_default {
        col.server_default.clone_from(d);
    }
    if let Some(c) = &a.comment {
        col.comment.clone_from(c);
    }
    if let Some(i) = &a.identity {
        col.identity = i.clone().map(Box::new);
    }
    if let Some(c) = &a.computed {
        col.computed.clone_from(c);
    }
    if let Some(new) = &a.new_name {
        col.name.clone_from(new);
        let (schema, table) = (t.schema.clone(), t.name.clone());
        rename_column_refs(md, schema.as_deref(), &table, &a.column, new);
    }
    Ok(())
}

/// Renames `old` to `new` wherever table `schema.table`'s column is named: its own primary
/// key, foreign keys, unique constraints and indexes, and every foreign key that refers to
/// it (its own self-references included).
pub(in crate::ops) fn rename_column_refs(
    md: &mut MetaData,
    schema: Option<&str>,
    table: &str,
    old: &str,
    new: &str,
) {
    let default_schema = md.default_schema().map(str::to_owned);
    for e in md.entities_mut() {
        if let crate::Entity::Grant(g) = e {
            if g.column.as_deref() == Some(old)
                && g.object == table
                && g.schema.as_deref() == schema
            {
                g.column = Some(new.to_owned());
            }
        }
    }
    for owner in md.tables_mut().iter_mut() {
        if owner.name == table && owner.schema.as_deref() == schema {
            rename_own(owner, old, new);
        }
        for fk in &mut owner.foreign_keys {
            if refers_to(fk, default_schema.as_deref(), schema, table) {
                rename_in(&mut fk.ref_columns, old, new);
            }
        }
    }
}

fn rename_in(cols: &mut [String], old: &str, new: &str) {
    for c in cols.iter_mut().filter(|c| *c == old) {
        *c = new.to_string();
    }
}

fn rename_own(t: &mut Table, old: &str, new: &str) {
    if let Some(pk) = &mut t.primary_key {
        rename_in(&mut pk.columns, old, new);
    }
    for fk in &mut t.foreign_keys {
        rename_in(&mut fk.columns, old, new);
    }
    for u in &mut t.uniques {
        rename_in(&mut u.columns, old, new);
    }
    for x in &mut t.excludes {
        rename_in(&mut x.include, old, new);
        for e in &mut x.elements {
            if let IndexTarget::Column(c) = &mut e.element.target {
                if c == old {
                    *c = new.to_string();
                }
            }
        }
    }
    for ix in &mut t.indexes {
        rename_in(&mut ix.include, old, new);
        for e in &mut ix.elements {
            if let IndexTarget::Column(c) = &mut e.target {
                if c == old {
                    *c = new.to_string();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ops::{AlterColumn, Op};
    use crate::{Column, Entity, Grant, MetaData, Table, Type};

    fn grant_columns(md: &MetaData) -> Vec<Option<String>> {
        md.entities()
            .iter()
            .map(|e| match e {
                Entity::Grant(g) => g.column.clone(),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_column_privilege_follows_its_column() {
        let mut md = MetaData::new()
            .table(
                Table::new("t")
                    .column(Column::new("a", Type::Integer))
                    .column(Column::new("b", Type::Integer)),
            )
            .with_entity(Grant::on_column("t", "a", "SELECT", "app"))
            .with_entity(Grant::on_column("t", "b", "SELECT", "app"))
            .with_entity(Grant::on_table("t", "INSERT", "app"));
        let rename = AlterColumn {
            new_name: Some("b2".into()),
            ..AlterColumn::new("t", "b")
        };
        Op::AlterColumn(rename).apply(&mut md).unwrap();
        assert_eq!(
            grant_columns(&md),
            [Some("a".into()), Some("b2".into()), None]
        );
        Op::DropColumn {
            schema: None,
            table: "t".into(),
            column: "a".into(),
            existing: None,
            data_loss_ok: false,
        }
        .apply(&mut md)
        .unwrap();
        assert_eq!(grant_columns(&md), [Some("b2".into()), None]);
    }
}
