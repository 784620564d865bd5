//! Indexes: columns, expressions, ordering, opclasses, INCLUDE, methods, predicates.

use retort_core::{IndexElement, IndexTarget, NullsOrder, SortOrder};

use super::*;

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

#[test]
fn element_collations_read_back() {
    let rows = CatalogRows {
        columns: two_tables(),
        indexes: vec![
            index_col("orders", "orders_note_c", 2, 1, 3, "note")
                .set(10, "text_pattern_ops")
                .set(11, "false")
                .set(15, "C")
                .row(),
            index_col("orders", "orders_note_c", 2, 2, 0, "lower(note)")
                .set(10, "text_ops")
                .set(12, "true")
                .set(13, "true")
                .set(15, "app.german")
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    assert_eq!(
        md.tables()[1].indexes[0].elements,
        [
            IndexElement::column("note")
                .collate("C")
                .opclass("text_pattern_ops"),
            IndexElement::expr("lower(note)")
                .collate("app.german")
                .desc(),
        ]
    );
}

/// An exclusion constraint's row gives its name and DEFERRABLE; the rows of the index behind
/// it give its elements in key order with their operators, the method, INCLUDE and WHERE.
/// That index is the constraint, not an index of its own.
#[test]
fn an_exclusion_constraint_takes_its_elements_from_its_index() {
    use retort_core::{Deferrable, Exclude, ExcludeElement};
    let x = |row: R| row.set(14, "no_overlap").set(17, "x").set(4, "gist");
    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![constraint("orders", "no_overlap", "x", "{customer_id}")
            .set(10, "true")
            .set(11, "true")
            .row()],
        indexes: vec![
            x(index_col(
                "orders",
                "no_overlap",
                2,
                2,
                0,
                "int4range(order_id, customer_id)",
            ))
            .set(18, "&&")
            .set(5, "order_id > 0")
            .row(),
            x(index_col("orders", "no_overlap", 2, 1, 2, "customer_id"))
                .set(18, "=")
                .set(12, "true")
                .set(13, "true")
                .row(),
            x(index_col("orders", "no_overlap", 2, 3, 1, "order_id")).row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let t = &md.tables()[1];
    assert_eq!(
        t.excludes,
        [Exclude::new(
            "no_overlap",
            vec![
                ExcludeElement::new(IndexElement::column("customer_id").desc(), "="),
                ExcludeElement::expr("int4range(order_id, customer_id)", "&&"),
            ],
        )
        .include(["order_id"])
        .predicate("order_id > 0")
        .deferrable(Deferrable::InitiallyDeferred)]
    );
    assert!(t.indexes.is_empty(), "{:?}", t.indexes);

    // The index of an exclusion constraint the constraints query did not return: an error
    // naming it, not a constraint read half.
    let orphan = CatalogRows {
        constraints: Vec::new(),
        ..rows
    };
    let err = build_metadata(&orphan, &IntrospectOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("exclusion constraint `no_overlap`"),
        "{err}"
    );
}
