//! Materialized views' indexes created: a kept view gains a unique index (only the index
//! is created, the view and its rows stay), and a new view comes with its index; the
//! downgrade drops that index and that view.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres", "mysql"];

fn orders() -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Numeric { precision: Some(10), scale: Some(2) }).not_null())
        .primary_key(["order_id"])
}

fn totals() -> MaterializedView {
    MaterializedView::new("customer_totals", "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id")
}

pub fn before() -> MetaData {
    MetaData::new().table(orders()).with_entity(totals())
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(orders())
        .with_entity(totals().unique_index("customer_totals_customer", "(customer_id)"))
        .with_entity(
            MaterializedView::new("big_orders", "SELECT order_id, total FROM orders WHERE total > 100")
                .index("big_orders_total", "(total DESC)"),
        )
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support materialized view customer_totals",
    reason: "MySQL and MariaDB have no materialized views",
}];
