//! Exclusion constraints as ops: recorded with their options, applied to a schema (names in
//! the schema-wide index namespace, columns that must exist, dropped along with a column),
//! reversed exactly, and restored by the downgrade of a column drop.

use crate::ops::{
    apply_all, reverse_all_from, ApplyError, Constraint, ConstraintKind, Op, Operations,
};
use crate::{Column, Deferrable, Exclude, ExcludeElement, Index, MetaData, Table, Type};

fn bookings() -> MetaData {
    MetaData::new().table(
        Table::new("bookings")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("room_id", Type::Integer).not_null())
            .column(Column::new("during", Type::custom("tstzrange")).not_null())
            .column(Column::new("cancelled", Type::Boolean).not_null())
            .primary_key(["id"]),
    )
}

fn record(f: impl FnOnce(&mut Operations)) -> Vec<Op> {
    let mut op = Operations::new();
    f(&mut op);
    op.ops().to_vec()
}

fn add_no_overlap(op: &mut Operations) {
    op.create_exclude_constraint(
        "no_overlap",
        "bookings",
        vec![
            ExcludeElement::column("room_id", "="),
            ExcludeElement::column("during", "&&"),
        ],
    )
    .using("gist")
    .predicate("NOT cancelled")
    .include(["id"])
    .deferrable(Deferrable::InitiallyDeferred);
}

fn expected() -> Exclude {
    Exclude::new(
        "no_overlap",
        vec![
            ExcludeElement::column("room_id", "="),
            ExcludeElement::column("during", "&&"),
        ],
    )
    .predicate("NOT cancelled")
    .include(["id"])
    .deferrable(Deferrable::InitiallyDeferred)
}

#[test]
fn the_recorder_builds_the_whole_constraint() {
    let ops = record(add_no_overlap);
    assert_eq!(
        ops,
        [Op::CreateExcludeConstraint {
            schema: None,
            table: "bookings".into(),
            exclude: expected(),
        }]
    );
    assert_eq!(
        ops[0].describe(),
        "create exclusion constraint no_overlap on bookings"
    );
}

#[test]
fn apply_adds_it_and_the_reverse_drops_it_by_name_with_its_definition() {
    let ops = record(add_no_overlap);
    let mut md = bookings();
    apply_all(&ops, &mut md).expect("applies");
    assert_eq!(md.tables()[0].excludes, [expected()]);

    let down = ops[0].reverse().expect("reversible");
    assert_eq!(
        down,
        Op::DropConstraint {
            schema: None,
            table: "bookings".into(),
            name: "no_overlap".into(),
            kind: ConstraintKind::Exclude,
            existing: Some(Constraint::Exclude(expected())),
        }
    );
    apply_all(std::slice::from_ref(&down), &mut md).expect("the drop applies");
    assert!(md.tables()[0].excludes.is_empty());
    assert_eq!(md, bookings());
    // And the reverse of the drop is the create again.
    assert_eq!(down.reverse().expect("reversible"), ops[0]);
}

#[test]
fn apply_refuses_a_missing_column_and_a_name_taken_by_an_index() {
    let mut md = bookings();
    let err = *apply_all(
        &record(|op| {
            op.create_exclude_constraint(
                "x",
                "bookings",
                vec![ExcludeElement::column("nope", "=")],
            );
        }),
        &mut md,
    )
    .expect_err("refused")
    .error;
    assert!(
        matches!(&err, ApplyError::UnknownColumn { column, .. } if column == "nope"),
        "{err}"
    );

    // The constraint's index is a relation: its name must be free in the schema.
    let mut md = bookings();
    md.tables_mut()[0]
        .indexes
        .push(Index::on_columns(["room_id"]).name("no_overlap"));
    let err = *apply_all(&record(add_no_overlap), &mut md)
        .expect_err("refused")
        .error;
    assert!(
        matches!(&err, ApplyError::NameInUse { name, .. } if name == "no_overlap"),
        "{err}"
    );
}

#[test]
fn dropping_a_column_drops_the_constraint_and_the_downgrade_restores_it() {
    let mut md = bookings();
    apply_all(&record(add_no_overlap), &mut md).expect("applies");
    let with = md.clone();
    let drop = record(|op| {
        op.drop_column("bookings", "during");
    });
    let mut after = md.clone();
    apply_all(&drop, &mut after).expect("applies");
    assert!(after.tables()[0].excludes.is_empty());
    let down = reverse_all_from(&with, &drop).expect("a downgrade");
    assert!(
        down.iter().any(
            |o| matches!(o, Op::CreateExcludeConstraint { exclude, .. } if *exclude == expected())
        ),
        "{down:#?}"
    );
    apply_all(&down, &mut after).expect("the downgrade applies");
    assert_eq!(after.tables()[0].excludes, [expected()]);
}

#[test]
fn renaming_a_column_renames_it_in_the_constraint() {
    let mut md = bookings();
    apply_all(&record(add_no_overlap), &mut md).expect("applies");
    apply_all(
        &record(|op| {
            op.alter_column("bookings", "room_id")
                .new_column_name("room");
        }),
        &mut md,
    )
    .expect("applies");
    assert_eq!(
        md.tables()[0].excludes[0]
            .column_names()
            .collect::<Vec<_>>(),
        ["room", "during"]
    );
}
