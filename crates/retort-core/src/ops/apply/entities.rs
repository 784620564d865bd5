//! Entities (views, functions, triggers): kept in the metadata by key. A table's triggers go
//! with it when it is dropped, as in the database, and a view's rules, triggers and grants
//! with the view.

use super::super::error::ApplyError;
use super::context::{resolve, Cx};
use crate::{Entity, EntityKey, GrantObject, MetaData};

/// The entity of `key`; of two (one a dialect each: `.only_on`), the one that shares a
/// dialect with `like` (the op's entity), else the first.
fn position(md: &MetaData, key: &EntityKey, like: Option<&Entity>) -> Option<usize> {
    let found = positions(md, key);
    match like {
        Some(l) if found.len() > 1 => found
            .iter()
            .copied()
            .find(|&i| md.entities()[i].only_on() == l.only_on())
            .or_else(|| {
                found
                    .iter()
                    .copied()
                    .find(|&i| md.entities()[i].shares_a_dialect_with(l))
            })
            .or(found.first().copied()),
        _ => found.first().copied(),
    }
}

fn positions(md: &MetaData, key: &EntityKey) -> Vec<usize> {
    let schema = resolve(md, key.schema.as_deref());
    let entities = md.entities().iter().enumerate();
    entities
        .filter(|(_, e)| {
            let k = e.key();
            k.kind == key.kind
                && k.name == key.name
                && k.table == key.table
                && k.arguments == key.arguments
                && k.grant == key.grant
                && resolve(md, k.schema.as_deref()) == schema
        })
        .map(|(i, _)| i)
        .collect()
}

fn resolved(md: &MetaData, entity: &Entity) -> Entity {
    let mut e = entity.clone();
    *e.schema_mut() = resolve(md, entity.schema());
    e
}

pub(in crate::ops) fn create_entity(
    cx: &Cx,
    md: &mut MetaData,
    entity: &Entity,
) -> Result<(), ApplyError> {
    // Another entity of its key on a dialect of its own (`.only_on`) is not in the way.
    let clash = positions(md, &entity.key())
        .into_iter()
        .any(|i| md.entities()[i].shares_a_dialect_with(entity));
    if clash {
        return Err(ApplyError::EntityExists {
            op: cx.op.clone(),
            entity: entity.key().to_string(),
        });
    }
    let e = resolved(md, entity);
    md.entities_mut().push(e);
    Ok(())
}

/// The previous definition is not checked against the schema: a live database records it as
/// the server prints it, a replayed history as the script wrote it, and both are the same.
pub(in crate::ops) fn replace_entity(
    cx: &Cx,
    md: &mut MetaData,
    entity: &Entity,
) -> Result<(), ApplyError> {
    let pos =
        position(md, &entity.key(), Some(entity)).ok_or_else(|| unknown(cx, &entity.key()))?;
    let e = resolved(md, entity);
    md.entities_mut()[pos] = e;
    Ok(())
}

pub(in crate::ops) fn drop_entity(
    cx: &Cx,
    md: &mut MetaData,
    key: &EntityKey,
    existing: Option<&Entity>,
) -> Result<(), ApplyError> {
    let pos = position(md, key, existing).ok_or_else(|| unknown(cx, key))?;
    md.entities_mut().remove(pos);
    // `DROP VIEW` takes the view's rules and triggers (`INSTEAD OF`) along, as `DROP TABLE`
    // a table's: PostgreSQL and SQLite alike; and the grants on it (and on its columns),
    // PostgreSQL.
    if matches!(
        key.kind,
        crate::EntityKind::View | crate::EntityKind::MaterializedView
    ) {
        let schema = resolve(md, key.schema.as_deref());
        let on_it = |e: &Entity| {
            let named = match e {
                Entity::Rule(_) | Entity::Trigger(_) => e.table() == Some(key.name.as_str()),
                Entity::Grant(g) => g.on == GrantObject::Table && g.object == key.name,
                _ => false,
            };
            named && resolve(md, e.schema()) == schema
        };
        let kept: Vec<Entity> = md
            .entities()
            .iter()
            .filter(|e| !on_it(e))
            .cloned()
            .collect();
        *md.entities_mut() = kept;
    }
    // `DROP FUNCTION` / `DROP PROCEDURE` takes the grants on that function (the overload
    // its identity arguments name) along.
    if matches!(
        key.kind,
        crate::EntityKind::Function | crate::EntityKind::Procedure
    ) {
        let schema = resolve(md, key.schema.as_deref());
        let on_it = |e: &Entity| match e {
            Entity::Grant(g) => {
                g.on == GrantObject::Function
                    && g.object == key.name
                    && e.key().arguments == key.arguments
                    && resolve(md, e.schema()) == schema
            }
            _ => false,
        };
        let kept: Vec<Entity> = md
            .entities()
            .iter()
            .filter(|e| !on_it(e))
            .cloned()
            .collect();
        *md.entities_mut() = kept;
    }
    Ok(())
}

fn unknown(cx: &Cx, key: &EntityKey) -> ApplyError {
    ApplyError::UnknownEntity {
        op: cx.op.clone(),
        entity: key.to_string(),
    }
}

/// `DROP TABLE` takes the table's triggers, policies, row level security and grants along.
pub(in crate::ops) fn drop_table_triggers(md: &mut MetaData, schema: Option<&str>, table: &str) {
    md.entities_mut().retain(|e| {
        let on_it = match e {
            Entity::Grant(g) => g.arguments.is_none() && g.object == table,
            other => other.table() == Some(table),
        };
        !(on_it && e.schema() == schema)
    });
}

/// A renamed table keeps its triggers.
pub(in crate::ops) fn rename_table_triggers(
    md: &mut MetaData,
    schema: Option<&str>,
    old: &str,
    new: &str,
) {
    for e in md.entities_mut() {
        if e.schema() != schema {
            continue;
        }
        match e {
            Entity::Trigger(t) if t.table == old => t.table = new.to_owned(),
            Entity::Policy(p) if p.table == old => p.table = new.to_owned(),
            Entity::Rule(r) if r.table == old => r.table = new.to_owned(),
            Entity::RowLevelSecurity(r) if r.table == old => r.table = new.to_owned(),
            Entity::Grant(g) if g.arguments.is_none() && g.object == old => {
                g.object = new.to_owned()
            }
            _ => {}
        }
    }
}
