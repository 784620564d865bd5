//! The check before an enum type is swapped: `enum_dependents_sql` on a real PostgreSQL,
//! and `unknown_dependents` naming exactly what the schema does not know (a view, a
//! function, an index and a check made by raw SQL), not what it does (the columns, their
//! default and generation expression, the partial index, the check, the key).

use retort_core::ops::{AlterColumn, Op};
use retort_core::{Check, Column, Computed, EnumType, Index, MetaData, ServerDefault, Table, Type};
use retort_dialect::postgres::{enum_changed_by, enum_dependents_sql, unknown_dependents};
use retort_dialect::{Dialect, Postgres};
use retort_testkit::db_test;

fn model() -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("order_status", ["new", "paid", "cancelled"]))
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(
                    Column::new("status", Type::enumeration("order_status"))
                        .not_null()
                        .server_default(ServerDefault::text("new")),
                )
                .column(Column::new("amount", Type::Integer).not_null())
                .column(
                    Column::new("is_open", Type::Boolean)
                        .computed(Computed::stored("status <> 'cancelled'")),
                )
                .primary_key(["id"])
                .check(Some("ck_orders_paid"), "status <> 'paid' OR amount > 0")
                .unique(["status", "id"])
                .index(
                    Index::on_columns(["id"])
                        .name("ix_orders_open")
                        .predicate("status <> 'cancelled'"),
                ),
        )
}

/// The rows of the check's query, as a driver gives them (text or NULL).
async fn rows(db: &retort_testkit::TestDb) -> Vec<Vec<Option<String>>> {
    let sql = enum_dependents_sql(None, "order_status");
    let wrapped = format!(
        "SELECT concat(coalesce(a, '<null>'), chr(9), coalesce(b, '<null>'), chr(9), coalesce(c, '<null>'), chr(9), \
         coalesce(d, '<null>'), chr(9), coalesce(e, '<null>'), chr(9), coalesce(f, '<null>'), chr(9), coalesce(g, '<null>')) \
         FROM ({sql}) q(a, b, c, d, e, f, g)"
    );
    db.query_strings(&wrapped)
        .await
        .expect("the dependents query runs")
        .into_iter()
        .map(|line| {
            line.split('\t')
                .map(|f| (f != "<null>").then(|| f.to_owned()))
                .collect()
        })
        .collect()
}

db_test!(
    enum_dependents_names_only_what_the_schema_does_not_know,
    [postgres],
    |db| {
        let md = model();
        db.execute_all(&Postgres.create_all(&md)?).await?;
        let found = rows(&db).await;
        assert!(found.len() >= 6, "{found:?}");
        assert_eq!(unknown_dependents(&found, &md), Vec::<String>::new());

        db.execute("CREATE VIEW open_orders AS SELECT id FROM orders WHERE status <> 'cancelled'")
            .await?;
        db.execute("CREATE FUNCTION is_new(s order_status) RETURNS boolean LANGUAGE sql AS 'SELECT s = ''new'''")
            .await?;
        db.execute("CREATE INDEX ix_raw ON orders (amount) WHERE status = 'paid'")
            .await?;
        db.execute(
            "ALTER TABLE orders ADD CONSTRAINT ck_raw CHECK (status <> 'new' OR amount = 0)",
        )
        .await?;
        let mut unknown = unknown_dependents(&rows(&db).await, &md);
        unknown.sort();
        assert_eq!(
            unknown,
            vec![
                "constraint ck_raw on table orders (schema public)",
                "function is_new(order_status) (schema public)",
                "index ix_raw (schema public)",
                "view public.open_orders",
            ]
        );
        Ok(())
    }
);

#[test]
fn the_ops_that_change_an_enum_type_are_the_ones_checked() {
    let md = model();
    let e = Some((None, "order_status".to_owned()));
    let recreate = Op::RecreateEnum {
        schema: None,
        name: "order_status".into(),
        values: vec!["new".into()],
        existing: None,
    };
    assert_eq!(enum_changed_by(&recreate, &md), e);
    let mut to_text = AlterColumn::new("orders", "status");
    to_text.type_ = Some(Type::Text);
    assert_eq!(enum_changed_by(&Op::AlterColumn(to_text), &md), e);
    // A column that keeps its enum type, or was not of one, changes no type.
    let mut keep = AlterColumn::new("orders", "status");
    keep.nullable = Some(true);
    assert_eq!(enum_changed_by(&Op::AlterColumn(keep), &md), None);
    let mut other = AlterColumn::new("orders", "amount");
    other.type_ = Some(Type::BigInt);
    assert_eq!(enum_changed_by(&Op::AlterColumn(other), &md), None);
    let check = Op::CreateCheckConstraint {
        schema: None,
        table: "orders".into(),
        check: Check::new("amount > 1"),
        not_valid: false,
    };
    assert_eq!(enum_changed_by(&check, &md), None);
}
