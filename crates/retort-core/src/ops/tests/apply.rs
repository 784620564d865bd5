use super::{shop, table};
use crate::ops::{apply_all, ApplyError, ConstraintKind, Op, Operations, Unnamed};
use crate::{Column, Literal, MetaData, NamingConvention, Table, Type};

/// Records ops with `f` and applies them in order to a copy of `md`.
fn run(md: &MetaData, f: impl FnOnce(&mut Operations)) -> Result<MetaData, ApplyError> {
    let mut op = Operations::new();
    f(&mut op);
    let mut md = md.clone();
    apply_all(op.ops(), &mut md).map_err(|e| *e.error)?;
    Ok(md)
}

fn fails(md: &MetaData, f: impl FnOnce(&mut Operations)) -> ApplyError {
    let before = md.clone();
    let mut op = Operations::new();
    f(&mut op);
    let mut work = md.clone();
    let err = *apply_all(op.ops(), &mut work)
        .expect_err("the op should not fit")
        .error;
    // apply_all stops at the failing op; a single failing op leaves the schema as it was.
    if op.len() == 1 {
        assert_eq!(work, before, "a failed apply changes nothing");
    }
    err
}

#[test]
fn create_table_lands_in_the_default_schema_and_is_named_by_convention() {
    let md = MetaData::new()
        .with_schema("app")
        .naming_convention(NamingConvention::recommended());
    let md = run(&md, |op| {
        op.create_table("t", |t| {
            t.column("id", Type::Integer);
            t.primary_key(["id"]);
        });
    })
    .expect("create");
    let t = md
        .get_table(Some("app"), "t")
        .expect("in the default schema");
    assert_eq!(
        t.primary_key.as_ref().and_then(|p| p.name.as_deref()),
        Some("pk_t")
    );
}

/// Names in a revision are final (Alembic's `op.f()`): replaying `create_table` under a
/// convention with `%(constraint_name)s` does not template the name autogenerate built again.
#[test]
fn create_table_keeps_names_already_converted() {
    let md = MetaData::new().naming_convention(NamingConvention::recommended());
    let md = run(&md, |op| {
        op.create_table("products", |t| {
            t.column("price", Type::Integer);
            t.check("price > 0").name("ck_products_price_positive");
        });
    })
    .expect("create");
    let t = md.get_table(None, "products").expect("created");
    assert_eq!(
        t.checks[0].name.as_deref(),
        Some("ck_products_price_positive")
    );
}

#[test]
fn create_existing_table_fails() {
    let err = fails(&shop(), |op| {
        op.create_table("orders", |_| {});
    });
    assert!(matches!(&err, ApplyError::TableExists { table, .. } if table == "orders"));
    assert_eq!(
        err.to_string(),
        "create table orders: table `orders` already exists"
    );
}

#[test]
fn create_table_with_a_key_on_a_missing_column_fails() {
    let err = fails(&MetaData::new(), |op| {
        op.create_table("t", |t| {
            t.column("a", Type::Integer);
            t.index("ix_t_b", ["b"]);
        });
    });
    assert_eq!(
        err.to_string(),
        "create table t: table `t` has no column `b`"
    );
    let err = fails(&MetaData::new(), |op| {
        op.create_table("t", |t| {
            t.primary_key(["id"]);
        });
    });
    assert!(matches!(&err, ApplyError::UnknownColumn { column, .. } if column == "id"));
}

#[test]
fn drop_of_a_missing_table_names_it() {
    let err = fails(&shop(), |op| {
        op.drop_table("nope");
    });
    assert!(matches!(&err, ApplyError::UnknownTable { table, .. } if table == "nope"));
    assert!(
        err.to_string().contains("table `nope` does not exist"),
        "{err}"
    );
}

#[test]
fn drop_of_a_referenced_table_fails_until_the_fk_goes() {
    let err = fails(&shop(), |op| {
        op.drop_table("customers");
    });
    let msg = err.to_string();
    assert!(
        msg.contains("fk_orders_customer") && msg.contains("orders"),
        "{msg}"
    );
    let md = run(&shop(), |op| {
        op.drop_constraint("fk_orders_customer", "orders", ConstraintKind::ForeignKey);
        op.drop_table("customers");
    })
    .expect("dropping the fk first frees the table");
    assert!(md.get_table(None, "customers").is_none());
}

#[test]
fn rename_onto_an_existing_table_fails() {
    let err = fails(&shop(), |op| {
        op.rename_table("orders", "customers");
    });
    assert!(matches!(err, ApplyError::TableExists { .. }));
}

#[test]
fn add_existing_column_and_drop_missing_column_fail() {
    let err = fails(&shop(), |op| {
        op.add_column("orders", Column::new("note", Type::Text));
    });
    assert_eq!(
        err.to_string(),
        "add column orders.note: table `orders` already has a column `note`"
    );
    let err = fails(&shop(), |op| {
        op.drop_column("orders", "nope");
    });
    assert!(
        matches!(&err, ApplyError::UnknownColumn { table, column, .. } if table == "orders" && column == "nope")
    );
}

#[test]
fn drop_column_takes_its_own_index_and_fk_along() {
    let md = run(&shop(), |op| {
        op.drop_column("orders", "customer_id");
    })
    .expect("drop");
    let orders = table(&md, "orders");
    assert!(orders.get_column("customer_id").is_none());
    assert!(
        orders.foreign_keys.is_empty(),
        "the FK on the column goes with it"
    );
    assert!(
        orders.indexes.is_empty(),
        "the index on the column goes with it"
    );
    assert!(
        orders.primary_key.is_some(),
        "the primary key does not use it"
    );
}

#[test]
fn drop_of_a_column_another_table_refers_to_fails() {
    let err = fails(&shop(), |op| {
        op.drop_column("customers", "customer_id");
    });
    assert!(matches!(err, ApplyError::StillReferenced { .. }));
    assert!(
        err.to_string().contains("column `customers.customer_id`"),
        "{err}"
    );
}

/// One default spelled as each backend reads it back (a revision autogenerated on one runs on
/// the other: portable histories) fits; another default does not.
#[test]
fn a_recorded_old_default_fits_the_same_default_spelled_otherwise() {
    use crate::ServerDefault;
    let md = shop().table(
        Table::new("counters")
            .column(Column::new("hits", Type::Integer).server_default(ServerDefault::text("0")))
            .column(Column::new("on", Type::Boolean).server_default(ServerDefault::text("true")))
            .column(
                Column::new("at", Type::Timestamp { tz: true })
                    .server_default(ServerDefault::expr("CURRENT_TIMESTAMP")),
            ),
    );
    run(&md, |op| {
        op.alter_column("counters", "hits")
            .existing_server_default(ServerDefault::int(0))
            .drop_server_default();
        op.alter_column("counters", "on")
            .existing_server_default(ServerDefault::bool(true))
            .drop_server_default();
        op.alter_column("counters", "at")
            .existing_server_default(ServerDefault::expr("now()"))
            .drop_server_default();
        op.alter_column("orders", "order_date")
            .existing_server_default(ServerDefault::expr("(CURRENT_TIMESTAMP)"))
            .drop_server_default();
    })
    .expect("the same defaults fit");
    for (column, other) in [
        ("hits", ServerDefault::int(1)),
        ("hits", ServerDefault::text("1")),
        ("on", ServerDefault::bool(false)),
        ("at", ServerDefault::expr("now() + '1 day'")),
    ] {
        let err = fails(&md, |op| {
            op.alter_column("counters", column)
                .existing_server_default(other.clone())
                .drop_server_default();
        });
        assert!(
            matches!(err, ApplyError::ExistingMismatch { .. }),
            "{column} {other:?}: {err}"
        );
    }
}

#[test]
fn alter_checks_recorded_old_values() {
    let err = fails(&shop(), |op| {
        op.alter_column("orders", "note")
            .nullable(false)
            .existing_type(Type::Varchar(None));
    });
    let msg = err.to_string();
    assert!(matches!(err, ApplyError::ExistingMismatch { .. }));
    assert!(
        msg.contains("orders.note") && msg.contains("existing_type"),
        "{msg}"
    );
    let err = fails(&shop(), |op| {
        op.alter_column("orders", "note").existing_nullable(false);
    });
    assert!(err.to_string().contains("nullable"), "{err}");
}

#[test]
fn alter_applies_each_change() {
    let md = run(&shop(), |op| {
        op.alter_column("orders", "note")
            .nullable(false)
            .type_(Type::Varchar(Some(20)))
            .comment("c")
            .new_column_name("remark");
    })
    .expect("alter");
    let c = table(&md, "orders").get_column("remark").expect("renamed");
    assert!(!c.nullable);
    assert_eq!(c.ty, Type::Varchar(Some(20)));
    assert_eq!(c.comment.as_deref(), Some("c"));
    assert!(table(&md, "orders").get_column("note").is_none());
}

#[test]
fn alter_missing_column_or_rename_onto_existing_fails() {
    let err = fails(&shop(), |op| {
        op.alter_column("orders", "nope").nullable(true);
    });
    assert!(matches!(err, ApplyError::UnknownColumn { .. }));
    let err = fails(&shop(), |op| {
        op.alter_column("orders", "note").new_column_name("status");
    });
    assert!(matches!(&err, ApplyError::ColumnExists { column, .. } if column == "status"));
}

#[test]
fn index_names_are_unique_per_schema_and_columns_must_exist() {
    let err = fails(&shop(), |op| {
        op.create_index("ix_orders_customer_id", "customers", ["email"]);
    });
    assert!(matches!(&err, ApplyError::NameInUse { name, .. } if name == "ix_orders_customer_id"));
    let err = fails(&shop(), |op| {
        op.create_index("ix_x", "orders", ["nope"]);
    });
    assert!(matches!(err, ApplyError::UnknownColumn { .. }));
    let err = fails(&shop(), |op| {
        op.drop_index("ix_nope", "orders");
    });
    assert!(
        err.to_string().contains("no index named `ix_nope`"),
        "{err}"
    );
}

#[test]
fn unnamed_index_is_named_by_the_convention() {
    let md = run(&shop(), |op| {
        op.create_index(Unnamed, "orders", ["note"]);
    })
    .expect("create");
    assert!(table(&md, "orders")
        .indexes
        .iter()
        .any(|i| i.name.as_deref() == Some("ix_orders_note")));
}

#[test]
fn constraint_errors() {
    let err = fails(&shop(), |op| {
        op.create_primary_key("pk2", "orders", ["note"]);
    });
    assert!(matches!(err, ApplyError::PrimaryKeyExists { .. }));
    let err = fails(&shop(), |op| {
        op.create_unique_constraint("uq", "orders", ["nope"]);
    });
    assert!(matches!(err, ApplyError::UnknownColumn { .. }));
    let err = fails(&shop(), |op| {
        op.create_check_constraint("ck_orders_note", "orders", "true");
    });
    assert!(matches!(err, ApplyError::NameInUse { .. }));
    let err = fails(&shop(), |op| {
        op.create_foreign_key(
            "fk2",
            "orders",
            "customers",
            ["customer_id", "note"],
            ["customer_id"],
        );
    });
    assert!(matches!(
        err,
        ApplyError::ForeignKeyArity {
            columns: 2,
            ref_columns: 1,
            ..
        }
    ));
    let err = fails(&shop(), |op| {
        op.drop_constraint("nope", "orders", ConstraintKind::Check);
    });
    assert_eq!(
        err.to_string(),
        "drop check constraint nope on orders: table `orders` has no check constraint named `nope`"
    );
}

#[test]
fn table_comment_checks_a_recorded_old_comment() {
    let err = fails(&shop(), |op| {
        op.drop_table_comment("orders").existing_comment("old");
    });
    assert!(matches!(err, ApplyError::ExistingMismatch { .. }));
    let md = run(&shop(), |op| {
        op.create_table_comment("orders", "hello");
    })
    .expect("comment");
    assert_eq!(table(&md, "orders").comment.as_deref(), Some("hello"));
}

#[test]
fn enum_ops() {
    let md = run(&shop(), |op| {
        op.add_enum_value("order_status", "shipped");
        op.add_enum_value("order_status", "draft").before("new");
        op.add_enum_value("order_status", "refunded").after("paid");
    })
    .expect("values");
    let e = md.get_enum(None, "order_status").expect("enum");
    assert_eq!(e.values, ["draft", "new", "paid", "refunded", "shipped"]);
    let err = fails(&shop(), |op| {
        op.add_enum_value("order_status", "paid");
    });
    assert!(matches!(err, ApplyError::EnumValueExists { .. }));
    let err = fails(&shop(), |op| {
        op.add_enum_value("order_status", "x").after("nope");
    });
    assert!(matches!(err, ApplyError::UnknownEnumValue { .. }));
    let err = fails(&shop(), |op| {
        op.create_enum("order_status", ["a"]);
    });
    assert!(matches!(err, ApplyError::EnumExists { .. }));
    let err = fails(&shop(), |op| {
        op.drop_enum("order_status");
    });
    assert!(
        err.to_string()
            .contains("still used by column `orders.status`"),
        "{err}"
    );
    let err = fails(&shop(), |op| {
        op.drop_enum("nope");
    });
    assert!(matches!(err, ApplyError::UnknownEnum { .. }));
}

#[test]
fn drop_schema_that_still_holds_a_table_fails() {
    let md = MetaData::new().table(Table::new("t").schema("s"));
    let err = fails(&md, |op| op.drop_schema("s"));
    assert!(
        err.to_string().contains("schema `s` still holds table `t`"),
        "{err}"
    );
}

#[test]
fn bulk_insert_checks_columns_and_row_width() {
    let ok = vec![vec![Literal::Text("x".into())]];
    assert!(run(&shop(), |op| {
        op.bulk_insert("orders", ["note"], ok);
    })
    .is_ok());
    let err = fails(&shop(), |op| {
        op.bulk_insert("orders", ["nope"], vec![]);
    });
    assert!(matches!(err, ApplyError::UnknownColumn { .. }));
    let err = fails(&shop(), |op| {
        op.bulk_insert(
            "orders",
            ["note"],
            vec![vec![], vec![Literal::Null, Literal::Null]],
        );
    });
    assert!(matches!(
        err,
        ApplyError::RowWidth {
            row: 0,
            expected: 1,
            found: 0,
            ..
        }
    ));
}

#[test]
fn apply_all_reports_the_index_of_the_failing_op() {
    let ops = vec![
        Op::CreateSchema { name: "s".into() },
        Op::DropTable {
            schema: None,
            name: "nope".into(),
            existing: None,
            data_loss_ok: false,
        },
    ];
    let mut md = shop();
    let err = apply_all(&ops, &mut md).unwrap_err();
    assert_eq!(err.index, 1);
    assert_eq!(
        err.to_string(),
        "operation 2 of the list: drop table nope: table `nope` does not exist; check its name and schema, or the order of the operations"
    );
}

/// `apply_owned` (which moves a created table into the schema) builds what `apply` builds and
/// fails as it fails: a table named by the convention, a convention name shortened to the
/// limit, an op other than a creation, a table that exists, a key on a column it lacks.
#[test]
fn apply_owned_is_apply() {
    let mut base = MetaData::new()
        .naming_convention(NamingConvention::recommended())
        .table(Table::new("existing").column(Column::new("id", Type::Integer)));
    base.set_max_identifier_length(Some(30));
    let mut op = Operations::new();
    op.create_table("t", |t| {
        t.column("id", Type::Integer);
        t.primary_key(["id"]);
    });
    op.create_table("a_table_whose_name_is_rather_long_indeed", |t| {
        t.column("a_column_with_a_long_name_too", Type::Integer);
        t.unique(["a_column_with_a_long_name_too"]);
    });
    op.add_column("t", Column::new("note", Type::Text));
    op.create_table("existing", |t| {
        t.column("id", Type::Integer);
    });
    op.create_table("bad", |t| {
        t.column("id", Type::Integer);
        t.primary_key(["nope"]);
    });
    let (mut by_ref, mut by_value) = (base.clone(), base.clone());
    let mut failures = 0;
    for o in op.ops() {
        let a = o.apply(&mut by_ref);
        let b = o.clone().apply_owned(&mut by_value);
        assert_eq!(a.is_err(), b.is_err(), "{}", o.describe());
        if let (Err(a), Err(b)) = (a, b) {
            assert_eq!(a.to_string(), b.to_string());
            failures += 1;
        }
        assert_eq!(by_ref, by_value, "after {}", o.describe());
    }
    assert_eq!(failures, 2);
    assert!(by_value
        .get_table(None, "t")
        .is_some_and(|t| t.get_column("note").is_some()));
}
