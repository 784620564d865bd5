//! Materialized views' indexes changed and dropped, the query kept: one index keeps its
//! definition, one changes (dropped and created), one goes; the view is not re-created.
//! The downgrade brings back the dropped one and the old definition.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders() -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Numeric { precision: Some(10), scale: Some(2) }).not_null())
        .primary_key(["order_id"])
}

fn totals() -> MaterializedView {
    MaterializedView::new(
        "customer_totals",
        "SELECT customer_id, count(*) AS n, sum(total) AS total FROM orders GROUP BY customer_id",
    )
    .in_schema("reports")
    .unique_index("customer_totals_customer", "(customer_id)")
}

pub fn before() -> MetaData {
    MetaData::new().table(orders()).with_entity(
        totals()
            .index("customer_totals_total", "(total)")
            .index("customer_totals_n", "USING hash (n)"),
    )
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(orders())
        .with_entity(totals().index("customer_totals_total", "(total DESC) WHERE total > 0"))
}
