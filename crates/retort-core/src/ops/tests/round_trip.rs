//! The property that makes downgrades trustworthy: for every op with a reverse, applying
//! the op and then its reverse gives back the schema it started from. One test per kind.

use super::{check_named, shop, table};
use crate::ops::{Constraint, ConstraintKind, Op, Operations};
use crate::{
    Column, Computed, EnumType, ForeignKey, Identity, MetaData, PrimaryKey, ServerDefault, Table,
    Type, Unique,
};

/// Applies `op` to a copy of `md`, checks it changed something (unless `changes` is false),
/// applies its reverse and checks the copy equals `md` again.
fn round_trip(md: &MetaData, op: &Op, changes: bool) {
    let mut work = md.clone();
    op.apply(&mut work)
        .unwrap_or_else(|e| panic!("apply {}: {e}", op.describe()));
    if changes {
        assert_ne!(&work, md, "{} changed nothing", op.describe());
    }
    let reverse = op
        .reverse()
        .unwrap_or_else(|e| panic!("reverse {}: {e}", op.describe()));
    reverse
        .apply(&mut work)
        .unwrap_or_else(|e| panic!("apply reverse {}: {e}", reverse.describe()));
    assert_eq!(&work, md, "{} then its reverse", op.describe());
}

fn recorded(f: impl FnOnce(&mut Operations)) -> Op {
    let mut op = Operations::new();
    f(&mut op);
    op.into_ops().remove(0)
}

#[test]
fn create_table() {
    let op = recorded(|op| {
        op.create_table("products", |t| {
            t.column("product_id", Type::Integer)
                .identity(Identity::always());
            t.column("name", Type::Text).not_null();
            t.primary_key(["product_id"]);
            t.index("ix_products_name", ["name"]);
        });
    });
    round_trip(&shop(), &op, true);
}

#[test]
fn drop_table_with_its_definition() {
    let md = shop();
    let op = Op::DropTable {
        schema: None,
        name: "orders".into(),
        existing: Some(table(&md, "orders").clone()),
        data_loss_ok: false,
    };
    round_trip(&md, &op, true);
}

#[test]
fn rename_table_that_others_refer_to() {
    let op = recorded(|op| {
        op.rename_table("customers", "clients");
    });
    let mut md = shop();
    op.apply(&mut md).expect("rename");
    assert_eq!(table(&md, "orders").foreign_keys[0].ref_table, "clients");
    round_trip(&shop(), &op, true);
}

#[test]
fn add_column() {
    let op = recorded(|op| {
        op.add_column(
            "orders",
            Column::new("shipped_at", Type::Timestamp { tz: true }),
        );
    });
    round_trip(&shop(), &op, true);
}

#[test]
fn drop_column_with_its_definition() {
    let md = shop();
    let note = table(&md, "orders").get_column("note").cloned();
    let op = Op::DropColumn {
        schema: None,
        table: "orders".into(),
        column: "note".into(),
        existing: note,
        data_loss_ok: false,
    };
    round_trip(&md, &op, true);
}

#[test]
fn alter_nullable_and_type() {
    let op = recorded(|op| {
        op.alter_column("orders", "note")
            .nullable(false)
            .existing_nullable(true)
            .type_(Type::Varchar(Some(500)))
            .using("note::varchar(500)")
            .existing_type(Type::Text);
    });
    round_trip(&shop(), &op, true);
}

#[test]
fn alter_server_default_set_and_drop() {
    let set = recorded(|op| {
        op.alter_column("orders", "note")
            .server_default(ServerDefault::text(""))
            .existing_no_server_default();
    });
    round_trip(&shop(), &set, true);
    let unset = recorded(|op| {
        op.alter_column("orders", "order_date")
            .drop_server_default()
            .existing_server_default(ServerDefault::expr("now()"));
    });
    round_trip(&shop(), &unset, true);
}

#[test]
fn alter_rename_referenced_column() {
    let op = recorded(|op| {
        op.alter_column("customers", "customer_id")
            .new_column_name("id");
    });
    let mut md = shop();
    op.apply(&mut md).expect("rename column");
    assert_eq!(table(&md, "orders").foreign_keys[0].ref_columns, ["id"]);
    assert_eq!(
        table(&md, "customers")
            .primary_key
            .as_ref()
            .map(|p| p.columns.clone()),
        Some(vec!["id".to_string()])
    );
    round_trip(&shop(), &op, true);
}

#[test]
fn alter_rename_indexed_fk_column() {
    let op = recorded(|op| {
        op.alter_column("orders", "customer_id")
            .new_column_name("cust_id");
    });
    let mut md = shop();
    op.apply(&mut md).expect("rename column");
    let orders = table(&md, "orders");
    assert_eq!(orders.foreign_keys[0].columns, ["cust_id"]);
    assert_eq!(
        orders.indexes[0].column_names().collect::<Vec<_>>(),
        ["cust_id"]
    );
    round_trip(&shop(), &op, true);
}

#[test]
fn alter_comment() {
    let op = recorded(|op| {
        op.alter_column("orders", "note")
            .comment("free text")
            .existing_no_comment();
    });
    round_trip(&shop(), &op, true);
}

#[test]
fn alter_identity_add_change_drop() {
    let add = recorded(|op| {
        op.alter_column("orders", "customer_id")
            .identity(Identity::by_default().start(100))
            .existing_no_identity();
    });
    round_trip(&shop(), &add, true);
    let change = recorded(|op| {
        op.alter_column("orders", "order_id")
            .identity(Identity::by_default().increment(2))
            .existing_identity(Identity::always());
    });
    round_trip(&shop(), &change, true);
    let remove = recorded(|op| {
        op.alter_column("orders", "order_id")
            .drop_identity()
            .existing_identity(Identity::always());
    });
    round_trip(&shop(), &remove, true);
}

#[test]
fn alter_computed() {
    let op = recorded(|op| {
        op.alter_column("orders", "note")
            .computed(Computed::stored("'order ' || order_id"))
            .existing_no_computed();
    });
    round_trip(&shop(), &op, true);
}

#[test]
fn create_and_drop_index() {
    let create = recorded(|op| {
        op.create_index("ix_orders_date", "orders", ["order_date", "status"])
            .concurrently();
    });
    round_trip(&shop(), &create, true);
    let md = shop();
    let existing = table(&md, "orders").indexes[0].clone();
    let name = existing
        .name
        .clone()
        .expect("named by the default convention");
    let drop_ix = Op::DropIndex {
        schema: None,
        table: "orders".into(),
        name,
        existing: Some(existing),
        concurrently: false,
    };
    round_trip(&md, &drop_ix, true);
}

#[test]
fn create_and_drop_unique() {
    let create = recorded(|op| {
        op.create_unique_constraint("uq_orders_note", "orders", ["note"]);
    });
    round_trip(&shop(), &create, true);
    let md = shop();
    let drop_uq = Op::DropConstraint {
        schema: None,
        table: "customers".into(),
        name: "uq_email".into(),
        kind: ConstraintKind::Unique,
        existing: Some(Constraint::Unique(Unique {
            name: Some("uq_email".into()),
            columns: vec!["email".into()],
            ..Default::default()
        })),
    };
    // The fixture's unique is unnamed: name it so it can be dropped by name.
    let mut named = md.clone();
    if let Some(t) = named.get_table_mut(None, "customers") {
        t.uniques[0].name = Some("uq_email".into());
    }
    round_trip(&named, &drop_uq, true);
}

#[test]
fn create_and_drop_foreign_key() {
    let create = recorded(|op| {
        op.create_foreign_key(
            "fk_self",
            "customers",
            "customers",
            ["customer_id"],
            ["customer_id"],
        );
    });
    round_trip(&shop(), &create, true);
    let md = shop();
    let fk: ForeignKey = table(&md, "orders").foreign_keys[0].clone();
    let drop_fk = Op::DropConstraint {
        schema: None,
        table: "orders".into(),
        name: "fk_orders_customer".into(),
        kind: ConstraintKind::ForeignKey,
        existing: Some(Constraint::ForeignKey(fk)),
    };
    round_trip(&md, &drop_fk, true);
}

#[test]
fn create_and_drop_check() {
    let create = recorded(|op| {
        op.create_check_constraint("ck_email", "customers", "email <> ''");
    });
    round_trip(&shop(), &create, true);
    let drop_ck = Op::DropConstraint {
        schema: None,
        table: "orders".into(),
        name: "ck_orders_note".into(),
        kind: ConstraintKind::Check,
        existing: Some(Constraint::Check(check_named(
            "ck_orders_note",
            "length(note) < 500",
        ))),
    };
    round_trip(&shop(), &drop_ck, true);
}

#[test]
fn create_and_drop_primary_key() {
    let md = shop().table(Table::new("tags").column(Column::new("tag", Type::Text).not_null()));
    let create = recorded(|op| {
        op.create_primary_key("pk_tags", "tags", ["tag"]);
    });
    round_trip(&md, &create, true);
    let drop_pk = Op::DropConstraint {
        schema: None,
        table: "orders".into(),
        name: "orders_pkey".into(),
        kind: ConstraintKind::PrimaryKey,
        existing: Some(Constraint::PrimaryKey(PrimaryKey {
            conv: false,
            name: None,
            columns: vec!["order_id".into()],
            with: Vec::new(),
        })),
    };
    round_trip(&shop(), &drop_pk, true);
}

#[test]
fn table_comments() {
    let set = recorded(|op| {
        op.create_table_comment("orders", "all orders");
    });
    round_trip(&shop(), &set, true);
    let mut commented = shop();
    if let Some(t) = commented.get_table_mut(None, "orders") {
        t.comment = Some("old".into());
    }
    let replace = recorded(|op| {
        op.create_table_comment("orders", "new")
            .existing_comment("old");
    });
    round_trip(&commented, &replace, true);
    let remove = recorded(|op| {
        op.drop_table_comment("orders").existing_comment("old");
    });
    round_trip(&commented, &remove, true);
}

#[test]
fn create_and_drop_enum() {
    let create = recorded(|op| {
        op.create_enum("mood", ["sad", "ok"]);
    });
    round_trip(&shop(), &create, true);
    let md = shop().enum_type(EnumType::new("unused", ["x"]));
    let drop_e = recorded(|op| {
        op.drop_enum("unused").existing(["x"]);
    });
    round_trip(&md, &drop_e, true);
}

#[test]
fn schemas_and_execute_leave_the_model_alone() {
    round_trip(&shop(), &Op::CreateSchema { name: "s".into() }, false);
    round_trip(
        &MetaData::new(),
        &Op::DropSchema { name: "s".into() },
        false,
    );
    let sql = recorded(|op| {
        op.execute("UPDATE orders SET note = ''")
            .reverse_sql("SELECT 1");
    });
    round_trip(&shop(), &sql, false);
}

#[test]
fn schema_qualified_ops_round_trip_in_their_schema() {
    let md = shop().table(
        Table::new("ledger")
            .schema("billing")
            .column(Column::new("id", Type::Integer)),
    );
    let ops = [
        recorded(|op| {
            op.add_column("ledger", Column::new("x", Type::Text))
                .schema("billing");
        }),
        recorded(|op| {
            op.rename_table("ledger", "journal").schema("billing");
        }),
        recorded(|op| {
            op.with_schema("billing", |op| {
                op.create_index("ix_ledger_id", "ledger", ["id"]);
            })
        }),
    ];
    for op in &ops {
        round_trip(&md, op, true);
    }
}

#[test]
fn a_whole_script_and_its_derived_downgrade() {
    let mut op = Operations::new();
    op.create_enum("status", ["new", "done"]);
    op.create_table("customers", |t| {
        t.column("customer_id", Type::Integer)
            .identity(Identity::always());
        t.column("email", Type::Text).not_null();
        t.primary_key(["customer_id"]);
    });
    op.create_table("orders", |t| {
        t.column("order_id", Type::Integer)
            .identity(Identity::always());
        t.column("customer_id", Type::Integer).not_null();
        t.column("state", Type::enumeration("status"));
        t.primary_key(["order_id"]);
    });
    op.create_foreign_key(
        "fk_orders_customers",
        "orders",
        "customers",
        ["customer_id"],
        ["customer_id"],
    );
    op.create_index("ix_orders_customer_id", "orders", ["customer_id"]);
    op.add_column("orders", Column::new("note", Type::Text));
    op.alter_column("orders", "note")
        .nullable(false)
        .existing_nullable(true);
    let upgrade = op.into_ops();
    let mut md = MetaData::new();
    crate::ops::apply_all(&upgrade, &mut md).expect("the upgrade replays");
    assert_eq!(md.tables().len(), 2);
    let downgrade = crate::ops::reverse_all(&upgrade).expect("every op is reversible");
    crate::ops::apply_all(&downgrade, &mut md).expect("the downgrade replays");
    assert_eq!(md, MetaData::new());
}

#[test]
fn inherit_and_no_inherit() {
    let md = shop()
        .table(
            Table::new("payment")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("amount", Type::Integer)),
        )
        .table(
            Table::new("p1")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("amount", Type::Integer)),
        );
    let op = recorded(|op| {
        op.inherit("p1", "payment");
    });
    round_trip(&md, &op, true);
    // The child must have the parent's columns first, as PostgreSQL says.
    let lacking = md
        .clone()
        .table(Table::new("p2").column(Column::new("id", Type::Integer)));
    let op2 = recorded(|op| {
        op.inherit("p2", "payment");
    });
    let err = op2.apply(&mut lacking.clone()).unwrap_err().to_string();
    assert!(err.contains("has no column `amount`"), "{err}");
    // Leaving a parent makes the columns it gave the child's own.
    let mut child = md.clone();
    op.apply(&mut child).unwrap();
    child.get_table_mut(None, "p1").unwrap().columns[1].inherited = true;
    let leave = recorded(|op| {
        op.no_inherit("p1", "payment");
    });
    leave.apply(&mut child).unwrap();
    let t = child.get_table(None, "p1").unwrap();
    assert!(t.inherits.is_empty() && !t.columns[1].inherited);
}

#[test]
fn set_storage_of_a_table_and_an_index() {
    let md = shop();
    let op = recorded(|op| {
        op.set_table_storage("orders", ["fillfactor=70"])
            .existing(Vec::<String>::new());
    });
    round_trip(&md, &op, true);
    let mut with_ix = md.clone();
    recorded(|op| {
        op.create_index("ix_o", "orders", ["customer_id"])
            .with("fillfactor", "90");
    })
    .apply(&mut with_ix)
    .unwrap();
    let op = recorded(|op| {
        op.set_index_storage("orders", "ix_o", ["fillfactor=70", "deduplicate_items=off"])
            .existing(["fillfactor=90"]);
    });
    round_trip(&with_ix, &op, true);
    // Without the old parameters the op cannot be reversed.
    let blind = recorded(|op| {
        op.set_table_storage("orders", ["fillfactor=70"]);
    });
    assert!(blind.reverse().is_err());
}

#[test]
fn a_column_added_to_a_parent_reaches_its_children() {
    let md = shop()
        .table(Table::new("payment").column(Column::new("id", Type::Integer).not_null()))
        .table(
            Table::new("p1")
                .column(Column::new("id", Type::Integer).not_null().inherited())
                .inherits("payment"),
        )
        .table(
            Table::new("p1a")
                .column(Column::new("id", Type::Integer).not_null().inherited())
                .column(Column::new("note", Type::Text))
                .inherits("p1"),
        );
    let add = recorded(|op| {
        op.add_column("payment", Column::new("note", Type::Text));
    });
    let mut work = md.clone();
    add.apply(&mut work).unwrap();
    let note = |t: &str| {
        work.get_table(None, t)
            .and_then(|t| t.get_column("note"))
            .map(|c| c.inherited)
    };
    // The child gets it from its parent; the grandchild had its own, which stays its own.
    assert_eq!((note("p1"), note("p1a")), (Some(true), Some(false)));
    round_trip(&md, &add, true);
}
