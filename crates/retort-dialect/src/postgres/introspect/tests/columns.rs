//! Tables, columns, types, identity, defaults, generated columns, enums and exclusions.

use retort_core::{Computed, EnumRef, EnumType, Identity, ServerDefault, Type};

use super::*;

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
        c.columns[0].identity.as_deref(),
        Some(&Identity::always()),
        "START 1 INCREMENT 1 read as defaults"
    );
}

#[test]
fn identity_options_defaults_generated_columns_and_comments() {
    let rows = CatalogRows {
        columns: vec![
            column("public", "t", 1, "id", "bigint")
                .set(6, "true")
                .set(8, "d")
                .set(10, "10")
                .set(11, "5")
                .row(),
            column("public", "t", 2, "name", "character varying")
                .set(7, "'anon'::character varying")
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
        comments: vec![
            comment("t", 0, "People who buy"),
            comment("t", 2, "Who they are"),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let t = &md.tables()[0];
    assert_eq!(t.comment.as_deref(), Some("People who buy"));
    assert_eq!(
        t.columns[0].identity.as_deref(),
        Some(&Identity::by_default().start(10).increment(5))
    );
    assert_eq!(t.columns[0].server_default, None);
    assert_eq!(
        t.columns[1].server_default,
        Some(ServerDefault::text("anon")),
        "a literal cast to the column's own type reads back as the literal"
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
        t.columns[3].identity.as_deref(),
        Some(&Identity::always().increment(-1)),
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

#[test]
fn identity_limits_cycle_cache_and_array_dimensions() {
    let rows = CatalogRows {
        columns: vec![
            // MINVALUE 0 (so START 0), MAXVALUE 1000, CYCLE, CACHE 20.
            column("public", "t", 1, "id", "integer")
                .set(6, "true")
                .set(8, "a")
                .set(10, "0")
                .set(11, "1")
                .set(19, "0")
                .set(20, "1000")
                .set(21, "true")
                .set(22, "20")
                .row(),
            // Every option PostgreSQL's default for a smallint: read as none.
            column("public", "t", 2, "small", "smallint")
                .set(6, "true")
                .set(8, "d")
                .set(10, "1")
                .set(11, "1")
                .set(19, "1")
                .set(20, "32767")
                .set(21, "false")
                .set(22, "1")
                .row(),
            column("public", "t", 3, "grid", "character varying(20)[]")
                .set(23, "2")
                .row(),
            // No dimensions recorded (CREATE TABLE AS): one.
            column("public", "t", 4, "flat", "integer[]")
                .set(23, "0")
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let t = &md.tables()[0];
    assert_eq!(
        t.columns[0].identity.as_deref(),
        Some(
            &Identity::always()
                .minvalue(0)
                .maxvalue(1000)
                .cycle()
                .cache(20)
        )
    );
    assert_eq!(
        t.columns[1].identity.as_deref(),
        Some(&Identity::by_default())
    );
    assert_eq!(
        t.columns[2].ty,
        Type::array(Type::array(Type::Varchar(Some(20))))
    );
    assert_eq!(t.columns[3].ty, Type::array(Type::Integer));
}

#[test]
fn comments_go_to_their_table_and_column_by_number_whatever_the_order() {
    let rows = CatalogRows {
        // The columns out of order, as the query returns them.
        columns: vec![
            column("public", "t", 3, "c", "text").row(),
            column("public", "t", 1, "a", "text").row(),
            column("public", "u", 1, "x", "text").row(),
        ],
        comments: vec![
            comment("t", 3, "on c"),
            comment("u", 0, "on u"),
            comment("t", 1, "on a"),
            // Column 2 was dropped: no column of this table has its number.
            comment("t", 2, "on a dropped column"),
            comment("retort_version", 0, "bookkeeping, left out"),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let t = md.get_table(None, "t").unwrap();
    let comments: Vec<_> = t
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.comment.as_deref()))
        .collect();
    assert_eq!(comments, [("a", Some("on a")), ("c", Some("on c"))]);
    assert_eq!(t.comment, None);
    assert_eq!(
        md.get_table(None, "u").unwrap().comment.as_deref(),
        Some("on u")
    );

    let rows = CatalogRows {
        columns: vec![column("public", "t", 1, "a", "text").row()],
        comments: vec![comment("ghost", 0, "on a table not read")],
        ..CatalogRows::default()
    };
    let err = build_metadata(&rows, &IntrospectOptions::default()).unwrap_err();
    assert!(
        matches!(&err, super::super::IntrospectError::UnknownTable { table, query, .. }
            if table == "public.ghost" && query.ends_with("comments.sql")),
        "{err}"
    );
}

/// A table's storage parameters and parents come in the comments query's options row (column
/// number -1), before or after its columns: one row a table, not a lookup per column row.
#[test]
fn a_tables_options_row_gives_its_storage_parameters_and_parents() {
    use super::R;
    let options = |table: &str, with: Option<&str>, schemas: &str, names: &str| {
        let r = R::new(CatalogQuery::Comments)
            .set(0, "public")
            .set(1, table)
            .set(2, "-1")
            .set(5, schemas)
            .set(6, names);
        match with {
            Some(w) => r.set(4, w).row(),
            None => r.row(),
        }
    };
    let rows = CatalogRows {
        columns: vec![
            column("public", "parent", 1, "a", "text").row(),
            column("public", "child", 1, "a", "text").row(),
            column("public", "plain", 1, "a", "text").row(),
        ],
        comments: vec![
            options(
                "child",
                Some("{fillfactor=70,autovacuum_enabled=false}"),
                "{public}",
                "{parent}",
            ),
            options("parent", Some("{fillfactor=90}"), "{}", "{}"),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let child = md.get_table(None, "child").unwrap();
    assert_eq!(
        child.with,
        [
            ("fillfactor".to_owned(), "70".to_owned()),
            ("autovacuum_enabled".to_owned(), "false".to_owned())
        ]
    );
    let parents: Vec<_> = child
        .inherits
        .iter()
        .map(|p| (p.schema.clone(), p.name.as_str()))
        .collect();
    assert_eq!(parents, [(None, "parent")]);
    let parent = md.get_table(None, "parent").unwrap();
    assert_eq!(parent.with, [("fillfactor".to_owned(), "90".to_owned())]);
    assert!(parent.inherits.is_empty());
    let plain = md.get_table(None, "plain").unwrap();
    assert!(plain.with.is_empty() && plain.inherits.is_empty());
}
