//! Entities declared for some databases only (`.only_on(..)`), across the backends a
//! revision history runs on.
//!
//! Autogenerate compares a database with the model as that database has it
//! (`MetaData::for_dialect`): an entity on other dialects only (SQLite's own trigger, seen
//! from PostgreSQL) is in neither side there, so the comparison cannot see it come, change
//! or go. As with a column's per-dialect variants (`history_variants`), what the live
//! database cannot hold is compared with what the revision history recorded for it:
//!
//! * [`record_entities_elsewhere`]: the model's entities not on the live dialect against the
//!   history's, matched by key and dialects: a create, a replace or a drop, which the live
//!   database renders as nothing (`Op::runs_on`) and the others run;
//! * [`restore_entity_dialects`]: an op's old entity read from the live database knows no
//!   dialects; where the history recorded that entity for some dialects only, the op
//!   records them too, so its downgrade re-creates it where it was, not everywhere.
//!
//! Without a history (a database never migrated by its scripts) nothing beyond the live
//! backend can be known.

use super::options::DiffOptions;
use super::Diff;
use crate::ops::Op;
use crate::{sort_entities, DialectKind, Entity, MetaData};

/// See the module notes: `history` is the schema the revision history replays to
/// (unresolved), `model` the model (unresolved), `live` the backend that was compared.
pub fn record_entities_elsewhere(
    diff: &mut Diff,
    history: &MetaData,
    model: &MetaData,
    live: DialectKind,
    options: &DiffOptions,
) {
    let elsewhere = |md: &MetaData| -> Vec<Entity> {
        md.entities()
            .iter()
            .filter(|e| !e.is_on(Some(live)))
            .filter(|e| {
                options.schema_included(e.schema())
                    && e.table()
                        .map_or(true, |t| options.table_included(e.schema(), t))
            })
            .cloned()
            .collect()
    };
    let (h, m) = (elsewhere(history), elsewhere(model));
    if h.is_empty() && m.is_empty() {
        return;
    }
    let same = |a: &Entity, b: &Entity| a.key() == b.key() && a.only_on() == b.only_on();
    let on = |e: &Entity| {
        e.only_on()
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut drops = Vec::new();
    for i in sort_entities(&h).into_iter().rev() {
        let old = &h[i];
        if !m.iter().any(|x| same(x, old)) {
            diff.log.push(format!(
                "Detected removed {} (on {} only)",
                old.key(),
                on(old)
            ));
            drops.push(Op::DropEntity {
                key: old.key(),
                existing: Some(old.clone()),
            });
        }
    }
    for i in sort_entities(&m) {
        let new = &m[i];
        match h.iter().find(|x| same(x, new)) {
            None => {
                diff.log.push(format!(
                    "Detected added {} (on {} only)",
                    new.key(),
                    on(new)
                ));
                diff.ops.push(Op::CreateEntity {
                    entity: new.clone(),
                });
            }
            Some(old) if old.same_definition(new) => {}
            Some(old) => {
                diff.log.push(format!(
                    "Detected changed {} (on {} only)",
                    new.key(),
                    on(new)
                ));
                diff.ops.push(Op::ReplaceEntity {
                    entity: new.clone(),
                    existing: Some(old.clone()),
                });
            }
        }
    }
    // Dropped first, as the comparison drops entities (before the tables they name).
    diff.ops.splice(0..0, drops);
}

/// See the module notes: the old entities of `ops` (read from a `live` database) take the
/// dialects the history recorded for them.
pub fn restore_entity_dialects(ops: &mut [Op], history: &MetaData, live: DialectKind) {
    if !history.has_dialect_entities() {
        return;
    }
    for op in ops {
        let old = match op {
            Op::ReplaceEntity {
                existing: Some(e), ..
            }
            | Op::DropEntity {
                existing: Some(e), ..
            } => e,
            _ => continue,
        };
        if !old.only_on().is_empty() {
            continue;
        }
        let key = old.key();
        let recorded = history
            .entities()
            .iter()
            .find(|h| h.key().matches(&key) && h.is_on(Some(live)));
        if let Some(h) = recorded {
            old.only_on_mut().clone_from(&h.only_on().to_vec());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::diff;
    use crate::ops::{apply_all, reverse_all};
    use crate::{Function, Trigger};

    fn pg_touch() -> Function {
        Function::new(
            "touch",
            "",
            "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$",
        )
        .only_on(DialectKind::Postgres)
    }
    fn pg_trigger() -> Trigger {
        Trigger::new(
            "t",
            "t_touch",
            "BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()",
        )
        .only_on(DialectKind::Postgres)
    }
    fn lite_trigger(body: &str) -> Trigger {
        Trigger::new(
            "t",
            "t_touch",
            format!("AFTER UPDATE ON t FOR EACH ROW BEGIN {body}; END"),
        )
        .only_on(DialectKind::Sqlite)
    }
    fn model(lite: &str) -> MetaData {
        MetaData::new()
            .with_entity(pg_touch())
            .with_entity(pg_trigger())
            .with_entity(lite_trigger(lite))
    }

    /// What live autogenerate does on `live` with a database the `history` built there.
    fn compare(history: &MetaData, model: &MetaData, live: DialectKind) -> Diff {
        let o = DiffOptions::default();
        let mut d = diff(
            &history.for_dialect(Some(live)),
            &model.for_dialect(Some(live)),
            &o,
        );
        restore_entity_dialects(&mut d.ops, history, live);
        record_entities_elsewhere(&mut d, history, model, live, &o);
        d
    }

    #[test]
    fn one_key_a_dialect_each_is_valid_and_each_dialect_sees_its_own() {
        let md = model("SELECT 1");
        assert!(md.validate().is_ok(), "{:?}", md.validate());
        let pg = md.for_dialect(Some(DialectKind::Postgres));
        let names: Vec<String> = pg.entities().iter().map(|e| e.key().to_string()).collect();
        assert_eq!(names, ["function touch()", "trigger t_touch on t"]);
        let lite = md.for_dialect(Some(DialectKind::Sqlite));
        assert_eq!(lite.entities().len(), 1);
        assert!(lite.entities()[0].definition().starts_with("AFTER UPDATE"));
        assert!(md
            .for_dialect(Some(DialectKind::Mysql))
            .entities()
            .is_empty());
        // Two of one key on a dialect in common are one object declared twice.
        let twice = MetaData::new()
            .with_entity(pg_trigger())
            .with_entity(lite_trigger("SELECT 1").only_on(DialectKind::Postgres));
        assert!(twice.validate().is_err());
    }

    #[test]
    fn compared_on_postgres_the_sqlite_trigger_comes_from_the_history() {
        let empty = MetaData::new();
        let d = compare(&empty, &model("SELECT 1"), DialectKind::Postgres);
        let kinds: Vec<String> = d.ops.iter().map(|o| o.describe()).collect();
        assert_eq!(d.ops.len(), 3, "{kinds:?}");
        // The history the ops build holds all three, and compares clean on either side.
        let mut history = MetaData::new();
        apply_all(&d.ops, &mut history).unwrap();
        assert_eq!(history.entities().len(), 3);
        for live in [DialectKind::Postgres, DialectKind::Sqlite] {
            assert!(compare(&history, &model("SELECT 1"), live).is_empty());
        }
        // On SQLite only its trigger runs; on PostgreSQL the other two.
        let runs = |k| d.ops.iter().filter(|o| o.runs_on(Some(k))).count();
        assert_eq!(runs(DialectKind::Sqlite), 1);
        assert_eq!(runs(DialectKind::Postgres), 2);
        assert_eq!(runs(DialectKind::Mysql), 0);
        // Downgraded, nothing is left.
        apply_all(&reverse_all(&d.ops).unwrap(), &mut history).unwrap();
        assert!(history.entities().is_empty());
    }

    #[test]
    fn changed_and_dropped_elsewhere() {
        let mut history = MetaData::new();
        let first = compare(&MetaData::new(), &model("SELECT 1"), DialectKind::Postgres);
        apply_all(&first.ops, &mut history).unwrap();
        let d = compare(&history, &model("SELECT 2"), DialectKind::Postgres);
        assert!(
            matches!(&d.ops[..], [Op::ReplaceEntity { entity, existing: Some(old) }]
                if entity.definition().contains("SELECT 2") && old.definition().contains("SELECT 1")),
            "{:?}",
            d.ops
        );
        // The PostgreSQL pair dropped, seen from SQLite: the drops carry their dialect.
        let lite_only = MetaData::new().with_entity(lite_trigger("SELECT 1"));
        let d = compare(&history, &lite_only, DialectKind::Sqlite);
        assert_eq!(d.ops.len(), 2, "{:?}", d.ops);
        assert!(d.ops.iter().all(|o| !o.runs_on(Some(DialectKind::Sqlite))));
        let mut after = history.clone();
        apply_all(&d.ops, &mut after).unwrap();
        assert_eq!(after.entities().len(), 1);
    }

    #[test]
    fn an_old_definition_read_from_the_database_keeps_its_dialect() {
        let mut history = MetaData::new();
        let first = compare(&MetaData::new(), &model("SELECT 1"), DialectKind::Postgres);
        apply_all(&first.ops, &mut history).unwrap();
        // The live PostgreSQL database: what the history made there, as read (no dialects).
        let mut live = history
            .for_dialect(Some(DialectKind::Postgres))
            .into_owned();
        for e in live.entities_mut() {
            e.only_on_mut().clear();
        }
        let without_pg = MetaData::new().with_entity(lite_trigger("SELECT 1"));
        let o = DiffOptions::default();
        let mut d = diff(
            &live,
            &without_pg.for_dialect(Some(DialectKind::Postgres)),
            &o,
        );
        restore_entity_dialects(&mut d.ops, &history, DialectKind::Postgres);
        assert_eq!(d.ops.len(), 2);
        // The downgrade re-creates them on PostgreSQL only.
        for op in reverse_all(&d.ops).unwrap() {
            assert!(op.runs_on(Some(DialectKind::Postgres)));
            assert!(!op.runs_on(Some(DialectKind::Sqlite)), "{op:?}");
        }
    }

    #[test]
    fn a_replace_onto_another_dialect_is_a_create_or_a_drop_there() {
        let old: Entity = lite_trigger("SELECT 1").into();
        let new: Entity = pg_trigger().into();
        let op = Op::ReplaceEntity {
            entity: new,
            existing: Some(old),
        };
        assert!(matches!(
            &*op.for_dialect(Some(DialectKind::Sqlite)),
            Op::DropEntity { .. }
        ));
        assert!(matches!(
            &*op.for_dialect(Some(DialectKind::Postgres)),
            Op::CreateEntity { .. }
        ));
        assert!(!op.runs_on(Some(DialectKind::Mysql)));
    }
}
