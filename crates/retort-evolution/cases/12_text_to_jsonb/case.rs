//! text -> jsonb (with `USING payload::jsonb`), PostgreSQL and MariaDB (JSON there: LONGTEXT with a
//! `json_valid` check): SQLite has no jsonb.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "mysql"];

fn table(ty: Type) -> Table {
    Table::new("events")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("payload", ty))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Text))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::Jsonb))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "events", columns: &["id", "payload"], rows: &[&["1", "'{\"a\": 1}'"], &["2", "NULL"]] }]
}
