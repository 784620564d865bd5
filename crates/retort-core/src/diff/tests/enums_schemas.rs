//! Enum types over their whole life, and schemas.

use super::support::*;
use crate::diff::{diff, DiffOptions};
use crate::ops::{EnumValuePosition, Op};
use crate::{Column, EnumType, MetaData, ServerDefault, Table, Type};

fn mood(values: &[&str]) -> EnumType {
    EnumType::new("mood", values.iter().copied())
}

fn people(with_mood: bool) -> Table {
    let t = Table::new("people").column(int("id")).primary_key(["id"]);
    if with_mood {
        t.column(
            Column::new("mood", Type::enumeration("mood"))
                .server_default(ServerDefault::text("ok")),
        )
    } else {
        t
    }
}

#[test]
fn a_new_enum_column_creates_the_type_first_and_the_downgrade_drops_it_last() {
    let before = md().table(people(false));
    let after = md().enum_type(mood(&["ok", "sad"])).table(people(true));
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        ["create enum type mood", "add column people.mood"]
    );
    assert_eq!(
        d.log,
        [
            "Detected added enum type 'mood' ('ok', 'sad')",
            "Detected added column 'people.mood'"
        ]
    );
    let d = check(&after, &before);
    assert_eq!(
        described(&d),
        ["drop column people.mood", "drop enum type mood"]
    );
    assert_eq!(d.log[1], "Detected removed enum type 'mood'");
}

#[test]
fn a_new_table_reusing_an_existing_type_does_not_create_it_again() {
    let before = md().enum_type(mood(&["ok"])).table(people(true));
    let after = before
        .clone()
        .table(Table::new("pets").column(Column::new("mood", Type::enumeration("mood"))));
    let d = check(&before, &after);
    assert_eq!(described(&d), ["create table pets"]);
}

#[test]
fn added_values_go_where_the_model_has_them() {
    let before = md().enum_type(mood(&["b", "d"])).table(people(false));
    let after = md()
        .enum_type(mood(&["a", "b", "c", "d", "e"]))
        .table(people(false));
    let d = check_upgrade(&before, &after);
    let positions: Vec<(String, Option<EnumValuePosition>)> = d
        .ops
        .iter()
        .map(|o| match o {
            Op::AddEnumValue {
                value, position, ..
            } => (value.clone(), position.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        positions,
        [
            ("a".into(), Some(EnumValuePosition::Before("b".into()))),
            ("c".into(), Some(EnumValuePosition::After("b".into()))),
            ("e".into(), None),
        ]
    );
    assert_eq!(d.log[0], "Detected added value 'a' to enum type 'mood'");
}

#[test]
fn removed_values_recreate_the_type_through_text_and_reverse_exactly() {
    let before = md()
        .enum_type(mood(&["ok", "sad", "meh"]))
        .table(people(true));
    let after = md().enum_type(mood(&["sad", "ok"])).table(people(true));
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        [
            "alter column people.mood (type, server_default)",
            "drop enum type mood",
            "create enum type mood",
            "alter column people.mood (type, server_default)",
        ]
    );
    match &d.ops[3] {
        Op::AlterColumn(a) => {
            // The cast is the dialect's to write; the op says from what to what.
            assert_eq!(a.using, None);
            assert_eq!(a.existing_type, Some(Type::Text));
            assert_eq!(a.type_, Some(Type::enumeration("mood")));
            assert_eq!(a.server_default, Some(Some(ServerDefault::text("ok"))));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        d.log[0].starts_with("Detected changed values of enum type 'mood'"),
        "{:?}",
        d.log
    );
}

#[test]
fn a_model_in_a_schema_the_database_lacks_creates_it_first() {
    let after = md().table(Table::new("t").schema("app").column(int("id")));
    let d = check(&md(), &after);
    assert_eq!(described(&d), ["create schema app", "create table app.t"]);
    assert_eq!(d.log[0], "Detected added schema 'app'");
    // Known to exist (introspection lists it): not created.
    let opts = DiffOptions {
        existing_schemas: vec!["app".into()],
        ..DiffOptions::default()
    };
    assert_eq!(diff(&md(), &after, &opts).ops.len(), 1);
    // An enum in a new schema needs it too; a schema already holding a table does not.
    let before = md().table(Table::new("u").schema("app").column(int("id")));
    let after = before.clone().enum_type(EnumType {
        schema: Some("app".into()),
        ..mood(&["ok"])
    });
    assert_eq!(
        described(&check(&before, &after)),
        ["create enum type app.mood"]
    );
}

#[test]
fn enum_types_outside_the_compared_schemas_are_left_alone() {
    let db: MetaData = md().enum_type(EnumType {
        schema: Some("other".into()),
        ..mood(&["ok"])
    });
    let opts = DiffOptions {
        schemas: Some(vec!["app".into()]),
        ..DiffOptions::default()
    };
    assert!(diff(&db, &md(), &opts).ops.is_empty());
    assert_eq!(diff(&db, &md(), &DiffOptions::default()).ops.len(), 1);
}

#[test]
fn a_column_moved_to_a_new_enum_type_creates_it_first_and_drops_the_old_one_last() {
    let before = md()
        .enum_type(mood(&["ok"]))
        .table(people(false).column(Column::new("m", Type::enumeration("mood"))));
    let after = md()
        .enum_type(EnumType::new("feeling", ["ok", "great"]))
        .table(people(false).column(Column::new("m", Type::enumeration("feeling"))));
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        [
            "create enum type feeling",
            "alter column people.m (type)",
            "drop enum type mood"
        ]
    );
}

/// Issue 11 item 1: an unqualified target is in the default schema, not the referring
/// table's; naming the default schema explicitly is the same key, naming `app` is another.
#[test]
fn an_unqualified_foreign_key_target_is_in_the_default_schema() {
    let t = |ref_schema: Option<&str>| {
        let mut fk = crate::ForeignKey::new(["p"], "parent", ["id"]);
        fk.ref_schema = ref_schema.map(str::to_owned);
        md().table(Table::new("parent").column(int("id")).primary_key(["id"]))
            .table(
                Table::new("parent")
                    .schema("app")
                    .column(int("id"))
                    .primary_key(["id"]),
            )
            .table(
                Table::new("child")
                    .schema("app")
                    .column(int("p"))
                    .foreign_key(fk),
            )
    };
    let same = |a, b| diff(&t(a), &t(b), &DiffOptions::default()).ops.is_empty();
    assert!(same(None, None));
    assert!(!same(None, Some("app")), "`parent` is not `app.parent`");
    assert!(!same(Some("app"), None), "`app.parent` is not `parent`");
    assert!(
        same(None, Some("public")) && same(Some("public"), None),
        "the default schema named explicitly is the same target"
    );
}
