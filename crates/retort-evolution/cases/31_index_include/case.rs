//! INCLUDE columns of an index changed under the same name (PostgreSQL only).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(include: &[&str]) -> Table {
    Table::new("orders")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", Type::numeric(10, 2)))
        .column(Column::new("status", Type::Text))
        .primary_key(["id"])
        .index(Index::on_columns(["customer_id"]).name("ix_orders_customer").include(include.iter().copied()))
}

pub fn before() -> MetaData {
    MetaData::new().table(table(&["total"]))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(&["total", "status"]))
}
