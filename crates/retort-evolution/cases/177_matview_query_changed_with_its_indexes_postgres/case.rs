//! A materialized view whose query changes is dropped and created, and its indexes with
//! it (a kept one, a new one); the downgrade creates the old view with its old indexes.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders() -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Numeric { precision: Some(10), scale: Some(2) }).not_null())
        .primary_key(["order_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(orders()).with_entity(
        MaterializedView::new("customer_totals", "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id")
            .unique_index("customer_totals_customer", "(customer_id)"),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(orders()).with_entity(
        MaterializedView::new(
            "customer_totals",
            "SELECT customer_id, count(*) AS n, sum(total) AS total FROM orders GROUP BY customer_id",
        )
        .unique_index("customer_totals_customer", "(customer_id)")
        .index("customer_totals_n", "(n)")
        .with_no_data(),
    )
}
