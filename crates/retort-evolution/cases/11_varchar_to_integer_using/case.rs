//! varchar -> integer: PostgreSQL needs `USING quantity::integer`; the digits survive as
//! numbers (and back as text on the downgrade).
use retort_core::*;
use retort_evolution::Seed;

fn table(ty: Type) -> Table {
    Table::new("lines")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("quantity", ty))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Varchar(Some(20))))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::Integer))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "lines", columns: &["id", "quantity"], rows: &[&["1", "'42'"], &["2", "'7'"], &["3", "NULL"]] }]
}
