//! The DDL of each model kind, as snapshots (`snapshots/`), for every dialect in one place:
//! each test renders with every dialect in [`dialects`] (PostgreSQL today) and snapshots
//! them side by side, so a new dialect's SQL is reviewed next to PostgreSQL's.

use retort_core::{Index, MetaData, Table};
use retort_dialect::{Dialect, DialectError, Postgres, TableName};

use crate::models;

fn dialects() -> Vec<Box<dyn Dialect>> {
    vec![Box::new(Postgres)]
}

/// Statements as a script: `;`-terminated, a blank line apart.
fn script(stmts: &[String]) -> String {
    stmts
        .iter()
        .map(|s| format!("{s};"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Every dialect's rendering, each under a `-- Dialect` heading.
fn per_dialect(render: impl Fn(&dyn Dialect) -> Result<Vec<String>, DialectError>) -> String {
    dialects()
        .iter()
        .map(|d| {
            let body = match render(d.as_ref()) {
                Ok(stmts) => script(&stmts),
                Err(e) => format!("-- error: {e}"),
            };
            format!("-- {}\n{body}\n", d.name())
        })
        .collect()
}

fn create_and_drop(md: &MetaData) -> String {
    let create = per_dialect(|d| d.create_all(md));
    let drop = per_dialect(|d| d.drop_all(md));
    format!("---- create_all\n{create}\n---- drop_all\n{drop}")
}

#[test]
fn seed_model() {
    insta::assert_snapshot!(create_and_drop(&models::seed()));
}

#[test]
fn every_type_in_a_schema() {
    insta::assert_snapshot!(create_and_drop(&models::every_type()));
}

#[test]
fn defaults_identity_and_computed_columns() {
    insta::assert_snapshot!(create_and_drop(&models::columns()));
}

#[test]
fn constraints_indexes_and_comments() {
    insta::assert_snapshot!(create_and_drop(&models::constraints_and_indexes()));
}

#[test]
fn foreign_key_cycle() {
    insta::assert_snapshot!(create_and_drop(&models::cycle()));
}

#[test]
fn hostile_names() {
    let md = MetaData::new().table(
        Table::new(r#"x"; DROP TABLE y;--"#)
            .schema("My Schema")
            .column(retort_core::Column::new(
                "select",
                retort_core::Type::Integer,
            ))
            .column(retort_core::Column::new(
                "MixedCase",
                retort_core::Type::Text,
            ))
            .column(retort_core::Column::new("1st", retort_core::Type::Text))
            .column(retort_core::Column::new("naïve", retort_core::Type::Text))
            .column(retort_core::Column::new(
                "plain_name_2",
                retort_core::Type::Text,
            ))
            .index(Index::on_columns(["MixedCase"]).name("Weird \"ix\""))
            .comment("it's \\ hostile'); DROP TABLE y;--"),
    );
    insta::assert_snapshot!(create_and_drop(&md));
}

#[test]
fn single_statements() {
    let t = TableName::new(Some("app"), "orders");
    let bare = TableName::new(None, "user");
    insta::assert_snapshot!(per_dialect(|d| Ok(vec![
        d.create_schema("app")?,
        d.create_schema("Reporting")?,
        d.drop_schema("app")?,
        d.drop_table(t)?,
        d.drop_table(bare)?,
        d.drop_index(t, "ix_orders_date")?,
        d.drop_index(bare, "ix_user_name")?,
        d.drop_constraint(t, "orders_customer_id_fkey")?,
        d.comment_on_table(t, None)?,
        d.comment_on_column(bare, "order", Some("a reserved column"))?,
        d.drop_enum_type(&retort_core::EnumRef::new("Mood"))?,
    ])));
}

/// The statements a migration operation maps onto, on a schema-qualified table.
pub fn alter_statements(d: &dyn Dialect) -> Result<Vec<String>, DialectError> {
    use retort_core::ops::{Constraint, EnumValuePosition};
    use retort_core::{Check, Column, EnumRef, ForeignKey, Literal, PrimaryKey, Type, Unique};
    let t = TableName::new(Some("app"), "orders");
    let mood = EnumRef {
        schema: Some("app".into()),
        name: "mood".into(),
    };
    Ok(vec![
        d.add_column(
            t,
            &Column::new("note", Type::Text)
                .server_default(retort_core::ServerDefault::text("n/a"))
                .not_null(),
        )?,
        d.add_constraint(
            t,
            &Constraint::PrimaryKey(PrimaryKey {
                with: Vec::new(),
                conv: false,
                name: Some("orders_pkey".into()),
                columns: vec!["id".into()],
            }),
        )?,
        d.add_constraint(
            t,
            &Constraint::Unique(Unique {
                name: Some("orders_note_key".into()),
                columns: vec!["note".into()],
                ..Default::default()
            }),
        )?,
        d.add_constraint(
            t,
            &Constraint::Check(Check {
                conv: false,
                name: Some("orders_note_check".into()),
                expr: "note <> ''".into(),
            }),
        )?,
        d.add_constraint(
            t,
            // A self-reference in `app` names it: unqualified would mean the default schema.
            &Constraint::ForeignKey(
                ForeignKey::new(["parent_id"], "orders", ["id"]).ref_schema("app"),
            ),
        )?,
        d.add_enum_value(&mood, "sad", None)?,
        d.add_enum_value(&mood, "meh", Some(&EnumValuePosition::Before("sad".into())))?,
        d.add_enum_value(
            &mood,
            "it's fine",
            Some(&EnumValuePosition::After("meh".into())),
        )?,
        d.insert_rows(
            t,
            &["id".into(), "note".into(), "mood".into()],
            &[
                vec![
                    Literal::Int(1),
                    Literal::Text("it's".into()),
                    Literal::Text("sad".into()),
                ],
                vec![
                    Literal::Int(2),
                    Literal::Text(r"back\slash".into()),
                    Literal::Text("meh".into()),
                ],
            ],
        )?,
        d.drop_column(t, "note")?,
        d.rename_table(t, "Orders Archive")?,
    ])
}

#[test]
fn alter_statements_for_migration_operations() {
    insta::assert_snapshot!(per_dialect(alter_statements));
}

#[test]
fn cross_schema_foreign_keys_and_enums() {
    use retort_core::{Column, EnumRef, EnumType, ForeignKey, Type};
    let mut status = EnumType::new("status", ["new", "done"]);
    status.schema = Some("shared".into());
    let mut fk = ForeignKey::new(["customer_id"], "customers", ["id"]);
    fk.ref_schema = Some("crm".into());
    let md = MetaData::new()
        .enum_type(status)
        .table(
            Table::new("orders")
                .schema("sales")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("customer_id", Type::Integer))
                .column(Column::new(
                    "status",
                    Type::Enum(EnumRef {
                        schema: Some("shared".into()),
                        name: "status".into(),
                    }),
                ))
                .primary_key(["id"])
                .foreign_key(fk),
        )
        .table(
            Table::new("customers")
                .schema("crm")
                .column(Column::new("id", Type::Integer).not_null())
                .primary_key(["id"]),
        );
    insta::assert_snapshot!(create_and_drop(&md));
}

/// Issue 11 item 1: an unqualified target is in the default schema, so it is rendered
/// unqualified (search_path resolves it), never with the referring table's schema; a named
/// schema is rendered as given.
#[test]
fn an_unqualified_target_is_rendered_for_the_default_schema() {
    use retort_core::{Column, ForeignKey, Type};
    let md = MetaData::new()
        .table(
            Table::new("products")
                .column(Column::new("product_id", Type::Integer).not_null())
                .primary_key(["product_id"]),
        )
        .table(
            Table::new("warehouses")
                .schema("inventory")
                .column(Column::new("id", Type::Integer).not_null())
                .primary_key(["id"]),
        )
        .table(
            Table::new("stock_levels")
                .schema("inventory")
                .column(Column::new("product_id", Type::Integer))
                .column(Column::new("warehouse_id", Type::Integer))
                .foreign_key(ForeignKey::new(["product_id"], "products", ["product_id"]))
                .foreign_key(
                    ForeignKey::new(["warehouse_id"], "warehouses", ["id"]).ref_schema("inventory"),
                ),
        );
    let sql = Postgres.create_all(&md).expect("renders").join(";\n");
    assert!(
        sql.contains("FOREIGN KEY (product_id) REFERENCES products (product_id)"),
        "{sql}"
    );
    assert!(
        sql.contains("FOREIGN KEY (warehouse_id) REFERENCES inventory.warehouses (id)"),
        "{sql}"
    );
}
