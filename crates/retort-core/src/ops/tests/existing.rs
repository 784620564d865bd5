//! `with_existing` and `reverse_all_from`: hand-written ops that record no old values get
//! them from the schema they change, and so an exact reverse.

use super::{shop, table};
use crate::ops::{
    reverse_all_from, Constraint, ConstraintKind, DowngradeError, Op, Operations, Unnamed,
};
use crate::{Identity, MetaData, NamingConvention, ServerDefault, Table, Type};

fn recorded(f: impl FnOnce(&mut Operations)) -> Op {
    let mut op = Operations::new();
    f(&mut op);
    op.into_ops().remove(0)
}

/// The bare op is irreversible; completed against `md` it round-trips exactly.
fn completes_and_round_trips(md: &MetaData, bare: Op) {
    assert!(
        bare.reverse().is_err(),
        "{} should need old values",
        bare.call()
    );
    let full = bare.with_existing(md);
    let mut work = md.clone();
    full.apply(&mut work).expect("apply");
    assert_ne!(&work, md);
    full.reverse()
        .expect("complete op reverses")
        .apply(&mut work)
        .expect("apply reverse");
    assert_eq!(&work, md, "{}", full.describe());
}

#[test]
fn bare_drops_become_reversible() {
    let md = shop().enum_type(crate::EnumType::new("unused", ["x"]));
    let mut commented = shop();
    if let Some(t) = commented.get_table_mut(None, "orders") {
        t.comment = Some("old".into());
    }
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.drop_table("orders");
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.drop_column("orders", "note");
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.drop_index("ix_orders_customer_id", "orders");
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.drop_constraint("fk_orders_customer", "orders", ConstraintKind::ForeignKey);
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.drop_constraint("ck_orders_note", "orders", ConstraintKind::Check);
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.drop_constraint("orders_pkey", "orders", ConstraintKind::PrimaryKey);
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.drop_enum("unused");
        }),
    );
    completes_and_round_trips(
        &commented,
        recorded(|op| {
            op.drop_table_comment("orders");
        }),
    );
}

#[test]
fn bare_alters_become_reversible() {
    let md = shop();
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.alter_column("orders", "note")
                .nullable(false)
                .type_(Type::Varchar(Some(9)));
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.alter_column("orders", "order_date")
                .drop_server_default();
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.alter_column("orders", "note")
                .server_default(ServerDefault::text(""))
                .comment("c");
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.alter_column("orders", "order_id").drop_identity();
        }),
    );
    completes_and_round_trips(
        &md,
        recorded(|op| {
            op.alter_column("orders", "customer_id")
                .identity(Identity::by_default());
        }),
    );
}

#[test]
fn recorded_old_values_are_kept() {
    let md = shop();
    let op = recorded(|op| {
        op.alter_column("orders", "note")
            .nullable(false)
            .existing_nullable(false);
    });
    let Op::AlterColumn(a) = op.with_existing(&md) else {
        panic!("still an alter");
    };
    assert_eq!(a.existing_nullable, Some(false), "the recorded value wins");
    assert_eq!(
        a.existing_type,
        Some(Type::Text),
        "the missing one is filled in"
    );
    assert_eq!(a.existing_server_default, Some(None), "known to have none");
}

#[test]
fn unnamed_creations_are_named_by_the_convention() {
    let md = shop();
    let ix = recorded(|op| {
        op.create_index(Unnamed, "orders", ["note"]);
    });
    let Op::CreateIndex { index, .. } = ix.with_existing(&md) else {
        panic!("still create_index");
    };
    assert_eq!(index.name.as_deref(), Some("ix_orders_note"));
    let md = shop().naming_convention(NamingConvention::recommended());
    let uq = recorded(|op| {
        op.create_unique_constraint(Unnamed, "orders", ["note"]);
    });
    let rev = uq.with_existing(&md).reverse().expect("named now");
    assert!(
        matches!(rev, Op::DropConstraint { ref name, existing: Some(Constraint::Unique(_)), .. } if name == "uq_orders_note")
    );
    // With no template for the kind it stays unnamed, and its reverse drops it by its
    // definition (which only a database that drops by content can run).
    let ck = recorded(|op| {
        op.create_check_constraint(Unnamed, "orders", "true");
    });
    assert!(matches!(
        ck.with_existing(&shop()).reverse(),
        Ok(Op::DropConstraint { ref name, existing: Some(Constraint::Check(ref c)), .. })
            if name.is_empty() && c.name.is_none()
    ));
}

#[test]
fn missing_objects_are_left_for_apply_to_report() {
    let op = recorded(|op| {
        op.drop_table("nope");
    });
    assert_eq!(op.with_existing(&shop()), op);
}

#[test]
fn downgrade_of_a_hand_written_upgrade() {
    let before = shop();
    let mut op = Operations::new();
    op.create_table("products", |t| {
        t.column("id", Type::Integer).primary_key();
    });
    op.drop_constraint("fk_orders_customer", "orders", ConstraintKind::ForeignKey);
    op.drop_column("orders", "customer_id");
    op.alter_column("orders", "note").nullable(false);
    op.drop_table("customers");
    let upgrade = op.into_ops();
    assert!(
        crate::ops::reverse_all(&upgrade).is_err(),
        "bare ops alone do not reverse"
    );
    let downgrade = reverse_all_from(&before, &upgrade).expect("derivable from the schema");
    let mut md = before.clone();
    crate::ops::apply_all(&upgrade, &mut md).expect("upgrade");
    assert!(md.get_table(None, "customers").is_none());
    crate::ops::apply_all(&downgrade, &mut md).expect("downgrade");
    // Columns and constraints that were dropped come back at the end, as in the database;
    // compare each table regardless of that order.
    let sorted = |t: &Table| {
        let mut t = t.clone();
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        t
    };
    assert_eq!(
        sorted(table(&md, "orders")),
        sorted(table(&before, "orders"))
    );
    assert_eq!(table(&md, "customers"), table(&before, "customers"));
    assert!(md.get_table(None, "products").is_none());
}

#[test]
fn downgrade_errors_name_the_operation() {
    let mut op = Operations::new();
    op.execute("UPDATE orders SET order_id = order_id");
    let err = reverse_all_from(&shop(), op.ops()).unwrap_err();
    assert!(matches!(err, DowngradeError::Irreversible { index: 0, .. }));
    assert!(
        err.to_string()
            .starts_with("operation 1 of the list: execute"),
        "{err}"
    );
    let mut op = Operations::new();
    op.drop_table("nope");
    let err = reverse_all_from(&shop(), op.ops()).unwrap_err();
    assert!(matches!(err, DowngradeError::Apply(_)), "{err}");
}

#[test]
fn only_concurrent_index_ops_and_declared_sql_run_outside_a_transaction() {
    let mut op = Operations::new();
    op.create_index("a", "t", ["x"]).concurrently();
    op.drop_index("b", "t").concurrently();
    op.create_index("c", "t", ["x"]);
    op.create_table("t", |_| {});
    op.execute("VACUUM t").outside_transaction();
    op.execute("VACUUM t");
    let flags: Vec<bool> = op.ops().iter().map(Op::runs_outside_transaction).collect();
    assert_eq!(flags, [true, true, false, false, true, false]);
}

#[test]
fn an_added_enum_value_takes_the_types_values_and_reverses_to_them() {
    let mut op = Operations::new();
    op.add_enum_value("order_status", "x");
    let before = shop();
    let values = before
        .get_enum(None, "order_status")
        .expect("the shop has order_status")
        .values
        .clone();
    let down = reverse_all_from(&before, op.ops()).expect("reversible with the schema");
    let mut after = values.clone();
    after.push("x".into());
    assert_eq!(
        down,
        vec![Op::RecreateEnum {
            schema: None,
            name: "order_status".into(),
            values,
            existing: Some(after),
        }]
    );
}

#[test]
fn a_recreated_enum_takes_its_new_values_and_needs_the_type() {
    let mut op = Operations::new();
    op.recreate_enum("order_status", ["paid", "new"]);
    let mut md = shop();
    crate::ops::apply_all(op.ops(), &mut md).expect("the shop has order_status");
    assert_eq!(
        md.get_enum(None, "order_status").map(|e| e.values.clone()),
        Some(vec!["paid".to_string(), "new".to_string()])
    );
    // with_existing records the values it had, so the recreation reverses.
    let full = op.ops()[0].with_existing(&shop());
    assert!(matches!(
        full.reverse(),
        Ok(Op::RecreateEnum { ref values, .. }) if *values == ["new", "paid"]
    ));
    let mut op = Operations::new();
    op.recreate_enum("nope", ["x"]);
    let err = crate::ops::apply_all(op.ops(), &mut shop()).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn a_bare_set_storage_keeps_what_it_does_not_name_and_becomes_reversible() {
    let mut md = shop();
    md.get_table_mut(None, "orders")
        .expect("shop has orders")
        .with = vec![
        ("fillfactor".into(), "90".into()),
        ("autovacuum_enabled".into(), "false".into()),
    ];
    let bare = recorded(|op| {
        op.set_table_storage("orders", ["fillfactor=70"]);
    });
    let Op::SetStorage { with, existing, .. } = bare.with_existing(&md) else {
        panic!("still a set_table_storage");
    };
    assert_eq!(
        with,
        [
            ("fillfactor".to_string(), "70".to_string()),
            ("autovacuum_enabled".to_string(), "false".to_string())
        ]
    );
    assert_eq!(existing.map(|e| e.len()), Some(2));
    completes_and_round_trips(&md, bare);
}
