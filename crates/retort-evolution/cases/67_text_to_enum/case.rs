//! A text column turned into an enum column: the type is created first and the values
//! cast (`USING status::order_status`); back to text on the downgrade, the type dropped.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn table(ty: Type) -> Table {
    Table::new("orders")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("status", ty))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Text))
}

pub fn after() -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("order_status", ["new", "paid"]))
        .table(table(Type::enumeration("order_status")))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "orders", columns: &["id", "status"], rows: &[&["1", "'new'"], &["2", "'paid'"], &["3", "NULL"]] }]
}
