//! A materialized view with its indexes dropped (they go with it); the downgrade creates
//! it again with every index, unique and partial ones included.
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
            .unique_index("customer_totals_customer", "(customer_id)")
            .index("customer_totals_big", "(total) WHERE total > 1000"),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(orders())
}
