//! An unnamed check constraint added to an existing table: on PostgreSQL the upgrade names
//! it as PostgreSQL would, and the downgrade drops it by that name (issue 7, items 1 and
//! 11); on SQLite it stays unnamed, as create_all leaves it, and is dropped by definition.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("rooms")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("seats", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
    MetaData::new().table(base().check(None, "seats > 0"))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "rooms", columns: &["id", "seats"], rows: &[&["1", "4"]] }]
}
