//! An enum column with a default becomes VARCHAR with the same default: the default is set
//! again as the new type stores it (`'new'::character varying`, as `create_all` makes it),
//! not kept as `'new'::order_status`; the type is dropped once nothing uses it.
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
    MetaData::new()
        .enum_type(EnumType::new("order_status", ["new", "paid"]))
        .table(table(Type::enumeration("order_status")))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::Varchar(Some(20))))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "orders", columns: &["id", "status"], rows: &[&["1", "'new'"], &["2", "'paid'"]] }]
}
