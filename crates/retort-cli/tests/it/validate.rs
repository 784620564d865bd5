//! Every command that loads the model validates it first (`MetaData::validate()`) and
//! refuses, exit code 2, naming each problem, before it connects or writes anything: a
//! foreign key to a missing table or column, a key of another type than the one it refers
//! to, `back_populates` naming a field the other model lacks, and a relationship to a
//! model `metadata()` does not register (which would otherwise make autogenerate propose
//! dropping that model's table).

use retort_cli::Environment;
use retort_core::schema::{
    Cascade, Column, ForeignKey, Relationship, RelationshipKind, Table, Type,
};
use retort_core::MetaData;
use retort_migrate::Script;

use crate::support::run;

/// Offline commands never connect: an unreachable URL proves nothing was reached.
const NOWHERE: &str = "postgres://nobody@127.0.0.1:1/none";

fn rel(field: &str, kind: RelationshipKind, model: &str, table: &str, back: &str) -> Relationship {
    Relationship {
        field: field.into(),
        kind,
        target_model: model.into(),
        target_table: table.into(),
        back_populates: Some(back.into()),
        cascade: Cascade::default(),
        passive_deletes: false,
        foreign_keys: Vec::new(),
    }
}

/// Customer <- Order, with every problem item 13 of issue 11 lists.
fn broken_model() -> MetaData {
    MetaData::new()
        .table(
            Table::new("customers")
                .model("Customer")
                .column(Column::new("customer_id", Type::Integer).not_null())
                .primary_key(["customer_id"])
                .relationship(rel(
                    "orders",
                    RelationshipKind::OneToMany,
                    "Order",
                    "orders",
                    "customer",
                ))
                // `Comment` is not registered with `.with::<Comment>()`.
                .relationship(rel(
                    "comments",
                    RelationshipKind::OneToMany,
                    "Comment",
                    "comments",
                    "customer",
                )),
        )
        .table(
            Table::new("orders")
                .model("Order")
                .column(Column::new("order_id", Type::Integer).not_null())
                // An i64 referring to an i32 key.
                .column(Column::new("customer_id", Type::BigInt).not_null())
                .column(Column::new("warehouse_id", Type::Integer))
                .column(Column::new("coupon_code", Type::Text))
                .primary_key(["order_id"])
                .foreign_key(ForeignKey::new(
                    ["customer_id"],
                    "customers",
                    ["customer_id"],
                ))
                .foreign_key(ForeignKey::new(["warehouse_id"], "warehouses", ["id"]))
                .foreign_key(ForeignKey::new(["coupon_code"], "customers", ["code"]))
                // Customer's field is `orders`, not `buyer`.
                .relationship(rel(
                    "customer",
                    RelationshipKind::ManyToOne,
                    "Customer",
                    "customers",
                    "buyer",
                )),
        )
}

fn project() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("retort.toml");
    std::fs::write(
        &config,
        "script_location = \".\"\npost_write_hook = \"none\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("versions")).unwrap();
    (dir, config.display().to_string())
}

#[test]
fn commands_that_load_the_model_refuse_an_invalid_one_with_exit_code_2() {
    let env = Environment::new(broken_model(), Vec::<Script>::new());
    let commands: [&[&str]; 3] = [
        &["revision", "--autogenerate", "-m", "anything", "--offline"],
        &["check", "--offline"],
        &["revision", "--autogenerate", "-m", "anything"],
    ];
    for args in commands {
        let (dir, config) = project();
        let mut full = vec!["-c", config.as_str(), "--url", NOWHERE];
        full.extend_from_slice(args);
        let out = run(&env, &full, &[]);
        let text = out.render();
        assert_eq!(out.code, 2, "{args:?}:\n{text}");
        for needle in [
            "invalid model",
            // The foreign key to a missing table, and to a missing column.
            "Order.warehouse_id",
            "warehouses",
            "Order.coupon_code",
            "no column `code`",
            // The key type mismatch, both types named.
            "Order.customer_id",
            "BigInt",
            "Integer",
            // back_populates naming a missing field, with the one that exists.
            "back_populates = \"buyer\"",
            // The relationship to an unregistered model, with the fix.
            "Customer.comments",
            ".with::<Comment>()",
        ] {
            assert!(
                out.stderr.contains(needle),
                "{args:?}: no {needle:?} in\n{text}"
            );
        }
        // Refused before connecting (no "cannot connect"), and nothing written.
        assert!(!out.stderr.contains("cannot connect"), "{args:?}:\n{text}");
        assert_eq!(
            std::fs::read_dir(dir.path().join("versions"))
                .unwrap()
                .count(),
            0,
            "{args:?}:\n{text}"
        );
    }
}

#[test]
fn a_valid_model_is_not_refused() {
    let mut md = broken_model();
    md = MetaData::new()
        .table(
            Table::new("customers")
                .model("Customer")
                .column(Column::new("customer_id", Type::Integer).not_null())
                .primary_key(["customer_id"])
                .relationship(rel(
                    "orders",
                    RelationshipKind::OneToMany,
                    "Order",
                    "orders",
                    "customer",
                )),
        )
        .table({
            let mut orders = md.get_table(None, "orders").unwrap().clone();
            orders
                .columns
                .retain(|c| c.name == "order_id" || c.name == "customer_id");
            orders.columns[1].ty = Type::Integer;
            orders.foreign_keys.truncate(1);
            orders.relationships[0].back_populates = Some("orders".into());
            orders
        });
    let env = Environment::new(md, Vec::<Script>::new());
    let (dir, config) = project();
    let out = run(
        &env,
        &[
            "-c",
            &config,
            "--url",
            NOWHERE,
            "revision",
            "--autogenerate",
            "-m",
            "first",
            "--offline",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(
        std::fs::read_dir(dir.path().join("versions"))
            .unwrap()
            .count(),
        1
    );
}
