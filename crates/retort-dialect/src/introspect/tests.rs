//! [`build_metadata`] on hand-written rows, one group of tests per catalog kind. The rows
//! are written the way PostgreSQL 15 returns them (see the `.sql` files for the columns).

use retort_core::{
    Check, Computed, Deferrable, EnumRef, EnumType, FkAction, ForeignKey, Identity, IndexElement,
    IndexTarget, NullsOrder, PrimaryKey, ServerDefault, SortOrder, Type, Unique,
};

use super::{build_metadata, CatalogQuery, CatalogRows, IntrospectError, IntrospectOptions, Row};

/// A row under construction: `width` NULLs, then values set by position.
struct R(Row);

impl R {
    fn new(query: CatalogQuery) -> Self {
        R(vec![None; query.width()])
    }
    fn set(mut self, i: usize, v: &str) -> Self {
        self.0[i] = Some(v.to_string());
        self
    }
    fn row(self) -> Row {
        self.0
    }
}

/// A plain nullable column of a built-in type.
fn column(schema: &str, table: &str, attnum: u32, name: &str, format_type: &str) -> R {
    R::new(CatalogQuery::Columns)
        .set(0, schema)
        .set(1, table)
        .set(3, &attnum.to_string())
        .set(4, name)
        .set(5, format_type)
        .set(6, "false")
        .set(13, "b")
        .set(14, "pg_catalog")
}

fn constraint(table: &str, name: &str, contype: &str, columns: &str) -> R {
    R::new(CatalogQuery::Constraints)
        .set(0, "public")
        .set(1, table)
        .set(2, name)
        .set(3, contype)
        .set(4, columns)
        .set(10, "false")
        .set(11, "false")
}

/// Column `k` of index `name` on table `t`: a table column (attnum > 0) or an expression.
fn index_col(table: &str, name: &str, nkey: u32, k: u32, attnum: u32, def: &str) -> R {
    R::new(CatalogQuery::Indexes)
        .set(0, "public")
        .set(1, table)
        .set(2, name)
        .set(3, "false")
        .set(4, "btree")
        .set(6, &nkey.to_string())
        .set(7, &k.to_string())
        .set(8, &attnum.to_string())
        .set(9, def)
        .set(10, "int4_ops")
        .set(11, "true")
        .set(12, "false")
        .set(13, "false")
}

fn two_tables() -> Vec<Row> {
    vec![
        column("public", "customers", 1, "customer_id", "integer")
            .set(6, "true")
            .set(8, "a")
            .set(10, "1")
            .set(11, "1")
            .row(),
        column("public", "customers", 2, "email", "character varying(200)").row(),
        column("public", "orders", 1, "order_id", "integer")
            .set(6, "true")
            .row(),
        column("public", "orders", 2, "customer_id", "integer")
            .set(6, "true")
            .row(),
        column("public", "orders", 3, "note", "text").row(),
    ]
}

fn build(rows: &CatalogRows) -> retort_core::MetaData {
    build_metadata(rows, &IntrospectOptions::default()).expect("rows are well formed")
}

// ---- tables and columns ----

#[test]
fn tables_and_columns_in_catalog_order_with_types_and_nullability() {
    let md = build(&CatalogRows {
        columns: two_tables(),
        ..CatalogRows::default()
    });
    let names: Vec<&str> = md.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["customers", "orders"]);
    let c = &md.tables()[0];
    assert_eq!(c.schema, None, "the default schema is left implicit");
    let cols: Vec<(&str, &Type, bool)> = c
        .columns
        .iter()
        .map(|c| (c.name.as_str(), &c.ty, c.nullable))
        .collect();
    assert_eq!(
        cols,
        [
            ("customer_id", &Type::Integer, false),
            ("email", &Type::Varchar(Some(200)), true)
        ]
    );
    assert_eq!(
        c.columns[0].identity,
        Some(Identity::always()),
        "START 1 INCREMENT 1 read as defaults"
    );
}

#[test]
fn identity_options_defaults_generated_columns_and_comments() {
    let rows = CatalogRows {
        columns: vec![
            column("public", "t", 1, "id", "bigint")
                .set(2, "People who buy")
                .set(6, "true")
                .set(8, "d")
                .set(10, "10")
                .set(11, "5")
                .row(),
            column("public", "t", 2, "name", "character varying")
                .set(7, "'anon'::character varying")
                .set(12, "Who they are")
                .row(),
            column("public", "t", 3, "full", "text")
                .set(7, "name::text || 'x'::text")
                .set(9, "s")
                .row(),
            column("public", "t", 4, "down", "integer")
                .set(8, "a")
                .set(10, "-1")
                .set(11, "-1")
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let t = &md.tables()[0];
    assert_eq!(t.comment.as_deref(), Some("People who buy"));
    assert_eq!(
        t.columns[0].identity,
        Some(Identity::by_default().start(10).increment(5))
    );
    assert_eq!(t.columns[0].server_default, None);
    assert_eq!(
        t.columns[1].server_default,
        Some(ServerDefault::expr("'anon'::character varying")),
        "the default is kept as PostgreSQL prints it"
    );
    assert_eq!(t.columns[1].comment.as_deref(), Some("Who they are"));
    assert_eq!(
        t.columns[2].computed,
        Some(Computed::stored("name::text || 'x'::text"))
    );
    assert_eq!(
        t.columns[2].server_default, None,
        "a generation expression is not a default"
    );
    assert_eq!(
        t.columns[3].identity,
        Some(Identity::always().increment(-1)),
        "a descending identity's default start is -1"
    );
}

#[test]
fn enum_columns_and_arrays_come_from_the_type_catalog() {
    let rows = CatalogRows {
        columns: vec![
            column("public", "t", 1, "mood", "mood")
                .set(13, "e")
                .set(14, "public")
                .set(15, "mood")
                .row(),
            column("public", "t", 2, "moods", "mood[]")
                .set(15, "_mood")
                .set(16, "e")
                .set(17, "public")
                .set(18, "mood")
                .row(),
            // format_type qualifies a type outside the search_path; the name still comes from pg_type.
            column("public", "t", 3, "stage", "sales.stage")
                .set(13, "e")
                .set(14, "sales")
                .set(15, "stage")
                .row(),
            column("public", "t", 4, "tags", "text[]")
                .set(16, "b")
                .row(),
            column("public", "t", 5, "bits", "bit(3)").row(),
        ],
        enums: vec![
            R::new(CatalogQuery::Enums)
                .set(0, "public")
                .set(1, "mood")
                .set(2, "{sad,ok}")
                .row(),
            R::new(CatalogQuery::Enums)
                .set(0, "sales")
                .set(1, "stage")
                .set(2, r#"{lead,"won big"}"#)
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let types: Vec<&Type> = md.tables()[0].columns.iter().map(|c| &c.ty).collect();
    let stage = EnumRef {
        schema: Some("sales".into()),
        name: "stage".into(),
    };
    assert_eq!(
        types,
        [
            &Type::enumeration("mood"),
            &Type::array(Type::enumeration("mood")),
            &Type::Enum(stage),
            &Type::array(Type::Text),
            &Type::custom("bit(3)"),
        ]
    );
    let mut stage_type = EnumType::new("stage", ["lead", "won big"]);
    stage_type.schema = Some("sales".into());
    assert_eq!(
        md.enums(),
        [EnumType::new("mood", ["sad", "ok"]), stage_type]
    );
}

#[test]
fn other_schemas_are_named_and_a_table_without_columns_is_kept() {
    let rows = CatalogRows {
        columns: vec![
            R::new(CatalogQuery::Columns)
                .set(0, "public")
                .set(1, "empty")
                .row(),
            column("sales", "deals", 1, "id", "integer").row(),
        ],
        ..CatalogRows::default()
    };
    let md = build_metadata(&rows, &IntrospectOptions::schemas(["public", "sales"])).unwrap();
    assert_eq!(md.tables()[0].name, "empty");
    assert!(md.tables()[0].columns.is_empty());
    assert_eq!(md.tables()[1].schema.as_deref(), Some("sales"));
}

#[test]
fn bookkeeping_tables_are_left_out_everywhere_and_the_list_is_a_parameter() {
    let mut rows = CatalogRows {
        columns: two_tables(),
        ..CatalogRows::default()
    };
    rows.columns.push(
        column(
            "public",
            "alembic_version",
            1,
            "version_num",
            "character varying(32)",
        )
        .row(),
    );
    rows.constraints.push(
        constraint(
            "alembic_version",
            "alembic_version_pkc",
            "p",
            "{version_num}",
        )
        .row(),
    );
    rows.indexes
        .push(index_col("alembic_version", "av_ix", 1, 1, 1, "version_num").row());
    let md = build(&rows);
    assert!(md.get_table(None, "alembic_version").is_none());

    let md = build_metadata(
        &rows,
        &IntrospectOptions::default().exclude_tables(["orders"]),
    )
    .unwrap();
    assert!(md.get_table(None, "alembic_version").is_some());
    assert!(md.get_table(None, "orders").is_none());
}

// ---- constraints ----

#[test]
fn primary_unique_and_check_constraints_carry_their_names() {
    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![
            constraint("customers", "customers_pkey", "p", "{customer_id}").row(),
            constraint("customers", "customers_email_key", "u", "{email}").row(),
            constraint("orders", "orders_pk", "p", "{order_id,customer_id}").row(),
            constraint("orders", "note_short", "c", "{note}")
                .set(12, "length(note) < 100")
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let (c, o) = (&md.tables()[0], &md.tables()[1]);
    assert_eq!(
        c.primary_key,
        Some(PrimaryKey {
            name: Some("customers_pkey".into()),
            columns: vec!["customer_id".into()]
        })
    );
    assert_eq!(
        c.uniques,
        [Unique {
            name: Some("customers_email_key".into()),
            columns: vec!["email".into()]
        }]
    );
    assert_eq!(
        o.primary_key.as_ref().unwrap().columns,
        ["order_id", "customer_id"]
    );
    assert_eq!(
        o.checks,
        [Check {
            name: Some("note_short".into()),
            expr: "length(note) < 100".into()
        }]
    );
}

#[test]
fn foreign_keys_with_actions_deferrability_and_schemas() {
    let fk = |name: &str| {
        constraint("orders", name, "f", "{customer_id}")
            .set(5, "public")
            .set(6, "customers")
            .set(7, "{customer_id}")
            .set(8, "a")
            .set(9, "a")
    };
    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![
            fk("plain").row(),
            fk("cascading").set(9, "c").set(8, "r").row(),
            fk("deferred")
                .set(9, "n")
                .set(10, "true")
                .set(11, "true")
                .row(),
            fk("immediate").set(8, "d").set(10, "true").row(),
            fk("elsewhere")
                .set(5, "sales")
                .set(6, "deals")
                .set(7, r#"{"Deal Id"}"#)
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let base = ForeignKey::new(["customer_id"], "customers", ["customer_id"]);
    assert_eq!(
        md.tables()[1].foreign_keys,
        // By name.
        [
            base.clone()
                .name("cascading")
                .on_delete(FkAction::Cascade)
                .on_update(FkAction::Restrict),
            base.clone()
                .name("deferred")
                .on_delete(FkAction::SetNull)
                .deferrable(Deferrable::InitiallyDeferred),
            ForeignKey {
                ref_schema: Some("sales".into()),
                ..ForeignKey::new(["customer_id"], "deals", ["Deal Id"]).name("elsewhere")
            },
            base.clone()
                .name("immediate")
                .on_update(FkAction::SetDefault)
                .deferrable(Deferrable::InitiallyImmediate),
            base.clone().name("plain"),
        ]
    );
}

#[test]
fn constraints_of_an_unknown_table_or_kind_are_errors_that_say_what() {
    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![constraint("ghost", "ghost_pkey", "p", "{id}").row()],
        ..CatalogRows::default()
    };
    let err = build_metadata(&rows, &IntrospectOptions::default()).unwrap_err();
    assert!(
        matches!(&err, IntrospectError::UnknownTable { table, .. } if table == "public.ghost"),
        "{err}"
    );
    assert!(err.to_string().contains("ghost_pkey"), "{err}");

    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![constraint("orders", "odd", "z", "{id}").row()],
        ..CatalogRows::default()
    };
    let err = build_metadata(&rows, &IntrospectOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("contype") && err.to_string().contains("`z`"),
        "{err}"
    );
}

// ---- indexes ----

#[test]
fn plain_two_column_index_and_constraint_indexes_skipped() {
    let rows = CatalogRows {
        columns: two_tables(),
        indexes: vec![
            index_col("orders", "orders_cust_note", 2, 2, 3, "note")
                .set(10, "text_ops")
                .row(),
            index_col("orders", "orders_cust_note", 2, 1, 2, "customer_id").row(),
            index_col("orders", "orders_pkey", 1, 1, 1, "order_id")
                .set(3, "true")
                .set(14, "orders_pkey")
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    assert_eq!(
        md.tables()[1].indexes,
        [retort_core::Index::on_columns(["customer_id", "note"]).name("orders_cust_note")],
        "elements in key order whatever the row order; the PK's index is the PK"
    );
}

#[test]
fn expression_partial_include_and_method_indexes() {
    let rows = CatalogRows {
        columns: two_tables(),
        indexes: vec![
            index_col("orders", "expr_ix", 2, 1, 0, "lower(note)")
                .set(10, "text_ops")
                .set(12, "true")
                .set(13, "false")
                .set(5, "order_id > 0")
                .row(),
            index_col("orders", "expr_ix", 2, 2, 0, "(order_id * 2)")
                .set(13, "true")
                .row(),
            index_col("orders", "inc_ix", 1, 1, 3, "note")
                .set(3, "true")
                .set(10, "text_pattern_ops")
                .set(11, "false")
                .row(),
            index_col("orders", "inc_ix", 1, 2, 1, "order_id")
                .set(10, "")
                .set(11, "")
                .row(),
            index_col("orders", "inc_ix", 1, 3, 2, "customer_id").row(),
            index_col("orders", "using_gin", 1, 1, 3, "note")
                .set(4, "gin")
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let ix = &md.tables()[1].indexes;
    assert_eq!(ix.len(), 3);
    assert_eq!(ix[0].name.as_deref(), Some("expr_ix"));
    assert_eq!(ix[0].predicate.as_deref(), Some("order_id > 0"));
    assert_eq!(
        ix[0].elements,
        [
            IndexElement {
                nulls: Some(NullsOrder::Last),
                ..IndexElement::expr("lower(note)").desc()
            },
            IndexElement {
                nulls: Some(NullsOrder::First),
                ..IndexElement::expr("order_id * 2")
            },
        ]
    );
    assert_eq!(ix[1].name.as_deref(), Some("inc_ix"));
    assert!(ix[1].unique);
    assert_eq!(ix[1].elements.len(), 1);
    assert_eq!(ix[1].elements[0].target, IndexTarget::Column("note".into()));
    assert_eq!(
        ix[1].elements[0].opclass.as_deref(),
        Some("text_pattern_ops")
    );
    assert_eq!(ix[1].elements[0].order, None::<SortOrder>);
    assert_eq!(ix[1].include, ["order_id", "customer_id"]);
    assert_eq!(ix[2].method.as_deref(), Some("gin"));
    assert_eq!(ix[0].method, None, "btree is the default");
}

// ---- malformed rows ----

#[test]
fn malformed_rows_are_errors_naming_the_query_and_value() {
    let mut short = column("public", "t", 1, "id", "integer").row();
    short.pop();
    let err = build_metadata(
        &CatalogRows {
            columns: vec![short],
            ..CatalogRows::default()
        },
        &IntrospectOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        IntrospectError::RowWidth {
            query: "queries/postgres/columns.sql",
            expected: 19,
            found: 18
        }
    );

    let bad_flag = column("public", "t", 1, "id", "integer")
        .set(6, "maybe")
        .row();
    let err = build_metadata(
        &CatalogRows {
            columns: vec![bad_flag],
            ..CatalogRows::default()
        },
        &IntrospectOptions::default(),
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("columns.sql") && msg.contains("public.t") && msg.contains("maybe"),
        "{msg}"
    );

    let bad_array = constraint("t", "t_pkey", "p", "id").row();
    let err = build_metadata(
        &CatalogRows {
            columns: vec![column("public", "t", 1, "id", "integer").row()],
            constraints: vec![bad_array],
            ..CatalogRows::default()
        },
        &IntrospectOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("not a text array"), "{err}");
}

// ---- ordering ----

#[test]
fn the_result_is_ordered_whatever_the_row_order() {
    let rows = CatalogRows {
        columns: vec![
            column("sales", "a", 1, "id", "integer").row(),
            column("public", "orders", 2, "customer_id", "integer").row(),
            column("public", "customers", 1, "customer_id", "integer").row(),
            column("public", "orders", 1, "order_id", "integer").row(),
            column("public", "Zed", 1, "id", "integer").row(),
        ],
        constraints: vec![
            constraint("orders", "orders_b", "u", "{order_id}").row(),
            constraint("orders", "orders_a", "u", "{customer_id}").row(),
        ],
        indexes: vec![
            index_col("orders", "ix_b", 1, 1, 1, "order_id").row(),
            index_col("orders", "ix_a", 1, 1, 2, "customer_id").row(),
        ],
        enums: vec![
            R::new(CatalogQuery::Enums)
                .set(0, "public")
                .set(1, "zz")
                .set(2, "{a}")
                .row(),
            R::new(CatalogQuery::Enums)
                .set(0, "public")
                .set(1, "aa")
                .set(2, "{a}")
                .row(),
        ],
    };
    let md = build_metadata(&rows, &IntrospectOptions::schemas(["public", "sales"])).unwrap();
    let tables: Vec<String> = md.tables().iter().map(|t| t.qualified_name()).collect();
    assert_eq!(
        tables,
        ["Zed", "customers", "orders", "sales.a"],
        "byte order, as PostgreSQL sorts names"
    );
    let orders = md.get_table(None, "orders").unwrap();
    let columns: Vec<&str> = orders.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(columns, ["order_id", "customer_id"]);
    let uniques: Vec<&str> = orders
        .uniques
        .iter()
        .filter_map(|u| u.name.as_deref())
        .collect();
    assert_eq!(uniques, ["orders_a", "orders_b"]);
    let indexes: Vec<&str> = orders
        .indexes
        .iter()
        .filter_map(|i| i.name.as_deref())
        .collect();
    assert_eq!(indexes, ["ix_a", "ix_b"]);
    let enums: Vec<&str> = md.enums().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(enums, ["aa", "zz"]);
}

#[test]
fn rows_of_one_index_need_not_come_together() {
    let rows = CatalogRows {
        columns: two_tables(),
        indexes: vec![
            index_col("orders", "ix_a", 2, 1, 1, "order_id").row(),
            index_col("orders", "ix_b", 1, 1, 3, "note").row(),
            index_col("customers", "ix_a", 1, 1, 2, "email").row(),
            index_col("orders", "ix_a", 2, 2, 2, "customer_id").row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let orders = &md.tables()[1].indexes;
    assert_eq!(
        orders,
        &[
            retort_core::Index::on_columns(["order_id", "customer_id"]).name("ix_a"),
            retort_core::Index::on_columns(["note"]).name("ix_b"),
        ]
    );
    assert_eq!(
        md.tables()[0].indexes,
        [retort_core::Index::on_columns(["email"]).name("ix_a")]
    );
}
