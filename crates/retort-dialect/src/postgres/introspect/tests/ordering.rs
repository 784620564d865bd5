//! The result is ordered whatever order the rows come in.

use super::*;

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
        sequences: vec![
            sequence("zz_seq", "bigint").row(),
            sequence("aa_seq", "bigint").row(),
        ],
        comments: Vec::new(),
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
    let sequences: Vec<&str> = md.sequences().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sequences, ["aa_seq", "zz_seq"]);
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

#[test]
fn the_queries_rows_may_come_interleaved_constraints_before_their_tables() {
    // As a read running the queries side by side on several connections hands them over.
    let rows = CatalogRows {
        columns: vec![
            column("public", "orders", 1, "order_id", "integer").row(),
            column("public", "orders", 2, "customer_id", "integer").row(),
            column("public", "customers", 1, "customer_id", "integer").row(),
        ],
        constraints: vec![
            constraint("orders", "orders_pkey", "p", "{order_id}").row(),
            constraint("customers", "customers_pkey", "p", "{customer_id}").row(),
            constraint("orders", "orders_b", "u", "{customer_id}").row(),
            constraint("orders", "orders_a", "u", "{order_id}").row(),
        ],
        indexes: vec![index_col("customers", "ix_c", 1, 1, 1, "customer_id").row()],
        ..CatalogRows::default()
    };
    let options = IntrospectOptions::default();
    let in_order = build_metadata(&rows, &options).unwrap();
    let mut builder = MetadataBuilder::new(&options);
    let add = |b: &mut MetadataBuilder<'_>, q: CatalogQuery, row: &Row| b.add_row(q, row).unwrap();
    // Every constraint of `customers` and one of `orders` before any column, the rest
    // between and after the columns.
    add(
        &mut builder,
        CatalogQuery::Constraints,
        &rows.constraints[1],
    );
    add(&mut builder, CatalogQuery::Indexes, &rows.indexes[0]);
    add(
        &mut builder,
        CatalogQuery::Constraints,
        &rows.constraints[3],
    );
    add(&mut builder, CatalogQuery::Columns, &rows.columns[0]);
    add(
        &mut builder,
        CatalogQuery::Constraints,
        &rows.constraints[0],
    );
    add(&mut builder, CatalogQuery::Columns, &rows.columns[1]);
    add(&mut builder, CatalogQuery::Columns, &rows.columns[2]);
    add(
        &mut builder,
        CatalogQuery::Constraints,
        &rows.constraints[2],
    );
    let interleaved = builder.finish().unwrap();
    assert_eq!(interleaved, in_order);
    let orders = interleaved.get_table(None, "orders").unwrap();
    assert_eq!(
        orders.primary_key.as_ref().and_then(|p| p.name.as_deref()),
        Some("orders_pkey")
    );
    assert_eq!(orders.uniques.len(), 2);
    assert!(interleaved
        .get_table(None, "customers")
        .unwrap()
        .primary_key
        .is_some());
}
