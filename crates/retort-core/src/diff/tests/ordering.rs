//! Ordering: referenced tables first, dependents dropped first, foreign-key cycles split
//! into tables then keys (both directions), and keys on kept tables around it all.

use super::support::*;
use crate::ops::Op;
use crate::{Column, ForeignKey, MetaData, Table, Type};

/// `name` with an `id` key and a nullable `<r>_id` foreign key to each of `refs`.
fn table(name: &str, refs: &[&str]) -> Table {
    let mut t = Table::new(name).column(int("id")).primary_key(["id"]);
    for r in refs {
        let col = format!("{r}_id");
        t = t
            .column(Column::new(col.clone(), Type::Integer))
            .foreign_key(ForeignKey::new([col], *r, ["id"]));
    }
    t
}

#[test]
fn referenced_tables_are_created_first_and_dropped_last() {
    // Added in the "wrong" order on purpose.
    let after = md()
        .table(table("lines", &["orders"]))
        .table(table("orders", &["customers"]))
        .table(table("customers", &[]));
    let d = check(&md(), &after);
    assert_eq!(
        described(&d),
        [
            "create table customers",
            "create table orders",
            "create table lines"
        ]
    );
    let d = check(&after, &md());
    assert_eq!(
        described(&d),
        [
            "drop table lines",
            "drop table orders",
            "drop table customers"
        ]
    );
}

#[test]
fn two_new_tables_that_reference_each_other_are_created_then_linked() {
    let after = md().table(table("a", &["b"])).table(table("b", &["a"]));
    let d = check(&md(), &after);
    assert_eq!(
        described(&d),
        [
            "create table a",
            "create table b",
            "create foreign key a_b_id_fkey on a (b_id) -> b (id)",
            "create foreign key b_a_id_fkey on b (a_id) -> a (id)",
        ]
    );
    // The created tables carry no cycle key; the downgrade drops the keys first.
    assert!(matches!(&d.ops[0], Op::CreateTable { table } if table.foreign_keys.is_empty()));
    assert_eq!(
        d.log,
        ["Detected added table 'a'", "Detected added table 'b'"]
    );
}

#[test]
fn dropping_tables_that_reference_each_other_drops_their_keys_first() {
    let mut before = md()
        .table(table("a", &["b"]))
        .table(table("b", &["a"]))
        .table(table("keep", &[]));
    // As a database names them.
    for t in before.tables_mut() {
        let n = t.name.clone();
        for fk in &mut t.foreign_keys {
            fk.name = Some(format!("{n}_{}_fkey", fk.columns[0]));
        }
    }
    let after = md().table(table("keep", &[]));
    let d = check(&before, &after);
    let ops = described(&d);
    assert_eq!(ops.len(), 4, "{ops:?}");
    assert!(
        ops[..2].iter().all(|o| o.starts_with("drop foreign key")),
        "{ops:?}"
    );
    assert!(
        ops[2..].iter().all(|o| o.starts_with("drop table")),
        "{ops:?}"
    );
    assert_eq!(
        d.log,
        ["Detected removed table 'b'", "Detected removed table 'a'"]
    );
}

#[test]
fn a_cycle_through_a_kept_table() {
    // `a` exists; `b` is new and the two come to reference each other.
    let before = md().table(table("a", &[]));
    let after = md().table(table("a", &["b"])).table(table("b", &["a"]));
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        [
            "add column a.b_id",
            "create table b",
            // On a kept table: left for the database to name, as create_all leaves it.
            "create foreign key (unnamed) on a (b_id) -> b (id)",
        ]
    );
}

#[test]
fn a_kept_table_stops_referencing_a_dropped_one() {
    let mut before = md()
        .table(table("gone", &[]))
        .table(table("kept", &["gone"]));
    before.tables_mut()[1].foreign_keys[0].name = Some("kept_gone_id_fkey".into());
    let after = md().table(
        Table::new("kept")
            .column(int("id"))
            .column(Column::new("gone_id", Type::Integer))
            .primary_key(["id"]),
    );
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        [
            // The name PostgreSQL gives it: dropped by its definition.
            "drop foreign key (unnamed, by its definition) on kept",
            "drop table gone"
        ]
    );
}

#[test]
fn the_same_inputs_give_the_same_output() {
    let build = || -> MetaData {
        let mut m = md();
        for i in 0..40 {
            let refs: Vec<String> = (0..i)
                .filter(|j| (i * 7 + j) % 5 == 0)
                .map(|j| format!("t{j}"))
                .collect();
            let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
            m.add_table(table(&format!("t{i}"), &refs));
        }
        m
    };
    let first = check(&md(), &build());
    for _ in 0..5 {
        assert_eq!(crate::diff::diff(&md(), &build(), &opts()), first);
    }
}

#[test]
fn the_seed_comes_out_in_alembic_order() {
    // customers, orders (-> customers), products, added in the seed's model order.
    let seed = md()
        .table(table("customers", &[]))
        .table(table("orders", &["customers"]))
        .table(table("products", &[]));
    let d = check(&md(), &seed);
    assert_eq!(
        described(&d),
        [
            "create table customers",
            "create table products",
            "create table orders"
        ]
    );
    let down = crate::ops::reverse_all(&d.ops).unwrap();
    let down: Vec<String> = down.iter().map(Op::describe).collect();
    assert_eq!(
        down,
        [
            "drop table orders",
            "drop table products",
            "drop table customers"
        ]
    );
}

#[test]
fn a_table_in_a_cycle_still_waits_for_the_other_tables_it_references() {
    // `a` and `b` reference each other; `a` also references `x`, which references `y`.
    // Once the cycle keys are set aside, `a`'s key to `x` (its second, then its first) must
    // still put `a` after `x`.
    let after = md()
        .table(table("a", &["b", "x"]))
        .table(table("b", &["a"]))
        .table(table("x", &["y"]))
        .table(table("y", &[]));
    let d = check(&md(), &after);
    let ops = described(&d);
    let pos = |s: &str| ops.iter().position(|o| o == s).expect(s);
    assert!(pos("create table x") < pos("create table a"), "{ops:?}");
    assert!(pos("create table y") < pos("create table x"), "{ops:?}");
    // And the other way: dropped before the table it references.
    let mut before = after.clone();
    for t in before.tables_mut() {
        let n = t.name.clone();
        for fk in &mut t.foreign_keys {
            fk.name = Some(format!("{n}_{}_fkey", fk.columns[0]));
        }
    }
    let d = check(&before, &md());
    let ops = described(&d);
    let pos = |s: &str| ops.iter().position(|o| o == s).expect(s);
    assert!(pos("drop table a") < pos("drop table x"), "{ops:?}");
    assert!(pos("drop table x") < pos("drop table y"), "{ops:?}");
}
