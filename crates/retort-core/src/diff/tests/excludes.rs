//! Exclusion constraints: named, so paired by name; added, dropped, and changed (a drop and
//! a create), each surviving the round trip.

use super::support::{check, described, int, md, opts};
use crate::diff::diff;
use crate::ops::{ConstraintKind, Op};
use crate::{Column, Deferrable, Exclude, ExcludeElement, Table, Type};

fn bookings(excludes: Vec<Exclude>) -> Table {
    let mut t = Table::new("bookings")
        .column(int("id"))
        .column(int("room_id"))
        .column(Column::new("starts_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("ends_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("cancelled", Type::Boolean).not_null())
        .primary_key(["id"]);
    t.excludes = excludes;
    t
}

fn no_overlap() -> Exclude {
    Exclude::new(
        "no_overlap",
        vec![
            ExcludeElement::column("room_id", "="),
            ExcludeElement::expr("tstzrange(starts_at, ends_at)", "&&"),
        ],
    )
}

#[test]
fn an_exclusion_constraint_is_added_to_an_existing_table() {
    let before = md().table(bookings(vec![]));
    let after = md().table(bookings(vec![no_overlap()]));
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        ["create exclusion constraint no_overlap on bookings"]
    );
    assert_eq!(
        d.log,
        ["Detected added exclusion constraint 'no_overlap' on 'bookings'"]
    );
}

#[test]
fn a_removed_exclusion_constraint_is_dropped_by_name_with_its_definition() {
    let before = md().table(bookings(vec![no_overlap()]));
    let after = md().table(bookings(vec![]));
    let d = check(&before, &after);
    let [Op::DropConstraint {
        name,
        kind,
        existing,
        ..
    }] = d.ops.as_slice()
    else {
        panic!("{:#?}", d.ops);
    };
    assert_eq!(name, "no_overlap");
    assert_eq!(*kind, ConstraintKind::Exclude);
    assert_eq!(existing.as_ref().and_then(|c| c.name()), Some("no_overlap"));
}

#[test]
fn a_changed_predicate_method_or_deferrable_is_a_drop_and_a_create() {
    let before = md().table(bookings(vec![no_overlap()]));
    for changed in [
        no_overlap().predicate("NOT cancelled"),
        no_overlap().using("spgist"),
        no_overlap().deferrable(Deferrable::InitiallyDeferred),
        no_overlap().include(["id"]),
    ] {
        let after = md().table(bookings(vec![changed.clone()]));
        let d = check(&before, &after);
        assert_eq!(
            described(&d),
            [
                "drop exclusion constraint no_overlap on bookings",
                "create exclusion constraint no_overlap on bookings"
            ],
            "{changed:?}"
        );
        assert_eq!(
            d.log,
            ["Detected changed exclusion constraint 'no_overlap' on 'bookings'"]
        );
    }
    // The method is compared without regard to case; the same constraint is no change.
    let same = md().table(bookings(vec![no_overlap().using("GIST")]));
    assert!(diff(&before, &same, &opts()).ops.is_empty());
}

#[test]
fn a_new_table_carries_its_exclusion_constraint() {
    let after = md().table(bookings(vec![no_overlap().predicate("NOT cancelled")]));
    let d = check(&md(), &after);
    let [Op::CreateTable { table }] = d.ops.as_slice() else {
        panic!("{:#?}", d.ops);
    };
    assert_eq!(table.excludes, [no_overlap().predicate("NOT cancelled")]);
}

#[test]
fn validation_refuses_an_unnamed_or_empty_constraint_and_unknown_columns() {
    let mut unnamed = no_overlap();
    unnamed.name = None;
    let bad = md()
        .table(bookings(vec![unnamed]))
        .table(bookings(vec![Exclude::new("x_empty", vec![])]).model("Other"));
    let mut other = bookings(vec![Exclude::new(
        "x_cols",
        vec![ExcludeElement::column("nope", "=")],
    )
    .include(["gone"])]);
    other.name = "others".into();
    let errs = bad
        .table(other)
        .validate()
        .expect_err("refused")
        .to_string();
    assert!(
        errs.contains(
            "bookings: table `bookings` has an exclusion constraint without a name; give it one"
        ),
        "{errs}"
    );
    assert!(
        errs.contains("the exclusion constraint x_empty on table `bookings` has no elements"),
        "{errs}"
    );
    assert!(
        errs.contains("exclusion constraint x_cols refers to column `nope`"),
        "{errs}"
    );
    assert!(
        errs.contains("exclusion constraint x_cols INCLUDE refers to column `gone`"),
        "{errs}"
    );
    assert!(md().table(bookings(vec![no_overlap()])).validate().is_ok());
}
