//! The last column using an enum type dropped: the type goes too, and comes back first on
//! the downgrade.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn base() -> Table {
    Table::new("tickets")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("title", Type::Text))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("priority", ["low", "high"]))
        .table(base().column(Column::new("priority", Type::enumeration("priority"))))
}

pub fn after() -> MetaData {
    MetaData::new().table(base())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "tickets", columns: &["id", "title", "priority"], rows: &[&["1", "'a'", "'low'"]] }]
}
