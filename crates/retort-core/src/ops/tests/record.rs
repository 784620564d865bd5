use crate::ops::{
    AlterColumn, Constraint, ConstraintKind, EnumValuePosition, Op, Operations, Unnamed,
};
use crate::{
    Column, Computed, FkAction, Identity, IndexElement, Literal, PrimaryKey, ServerDefault, Table,
    Type,
};

/// The recorder example of DESIGN.md, as a revision script would write it.
fn design_example(op: &mut Operations) {
    op.create_table("customers", |t| {
        t.column("customer_id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("first_name", Type::Varchar(None)).not_null();
        t.primary_key(["customer_id"]);
    });
    op.add_column("orders", Column::new("note", Type::Text));
    op.alter_column("orders", "note")
        .nullable(false)
        .existing_type(Type::Text);
    op.create_index("ix_orders_customer_id", "orders", ["customer_id"])
        .unique();
    op.create_foreign_key(
        "fk_x",
        "orders",
        "customers",
        ["customer_id"],
        ["customer_id"],
    )
    .on_delete(FkAction::Cascade);
    op.drop_table("orders");
    op.execute("UPDATE orders SET note = ''");
    op.bulk_insert("t", ["a", "b"], vec![vec![Literal::Int(1), Literal::Null]]);
}

#[test]
fn recording_executes_nothing_and_keeps_order() {
    let mut op = Operations::new();
    design_example(&mut op);
    let kinds: Vec<String> = op.ops().iter().map(Op::describe).collect();
    assert_eq!(
        kinds,
        [
            "create table customers",
            "add column orders.note",
            "alter column orders.note (nullable)",
            "create unique index ix_orders_customer_id on orders (customer_id)",
            "create foreign key fk_x on orders (customer_id) -> customers (customer_id)",
            "drop table orders",
            "execute SQL: UPDATE orders SET note = ''",
            "insert 1 row into t",
        ]
    );
    assert_eq!(op.len(), 8);
    assert_eq!(op.into_ops().len(), 8);
}

#[test]
fn create_table_builder_fills_the_table() {
    let mut op = Operations::new();
    op.create_table("customers", |t| {
        t.column("customer_id", Type::Integer)
            .identity(Identity::always());
        t.column("email", Type::Text).not_null().comment("login");
        t.primary_key(["customer_id"]);
    });
    let expected = Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).identity(Identity::always()))
        .column(Column::new("email", Type::Text).not_null().comment("login"))
        .primary_key(["customer_id"]);
    assert_eq!(op.ops(), [Op::CreateTable { table: expected }]);
}

#[test]
fn create_table_builder_constraints_and_indexes() {
    let mut op = Operations::new();
    op.create_table("orders", |t| {
        t.column("id", Type::BigInt).primary_key();
        t.column("customer_id", Type::Integer)
            .not_null()
            .references("customers", "customer_id");
        t.column("code", Type::Text)
            .server_default(ServerDefault::text("x"));
        t.column("total", Type::Integer)
            .computed(Computed::stored("id * 2"));
        t.foreign_key(["code"], "codes", ["code"])
            .name("fk_code")
            .on_delete(FkAction::SetNull)
            .ref_schema("ref");
        t.unique(["code"]).name("uq_code");
        t.check("total > 0").name("ck_total");
        t.index("ix_code", ["code"])
            .unique()
            .predicate("code <> ''");
        t.comment("all orders");
    })
    .schema("sales");
    let Op::CreateTable { table } = &op.ops()[0] else {
        panic!("expected create_table, got {:?}", op.ops()[0]);
    };
    assert_eq!(table.schema.as_deref(), Some("sales"));
    assert_eq!(
        table.primary_key,
        Some(PrimaryKey {
            conv: false,
            name: None,
            columns: vec!["id".into()],
            with: Vec::new(),
        })
    );
    assert!(
        !table.columns[0].nullable,
        "a primary key column is NOT NULL"
    );
    assert_eq!(table.foreign_keys.len(), 2);
    assert_eq!(table.foreign_keys[0].ref_table, "customers");
    assert_eq!(table.foreign_keys[1].name.as_deref(), Some("fk_code"));
    assert_eq!(table.foreign_keys[1].on_delete, Some(FkAction::SetNull));
    assert_eq!(table.foreign_keys[1].ref_schema.as_deref(), Some("ref"));
    assert_eq!(table.uniques[0].name.as_deref(), Some("uq_code"));
    assert_eq!(table.checks[0].name.as_deref(), Some("ck_total"));
    assert!(table.indexes[0].unique);
    assert_eq!(table.indexes[0].predicate.as_deref(), Some("code <> ''"));
    assert_eq!(table.comment.as_deref(), Some("all orders"));
    assert_eq!(table.columns[3].computed, Some(Computed::stored("id * 2")));
}

#[test]
fn handles_edit_the_op_they_returned_not_the_last_one() {
    let mut op = Operations::new();
    op.create_index("ix_a", "t", ["a"]);
    op.create_index("ix_b", "t", ["b"]).unique().concurrently();
    let ops = op.ops();
    let flags: Vec<(bool, bool)> = ops
        .iter()
        .map(|o| match o {
            Op::CreateIndex {
                index,
                concurrently,
                ..
            } => (index.unique, *concurrently),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(flags, [(false, false), (true, true)]);
}

#[test]
fn alter_column_records_changes_and_old_values() {
    let mut op = Operations::new();
    op.alter_column("orders", "note")
        .nullable(false)
        .existing_nullable(true)
        .type_(Type::Varchar(Some(200)))
        .using("note::varchar(200)")
        .existing_type(Type::Text)
        .drop_server_default()
        .existing_server_default(ServerDefault::text(""))
        .new_column_name("remark")
        .comment("free text")
        .existing_no_comment()
        .identity(Identity::by_default())
        .existing_no_identity()
        .drop_computed()
        .existing_computed(Computed::stored("1"));
    let mut expected = AlterColumn::new("orders", "note");
    expected.nullable = Some(false);
    expected.existing_nullable = Some(true);
    expected.type_ = Some(Type::Varchar(Some(200)));
    expected.using = Some("note::varchar(200)".into());
    expected.existing_type = Some(Type::Text);
    expected.server_default = Some(None);
    expected.existing_server_default = Some(Some(ServerDefault::text("")));
    expected.new_name = Some("remark".into());
    expected.comment = Some(Some("free text".into()));
    expected.existing_comment = Some(None);
    expected.identity = Some(Some(Identity::by_default()));
    expected.existing_identity = Some(None);
    expected.computed = Some(None);
    expected.existing_computed = Some(Some(Computed::stored("1")));
    assert_eq!(op.ops(), [Op::AlterColumn(expected)]);
}

#[test]
fn with_schema_qualifies_ops_inside_only() {
    let mut op = Operations::new();
    op.with_schema("billing", |op| {
        op.create_table("invoices", |t| {
            t.column("id", Type::Integer);
        });
        op.add_column("invoices", Column::new("x", Type::Text));
        op.create_enum("state", ["open"]);
        op.alter_column("invoices", "x").nullable(false);
        // an explicit schema wins over the scope's
        op.drop_table("old").schema("archive");
    });
    op.drop_table("outside");
    let schemas: Vec<Option<&str>> = op
        .ops()
        .iter()
        .map(|o| match o {
            Op::CreateTable { table } => table.schema.as_deref(),
            Op::AddColumn { schema, .. } | Op::DropTable { schema, .. } => schema.as_deref(),
            Op::CreateEnum { enum_type } => enum_type.schema.as_deref(),
            Op::AlterColumn(a) => a.schema.as_deref(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        schemas,
        [
            Some("billing"),
            Some("billing"),
            Some("billing"),
            Some("billing"),
            Some("archive"),
            None
        ]
    );
}

#[test]
fn schema_method_qualifies_each_kind_of_handle() {
    let mut op = Operations::new();
    op.rename_table("a", "b").schema("s");
    op.create_unique_constraint("uq", "t", ["a"]).schema("s");
    op.create_check_constraint("ck", "t", "a > 0").schema("s");
    op.create_primary_key("pk", "t", ["a"]).schema("s");
    op.drop_constraint("pk", "t", ConstraintKind::PrimaryKey)
        .schema("s");
    op.create_table_comment("t", "c").schema("s");
    op.drop_enum("e").schema("s");
    op.add_enum_value("e", "v").schema("s");
    op.bulk_insert("t", ["a"], vec![]).schema("s");
    for o in op.ops() {
        assert!(o.call().ends_with(".schema(\"s\")"), "{}", o.call());
        assert!(o.describe().contains("s."), "{}", o.describe());
    }
}

#[test]
fn drop_handles_record_existing_definitions() {
    let mut op = Operations::new();
    let table = Table::new("t").column(Column::new("a", Type::Integer));
    op.drop_table("t").existing(table.clone());
    op.drop_column("t", "a")
        .existing(Column::new("a", Type::Integer));
    op.drop_index("ix", "t")
        .existing(crate::Index::on_columns(["a"]).name("ix"))
        .concurrently();
    op.drop_constraint("uq", "t", ConstraintKind::Unique)
        .existing(Constraint::Unique(crate::Unique {
            name: Some("uq".into()),
            columns: vec!["a".into()],
            ..Default::default()
        }));
    op.drop_enum("e").existing(["x", "y"]);
    op.drop_table_comment("t").existing_comment("old");
    op.execute("DELETE FROM t").reverse_sql("INSERT ...");
    op.execute("VACUUM t")
        .outside_transaction()
        .reverse_sql("VACUUM t");
    for o in op.ops() {
        assert!(o.reverse().is_ok(), "{} should be reversible", o.call());
    }
    assert!(matches!(
        &op.ops()[0],
        Op::DropTable { existing: Some(t), .. } if *t == table
    ));
    assert!(matches!(
        &op.ops()[2],
        Op::DropIndex {
            concurrently: true,
            ..
        }
    ));
    assert!(matches!(
        &op.ops()[4],
        Op::DropEnum { existing: Some(e), .. } if e.values == ["x", "y"]
    ));
    assert!(matches!(
        &op.ops()[6],
        Op::Execute {
            outside_transaction: false,
            ..
        }
    ));
    assert_eq!(
        op.ops()[7],
        Op::Execute {
            sql: "VACUUM t".into(),
            reverse_sql: Some("VACUUM t".into()),
            outside_transaction: true,
        },
        "the modifiers edit the op just recorded, in any order"
    );
}

#[test]
fn create_index_handle_options() {
    let mut op = Operations::new();
    op.create_index(Unnamed, "t", ["a"])
        .method("gin")
        .include(["b"])
        .elements(vec![IndexElement::expr("lower(a)")]);
    let Op::CreateIndex { index, .. } = &op.ops()[0] else {
        panic!("expected create_index");
    };
    assert_eq!(index.name, None);
    assert_eq!(index.method.as_deref(), Some("gin"));
    assert_eq!(index.include, ["b"]);
    assert_eq!(index.elements, [IndexElement::expr("lower(a)")]);
}

#[test]
fn enum_and_schema_and_comment_ops() {
    let mut op = Operations::new();
    op.create_schema("s");
    op.create_enum("mood", ["sad", "ok"]);
    op.add_enum_value("mood", "happy").after("ok");
    op.add_enum_value("mood", "meh").before("ok");
    op.create_table_comment("t", "new").existing_comment("old");
    op.drop_schema("s");
    assert!(matches!(
        &op.ops()[2],
        Op::AddEnumValue { position: Some(EnumValuePosition::After(v)), .. } if v == "ok"
    ));
    assert!(matches!(
        &op.ops()[3],
        Op::AddEnumValue { position: Some(EnumValuePosition::Before(v)), .. } if v == "ok"
    ));
    assert!(matches!(
        &op.ops()[4],
        Op::CreateTableComment { existing_comment: Some(c), .. } if c == "old"
    ));
    assert_eq!(op.ops()[5], Op::DropSchema { name: "s".into() });
}

#[test]
fn push_and_create_table_from_record_prebuilt_ops() {
    let mut op = Operations::new();
    let t = Table::new("t").column(Column::new("a", Type::Integer));
    op.create_table_from(t.clone()).comment("c");
    op.push(Op::CreateSchema { name: "x".into() });
    assert_eq!(
        op.ops()[0],
        Op::CreateTable {
            table: t.comment("c")
        }
    );
    assert_eq!(op.ops()[1], Op::CreateSchema { name: "x".into() });
}
