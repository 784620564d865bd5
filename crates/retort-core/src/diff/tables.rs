//! Which tables come and go, and in what order: dropped tables dependents first (their
//! foreign keys that form a cycle dropped before them), new tables referenced ones first
//! (the foreign keys that close a cycle added after all of them), and each kept table
//! handed to the per-kind comparisons.

use std::collections::HashMap;

use super::options::{ObjectKind, ObjectRef};
use super::{columns, constraints, hints, storage, Cx, Plan, Step};
use crate::ops::{Constraint, ConstraintKind, Op};
use crate::{sort_tables, MetaData, Table, TableLookup, TableOrder};

type Key<'a> = (Option<&'a str>, &'a str);

fn key(t: &Table) -> Key<'_> {
    (t.schema.as_deref(), t.name.as_str())
}

/// Lookup by schema and name. Only ever looked up, never iterated, so no hash order can
/// reach the output.
fn index(md: &MetaData) -> HashMap<Key<'_>, usize> {
    md.tables()
        .iter()
        .enumerate()
        .map(|(i, t)| (key(t), i))
        .collect()
}

fn table_included(cx: &Cx, t: &Table, in_database: bool, in_model: bool) -> bool {
    cx.opts.table_included(t.schema.as_deref(), &t.name)
        && cx.opts.hook(ObjectRef {
            kind: ObjectKind::Table,
            schema: t.schema.as_deref(),
            table: Some(&t.name),
            name: Some(&t.name),
            in_database,
            in_model,
        })
}

/// A scratch metadata holding `tables` (as they are: no naming convention or default
/// schema applied again), so that `sort_tables` orders just them.
fn subset(like: &MetaData, tables: Vec<Table>) -> MetaData {
    let mut md = match like.default_schema() {
        Some(s) => MetaData::new().with_schema(s),
        None => MetaData::new(),
    };
    *md.tables_mut() = tables;
    md
}

/// `name` for an op, or the name the database gave (or will give) an unnamed constraint;
/// `None` where the database leaves it unnamed (see `CompareDialect::constraint_name`).
pub(super) fn constraint_name(cx: &Cx, t: &Table, c: &Constraint) -> Option<String> {
    match c.name() {
        Some(n) => Some(n.to_string()),
        None => cx.dialect.constraint_name(t, c),
    }
}

/// How a log line names a constraint: `'name'`, or `(unnamed)`.
pub(super) fn shown(name: Option<&str>) -> String {
    match name {
        Some(n) => format!("'{n}'"),
        None => "(unnamed)".into(),
    }
}

/// Creation order in rounds, as SQLAlchemy's `sort_tables` (and so Alembic) has it: each
/// round takes every table whose referenced tables are already out, in insertion order.
/// The seed's customers, orders, products thus come out customers, products, orders, as in
/// Alembic's revision. Foreign keys `order` defers (cycles) and self-references impose no
/// order; a table's parents (`INHERITS`) come before it.
fn layered(md: &MetaData, order: &TableOrder) -> Vec<usize> {
    let n = md.tables().len();
    let lookup = TableLookup::new(md);
    let deps: Vec<Vec<usize>> = md
        .tables()
        .iter()
        .enumerate()
        .map(|(a, t)| {
            t.foreign_keys
                .iter()
                .enumerate()
                .filter(|&(k, _)| !order.is_deferred(a, k))
                .filter_map(|(_, fk)| lookup.referenced_table(fk))
                // A child of `INHERITS` goes after its parents too.
                .chain(t.inherits.iter().filter_map(|p| {
                    lookup.table(p.schema.as_deref().or(md.default_schema()), &p.name)
                }))
                .filter(|&b| b != a)
                .collect()
        })
        .collect();
    // A table goes in the first round after all it refers to: its round is one more than
    // the latest of theirs. `order.tables` lists referenced tables first, so one pass in
    // that order computes every round; a stable sort by round then keeps insertion order.
    let mut round = vec![0usize; n];
    for &a in &order.tables {
        round[a] = deps[a].iter().map(|&b| round[b] + 1).max().unwrap_or(0);
    }
    let mut out: Vec<usize> = (0..n).collect();
    out.sort_by_key(|&a| round[a]);
    out
}

pub(super) fn compare_tables(cx: &Cx, plan: &mut Plan) {
    let (db, model) = (cx.db, cx.model);
    let in_db = index(db);
    let in_model = index(model);
    let db_order = layered(db, &sort_tables(db));
    let model_order = layered(model, &sort_tables(model));

    let removed: Vec<Table> = db_order
        .iter()
        .map(|&i| &db.tables()[i])
        .filter(|t| !in_model.contains_key(&key(t)) && table_included(cx, t, true, false))
        .cloned()
        .collect();
    let mut kept = Vec::new();
    let mut added = Vec::new();
    for &i in &model_order {
        let m = &model.tables()[i];
        match in_db.get(&key(m)) {
            Some(&d) if table_included(cx, m, true, true) => kept.push((&db.tables()[d], m)),
            None if table_included(cx, m, false, true) => added.push(m.clone()),
            _ => {}
        }
    }

    plan.hints.extend(hints::table_hints(cx, &removed, &added));
    drop_tables(cx, removed, plan);
    for (d, m) in kept {
        compare_table(cx, d, m, plan);
    }
    rebuild_dependent_foreign_keys(cx, plan);
    create_tables(cx, added, plan);
}

/// Drops, dependents first; a cycle among the dropped tables is cut by dropping its
/// foreign keys before any of them.
fn drop_tables(cx: &Cx, removed: Vec<Table>, plan: &mut Plan) {
    let mut gone = subset(cx.db, removed);
    let order = sort_tables(&gone);
    for &(ti, fi) in order.deferred_foreign_keys.iter().rev() {
        let t = &gone.tables()[ti];
        let fk = Constraint::ForeignKey(t.foreign_keys[fi].clone());
        // Unnamed (""): dropped by its definition, which `existing` carries.
        let name = fk.name().unwrap_or_default().to_string();
        plan.drop_foreign_keys.push(Step::quiet(Op::DropConstraint {
            schema: t.schema.clone(),
            table: t.name.clone(),
            name,
            kind: ConstraintKind::ForeignKey,
            existing: Some(fk),
        }));
    }
    let order = without_deferred_keys(&mut gone, order);
    for &i in layered(&gone, &order).iter().rev() {
        let t = &gone.tables()[i];
        plan.drop_tables.push(Step::new(
            Op::DropTable {
                schema: t.schema.clone(),
                name: t.name.clone(),
                existing: Some(t.clone()),
                data_loss_ok: false,
            },
            format!("Detected removed table '{}'", t.qualified_name()),
        ));
    }
}

/// Removes the deferred (cycle) foreign keys from `md`'s tables, and returns `order` with
/// none deferred: the indexes it recorded pointed into the key lists before the removal, so
/// kept against the shortened lists they would mark other keys deferred and drop their
/// ordering.
fn without_deferred_keys(md: &mut MetaData, order: TableOrder) -> TableOrder {
    // Sorted ascending, so removing from the back keeps the earlier indexes valid.
    for &(ti, fi) in order.deferred_foreign_keys.iter().rev() {
        md.tables_mut()[ti].foreign_keys.remove(fi);
    }
    TableOrder {
        tables: order.tables,
        deferred_foreign_keys: Vec::new(),
    }
}

/// Creates, referenced tables first; the foreign keys that close a cycle among the new
/// tables are added once all of them exist.
fn create_tables(cx: &Cx, added: Vec<Table>, plan: &mut Plan) {
    let mut fresh = subset(cx.model, added);
    let order = sort_tables(&fresh);
    let mut deferred = Vec::new();
    for &(ti, fi) in &order.deferred_foreign_keys {
        let t = &fresh.tables()[ti];
        let mut fk = t.foreign_keys[fi].clone();
        if fk.name.is_none() {
            fk.name = cx
                .dialect
                .constraint_name(t, &Constraint::ForeignKey(fk.clone()));
        }
        deferred.push(Step::quiet(Op::CreateForeignKey {
            schema: t.schema.clone(),
            table: t.name.clone(),
            foreign_key: fk,
            not_valid: false,
        }));
    }
    let order = without_deferred_keys(&mut fresh, order);
    for &i in &layered(&fresh, &order) {
        let t = &fresh.tables()[i];
        plan.create_tables.push(Step::new(
            Op::CreateTable { table: t.clone() },
            format!("Detected added table '{}'", t.qualified_name()),
        ));
    }
    plan.create_foreign_keys.extend(deferred);
}

/// One table on both sides: its columns, comment, keys and indexes, in the order of the
/// module notes of `diff`.
fn compare_table(cx: &Cx, d: &Table, m: &Table, plan: &mut Plan) {
    let cols = columns::compare_columns(cx, d, m);
    let cons = constraints::compare_constraints(cx, d, m);
    plan.hints
        .extend(hints::column_hints(cx, d, m, &cols.dropped, &cols.added));
    let (leave, gain) = storage::inheritance_steps(cx.db, cx.model, d, m);
    // A table leaves a parent before any table changes (a column the parent gains would
    // reach it and stay), and joins one after all of them (and after a new parent exists).
    plan.drop_foreign_keys.extend(leave);
    plan.drop_foreign_keys.extend(cons.drop_foreign_keys);
    plan.alter_tables.extend(cons.drop_indexes);
    plan.alter_tables.extend(cons.drop_constraints);
    plan.alter_tables.extend(cols.drops);
    plan.alter_tables.extend(cols.adds);
    plan.alter_tables.extend(cols.alters);
    plan.alter_tables.extend(table_comment(d, m));
    plan.alter_tables
        .extend(storage::storage_step(d, None, &d.with, &m.with));
    plan.alter_tables.extend(cons.create_constraints);
    plan.alter_tables.extend(cons.create_indexes);
    plan.alter_tables.extend(cons.storage);
    plan.create_foreign_keys.extend(gain);
    plan.create_foreign_keys.extend(cons.create_foreign_keys);
}

fn table_comment(d: &Table, m: &Table) -> Option<Step> {
    let (schema, table) = (d.schema.clone(), d.name.clone());
    let q = d.qualified_name();
    match (&d.comment, &m.comment) {
        (old, Some(new)) if old.as_ref() != Some(new) => Some(Step::new(
            Op::CreateTableComment {
                schema,
                table,
                comment: new.clone(),
                existing_comment: old.clone(),
            },
            match old {
                None => format!("Detected added table comment on '{q}'"),
                Some(_) => format!("Detected changed table comment on '{q}'"),
            },
        )),
        (Some(old), None) => Some(Step::new(
            Op::DropTableComment {
                schema,
                table,
                existing_comment: Some(old.clone()),
            },
            format!("Detected removed table comment on '{q}'"),
        )),
        _ => None,
    }
}

/// A primary key or unique constraint (or unique index) that phase 4 drops while a foreign
/// key that stays refers to it: the database refuses that drop, so the foreign key is
/// dropped first (phase 2) and created again afterwards (phase 6), unchanged.
fn rebuild_dependent_foreign_keys(cx: &Cx, plan: &mut Plan) {
    let mut dropped_keys: Vec<(Option<String>, String, Vec<String>)> = Vec::new();
    for s in &plan.alter_tables {
        let cols = match &s.op {
            Op::DropConstraint {
                existing: Some(Constraint::PrimaryKey(p)),
                ..
            } => p.columns.clone(),
            Op::DropConstraint {
                existing: Some(Constraint::Unique(u)),
                ..
            } => u.columns.clone(),
            Op::DropIndex {
                existing: Some(ix), ..
            } if ix.unique => ix.column_names().map(str::to_string).collect(),
            _ => continue,
        };
        let (schema, table) = match &s.op {
            Op::DropConstraint { schema, table, .. } | Op::DropIndex { schema, table, .. } => {
                (schema.clone(), table.clone())
            }
            _ => continue,
        };
        dropped_keys.push((schema, table, sorted(cols)));
    }
    if dropped_keys.is_empty() {
        return;
    }
    // The foreign keys already dropped: by name, or an unnamed one by its definition.
    let already: Vec<(Option<String>, String, String, Option<Constraint>)> = plan
        .drop_foreign_keys
        .iter()
        .filter_map(|s| match &s.op {
            Op::DropConstraint {
                schema,
                table,
                name,
                existing,
                ..
            } => Some((
                schema.clone(),
                table.clone(),
                name.clone(),
                existing.clone(),
            )),
            _ => None,
        })
        .collect();
    let dropped_tables: Vec<(Option<String>, String)> = plan
        .drop_tables
        .iter()
        .filter_map(|s| match &s.op {
            Op::DropTable { schema, name, .. } => Some((schema.clone(), name.clone())),
            _ => None,
        })
        .collect();
    for owner in cx.db.tables() {
        let owner_key = (owner.schema.clone(), owner.name.clone());
        if dropped_tables.contains(&owner_key) {
            continue;
        }
        for fk in &owner.foreign_keys {
            let c = Constraint::ForeignKey(fk.clone());
            // Unnamed: dropped by its definition and created unnamed again (see
            // `constraints::drop_op`).
            let name = fk.name.clone();
            let target_schema = cx.db_tables.resolved_target_schema(fk);
            let hits = dropped_keys.iter().any(|(s, t, cols)| {
                *s == target_schema && *t == fk.ref_table && *cols == sorted(fk.ref_columns.clone())
            });
            let dropped = already.iter().any(|(s, t, n, e)| {
                *s == owner.schema
                    && *t == owner.name
                    && match &name {
                        Some(name) => n == name,
                        None => n.is_empty() && e.as_ref() == Some(&c),
                    }
            });
            if !hits || dropped {
                continue;
            }
            let named = fk.clone();
            plan.drop_foreign_keys.push(Step::quiet(Op::DropConstraint {
                schema: owner.schema.clone(),
                table: owner.name.clone(),
                name: name.unwrap_or_default(),
                kind: ConstraintKind::ForeignKey,
                existing: Some(Constraint::ForeignKey(named.clone())),
            }));
            plan.create_foreign_keys
                .push(Step::quiet(Op::CreateForeignKey {
                    schema: owner.schema.clone(),
                    table: owner.name.clone(),
                    foreign_key: named,
                    not_valid: false,
                }));
        }
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}
