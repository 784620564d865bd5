//! Comparing entities (views, functions, triggers) through the server's own rendering.
//!
//! A database prints an entity back in its own words (PostgreSQL's `pg_get_viewdef`
//! qualifies columns and re-indents; `pg_get_functiondef` re-quotes the body and writes
//! `integer` for `int`), so the model's text and the catalog's rarely match even when
//! nothing changed. A backend that rewrites (PostgreSQL) spells the model's entities in one
//! rolled-back transaction ([`BackendSupport::spell_entities`](crate::BackendSupport::spell_entities),
//! `postgres::entity_catalog`), and [`align`] then gives the database's copy the model's
//! words wherever the server printed both alike, so the diff (`retort_core::diff`, which
//! compares text) sees no change there. An op that does carry the database's definition
//! (a replace's old one, a drop's) records the revision history's words where the server
//! prints the history's definition alike ([`take_recorded_words`], the history spelled the
//! same way), and otherwise the server's print, which runs as it is. A backend that keeps
//! the text as written (SQLite) needs none of it.

use std::collections::HashMap;

use retort_core::{Entity, EntityKey, EntityKind, MetaData};

/// The same object by kind, schema, name and table (a function's arguments aside, which
/// the server spells too).
fn same_object(a: &Entity, b: &Entity) -> bool {
    let (ka, kb) = (a.key(), b.key());
    ka.kind == kb.kind
        && ka.schema == kb.schema
        && ka.name == kb.name
        && ka.table == kb.table
        && ka.grant == kb.grant
}

/// Kinds whose definition is flags the catalog gives as the model writes them: never sent
/// to the server to spell.
fn spelled_alike(e: &Entity) -> bool {
    matches!(e, Entity::Grant(_) | Entity::RowLevelSecurity(_))
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
    let spelled = |e: &Entity| {
        !matches!(e, Entity::Extension(_) | Entity::SchemaComment(_)) && !spelled_alike(e)
    };
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
/// An aggregate's arguments are taken as a function's are.
/// A grant on a function takes the model's spelling of its arguments where they are the
/// same types (`w int` for the catalog's `w integer`), so it keeps one key.
/// Returns how many database entities now have the model's text.
pub fn align(db: &mut MetaData, model: &[Entity], spelled: &[(usize, Entity)]) -> usize {
    align_grant_arguments(db, model);
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
        } else if let (Entity::Aggregate(da), Entity::Aggregate(sa), Entity::Aggregate(ma)) =
            (&mut *d, s, m)
        {
            if da.arguments == sa.arguments {
                da.arguments.clone_from(&ma.arguments);
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

/// Gives `db`'s entities the words the revision history recorded for them where the server
/// prints the history's definition as it prints the database's: `history` is the schema the
/// scripts build (the user's words), `spelled` holds (index into `history`, the history's
/// entity as the server printed it). Run after [`align`], for what the model no longer has
/// in those words (a changed or dropped view), so that an op carrying the database's
/// definition as an old one (a drop's, a replace's `.existing`) records what a revision
/// wrote, which every backend keeps as written, rather than the server's print of it
/// (issue 11, item 14). An entity whose key the history spells otherwise (a function's
/// arguments) keeps the database's words. Returns how many database entities now have the
/// history's text.
pub fn take_recorded_words(
    db: &mut MetaData,
    history: &[Entity],
    spelled: &[(usize, Entity)],
) -> usize {
    let mut same = 0;
    let positions: HashMap<EntityKey, usize> = db
        .entities()
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key(), i))
        .collect();
    for (i, s) in spelled {
        let Some(h) = history.get(*i) else { continue };
        let Some(&at) = positions.get(&s.key()) else {
            continue;
        };
        let d = &mut db.entities_mut()[at];
        if h.key() == d.key() && d.same_definition(s) {
            *d = h.clone();
            same += 1;
        }
    }
    same
}

/// See [`align`]: grants on functions in the model's words for the arguments.
fn align_grant_arguments(db: &mut MetaData, model: &[Entity]) {
    let model_keys: Vec<EntityKey> = model
        .iter()
        .filter(|e| matches!(e, Entity::Grant(g) if g.arguments.is_some()))
        .map(Entity::key)
        .collect();
    if model_keys.is_empty() {
        return;
    }
    for d in db.entities_mut() {
        let key = d.key();
        let Entity::Grant(g) = d else { continue };
        if g.arguments.is_none() {
            continue;
        }
        if let Some(m) = model_keys.iter().find(|m| **m != key && m.matches(&key)) {
            g.arguments.clone_from(&m.arguments);
        }
    }
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

    #[test]
    fn the_database_takes_the_historys_words_where_the_server_spells_both_alike() {
        let history: Vec<Entity> = vec![
            View::new("notes", "SELECT order_id, note FROM orders").into(),
            View::new("edited", "SELECT 1 AS n").into(),
            Function::new("f", "a int", "RETURNS int LANGUAGE sql AS 'SELECT a'").into(),
        ];
        let printed_notes = "SELECT orders.order_id,\n    orders.note\n   FROM orders";
        let printed_f = "RETURNS integer\n LANGUAGE sql\nAS $function$SELECT a$function$";
        let mut db = MetaData::new()
            .with_entity(View::new("notes", printed_notes))
            // Changed outside the revisions: the server's words stay.
            .with_entity(View::new("edited", "SELECT 2 AS n"))
            .with_entity(Function::new("f", "a integer", printed_f));
        let spelled = vec![
            (0, View::new("notes", printed_notes).into()),
            (1, View::new("edited", "SELECT 1 AS n").into()),
            (2, Function::new("f", "a integer", printed_f).into()),
        ];
        assert_eq!(take_recorded_words(&mut db, &history, &spelled), 1);
        assert_eq!(db.entities()[0], history[0]);
        assert_eq!(db.entities()[1].definition(), "SELECT 2 AS n");
        // The history spells the key otherwise: the database's words, key unchanged.
        assert_eq!(db.entities()[2].definition(), printed_f);
    }
}
