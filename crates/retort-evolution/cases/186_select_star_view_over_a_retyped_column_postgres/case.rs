//! A view written `SELECT * FROM orders` over a column whose type changes: its text names
//! no column, but PostgreSQL expanded the `*` when it made the view and records a read of
//! every column (`pg_depend`), which live autogenerate reads: the view goes before the change
//! and comes back after it.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders(total: Type) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("total", total).not_null())
        .primary_key(["order_id"])
}

fn entities(md: MetaData) -> MetaData {
    md.with_entity(View::new("all_orders", "SELECT * FROM orders"))
}

pub fn before() -> MetaData {
    entities(MetaData::new().table(orders(Type::Integer)))
}

pub fn after() -> MetaData {
    entities(MetaData::new().table(orders(Type::BigInt)))
}
