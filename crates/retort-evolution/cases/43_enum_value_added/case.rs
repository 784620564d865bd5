//! Values added to an enum type in place (ALTER TYPE .. ADD VALUE), one between two
//! existing ones; rows keep their values.
use retort_core::*;
use retort_evolution::Seed;

// On SQLite the type is a check named after it: adding a value rebuilds the table.
pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];


fn model(values: &[&str]) -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("mood", values.iter().copied()))
        .table(
            Table::new("people")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("mood", Type::enumeration("mood")))
                .primary_key(["id"]),
        )
}

pub fn before() -> MetaData {
    model(&["sad", "happy"])
}

pub fn after() -> MetaData {
    model(&["sad", "ok", "happy", "ecstatic"])
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "people", columns: &["id", "mood"], rows: &[&["1", "'sad'"], &["2", "'happy'"], &["3", "NULL"]] }]
}
