//! Migration operations on SQLite: [`render_op`] and [`render_ops`], the bodies of
//! [`crate::Dialect::render_op`] / [`crate::Dialect::render_ops`] for [`super::Sqlite`].
//!
//! [`super::plan`] decides per op: no SQL, a statement of its own, or a table rebuild
//! ([`super::rebuild`]). [`render_ops`] batches consecutive rebuilding ops on one table
//! into one rebuild (a revision that changes three columns of a table copies it once).
//!
//! No SQL at all: comment ops (SQLite has no comments; they stay documentation in the
//! model) and enum-type ops (an enum lives in its columns' CHECKs; adding a value rebuilds
//! the tables that use it). `create_index(.., concurrently)` is a plain `CREATE INDEX`:
//! SQLite has nothing else.

use retort_core::ops::Op;
use retort_core::MetaData;

use crate::{ansi, Dialect, DialectError, TableName};

use super::plan::{plan, Plan, TableKey};
use super::rebuild::{rebuild, Around};
use super::types::lower_enums;

type Result<T> = std::result::Result<T, DialectError>;

/// `schema` with `op` applied; `index` (from 1) names the op in the error.
pub fn applied(op: &Op, schema: &MetaData, index: usize) -> Result<MetaData> {
    let mut after = schema.clone();
    apply(op, &mut after, index)?;
    Ok(after)
}

fn apply(op: &Op, schema: &mut MetaData, index: usize) -> Result<()> {
    op.apply(schema).map_err(|source| DialectError::Replay {
        index,
        op: op.describe(),
        source: Box::new(source),
    })
}

/// The statements of one op, `schema` being the schema before it.
pub fn render_op<D: Dialect + ?Sized>(d: &D, op: &Op, schema: &MetaData) -> Result<Vec<String>> {
    // An entity declared for other databases only (`.only_on`) is nothing here.
    if !op.runs_on(d.kind()) {
        return Ok(Vec::new());
    }
    // SQLite's own variant of each type and default (see `Type::with_variant`).
    let (op, schema) = (&*op.for_dialect(d.kind()), &*schema.for_dialect(d.kind()));
    render_resolved_op(d, op, schema)
}

/// [`render_op`] of an op and schema already resolved for SQLite.
fn render_resolved_op<D: Dialect + ?Sized>(
    d: &D,
    op: &Op,
    schema: &MetaData,
) -> Result<Vec<String>> {
    match plan(op, schema) {
        Plan::Nothing => Ok(Vec::new()),
        Plan::Native => native(d, op, schema),
        Plan::Rebuild(keys) => {
            let after = applied(op, schema, 1)?;
            let mut out = Vec::new();
            for key in &keys {
                let around = around_from_history(d, schema, &key.name)?;
                out.extend(rebuild(d, &[op], schema, &after, key, &around)?);
            }
            Ok(out)
        }
    }
}

/// The statements of `ops` in order, each against the schema the earlier ones leave, with
/// consecutive rebuilds of one table batched into one.
pub fn render_ops<D: Dialect + ?Sized>(
    d: &D,
    ops: &[Op],
    schema: &MetaData,
) -> Result<Vec<String>> {
    // Resolved once here, so the rebuilds below see SQLite's variants only.
    // What is declared for other databases only (`.only_on`) is left out.
    let resolved: Vec<Op> = ops
        .iter()
        .filter(|op| op.runs_on(d.kind()))
        .map(|op| op.for_dialect(d.kind()).into_owned())
        .collect();
    let ops = &resolved[..];
    let mut current = schema.for_dialect(d.kind()).into_owned();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        let Some(key) = single_rebuild(&ops[i], &current) else {
            out.extend(render_resolved_op(d, &ops[i], &current)?);
            apply(&ops[i], &mut current, i + 1)?;
            i += 1;
            continue;
        };
        let before = current.clone();
        let mut group = Vec::new();
        while i < ops.len() && single_rebuild(&ops[i], &current).as_ref() == Some(&key) {
            apply(&ops[i], &mut current, i + 1)?;
            group.push(&ops[i]);
            i += 1;
        }
        let around = around_from_history(d, &before, &key.name)?;
        out.extend(rebuild(d, &group, &before, &current, &key, &around)?);
    }
    Ok(out)
}

/// The table an op rebuilds, when it rebuilds exactly one and can share the rebuild with
/// its neighbours (an enum value's rebuilds of every table using it are its own).
fn single_rebuild(op: &Op, schema: &MetaData) -> Option<TableKey> {
    if matches!(op, Op::AddEnumValue { .. } | Op::RecreateEnum { .. }) {
        return None;
    }
    match plan(op, schema) {
        Plan::Rebuild(mut keys) if keys.len() == 1 => keys.pop(),
        _ => None,
    }
}

/// Whether rendering `ops` rebuilds a table, so the runner must turn foreign keys off
/// around the transaction (see [`super::rebuild`]). Any rebuild, not only of a table the
/// history knows to be referenced: a key added by raw SQL is not in `schema`, and with keys
/// on, the copy of a table that already holds orphan rows would fail on rows the rebuild
/// did not break (its own check, before and after, is what guards the commit).
pub fn needs_foreign_keys_off(ops: &[Op], schema: &MetaData) -> Result<bool> {
    let mut current = schema.clone();
    for (i, op) in ops.iter().enumerate() {
        if matches!(plan(op, &current), Plan::Rebuild(_)) {
            return Ok(true);
        }
        apply(op, &mut current, i + 1)?;
    }
    Ok(false)
}

/// An op SQLite does with a statement of its own: create table and add column here (no
/// comments, enums lowered), a column rename, and the default dispatch for the rest.
fn native<D: Dialect + ?Sized>(d: &D, op: &Op, md: &MetaData) -> Result<Vec<String>> {
    let resolved = |schema: &Option<String>| {
        schema
            .clone()
            .or_else(|| md.default_schema().map(str::to_owned))
    };
    match op {
        Op::CreateTable { table } => {
            // Named and placed as replay does it (naming convention, default schema).
            let mut table = table.clone();
            table.schema = resolved(&table.schema);
            md.qualify_foreign_keys(&mut table);
            md.naming().clone().apply(&mut table);
            let table = lower_enums(d, md, &table)?;
            let mut out = vec![d.create_table(&table)?];
            for index in &table.indexes {
                out.push(d.create_index(TableName::of(&table), index)?);
            }
            Ok(out)
        }
        Op::AddColumn {
            schema,
            table,
            column,
        } => {
            let schema = resolved(schema);
            Ok(vec![d.add_column(
                TableName::new(schema.as_deref(), table),
                column,
            )?])
        }
        Op::AlterColumn(a) => {
            let Some(new_name) = &a.new_name else {
                return Ok(Vec::new());
            };
            let schema = resolved(&a.schema);
            Ok(vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                d.table_name(TableName::new(schema.as_deref(), &a.table))?,
                d.quote_identifier(&a.column)?,
                d.quote_identifier(new_name)?
            )])
        }
        other => ansi::ops::render_op(d, other, md),
    }
}

/// What a rebuild of `table` rendered from the history must do around the swap for the
/// entities the history knows: the views and other tables' triggers that name the table
/// are dropped first (SQLite checks them at the `RENAME`) and, with the table's own
/// triggers (which go with the old table), created again after it, in dependency order.
/// (The runner renders rebuilds from the live catalog instead, which carries everything.)
fn around_from_history<D: Dialect + ?Sized>(d: &D, md: &MetaData, table: &str) -> Result<Around> {
    use retort_core::Entity;
    let all = md.entities();
    let order = retort_core::sort_entities(all);
    let touched = |e: &Entity| match e {
        Entity::Trigger(t) => t.table == table || e.mentions(table),
        _ => e.mentions(table),
    };
    let mut around = Around::default();
    for &i in order.iter().rev() {
        let e = &all[i];
        let own_trigger = matches!(e, Entity::Trigger(t) if t.table == table);
        if touched(e) && !own_trigger {
            around.before.extend(d.drop_entity(&e.key())?);
        }
    }
    for &i in &order {
        if touched(&all[i]) {
            around.after.extend(d.create_entity(&all[i])?);
        }
    }
    Ok(around)
}
