//! Adding and dropping table constraints. Unnamed constraints are named by the metadata's
//! naming convention, as they are when a model's table joins its `MetaData`.

use super::super::error::ApplyError;
use super::super::op::{Constraint, ConstraintKind};
use super::context::{constraint_names, Cx};
use crate::{Index, MetaData, NamingConvention, Table};

pub(in crate::ops) fn add_constraint(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    c: Constraint,
) -> Result<(), ApplyError> {
    let naming = md.naming().clone();
    let t = cx.table(md, schema, table)?;
    let columns: Vec<&str> = match &c {
        Constraint::PrimaryKey(pk) => pk.columns.iter().map(String::as_str).collect(),
        Constraint::ForeignKey(fk) => fk.columns.iter().map(String::as_str).collect(),
        Constraint::Unique(u) => u.columns.iter().map(String::as_str).collect(),
        Constraint::Check(_) => Vec::new(),
        Constraint::Exclude(x) => x
            .column_names()
            .chain(x.include.iter().map(String::as_str))
            .collect(),
    };
    for col in columns {
        cx.need_column(t, col)?;
    }
    if matches!(c, Constraint::PrimaryKey(_)) && t.primary_key.is_some() {
        return Err(ApplyError::PrimaryKeyExists {
            op: cx.op.clone(),
            table: t.qualified_name(),
        });
    }
    let mut c = c;
    name_by_convention(&naming, &t.name, &mut c);
    if let Some(name) = c.name() {
        let resolved = t.schema.clone();
        if constraint_names(t).any(|n| n == name) {
            return Err(ApplyError::NameInUse {
                op: cx.op.clone(),
                schema: t.qualified_name(),
                name: name.to_string(),
            });
        }
        if matches!(
            c.kind(),
            ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclude
        ) {
            cx.check_schema_name_free(md, resolved.as_deref(), name)?;
        }
    }
    let t = cx.table_mut(md, schema, table)?;
    match c {
        Constraint::PrimaryKey(pk) => t.primary_key = Some(pk),
        Constraint::ForeignKey(fk) => t.foreign_keys.push(fk),
        Constraint::Unique(u) => t.uniques.push(u),
        Constraint::Check(ck) => t.checks.push(ck),
        Constraint::Exclude(x) => t.excludes.push(x),
    }
    Ok(())
}

/// Names an unnamed index as the metadata's naming convention would, through a scratch
/// table so that nothing else is touched.
pub(in crate::ops) fn name_index_by_convention(
    naming: &NamingConvention,
    table: &str,
    index: &mut Index,
) {
    let mut tmp = Table::new(table).index(index.clone());
    naming.apply(&mut tmp);
    if let Some(named) = tmp.indexes.pop() {
        *index = named;
    }
}

/// Names an unnamed constraint as the metadata's naming convention would, through a
/// scratch table so that nothing else is touched.
pub(in crate::ops) fn name_by_convention(
    naming: &NamingConvention,
    table: &str,
    c: &mut Constraint,
) {
    let mut tmp = Table::new(table);
    match c {
        Constraint::PrimaryKey(pk) => {
            tmp.primary_key = Some(pk.clone());
            naming.apply(&mut tmp);
            if let Some(named) = tmp.primary_key {
                *pk = named;
            }
        }
        Constraint::ForeignKey(fk) => {
            tmp.foreign_keys.push(fk.clone());
            naming.apply(&mut tmp);
            if let Some(named) = tmp.foreign_keys.pop() {
                *fk = named;
            }
        }
        Constraint::Unique(u) => {
            tmp.uniques.push(u.clone());
            naming.apply(&mut tmp);
            if let Some(named) = tmp.uniques.pop() {
                *u = named;
            }
        }
        Constraint::Check(ck) => {
            tmp.checks.push(ck.clone());
            naming.apply(&mut tmp);
            if let Some(named) = tmp.checks.pop() {
                *ck = named;
            }
        }
        // No convention names an exclusion constraint: it is always named.
        Constraint::Exclude(_) => {}
    }
}

pub(in crate::ops) fn drop_constraint(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    name: &str,
    kind: ConstraintKind,
    existing: Option<&Constraint>,
) -> Result<(), ApplyError> {
    let t = cx.table_mut(md, schema, table)?;
    let named = |n: &Option<String>| n.as_deref() == Some(name);
    // A schema replayed from the history keeps constraints unnamed where the database
    // named them; a drop that carries the definition finds such a one by its content.
    let unnamed_like = |c: Constraint| {
        c.name().is_none() && existing.is_some_and(|e| e.clone().with_name(None) == c)
    };
    let found = match kind {
        // A table has one primary key; an unnamed one is named by the database, so any
        // name drops it.
        ConstraintKind::PrimaryKey => {
            let hit = t
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.name.is_none() || named(&pk.name));
            if hit {
                t.primary_key = None;
            }
            hit
        }
        ConstraintKind::ForeignKey => {
            remove_first(&mut t.foreign_keys, |f| named(&f.name))
                || remove_first(&mut t.foreign_keys, |f| {
                    unnamed_like(Constraint::ForeignKey(f.clone()))
                })
        }
        ConstraintKind::Unique => {
            remove_first(&mut t.uniques, |u| named(&u.name))
                || remove_first(&mut t.uniques, |u| {
                    unnamed_like(Constraint::Unique(u.clone()))
                })
        }
        ConstraintKind::Check => {
            remove_first(&mut t.checks, |c| named(&c.name))
                || remove_first(&mut t.checks, |c| {
                    unnamed_like(Constraint::Check(c.clone()))
                })
        }
        ConstraintKind::Exclude => {
            remove_first(&mut t.excludes, |x| named(&x.name))
                || remove_first(&mut t.excludes, |x| {
                    unnamed_like(Constraint::Exclude(x.clone()))
                })
        }
    };
    if !found {
        return Err(ApplyError::UnknownConstraint {
            op: cx.op.clone(),
            table: t.qualified_name(),
            kind: kind.as_str().into(),
            name: name.to_string(),
        });
    }
    Ok(())
}

pub(in crate::ops) fn remove_first<T>(v: &mut Vec<T>, pred: impl Fn(&T) -> bool) -> bool {
    match v.iter().position(pred) {
        Some(i) => {
            v.remove(i);
            true
        }
        None => false,
    }
}
