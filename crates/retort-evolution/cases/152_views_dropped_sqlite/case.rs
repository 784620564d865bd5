//! Views dropped on SQLite, the one reading the other first.
use retort_core::*;

pub const DIALECTS: &[&str] = &["sqlite", "mysql"];

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
        .column(Column::new("total", Type::Integer).not_null())
        .column(Column::new("updated_at", Type::Text))
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
}

pub fn after() -> MetaData {
    shop()
}
