//! A new enum column on an existing table: the type is created first, and the downgrade
//! drops it once nothing uses it (issue 7, item 2).
//! On SQLite the type is a check named after it, changed by a table rebuild.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn base() -> Table {
    Table::new("orders")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("order_status", ["new", "paid", "shipped"]))
        .table(base().column(
            Column::new("status", Type::enumeration("order_status"))
                .not_null()
                .server_default(ServerDefault::text("new")),
        ))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "orders", columns: &["id"], rows: &[&["1"], &["2"]] }]
}
