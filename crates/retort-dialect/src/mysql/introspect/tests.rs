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
        Some(ServerDefault::Literal(Literal::Bool(false)))
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
        // MariaDB's RESTRICT is no action (InnoDB checks at once either way).
        (Some(FkAction::Cascade), None)
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

/// MySQL 8 prints literals bare, flags expressions `DEFAULT_GENERATED`, has a JSON type and
/// reports `NO ACTION` for a key without actions.
#[test]
fn mysql_8_rows_read_as_mysql_8_means_them() {
    let rows = MysqlCatalogRows {
        columns: vec![
            col("t", "id", "1", "int", "int", "NO", None, "auto_increment"),
            col(
                "t",
                "label",
                "2",
                "varchar",
                "varchar(40)",
                "YES",
                Some("it's"),
                "",
            ),
            col("t", "n", "3", "int", "int", "YES", Some("5"), ""),
            col(
                "t",
                "made",
                "4",
                "datetime",
                "datetime(6)",
                "YES",
                Some("CURRENT_TIMESTAMP(6)"),
                "DEFAULT_GENERATED",
            ),
            col("t", "doc", "5", "json", "json", "YES", None, ""),
            col("t", "p", "6", "int", "int", "YES", None, ""),
        ],
        constraints: vec![row(&[
            Some("t"),
            Some("t_p_fkey"),
            Some("FOREIGN KEY"),
            Some("NO ACTION"),
            Some("NO ACTION"),
        ])],
        key_columns: vec![row(&[
            Some("t"),
            Some("t_p_fkey"),
            Some("p"),
            Some("1"),
            Some("db"),
            Some("t"),
            Some("id"),
            Some("db"),
        ])],
        ..Default::default()
    };
    let options = MysqlIntrospectOptions::default().flavour(Flavour::Mysql);
    let md = build_mysql_metadata(&rows, &options).unwrap();
    let t = md.get_table(None, "t").unwrap();
    let default = |c: &str| t.get_column(c).unwrap().server_default.clone();
    assert_eq!(
        default("label"),
        Some(ServerDefault::Literal(Literal::Text("it's".into())))
    );
    assert_eq!(default("n"), Some(ServerDefault::Literal(Literal::Int(5))));
    assert_eq!(
        default("made"),
        Some(ServerDefault::Expr("CURRENT_TIMESTAMP(6)".into()))
    );
    assert_eq!(t.get_column("doc").unwrap().ty, Type::Json);
    let fk = &t.foreign_keys[0];
    assert_eq!((fk.on_delete, fk.on_update), (None, None));
}

/// Old values read as a user writes them (evolution cases 19, 36, 48, 52): a boolean's
/// default as the boolean, names in expressions without the backticks they do not need,
/// and on MariaDB the `RESTRICT` it reports for a key given no action as no action.
#[test]
fn old_values_read_as_a_user_writes_them() {
    assert_eq!(
        build::bare_names("(`price` > 0 and `select` <> 'a`b' and `odd name` = \"`x`\")"),
        "(price > 0 and `select` <> 'a`b' and `odd name` = \"`x`\")"
    );
    assert_eq!(build::bare_names("ucase(`last_name`)"), "ucase(last_name)");
    let rows = |flag_default: &str| MysqlCatalogRows {
        columns: vec![
            col("t", "id", "1", "int", "int(11)", "NO", None, ""),
            col(
                "t",
                "flag",
                "2",
                "tinyint",
                "tinyint(1)",
                "NO",
                Some(flag_default),
                "",
            ),
            col("t", "n", "3", "int", "int(11)", "YES", Some("1"), ""),
        ],
        ..MysqlCatalogRows::default()
    };
    let md = build_mysql_metadata(&rows("0"), &MysqlIntrospectOptions::default()).unwrap();
    let t = &md.tables()[0];
    assert_eq!(
        t.columns[1].server_default,
        Some(ServerDefault::Literal(Literal::Bool(false)))
    );
    assert_eq!(
        t.columns[2].server_default,
        Some(ServerDefault::Literal(Literal::Int(1)))
    );
    let md = build_mysql_metadata(&rows("1"), &MysqlIntrospectOptions::default()).unwrap();
    assert_eq!(
        md.tables()[0].columns[1].server_default,
        Some(ServerDefault::Literal(Literal::Bool(true)))
    );
}

/// An inline enum's type read as the dialect writes it, so an op's old type reads like its
/// new one (evolution case 43: `enum('sad','happy')` beside `ENUM('sad', 'ok', 'happy')`).
#[test]
fn an_enum_column_reads_as_the_dialect_writes_it() {
    let rows = MysqlCatalogRows {
        columns: vec![col(
            "t",
            "mood",
            "1",
            "enum",
            "enum('sad','It''s')",
            "YES",
            None,
            "",
        )],
        ..MysqlCatalogRows::default()
    };
    let md = build_mysql_metadata(&rows, &MysqlIntrospectOptions::default()).unwrap();
    assert_eq!(
        md.tables()[0].columns[0].ty,
        Type::Custom("ENUM('sad', 'It''s')".into())
    );
}
