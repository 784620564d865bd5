//! An identity with a MINVALUE added to a key that had none: the sequence continues after the
//! rows, and never below its MINVALUE (PostgreSQL only: SQLite's AUTOINCREMENT has no options).
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(id: Column) -> Table {
    Table::new("tickets")
        .column(id)
        .column(Column::new("title", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Column::new("id", Type::Integer).not_null()))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(
        Column::new("id", Type::Integer).identity(Identity::by_default().minvalue(100)),
    ))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "tickets",
        columns: &["id", "title"],
        rows: &[&["1", "'a'"], &["2", "'b'"]],
    }]
}
