use crate::ops::{ConstraintKind, Op, Operations, Unnamed};
use crate::{Column, Literal, Type};

fn described(f: impl FnOnce(&mut Operations)) -> Vec<String> {
    let mut op = Operations::new();
    f(&mut op);
    op.ops().iter().map(Op::describe).collect()
}

#[test]
fn one_line_per_kind() {
    let lines = described(|op| {
        op.create_table("customers", |_| {});
        op.drop_table("orders").schema("shop");
        op.rename_table("a", "b");
        op.add_column("orders", Column::new("note", Type::Text));
        op.drop_column("orders", "note");
        op.alter_column("orders", "note")
            .nullable(false)
            .type_(Type::Text);
        op.alter_column("orders", "note");
        op.create_index("ix", "orders", ["a", "b"]);
        op.drop_index("ix", "orders");
        op.create_unique_constraint("uq", "t", ["a"]);
        op.create_check_constraint("ck", "t", "a > 0");
        op.create_primary_key(Unnamed, "t", ["a"]);
        op.drop_constraint("fk", "t", ConstraintKind::ForeignKey);
        op.create_table_comment("t", "c");
        op.drop_table_comment("t");
        op.create_enum("mood", ["a"]);
        op.drop_enum("mood");
        op.add_enum_value("mood", "b");
        op.create_schema("s");
        op.drop_schema("s");
        op.bulk_insert(
            "t",
            ["a"],
            vec![vec![Literal::Int(1)], vec![Literal::Int(2)]],
        );
    });
    assert_eq!(
        lines,
        [
            "create table customers",
            "drop table shop.orders",
            "rename table a to b",
            "add column orders.note",
            "drop column orders.note",
            "alter column orders.note (nullable, type)",
            "alter column orders.note (no change)",
            "create index ix on orders (a, b)",
            "drop index ix on orders",
            "create unique constraint uq on t (a)",
            "create check constraint ck on t",
            "create primary key (unnamed) on t (a)",
            "drop foreign key fk on t",
            "set comment on table t",
            "drop comment on table t",
            "create enum type mood",
            "drop enum type mood",
            "add value 'b' to enum type mood",
            "create schema s",
            "drop schema s",
            "insert 2 rows into t",
        ]
    );
}

#[test]
fn long_or_multiline_sql_is_cut() {
    let long = "UPDATE orders SET note = 'a very long value indeed, longer than sixty characters'";
    let lines = described(|op| {
        op.execute(long);
        op.execute("UPDATE a SET x = 1;\nUPDATE b SET y = 2;");
    });
    assert_eq!(lines[0], format!("execute SQL: {}...", &long[..60]));
    assert_eq!(lines[1], "execute SQL: UPDATE a SET x = 1;...");
}

#[test]
fn sql_outside_a_transaction_says_so() {
    let lines = described(|op| {
        op.execute("VACUUM ANALYZE orders").outside_transaction();
    });
    assert_eq!(
        lines,
        ["execute SQL outside a transaction: VACUUM ANALYZE orders"]
    );
}

#[test]
fn display_is_the_description() {
    let op = Op::CreateSchema { name: "s".into() };
    assert_eq!(op.to_string(), op.describe());
}

#[test]
fn call_spells_the_recorder_call() {
    let mut op = Operations::new();
    op.drop_table("x");
    op.alter_column("orders", "note").schema("s");
    op.drop_constraint("fk", "t", ConstraintKind::ForeignKey);
    let calls: Vec<String> = op.ops().iter().map(Op::call).collect();
    assert_eq!(
        calls,
        [
            "drop_table(\"x\")",
            "alter_column(\"orders\", \"note\").schema(\"s\")",
            "drop_constraint(\"fk\", \"t\", ForeignKey)",
        ]
    );
}

#[test]
fn not_valid_constraints_say_so() {
    let lines = described(|op| {
        op.create_foreign_key("fk_a", "t", "u", ["u_id"], ["id"])
            .not_valid();
        op.create_check_constraint("ck_a", "t", "a > 0").not_valid();
        op.create_check_constraint("ck_b", "t", "b > 0");
    });
    assert_eq!(
        lines,
        [
            "create foreign key fk_a on t (u_id) -> u (id) NOT VALID",
            "create check constraint ck_a on t NOT VALID",
            "create check constraint ck_b on t",
        ]
    );
}
