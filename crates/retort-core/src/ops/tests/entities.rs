//! Entity ops: recorded, reversed exactly, replayed, and checked against the schema.

use crate::ops::{reverse_all_from, ApplyError, Op, Operations};
use crate::{
    entity_reference_errors, Column, Entity, Function, MetaData, SchemaError, Table, Trigger, Type,
    View,
};

fn v1() -> View {
    View::new("totals", "SELECT 1 AS n")
}
fn v2() -> View {
    View::new("totals", "SELECT 2 AS n")
}

#[test]
fn each_reverses_exactly() {
    let create = Op::CreateEntity {
        entity: v1().into(),
    };
    let drop = create.reverse().unwrap();
    assert_eq!(
        drop,
        Op::DropEntity {
            key: Entity::from(v1()).key(),
            existing: Some(v1().into())
        }
    );
    assert_eq!(drop.reverse().unwrap(), create);
    let replace = Op::ReplaceEntity {
        entity: v2().into(),
        existing: Some(v1().into()),
    };
    assert_eq!(
        replace.reverse().unwrap(),
        Op::ReplaceEntity {
            entity: v1().into(),
            existing: Some(v2().into())
        }
    );
    let blind = Op::ReplaceEntity {
        entity: v2().into(),
        existing: None,
    };
    assert!(blind
        .reverse()
        .unwrap_err()
        .to_string()
        .contains(".existing(entity)"));
}

#[test]
fn the_recorder_writes_them_in_its_schema() {
    let mut op = Operations::new();
    op.with_schema("app", |op| {
        op.create_entity(v1());
        op.replace_entity(v2()).existing(v1());
        op.drop_entity(v2());
    });
    let ops = op.into_ops();
    assert_eq!(
        ops.iter().map(Op::describe).collect::<Vec<_>>(),
        [
            "create view app.totals",
            "replace view app.totals",
            "drop view app.totals"
        ]
    );
    let Op::ReplaceEntity { existing, .. } = &ops[1] else {
        panic!()
    };
    assert_eq!(existing.as_ref().unwrap().schema(), Some("app"));
}

#[test]
fn apply_keeps_them_by_key_and_a_dropped_table_takes_its_triggers() {
    let mut md =
        MetaData::new().table(Table::new("orders").column(Column::new("id", Type::Integer)));
    let f = Function::new(
        "touch",
        "",
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    );
    let t = Trigger::new(
        "orders",
        "touch",
        "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
    );
    for op in [
        Op::CreateEntity {
            entity: f.clone().into(),
        },
        Op::CreateEntity {
            entity: t.clone().into(),
        },
        Op::CreateEntity {
            entity: v1().into(),
        },
        Op::ReplaceEntity {
            entity: v2().into(),
            existing: None,
        },
    ] {
        op.apply(&mut md).unwrap();
    }
    assert_eq!(md.entities().len(), 3);
    assert_eq!(md.entities()[2], Entity::from(v2()));
    let again = Op::CreateEntity {
        entity: v1().into(),
    }
    .apply(&mut md);
    assert!(
        matches!(again, Err(ApplyError::EntityExists { .. })),
        "{again:?}"
    );
    Op::DropTable {
        schema: None,
        name: "orders".into(),
        existing: None,
        data_loss_ok: false,
    }
    .apply(&mut md)
    .unwrap();
    assert!(md
        .entities()
        .iter()
        .all(|e| !matches!(e, Entity::Trigger(_))));
    let gone = Op::DropEntity {
        key: Entity::from(t).key(),
        existing: None,
    }
    .apply(&mut md);
    assert!(
        matches!(gone, Err(ApplyError::UnknownEntity { .. })),
        "{gone:?}"
    );
}

#[test]
fn a_hand_written_drop_or_replace_gets_its_old_definition_from_the_history() {
    let before = MetaData::new().with_entity(v1());
    let mut op = Operations::new();
    op.replace_entity(v2());
    let down = reverse_all_from(&before, op.ops()).unwrap();
    assert_eq!(
        down,
        [Op::ReplaceEntity {
            entity: v1().into(),
            existing: Some(v2().into())
        }]
    );
}

#[test]
fn validation_refuses_duplicates_and_unknown_trigger_targets() {
    let md = MetaData::new().with_entity(v1()).with_entity(v2());
    let errs = md.validate().unwrap_err();
    assert!(
        matches!(&errs.errors()[0], SchemaError::DuplicateEntity { entity } if entity == "view totals"),
        "{errs}"
    );
    let t = Trigger::new(
        "orders",
        "touch",
        "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
    );
    let model = MetaData::new().with_entity(t);
    let errs = entity_reference_errors(&model, &MetaData::new());
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].to_string().contains("table `orders`"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].to_string().contains("function `touch`"),
        "{}",
        errs[1]
    );
    // Found in the database instead: fine.
    let db = MetaData::new()
        .table(Table::new("orders").column(Column::new("id", Type::Integer)))
        .with_entity(Function::new(
            "touch",
            "",
            "RETURNS trigger AS $$ $$ LANGUAGE plpgsql",
        ));
    assert!(entity_reference_errors(&model, &db).is_empty());
    // The database's own functions are not checked.
    let builtin = MetaData::new().with_entity(Trigger::new(
        "orders",
        "t",
        "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()",
    ));
    assert_eq!(entity_reference_errors(&builtin, &db).len(), 0);
    // Nor unqualified, as PostgreSQL resolves them (pg_catalog is searched first) and
    // pg_dump writes them (Pagila's `film_fulltext_trigger`).
    for function in [
        "tsvector_update_trigger('fulltext', 'pg_catalog.english', title)",
        "tsvector_update_trigger_column('fulltext', 'config', title)",
        "suppress_redundant_updates_trigger()",
    ] {
        let builtin = MetaData::new().with_entity(Trigger::new(
            "orders",
            "t",
            format!("BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION {function}"),
        ));
        assert_eq!(
            entity_reference_errors(&builtin, &db),
            [],
            "{function} is PostgreSQL's own"
        );
    }
}
