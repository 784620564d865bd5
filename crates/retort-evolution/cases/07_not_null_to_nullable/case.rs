//! A NOT NULL column made nullable; on SQLite a rebuild.
use retort_core::*;
use retort_evolution::Seed;

fn table(nullable: bool) -> Table {
    Table::new("people")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("email", Type::Text).nullable(nullable))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(false))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(true))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "people", columns: &["id", "email"], rows: &[&["1", "'a@x'"], &["2", "'b@x'"]] }]
}
