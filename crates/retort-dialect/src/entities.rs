//! Comparing entities (views, functions, triggers) through the server's own rendering.
//!
//! A database prints an entity back in its own words (PostgreSQL's `pg_get_viewdef`
//! qualifies columns and re-indents; `pg_get_functiondef` re-quotes the body and writes
//! `integer` for `int`), so the model's text and the catalog's rarely match even when
//! nothing changed. A backend that rewrites (PostgreSQL) spells the model's entities in one
//! rolled-back transaction ([`BackendSupport::spell_entities`](crate::BackendSupport::spell_entities),
//! `postgres::entity_catalog`), and [`align`] then gives the database's copy the model's
//! words wherever the server printed both alike, so the diff (`retort_core::diff`, which
//! compares text) sees no change there, and an op that does carry the database's
//! definition (a replace's old one, a drop's) records it as the server prints it, which
//! runs as it is. A backend that keeps the text as written (SQLite) needs neither.

use std::collections::HashMap;

use retort_core::{Entity, EntityKey, EntityKind, MetaData};

/// The same object by kind, schema, name and table (a function's arguments aside, which
/// the server spells too).
fn same_object(a: &Entity, b: &Entity) -> bool {
    let (ka, kb) = (a.key(), b.key());
    ka.kind == kb.kind && ka.schema == kb.schema && ka.name == kb.name && ka.table == kb.table
}

/// Whether some model entity has a counterpart in `db` that differs as text: only then is
/// the server asked.
pub fn needs_spelling(db: &[Entity], model: &[Entity]) -> bool {
    let mut by_object: HashMap<(EntityKind, Option<&str>, &str), Vec<&Entity>> = HashMap::new();
    for d in db {
        by_object
            .entry((d.kind(), d.schema(), d.name()))
            .or_default()
            .push(d);
    }
    // Extensions and schemas' comments are kept as given: nothing to spell.
    let spelled = |e: &Entity| !matches!(e, Entity::Extension(_) | Entity::SchemaComment(_));
    model.iter().filter(|m| spelled(m)).any(|m| {
        by_object
            .get(&(m.kind(), m.schema(), m.name()))
            .into_iter()
            .flatten()
            .any(|d| same_object(d, m) && !d.same_definition(m))
    })
}

/// Gives `db`'s entities the model's words where the server spells them alike. `spelled`
/// holds (index into `model`, the model entity as the server printed it). A function whose
/// arguments the server merely re-spelled takes the model's arguments (so both have one
/// key, and a changed body is a replace, not a drop and a create), keeping its own body.
/// A materialized view whose indexes alone changed takes the model's query (and the model's
/// words for each index the server prints alike), so the change is to its indexes only.
/// Returns how many database entities now have the model's text.
pub fn align(db: &mut MetaData, model: &[Entity], spelled: &[(usize, Entity)]) -> usize {
    let mut same = 0;
    let positions: HashMap<EntityKey, usize> = db
        .entities()
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key(), i))
        .collect();
    for (i, s) in spelled {
        let Some(m) = model.get(*i) else { continue };
        let Some(&at) = positions.get(&s.key()) else {
            continue;
        };
        let d = &mut db.entities_mut()[at];
        if d.same_definition(s) {
            *d = m.clone();
            same += 1;
        } else if let (Entity::Function(df), Entity::Function(sf), Entity::Function(mf)) =
            (&mut *d, s, m)
        {
            if df.arguments == sf.arguments {
                df.arguments.clone_from(&mf.arguments);
            }
        } else if let (
            Entity::MaterializedView(dv),
            Entity::MaterializedView(sv),
            Entity::MaterializedView(mv),
        ) = (&mut *d, s, m)
        {
            let text = |t: &str| crate::sql_text::without_terminator(t.trim());
            if text(&dv.definition) == text(&sv.definition) && dv.with_data == sv.with_data {
                dv.definition.clone_from(&mv.definition);
            }
            for di in &mut dv.indexes {
                let printed_alike = sv.indexes.iter().any(|si| {
                    si.name == di.name
                        && si.unique == di.unique
                        && text(&si.definition) == text(&di.definition)
                });
                let model = mv.indexes.iter().find(|mi| mi.name == di.name);
                if let (true, Some(mi)) = (printed_alike, model) {
                    di.definition.clone_from(&mi.definition);
                }
            }
        }
    }
    same
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::{Function, View};

    #[test]
    fn the_database_takes_the_models_words_where_the_server_spells_both_alike() {
        let model: Vec<Entity> = vec![
            View::new("totals", "select 1 as n").into(),
            Function::new("f", "a int", "RETURNS int LANGUAGE sql AS 'SELECT a + 1'").into(),
        ];
        let mut db = MetaData::new()
            .with_entity(View::new("totals", "SELECT 1 AS n"))
            .with_entity(Function::new(
                "f",
                "a integer",
                "RETURNS integer\n LANGUAGE sql\nAS $function$SELECT a$function$",
            ));
        assert!(needs_spelling(db.entities(), &model));
        let spelled = vec![
            (0, View::new("totals", "SELECT 1 AS n").into()),
            (
                1,
                Function::new(
                    "f",
                    "a integer",
                    "RETURNS integer\n LANGUAGE sql\nAS $function$SELECT a + 1$function$",
                )
                .into(),
            ),
        ];
        assert_eq!(align(&mut db, &model, &spelled), 1);
        assert_eq!(db.entities()[0], model[0]);
        // Changed: same key as the model's now, the database's own body kept.
        assert_eq!(db.entities()[1].key(), model[1].key());
        assert!(db.entities()[1].definition().contains("SELECT a$function$"));
        assert!(!needs_spelling(
            &[View::new("v", "SELECT 1").into()],
            &[View::new("v", "SELECT 1;").into()]
        ));
    }
}
