//! Views dropped: one that reads another (dropped first), and a materialized view; the
//! downgrade re-creates them from the definitions the drops carry.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("name", Type::Varchar(Some(100))).not_null())
        .primary_key(["customer_id"])
}

fn orders() -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Numeric { precision: Some(10), scale: Some(2) }).not_null())
        .column(Column::new("updated_at", Type::Timestamp { tz: true }))
        .primary_key(["order_id"])
        .foreign_key(ForeignKey::new(["customer_id"], "customers", ["customer_id"]))
}

fn shop() -> MetaData {
    MetaData::new().table(customers()).table(orders())
}

pub fn before() -> MetaData {
    shop()
        .with_entity(View::new("order_totals", "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id"))
        .with_entity(View::new("big_spenders", "SELECT customer_id FROM order_totals WHERE total > 100"))
        .with_entity(MaterializedView::new("customer_names", "SELECT customer_id, upper(name) AS name FROM customers"))
}

pub fn after() -> MetaData {
    shop()
}
