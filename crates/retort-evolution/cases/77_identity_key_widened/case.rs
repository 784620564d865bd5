//! integer -> bigint on an identity primary key, the identity kept (PostgreSQL and MariaDB: SQLite's
//! rowid key is INTEGER whatever the model says).
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "mysql"];

fn table(ty: Type) -> Table {
    Table::new("events")
        .column(Column::new("id", ty).identity(Identity::by_default().start(100)))
        .column(Column::new("name", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Integer))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::BigInt))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "events", columns: &["id", "name"], rows: &[&["1", "'a'"], &["2", "'b'"]] }]
}
