//! The builder from hand-written rows, and the query files' column legends.

use retort_core::{FkAction, Literal, ServerDefault, Type};

use super::*;

fn row(values: &[Option<&str>]) -> Row {
    values.iter().map(|v| v.map(str::to_owned)).collect()
}

#[test]
fn declared_widths_match_the_column_legends_of_the_files() {
    for flavour in [Flavour::MariaDb, Flavour::Mysql] {
        for q in MysqlCatalogQuery::ALL {
            let width = crate::catalog_row::legend_width(q.sql(flavour)).expect("a legend");
            assert_eq!(width, q.width(), "{}", q.file_name());
            assert!(q.sql(flavour).contains("DATABASE()"), "{}", q.file_name());
        }
    }
}

#[test]
fn flavour_from_version() {
    assert_eq!(
        Flavour::from_version("10.11.6-MariaDB-0+deb12u1"),
        Flavour::MariaDb
    );
    assert_eq!(Flavour::from_version("8.0.36"), Flavour::Mysql);
}

/// A column row: table, column, position, data type, column type, nullable, default, extra.
#[allow(clippy::too_many_arguments)]
fn col(
    t: &str,
    c: &str,
    pos: &str,
    dt: &str,
    ct: &str,
    null: &str,
    def: Option<&str>,
    extra: &str,
) -> Row {
    row(&[
        Some(t),
        Some(c),
        Some(pos),
        Some(dt),
        Some(ct),
        Some(null),
        def,
        Some(extra),
        Some(""),
        None,
        Some("utf8mb4_bin"),
        Some(""),
        None,
        None,
        (dt == "varchar").then_some("40"),
        (dt == "datetime").then_some("6"),
        None,
    ])
}

#[test]
fn rows_become_a_model() {
    let rows = MysqlCatalogRows {
        columns: vec![
            col(
                "orders",
                "customer_id",
                "2",
                "int",
                "int(11)",
                "NO",
                None,
                "",
            ),
            col(
                "orders",
                "order_id",
                "1",
                "int",
                "int(11)",
                "NO",
                None,
                "auto_increment",
            ),
            col(
                "orders",
                "placed",
                "3",
                "datetime",
                "datetime(6)",
                "NO",
                Some("current_timestamp(6)"),
                "",
            ),
            col(
                "orders",
                "paid",
                "4",
                "tinyint",
                "tinyint(1)",
                "YES",
                Some("0"),
                "",
            ),
            col(
                "orders",
                "note",
                "5",
                "varchar",
                "varchar(40)",
                "YES",
                Some("'it''s'"),
                "",
            ),
            col(
                "orders",
                "extra",
                "6",
                "longtext",
                "longtext",
                "YES",
                Some("NULL"),
                "",
            ),
            col(
                "customers",
                "customer_id",
                "1",
                "int",
                "int(11)",
                "NO",
                None,
                "auto_increment",
            ),
            col(
                "retort_version",
                "version_num",
                "1",
                "varchar",
                "varchar(40)",
                "NO",
                None,
                "",
            ),
        ],
        constraints: vec![
            row(&[
                Some("orders"),
                Some("PRIMARY"),
                Some("PRIMARY KEY"),
                None,
                None,
            ]),
            row(&[
                Some("orders"),
                Some("orders_customer_id_fkey"),
                Some("FOREIGN KEY"),
                Some("RESTRICT"),
                Some("CASCADE"),
            ]),
            row(&[
                Some("customers"),
                Some("PRIMARY"),
                Some("PRIMARY KEY"),
                None,
                None,
            ]),
        ],
        key_columns: vec![
            row(&[
                Some("orders"),
                Some("PRIMARY"),
                Some("order_id"),
                Some("1"),
                None,
                None,
                None,
                Some("shop"),
            ]),
            row(&[
                Some("orders"),
                Some("orders_customer_id_fkey"),
                Some("customer_id"),
                Some("1"),
                Some("shop"),
                Some("customers"),
                Some("customer_id"),
                Some("shop"),
            ]),
            row(&[
                Some("customers"),
                Some("PRIMARY"),
                Some("customer_id"),
                Some("1"),
                None,
                None,
                None,
                Some("shop"),
            ]),
        ],
        checks: vec![row(&[
            Some("orders"),
            Some("extra"),
            Some("json_valid(`extra`)"),
        ])],
        indexes: vec![
            row(&[
                Some("orders"),
                Some("PRIMARY"),
                Some("0"),
                Some("1"),
                Some("order_id"),
                None,
                Some("A"),
                Some("BTREE"),
            ]),
            row(&[
                Some("orders"),
                Some("orders_customer_id_fkey"),
                Some("1"),
                Some("1"),
                Some("customer_id"),
                None,
                Some("A"),
                Some("BTREE"),
            ]),
            row(&[
                Some("customers"),
                Some("PRIMARY"),
                Some("0"),
                Some("1"),
                Some("customer_id"),
                None,
                Some("A"),
                Some("BTREE"),
            ]),
        ],
    };
    let md = build_mysql_metadata(&rows, &MysqlIntrospectOptions::default()).unwrap();
    let names: Vec<&str> = md.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["customers", "orders"]);
    let orders = md.get_table(None, "orders").unwrap();
    let cols: Vec<&str> = orders.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        cols,
        ["order_id", "customer_id", "placed", "paid", "note", "extra"]
    );
    assert!(orders.columns[0].identity.is_some());
    assert_eq!(orders.columns[2].ty, Type::Timestamp { tz: false });
    assert_eq!(
        orders.columns[2].server_default,
        Some(ServerDefault::Expr("current_timestamp(6)".into()))
    );
    assert_eq!(orders.columns[3].ty, Type::Boolean);
    assert_eq!(
        orders.columns[3].server_default,
        Some(ServerDefault::Literal(Literal::Int(0)))
    );
    assert_eq!(
        orders.columns[4].server_default,
        Some(ServerDefault::Literal(Literal::Text("it's".into())))
    );
    assert_eq!(orders.columns[5].ty, Type::Json);
    assert_eq!(orders.columns[5].server_default, None);
    assert!(orders.checks.is_empty());
    assert_eq!(orders.primary_key.as_ref().unwrap().columns, ["order_id"]);
    let fk = &orders.foreign_keys[0];
    assert_eq!(
        (fk.ref_table.as_str(), fk.ref_schema.as_deref()),
        ("customers", None)
    );
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (Some(FkAction::Cascade), Some(FkAction::Restrict))
    );
    assert!(
        orders.indexes.is_empty(),
        "the key's own index is InnoDB's: {:?}",
        orders.indexes
    );
}

#[test]
fn a_prefix_index_is_refused_by_name() {
    let rows = MysqlCatalogRows {
        columns: vec![col("t", "body", "1", "text", "text", "YES", None, "")],
        indexes: vec![row(&[
            Some("t"),
            Some("ix_body"),
            Some("1"),
            Some("1"),
            Some("body"),
            Some("10"),
            Some("A"),
            Some("BTREE"),
        ])],
        ..Default::default()
    };
    let err = build_mysql_metadata(&rows, &MysqlIntrospectOptions::default()).unwrap_err();
    assert!(err.to_string().contains("t.ix_body"), "{err}");
    assert!(err.to_string().contains("prefix"), "{err}");
}
