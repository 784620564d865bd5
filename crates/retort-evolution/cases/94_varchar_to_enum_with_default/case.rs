//! A VARCHAR column with a default becomes an enum column with the same default: the old
//! default (`'new'::character varying`) cannot be cast to the enum, so it is dropped before
//! `ALTER TYPE .. USING` and the model's set after. The downgrade is the reverse change.
//! On SQLite the type is a CHECK on the column, changed by a table rebuild.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn table(ty: Type) -> Table {
    Table::new("orders")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("status", ty).not_null().server_default(ServerDefault::text("new")))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Varchar(Some(20))))
}

pub fn after() -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("order_status", ["new", "paid"]))
        .table(table(Type::enumeration("order_status")))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "orders", columns: &["id", "status"], rows: &[&["1", "'new'"], &["2", "'paid'"]] }]
}
