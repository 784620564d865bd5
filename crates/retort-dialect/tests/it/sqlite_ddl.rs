//! SQLite's DDL without a database: snapshots of every type, default, identity, constraint
//! and index kind, the seed model and a foreign-key cycle, every op kind as SQLite renders
//! it (native ALTER, no SQL, or a rebuild), and the errors for what SQLite cannot do.

use retort_core::ops::{ConstraintKind, Op, Operations};
use retort_core::{
    Column, Computed, Deferrable, EnumRef, EnumType, FkAction, ForeignKey, Identity, Index,
    IndexElement, Literal, MetaData, NullsOrder, ServerDefault, Table, Type,
};
use retort_dialect::sqlite::default_expr;
use retort_dialect::{Dialect, DialectError, Sqlite, TableName};

use crate::models;

fn script(stmts: &[String]) -> String {
    stmts.iter().map(|s| format!("{s};\n")).collect()
}

fn create_and_drop(md: &MetaData) -> String {
    let show = |r: Result<Vec<String>, DialectError>| match r {
        Ok(s) => script(&s),
        Err(e) => format!("-- error: {e}\n"),
    };
    format!(
        "---- create_all\n{}\n---- drop_all\n{}",
        show(Sqlite.create_all(md)),
        show(Sqlite.drop_all(md))
    )
}

/// Every type SQLite stores, one column each, and an enum.
pub fn every_type() -> MetaData {
    let types = [
        ("c_smallint", Type::SmallInt),
        ("c_integer", Type::Integer),
        ("c_bigint", Type::BigInt),
        ("c_real", Type::Real),
        ("c_double", Type::Double),
        (
            "c_numeric",
            Type::Numeric {
                precision: None,
                scale: None,
            },
        ),
        ("c_numeric_ps", Type::numeric(10, 2)),
        ("c_boolean", Type::Boolean),
        ("c_varchar", Type::Varchar(None)),
        ("c_varchar_n", Type::Varchar(Some(50))),
        ("c_text", Type::Text),
        ("c_char_n", Type::Char(Some(3))),
        ("c_date", Type::Date),
        ("c_time", Type::Time { tz: false }),
        ("c_timetz", Type::Time { tz: true }),
        ("c_timestamp", Type::Timestamp { tz: false }),
        ("c_timestamptz", Type::Timestamp { tz: true }),
        ("c_uuid", Type::Uuid),
        ("c_json", Type::Json),
        ("c_binary", Type::Binary),
        ("c_mood", Type::enumeration("mood")),
        ("c_custom", Type::custom("DATETIME")),
    ];
    let mut t = Table::new("every_type").column(Column::new("id", Type::BigInt).not_null());
    for (name, ty) in types {
        t = t.column(Column::new(name, ty));
    }
    MetaData::new()
        .enum_type(EnumType::new("mood", ["happy", "it's complicated"]))
        .table(t.primary_key(["id"]))
}

/// Defaults of every kind, the rowid identity (named and not), computed columns.
pub fn columns() -> MetaData {
    let mut named_pk = Table::new("named_pk")
        .column(Column::new("id", Type::BigInt).identity(Identity::by_default()))
        .column(Column::new("v", Type::Text));
    named_pk.primary_key = Some(retort_core::PrimaryKey {
        with: Vec::new(),
        conv: false,
        name: Some("named_pk_pkey".into()),
        columns: vec!["id".into()],
    });
    MetaData::new()
        .table(
            Table::new("defaults")
                .column(Column::new("id", Type::Integer).identity(Identity::always()))
                .column(
                    Column::new("created_at", Type::Timestamp { tz: true })
                        .server_default(ServerDefault::expr("now()"))
                        .not_null(),
                )
                .column(
                    Column::new("updated_at", Type::Timestamp { tz: false })
                        .server_default(ServerDefault::expr("CURRENT_TIMESTAMP")),
                )
                .column(
                    Column::new("day", Type::Date)
                        .server_default(ServerDefault::expr("CURRENT_DATE")),
                )
                .column(
                    Column::new("label", Type::Text)
                        .server_default(ServerDefault::text(r"it's a \n 'quote' – café ✓")),
                )
                .column(Column::new("qty", Type::Integer).server_default(ServerDefault::int(-7)))
                .column(
                    Column::new("active", Type::Boolean).server_default(ServerDefault::bool(true)),
                )
                .column(
                    Column::new("price", Type::numeric(10, 2))
                        .server_default(ServerDefault::Literal(Literal::Number("9.99".into()))),
                )
                .column(
                    Column::new("note", Type::Text)
                        .server_default(ServerDefault::Literal(Literal::Null)),
                )
                .column(
                    Column::new("code", Type::Text)
                        .server_default(ServerDefault::expr("lower(hex(randomblob(4)))")),
                )
                .primary_key(["id"]),
        )
        .table(named_pk)
        .table(
            Table::new("computed")
                .column(Column::new("w", Type::Integer).not_null())
                .column(Column::new("h", Type::Integer).not_null())
                .column(Column::new("area", Type::Integer).computed(Computed::stored("w * h")))
                .column(Column::new("half", Type::Real).computed(Computed {
                    expr: "w / 2.0".into(),
                    stored: false,
                })),
        )
}

/// Every constraint kind SQLite has, named and unnamed, every index kind it has, comments.
pub fn constraints_and_indexes() -> MetaData {
    MetaData::new()
        .table(
            Table::new("accounts")
                .comment("comments are left out")
                .column(Column::new("id", Type::Integer).identity(Identity::always()))
                .column(
                    Column::new("email", Type::Text)
                        .not_null()
                        .comment("dropped too"),
                )
                .column(Column::new("age", Type::Integer))
                .column(Column::new("deleted", Type::Boolean))
                .primary_key(["id"])
                .unique(["email"])
                .check(None, "age >= 0")
                .check(Some("accounts_age_sane"), "age < 200")
                .index(Index::on_columns(["age"]).name("ix_plain"))
                .index(
                    Index::on_columns(["email", "age"])
                        .name("ix_unique_two")
                        .unique(),
                )
                .index(Index {
                    elements: vec![IndexElement::expr("lower(email)")],
                    ..Index::on_columns(Vec::<String>::new()).name("ix_expression")
                })
                .index(Index {
                    elements: vec![IndexElement::column("age").desc()],
                    ..Index::on_columns(Vec::<String>::new()).name("ix_desc")
                })
                .index(
                    Index::on_columns(["email"])
                        .name("ix_partial")
                        .predicate("NOT deleted"),
                ),
        )
        .table({
            let mut t = Table::new("memberships")
                .column(Column::new("account_id", Type::Integer).not_null())
                .column(Column::new("tenant", Type::Integer).not_null())
                .column(Column::new("parent_account", Type::Integer))
                .foreign_key(
                    ForeignKey::new(["account_id"], "accounts", ["id"])
                        .name("memberships_account_fk")
                        .on_delete(FkAction::Cascade)
                        .on_update(FkAction::Restrict)
                        .deferrable(Deferrable::InitiallyDeferred),
                )
                .foreign_key(
                    ForeignKey::new(["parent_account"], "accounts", ["id"])
                        .on_delete(FkAction::SetNull),
                );
            t.primary_key = Some(retort_core::PrimaryKey {
                with: Vec::new(),
                conv: false,
                name: Some("memberships_pk".into()),
                columns: vec!["account_id".into(), "tenant".into()],
            });
            t
        })
}

#[test]
fn seed_model() {
    insta::assert_snapshot!(create_and_drop(&models::seed()));
}

#[test]
fn every_type_and_enum() {
    insta::assert_snapshot!(create_and_drop(&every_type()));
}

#[test]
fn defaults_identity_and_computed_columns() {
    insta::assert_snapshot!(create_and_drop(&columns()));
}

#[test]
fn constraints_indexes_and_comments() {
    insta::assert_snapshot!(create_and_drop(&constraints_and_indexes()));
}

#[test]
fn foreign_key_cycle_stays_inside_create_table() {
    let sql = Sqlite.create_all(&models::cycle()).unwrap();
    assert!(sql.iter().all(|s| !s.starts_with("ALTER")), "{sql:#?}");
    insta::assert_snapshot!(create_and_drop(&models::cycle()));
}

#[test]
fn now_spellings_become_current_timestamp() {
    for now in [
        "now()",
        "NOW( )",
        "current_timestamp",
        "CURRENT_TIMESTAMP",
        "transaction_timestamp()",
    ] {
        assert_eq!(default_expr(now), "CURRENT_TIMESTAMP", "{now}");
    }
    assert_eq!(default_expr(" CURRENT_DATE "), "CURRENT_DATE");
    assert_eq!(default_expr("now() + 1"), "now() + 1");
}

#[test]
fn keywords_are_quoted_and_plain_names_are_not() {
    assert_eq!(Sqlite.quote_identifier("customers").unwrap(), "customers");
    for kw in ["order", "pragma", "autoincrement", "glob", "vacuum"] {
        assert_eq!(Sqlite.quote_identifier(kw).unwrap(), format!("\"{kw}\""));
    }
    assert_eq!(Sqlite.quote_identifier("Mixed").unwrap(), "\"Mixed\"");
    assert_eq!(Sqlite.quote_identifier(r#"a"b"#).unwrap(), r#""a""b""#);
    assert!(Sqlite.quote_identifier("a\0b").is_err());
}

/// What SQLite cannot do is an error naming the object and a way out, never a panic.
#[test]
fn unsupported_things_are_errors_with_hints() {
    let mut lines = Vec::new();
    let mut show = |what: &str, r: Result<String, DialectError>| {
        lines.push(match r {
            Ok(sql) => format!("{what}: unexpectedly rendered {sql}"),
            Err(e) => format!("{what}: {e}"),
        });
    };
    for ty in [Type::Interval, Type::Jsonb, Type::array(Type::Integer)] {
        show(&format!("type {ty}"), Sqlite.column_type(&ty));
    }
    show(
        "enum without metadata",
        Sqlite.column_type(&Type::Enum(EnumRef::new("mood"))),
    );
    let t = TableName::new(None, "t");
    show(
        "identity not a primary key",
        Sqlite.create_table(
            &Table::new("t")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("n", Type::Integer).identity(Identity::always()))
                .primary_key(["id"]),
        ),
    );
    show(
        "identity with a maxvalue and cycle",
        Sqlite.create_table(
            &Table::new("t")
                .column(
                    Column::new("id", Type::Integer)
                        .identity(Identity::always().maxvalue(1000).cycle()),
                )
                .primary_key(["id"]),
        ),
    );
    show(
        "identity with a start",
        Sqlite.create_table(
            &Table::new("t")
                .column(Column::new("id", Type::Integer).identity(Identity::always().start(100)))
                .primary_key(["id"]),
        ),
    );
    show(
        "table without columns",
        Sqlite.create_table(&Table::new("t")),
    );
    show(
        "cross-schema foreign key",
        Sqlite.foreign_key_clause(Some("a"), &{
            let mut fk = ForeignKey::new(["x"], "p", ["id"]);
            fk.ref_schema = Some("b".into());
            fk
        }),
    );
    show(
        "index method",
        Sqlite.create_index(t, &Index::on_columns(["x"]).name("ix").method("gin")),
    );
    show(
        "index include",
        Sqlite.create_index(t, &Index::on_columns(["x"]).name("ix").include(["y"])),
    );
    let mut nulls = IndexElement::column("x");
    nulls.nulls = Some(NullsOrder::First);
    show(
        "index nulls order",
        Sqlite.create_index(
            t,
            &Index {
                elements: vec![nulls],
                ..Index::on_columns(Vec::<String>::new()).name("ix")
            },
        ),
    );
    show(
        "unnamed index",
        Sqlite.create_index(t, &Index::on_columns(["x"])),
    );
    show("create schema", Sqlite.create_schema("app"));
    show("comment", Sqlite.comment_on_table(t, Some("c")));
    show(
        "add foreign key directly",
        Sqlite.add_foreign_key(t, &ForeignKey::new(["x"], "p", ["id"])),
    );
    show("drop constraint directly", Sqlite.drop_constraint(t, "c"));
    insta::assert_snapshot!(lines.join("\n"));
}

/// A small schema for the op snapshots: a parent with an AUTOINCREMENT key and a child
/// that refers to it, an index, and an enum column.
pub fn shop() -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("status", ["new", "paid"]))
        .table(
            Table::new("customers")
                .column(Column::new("id", Type::Integer).identity(Identity::always()))
                .column(Column::new("name", Type::Varchar(Some(50))).not_null())
                .column(Column::new("email", Type::Text))
                .column(Column::new("note", Type::Text))
                .primary_key(["id"])
                .index(Index::on_columns(["email"]).name("ix_customers_email")),
        )
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).identity(Identity::always()))
                .column(Column::new("customer_id", Type::Integer).not_null())
                .column(Column::new("status", Type::enumeration("status")).not_null())
                .column(Column::new("total", Type::Double))
                .primary_key(["id"])
                .foreign_key(
                    ForeignKey::new(["customer_id"], "customers", ["id"])
                        .name("orders_customer_fk")
                        .on_delete(FkAction::Cascade),
                ),
        )
}

/// Every op kind, each rendered alone against the schema the ones before it leave.
pub fn every_op() -> Vec<Op> {
    let mut op = Operations::new();
    op.add_column("customers", Column::new("age", Type::Integer));
    op.add_column(
        "customers",
        Column::new("level", Type::Integer)
            .not_null()
            .server_default(ServerDefault::int(1)),
    );
    op.add_column(
        "customers",
        Column::new("joined", Type::Timestamp { tz: true })
            .server_default(ServerDefault::expr("now()")),
    );
    op.alter_column("customers", "note")
        .new_column_name("remark");
    op.alter_column("customers", "remark")
        .comment("only a comment");
    op.alter_column("customers", "name").type_(Type::Text);
    op.alter_column("orders", "total").nullable(false);
    op.alter_column("orders", "total")
        .server_default(ServerDefault::Literal(Literal::Number("0".into())));
    op.drop_column("customers", "age");
    op.drop_column("customers", "email");
    op.create_index("ix_orders_total", "orders", ["total"])
        .concurrently();
    op.drop_index("ix_orders_total", "orders");
    op.create_unique_constraint("uq_customers_name", "customers", ["name"]);
    op.create_check_constraint("ck_orders_total", "orders", "total >= 0");
    op.drop_constraint("ck_orders_total", "orders", ConstraintKind::Check);
    op.drop_constraint("orders_customer_fk", "orders", ConstraintKind::ForeignKey);
    op.create_foreign_key(
        "orders_customer_fk",
        "orders",
        "customers",
        ["customer_id"],
        ["id"],
    );
    op.add_enum_value("status", "refunded");
    op.create_table_comment("customers", "people");
    op.rename_table("orders", "purchases");
    op.execute("UPDATE customers SET level = 2;");
    op.into_ops()
}

#[test]
fn every_op_kind_alone() {
    let mut md = shop();
    let mut out = String::new();
    for op in every_op() {
        out.push_str(&format!("-- {}\n", op.describe()));
        match Sqlite.render_op(&op, &md) {
            Ok(stmts) if stmts.is_empty() => out.push_str("-- (no SQL)\n"),
            Ok(stmts) => out.push_str(&script(&stmts)),
            Err(e) => out.push_str(&format!("-- error: {e}\n")),
        }
        op.apply(&mut md).unwrap();
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

#[test]
fn consecutive_ops_on_one_table_share_one_rebuild() {
    let mut op = Operations::new();
    op.alter_column("customers", "name").type_(Type::Text);
    op.alter_column("customers", "email")
        .nullable(false)
        .new_column_name("mail");
    op.create_check_constraint("ck_name", "customers", "name <> ''");
    op.add_column("customers", Column::new("age", Type::Integer));
    op.alter_column("orders", "total").nullable(false);
    op.create_check_constraint("ck_total", "orders", "total >= 0");
    let ops = op.into_ops();
    let stmts = Sqlite.render_ops(&ops, &shop()).unwrap();
    let creates: Vec<&String> = stmts
        .iter()
        .filter(|s| s.starts_with("CREATE TABLE"))
        .collect();
    // customers: three ops, one rebuild; the native ADD COLUMN; orders: two ops, one rebuild.
    assert_eq!(creates.len(), 2, "{stmts:#?}");
    assert!(
        stmts.iter().any(|s| s.contains("ADD COLUMN age")),
        "{stmts:#?}"
    );
    assert!(
        stmts
            .iter()
            .any(|s| s.contains(r#"("id", "name", "mail", "note")"#)
                || s.contains("(id, name, mail, note) SELECT id, name, email, note")),
        "the renamed column is copied from its old name: {stmts:#?}"
    );
    assert!(Sqlite.needs_foreign_keys_off(&ops, &shop()).unwrap());
    insta::assert_snapshot!(script(&stmts));
}

/// Any rebuild turns keys off, not only of a table the history knows to be referenced: a
/// key added by raw SQL is not in the history, and with keys on the copy of a table that
/// already holds orphan rows would fail on rows the rebuild did not break.
#[test]
fn every_rebuild_needs_foreign_keys_off() {
    let mut native = Operations::new();
    native.add_column("customers", Column::new("age", Type::Integer));
    assert!(!Sqlite
        .needs_foreign_keys_off(&native.into_ops(), &shop())
        .unwrap());
    let mut leaf = Operations::new();
    leaf.alter_column("orders", "total").nullable(false);
    assert!(Sqlite
        .needs_foreign_keys_off(&leaf.into_ops(), &shop())
        .unwrap());
    let mut parent = Operations::new();
    parent.alter_column("customers", "email").nullable(false);
    let parent = parent.into_ops();
    assert!(Sqlite.needs_foreign_keys_off(&parent, &shop()).unwrap());
    let sql = Sqlite.render_ops(&parent, &shop()).unwrap();
    assert!(sql[1].contains("pragma_foreign_keys"), "{sql:#?}");
}

#[test]
fn an_op_that_does_not_fit_the_schema_is_a_replay_error() {
    let mut op = Operations::new();
    op.alter_column("nowhere", "x").nullable(false);
    let err = Sqlite.render_ops(&op.into_ops(), &shop()).unwrap_err();
    assert!(
        matches!(err, DialectError::Replay { index: 1, .. }),
        "{err}"
    );
}
