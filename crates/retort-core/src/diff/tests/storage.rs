//! Storage parameters (`WITH (..)`) and table inheritance (`INHERITS (..)`).

use super::support::*;
use crate::diff::{diff, DiffOptions};
use crate::ops::Op;
use crate::{Column, Index, MetaData, PrimaryKey, Table, TableRef, Type, Unique};

fn payment() -> Table {
    Table::new("payment")
        .column(int("payment_id"))
        .column(int("amount"))
        .primary_key(["payment_id"])
}

fn child(name: &str) -> Table {
    Table::new(name)
        .column(int("payment_id"))
        .column(int("amount"))
        .inherits("payment")
}

#[test]
fn a_changed_table_parameter_is_a_set_not_a_rebuild() {
    let before = md().table(customers().with("fillfactor", "100"));
    let after = md().table(customers().with("fillfactor", "70"));
    let d = check(&before, &after);
    assert_eq!(
        d.ops,
        [Op::SetStorage {
            schema: None,
            table: "customers".into(),
            index: None,
            with: vec![("fillfactor".into(), "70".into())],
            existing: Some(vec![("fillfactor".into(), "100".into())]),
        }]
    );
    // Parameters in another order are the same parameters.
    let a = md().table(
        customers()
            .with("fillfactor", "70")
            .with("autovacuum_enabled", "false"),
    );
    let b = md().table(
        customers()
            .with("autovacuum_enabled", "false")
            .with("fillfactor", "70"),
    );
    assert!(diff(&a, &b, &DiffOptions::default()).ops.is_empty());
}

#[test]
fn index_and_key_parameters_change_in_place() {
    let table = |pk: &str, uq: &str, ix: &str| {
        let mut t = customers().unique(["name"]).index(
            Index::on_columns(["name"])
                .name("ix_name")
                .with("fillfactor", ix),
        );
        t.primary_key = Some(
            PrimaryKey::new(["customer_id"])
                .name("customers_pkey")
                .with("fillfactor", pk),
        );
        t.uniques = vec![Unique::new(["name"]).name("uq_name").with("fillfactor", uq)];
        t
    };
    let before = md().table(table("100", "90", "90"));
    let after = md().table(table("90", "80", "70"));
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        [
            "set storage parameters of index customers_pkey on customers",
            "set storage parameters of index uq_name on customers",
            "set storage parameters of index ix_name on customers",
        ]
    );
    assert!(
        !d.ops
            .iter()
            .any(|o| matches!(o, Op::DropIndex { .. } | Op::DropConstraint { .. })),
        "{:#?}",
        d.ops
    );
}

#[test]
fn a_new_parent_is_inherit_and_a_lost_one_no_inherit() {
    let before = md().table(payment()).table(
        Table::new("p1")
            .column(int("payment_id"))
            .column(int("amount")),
    );
    let after = md().table(payment()).table(child("p1"));
    let d = check(&before, &after);
    assert_eq!(
        d.ops,
        [Op::Inherit {
            schema: None,
            table: "p1".into(),
            parent: TableRef::new(None, "payment"),
        }]
    );
    let back = check(&after, &before);
    assert_eq!(
        described(&back),
        ["make table p1 no longer inherit from payment"]
    );
}

#[test]
fn a_child_is_created_after_its_parent_whatever_the_model_order() {
    let after = md().table(child("p1")).table(payment());
    let d = check(&MetaData::new(), &after);
    assert_eq!(described(&d), ["create table payment", "create table p1"]);
}

#[test]
fn columns_a_parent_gives_are_neither_added_nor_dropped_on_the_child() {
    // A column added to the parent reaches its children: the child's own add would fail.
    let inherited = |t: Table| {
        let mut t = t;
        for c in &mut t.columns {
            c.inherited = true;
        }
        t
    };
    let before = md().table(payment()).table(inherited(child("p1")));
    let after = md()
        .table(payment().column(Column::new("note", Type::Text)))
        .table(inherited(child("p1")).column(Column::new("note", Type::Text).inherited()));
    let d = diff(&before, &after, &DiffOptions::default());
    assert_eq!(described(&d), ["add column payment.note"]);
}
