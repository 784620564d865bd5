//! A NOT NULL column with a server default added to a table with rows.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("products")
        .column(Column::new("product_id", Type::Integer).not_null())
        .column(Column::new("name", Type::Varchar(Some(80))).not_null())
        .primary_key(["product_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("stock", Type::Integer).not_null().server_default(ServerDefault::int(0)))
            .column(Column::new("active", Type::Boolean).not_null().server_default(ServerDefault::bool(true))),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "products", columns: &["product_id", "name"], rows: &[&["1", "'Pen'"], &["2", "'Ink'"]] }]
}
