//! integer -> bigint on a key column referenced by nothing, and on a plain one.
use retort_core::*;
use retort_evolution::Seed;

fn table(ty: Type) -> Table {
    Table::new("counters")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("hits", ty.clone()).not_null().server_default(ServerDefault::int(0)))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Integer))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::BigInt))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "counters", columns: &["id", "hits"], rows: &[&["1", "2147483647"], &["2", "0"]] }]
}

