//! A default expression changed from now() to CURRENT_TIMESTAMP is a change (issue 7,
//! item 6). PostgreSQL only: SQLite has one spelling for both.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(default: &str) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("order_date", Type::Timestamp { tz: true }).not_null().server_default(ServerDefault::expr(default)))
        .primary_key(["order_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table("now()"))
}

pub fn after() -> MetaData {
    MetaData::new().table(table("CURRENT_TIMESTAMP"))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "orders", columns: &["order_id", "order_date"], rows: &[&["1", "'2026-01-02 03:04:05+00'"]] }]
}
