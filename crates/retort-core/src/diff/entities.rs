//! Entities (views, functions, triggers): compared by key ([`EntityKey`]: kind, schema,
//! name, a function's identity arguments, a trigger's table) and definition text.
//!
//! * in the model, not in the database: created, after everything else, in dependency
//!   order ([`sort_entities`]); but a function a table's default or check calls is created
//!   before the tables (which cannot be created without it);
//! * in both, defined otherwise: replaced (the op carries the database's definition, so
//!   the downgrade restores it);
//! * in the database, not in the model: dropped first (before the tables and columns they
//!   read), in reverse dependency order (the catalog's record of them too, where the
//!   database gave one: [`DiffOptions::entity_dependencies`](super::DiffOptions::entity_dependencies)), but only if it is under version control
//!   ([`DiffOptions::versioned_entities`](super::DiffOptions::versioned_entities): the
//!   replayed history created it). Anything else is left alone, with a warning: an entity
//!   nobody declared never vanishes silently.
//!
//! Extensions go apart from the other entities: created (or updated) right after the
//! schemas, before the enum types, sequences and tables that may use them, and dropped
//! last, once nothing that used them is left. So do domains (PostgreSQL), which columns are
//! of: created (or replaced) just before the tables, dropped just after them. An entity the server makes itself
//! ([`CompareDialect::server_owned_entity`](super::CompareDialect::server_owned_entity):
//! PostgreSQL's `plpgsql`, its comment on `public`) is never dropped nor warned about.
//!
//! The texts compared are what each side holds: on a live PostgreSQL database autogenerate
//! has first replaced the database's text by the model's where the server spells both
//! alike (`retort_dialect::entities`), so equal texts mean no change.

use std::collections::HashMap;

use super::options::{ObjectKind, ObjectRef};
use super::{Cx, Plan, Step};
use crate::ops::Op;
use crate::{sort_entities, sort_entities_with, Entity, EntityKey};

fn included(cx: &Cx, e: &Entity, in_database: bool, in_model: bool) -> bool {
    let table = match e {
        // A grant on a table is filtered with its table (`exclude_tables`).
        Entity::Grant(g) if g.on == crate::GrantObject::Table => Some(g.object.as_str()),
        other => other.table(),
    };
    // An extension is the database's, not a schema's, and a schema's comment is compared
    // whenever its schema is read (`public` spelled out is the default schema): the
    // reading filters both.
    let schema = match e {
        Entity::Extension(_) | Entity::SchemaComment(_) => None,
        _ => e.schema(),
    };
    cx.opts.schema_included(schema)
        && table.map_or(true, |t| cx.opts.table_included(e.schema(), t))
        && cx.opts.hook(ObjectRef {
            kind: ObjectKind::Entity(e.kind()),
            schema: e.schema(),
            table,
            name: Some(e.name()),
            in_database,
            in_model,
        })
}

/// The entities of `list` by key (the first of a key: validation refuses two).
fn by_key(list: &[Entity]) -> HashMap<EntityKey, &Entity> {
    let mut out = HashMap::with_capacity(list.len());
    for e in list {
        out.entry(e.key()).or_insert(e);
    }
    out
}

/// Whether a model table's default, generated column or check calls function `name` (`name(`,
/// case aside, not the tail of a longer name): it is then created before the tables, which
/// cannot be created without it (DAViCal's `DEFAULT privilege_to_bits(..)`).
fn called_by_tables(cx: &Cx, name: &str) -> bool {
    fn defaults<'a>(d: &'a crate::ServerDefault, out: &mut Vec<&'a str>) {
        match d {
            crate::ServerDefault::Expr(e) => out.push(e),
            crate::ServerDefault::Literal(_) => {}
            crate::ServerDefault::Variant { base, variants } => {
                base.iter().for_each(|b| defaults(b, out));
                variants
                    .iter()
                    .flat_map(|(_, v)| v)
                    .for_each(|v| defaults(v, out));
            }
        }
    }
    let mut exprs: Vec<&str> = Vec::new();
    for t in cx.model.tables() {
        exprs.extend(t.checks.iter().map(|c| c.expr.as_str()));
        for c in &t.columns {
            if let Some(d) = &c.server_default {
                defaults(d, &mut exprs);
            }
            exprs.extend(c.computed.iter().map(|g| g.expr.as_str()));
        }
    }
    let call = format!("{}(", name.to_lowercase());
    exprs.iter().any(|e| {
        let e = e.to_lowercase();
        e.match_indices(&call).any(|(at, _)| {
            !e[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// Whether `e` is a rule on a view (or materialized view) of the model that the database
/// defines otherwise: replaced with it.
fn on_a_replaced_view(e: &Entity, model: &[Entity], db: &HashMap<EntityKey, &Entity>) -> bool {
    let Entity::Rule(r) = e else {
        return false;
    };
    model.iter().any(|v| {
        matches!(v, Entity::View(_) | Entity::MaterializedView(_))
            && v.name() == r.table
            && v.schema() == e.schema()
            && db.get(&v.key()).is_some_and(|d| !d.same_definition(v))
    })
}

pub(super) fn compare_entities(cx: &Cx, plan: &mut Plan) {
    let model = cx.model.entities();
    let db = cx.db.entities();
    let db_keys = by_key(db);
    let model_keys = by_key(model);
    for i in sort_entities(model) {
        let m = &model[i];
        let key = m.key();
        let d = db_keys.get(&key).copied();
        if !included(cx, m, d.is_some(), true) {
            continue;
        }
        let phase = match m {
            Entity::Extension(_) => &mut plan.create_extensions,
            Entity::Domain(_) => &mut plan.create_domains,
            Entity::Function(f) if d.is_none() && called_by_tables(cx, &f.name) => {
                &mut plan.create_called_functions
            }
            _ => &mut plan.create_entities,
        };
        match d {
            None => phase.push(Step::new(
                Op::CreateEntity { entity: m.clone() },
                format!("Detected added {key}"),
            )),
            Some(d) if d.same_definition(m) => {}
            // A view replaced by a drop and create keeps its rules (PostgreSQL puts the old
            // one back, and fails if it reads a column the view lost): a rule that changes
            // with its view is dropped before and created after instead.
            Some(d) if on_a_replaced_view(m, model, &db_keys) => {
                plan.drop_entities.push(Step::new(
                    Op::DropEntity {
                        key: key.clone(),
                        existing: Some(d.clone()),
                    },
                    format!("Detected changed {key}"),
                ));
                phase.push(Step::quiet(Op::CreateEntity { entity: m.clone() }));
            }
            Some(d) => phase.push(Step::new(
                Op::ReplaceEntity {
                    entity: m.clone(),
                    existing: Some(d.clone()),
                },
                format!("Detected changed {key}"),
            )),
        }
    }
    for i in sort_entities_with(db, &cx.opts.entity_dependencies)
        .into_iter()
        .rev()
    {
        let d = &db[i];
        let key = d.key();
        if model_keys.contains_key(&key)
            || cx.dialect.server_owned_entity(d)
            || !included(cx, d, true, false)
        {
            continue;
        }
        let versioned = cx
            .opts
            .versioned_entities
            .as_ref()
            .map_or(true, |v| v.iter().any(|k| k.matches(&key)));
        if versioned {
            let phase = match d {
                Entity::Extension(_) => &mut plan.drop_extensions,
                Entity::Domain(_) => &mut plan.drop_domains,
                _ => &mut plan.drop_entities,
            };
            phase.push(Step::new(
                Op::DropEntity {
                    key: key.clone(),
                    existing: Some(d.clone()),
                },
                format!("Detected removed {key}"),
            ));
        } else {
            plan.warnings.push(format!(
                "{key} is in the database but not in the model, and no revision created it: left alone (declare it in the model to keep it under version control, or drop it in a revision of its own)"
            ));
        }
    }
}
