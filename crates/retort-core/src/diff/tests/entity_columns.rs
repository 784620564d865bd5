//! Entities around a column change the database refuses under them (issue 14, item 5): a
//! view reading a column whose type changes, or that is dropped, is dropped before the
//! change and created again after it, dependents of dependents too, in the right order; the
//! downgrade (`check`'s round trip) does the mirror.

use super::support::{check, customers, described, int, md, opts, orders};
use crate::diff::{diff, DiffOptions};
use crate::{Column, Entity, EntityColumn, MetaData, Table, Trigger, Type, View};

fn priced() -> Table {
    orders().column(Column::new("total", Type::Integer).not_null())
}

fn shop(orders: Table) -> MetaData {
    md().table(customers()).table(orders)
}

fn totals() -> View {
    View::new(
        "totals",
        "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id",
    )
}

fn big() -> View {
    View::new("big", "SELECT customer_id FROM totals WHERE total > 10")
}

fn ids() -> View {
    View::new("ids", "SELECT order_id FROM orders")
}

fn widened() -> Table {
    let mut t = priced();
    t.columns[2] = Column::new("total", Type::BigInt).not_null();
    t
}

#[test]
fn a_type_change_under_a_view_of_a_view_drops_and_recreates_both_around_it() {
    let with = |t: Table| {
        shop(t)
            .with_entity(big())
            .with_entity(totals())
            .with_entity(ids())
    };
    let d = check(&with(priced()), &with(widened()));
    assert_eq!(
        described(&d),
        [
            "drop view big",
            "drop view totals",
            "alter column orders.total (type)",
            "create view totals",
            "create view big",
        ]
    );
    // The log tells the change, not its consequences.
    assert_eq!(
        d.log,
        ["Detected type change from Integer to BigInt on 'orders.total'"]
    );
    // The drops carry the database's definitions, the creates the model's.
    let crate::ops::Op::DropEntity { existing, .. } = &d.ops[1] else {
        panic!("{:?}", d.ops)
    };
    assert_eq!(existing.as_ref(), Some(&Entity::from(totals())));
}

#[test]
fn a_dropped_column_under_a_changed_view_drops_it_first_and_creates_the_new_one_after() {
    let before = shop(priced()).with_entity(totals());
    let after = shop(orders()).with_entity(View::new(
        "totals",
        "SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id",
    ));
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        [
            "drop view totals",
            "drop column orders.total",
            "create view totals",
        ]
    );
    assert_eq!(
        d.log,
        [
            "Detected removed column 'orders.total'",
            "Detected changed view totals",
        ]
    );
}

#[test]
fn a_view_reading_other_columns_and_a_trigger_not_naming_it_are_left_alone() {
    let touch = Trigger::new(
        "orders",
        "orders_touch",
        "AFTER UPDATE OF customer_id ON orders BEGIN SELECT 1; END",
    );
    let before = shop(priced()).with_entity(ids()).with_entity(touch.clone());
    let after = shop(widened()).with_entity(ids()).with_entity(touch);
    let d = check(&before, &after);
    assert_eq!(described(&d), ["alter column orders.total (type)"]);
}

#[test]
fn a_trigger_naming_the_column_goes_around_it_too() {
    let touch = Trigger::new(
        "orders",
        "orders_touch",
        "AFTER UPDATE OF total ON orders BEGIN SELECT 1; END",
    );
    let before = shop(priced()).with_entity(touch.clone());
    let after = shop(widened()).with_entity(touch);
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        [
            "drop trigger orders_touch on orders",
            "alter column orders.total (type)",
            "create trigger orders_touch on orders",
        ]
    );
}

#[test]
fn what_the_catalog_records_is_found_where_names_do_not_show_it() {
    // `SELECT *` names no column; PostgreSQL's catalog records every one it expanded to.
    let star = View::new("everything", "SELECT * FROM orders");
    let before = shop(priced()).with_entity(star.clone());
    let after = shop(widened()).with_entity(star.clone());
    assert_eq!(
        described(&diff(&before, &after, &opts())),
        ["alter column orders.total (type)"]
    );
    let recorded = DiffOptions {
        entity_columns: vec![EntityColumn {
            entity: Entity::from(star).key(),
            schema: None,
            table: "orders".into(),
            column: "total".into(),
        }],
        ..opts()
    };
    assert_eq!(
        described(&diff(&before, &after, &recorded)),
        [
            "drop view everything",
            "alter column orders.total (type)",
            "create view everything",
        ]
    );
}

#[test]
fn an_unversioned_view_in_the_way_is_said_not_dropped() {
    let db = shop(priced()).with_entity(totals());
    let versioned = DiffOptions {
        versioned_entities: Some(Vec::new()),
        ..opts()
    };
    let d = diff(&db, &shop(widened()), &versioned);
    assert_eq!(described(&d), ["alter column orders.total (type)"]);
    assert!(
        d.warnings.iter().any(|w| w.starts_with(
            "view totals reads column orders.total, which this revision changes the type of"
        )),
        "{:?}",
        d.warnings
    );
}

#[test]
fn a_removed_view_over_a_dropped_column_is_only_dropped() {
    let before = shop(priced()).with_entity(totals()).with_entity(big());
    let after = shop(orders());
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        [
            "drop view big",
            "drop view totals",
            "drop column orders.total"
        ]
    );
    let _ = int("unused");
}
