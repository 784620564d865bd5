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
