//! Entities around the column changes a database refuses under them (issue 14, item 5).
//!
//! PostgreSQL will not drop a column, nor change its type, while a view, a materialized
//! view, a function with a SQL-standard body or a trigger's column list reads it; SQLite
//! will not drop a column a view reads. So, after the tables and entities are compared,
//! every entity of the database that reads a column the revision drops or retypes
//! ([`crate::reads_column`] by name, and the catalog's record:
//! [`DiffOptions::entity_columns`](super::DiffOptions::entity_columns)), with every entity
//! that must go with it ([`crate::with_dependents`]: a view of that view...), is dropped
//! before the change (the drop carrying the database's definition) and created after it
//! (the model's definition; a `replace` the comparison had planned becomes this pair, with
//! its log line). The drops and creates are then put back in dependency order with the
//! others, so the downgrade, `reverse_all` of it, is the mirror.
//!
//! An entity in the way that is not under version control is not dropped: a warning names
//! it and what to do. One the model no longer has is already dropped first, and stays so.

use std::collections::HashMap;

use super::{Cx, Plan, Step};
use crate::ops::Op;
use crate::{reads_column, sort_entities, sort_entities_with, with_dependents, Entity, EntityKey};

/// A column the plan drops or retypes: (schema, table, column, what happens to it).
struct Changed {
    schema: Option<String>,
    table: String,
    column: String,
    what: &'static str,
}

fn changed_columns(cx: &Cx, plan: &Plan) -> Vec<Changed> {
    let retype = cx.dialect.entities_block_type_changes();
    plan.alter_tables
        .iter()
        .filter_map(|s| match &s.op {
            Op::DropColumn {
                schema,
                table,
                column,
                ..
            } => Some(Changed {
                schema: schema.clone(),
                table: table.clone(),
                column: column.clone(),
                what: "drops",
            }),
            Op::AlterColumn(a) if retype && a.type_.is_some() => Some(Changed {
                schema: a.schema.clone(),
                table: a.table.clone(),
                column: a.column.clone(),
                what: "changes the type of",
            }),
            _ => None,
        })
        .collect()
}

pub(super) fn around_column_changes(cx: &Cx, plan: &mut Plan) {
    let db = cx.db.entities();
    if db.is_empty() {
        return;
    }
    let changed = changed_columns(cx, plan);
    if changed.is_empty() {
        return;
    }
    let default = cx.db.default_schema();
    let same_schema = |a: Option<&str>, b: Option<&str>| a.or(default) == b.or(default);
    // Which entity reads which changed column first (for the warning's words).
    let mut reason: HashMap<usize, usize> = HashMap::new();
    for (c, ch) in changed.iter().enumerate() {
        // The catalog's reads of this column first (a few), then each entity against them.
        let recorded: Vec<&EntityKey> = cx
            .opts
            .entity_columns
            .iter()
            .filter(|r| {
                r.table == ch.table
                    && r.column == ch.column
                    && same_schema(r.schema.as_deref(), ch.schema.as_deref())
            })
            .map(|r| &r.entity)
            .collect();
        for (i, e) in db.iter().enumerate() {
            let key = e.key();
            if recorded.iter().any(|k| k.matches(&key)) || reads_column(e, &ch.table, &ch.column) {
                reason.entry(i).or_insert(c);
            }
        }
    }
    if reason.is_empty() {
        return;
    }
    let mut seeds: Vec<usize> = reason.keys().copied().collect();
    seeds.sort_unstable();
    let known = &cx.opts.entity_dependencies;
    let all = with_dependents(db, known, &seeds);
    let model: HashMap<EntityKey, &Entity> =
        cx.model.entities().iter().map(|e| (e.key(), e)).collect();
    let dropped = |key: &EntityKey| {
        plan.drop_entities
            .iter()
            .any(|s| matches!(&s.op, Op::DropEntity { key: k, .. } if k == key))
    };
    let mut drops = Vec::new();
    let mut creates = Vec::new();
    let mut warnings = Vec::new();
    for i in all {
        let d = &db[i];
        let key = d.key();
        if dropped(&key) {
            continue;
        }
        let Some(m) = model.get(&key) else {
            let why = match reason.get(&i) {
                Some(&c) => {
                    let ch = &changed[c];
                    let table = crate::schema::qualified(ch.schema.as_deref(), &ch.table);
                    format!(
                        "reads column {table}.{}, which this revision {}",
                        ch.column, ch.what
                    )
                }
                None => "depends on an entity that reads a column this revision drops or changes the type of".into(),
            };
            warnings.push(format!(
                "{key} {why}: it is not under version control, so it is left in place and the database will refuse the change while it is there; declare it in the model (it is then dropped before the change and created again after it) or drop it in a revision of its own first"
            ));
            continue;
        };
        drops.push(Step::quiet(Op::DropEntity {
            key: key.clone(),
            existing: Some(d.clone()),
        }));
        // A planned replace becomes the create, keeping its log line.
        let mut log = Vec::new();
        plan.create_entities.retain(|s| match &s.op {
            Op::ReplaceEntity { entity, .. } if entity.key() == key => {
                log.extend(s.log.iter().cloned());
                false
            }
            _ => true,
        });
        creates.push(Step {
            op: Op::CreateEntity {
                entity: (*m).clone(),
            },
            log,
        });
    }
    plan.warnings.extend(warnings);
    if drops.is_empty() {
        return;
    }
    plan.drop_entities.extend(drops);
    plan.create_entities.extend(creates);
    order_steps(&mut plan.drop_entities, db, known, true);
    order_steps(&mut plan.create_entities, cx.model.entities(), &[], false);
}

/// Sorts entity steps by the dependency order of `entities` (reversed for drops), steps
/// whose entity is not among them keeping their place at the end.
fn order_steps(
    steps: &mut [Step],
    entities: &[Entity],
    known: &[(EntityKey, EntityKey)],
    reverse: bool,
) {
    let order = if known.is_empty() {
        sort_entities(entities)
    } else {
        sort_entities_with(entities, known)
    };
    let n = order.len();
    let rank: HashMap<EntityKey, usize> = order
        .into_iter()
        .enumerate()
        .map(|(r, i)| (entities[i].key(), if reverse { n - r } else { r }))
        .collect();
    let key_of = |s: &Step| match &s.op {
        Op::DropEntity { key, .. } => Some(key.clone()),
        Op::CreateEntity { entity } | Op::ReplaceEntity { entity, .. } => Some(entity.key()),
        _ => None,
    };
    steps.sort_by_key(|s| {
        key_of(s)
            .and_then(|k| rank.get(&k).copied())
            .unwrap_or(usize::MAX)
    });
}
