//! Views changed: one gains a column at its end (`CREATE OR REPLACE VIEW` takes it), one
//! loses a column (PostgreSQL refuses the replace, so it is dropped and created); the
//! downgrade restores both as they were.
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
        .with_entity(View::new("order_totals", "SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id"))
        .with_entity(View::new("order_list", "SELECT order_id, customer_id, total FROM orders"))
}

pub fn after() -> MetaData {
    shop()
        .with_entity(View::new(
            "order_totals",
            "SELECT customer_id, count(*) AS n, sum(total) AS total FROM orders GROUP BY customer_id",
        ))
        .with_entity(View::new("order_list", "SELECT order_id, total FROM orders"))
}
