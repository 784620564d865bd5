//! real -> double precision.
use retort_core::*;
use retort_evolution::Seed;

fn table(ty: Type) -> Table {
    Table::new("readings")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("value", ty))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Real))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::Double))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "readings", columns: &["id", "value"], rows: &[&["1", "1.5"], &["2", "NULL"]] }]
}
