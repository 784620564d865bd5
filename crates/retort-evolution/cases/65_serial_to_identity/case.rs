//! A serial key of a table with rows turned into an identity (issue 7, item 7), PostgreSQL
//! only: the default and the sequence of the serial go, and the identity continues after the
//! rows, so the next insert does not collide (Alembic starts it at 1).
use retort_core::*;
use retort_evolution::{Probe, Seed};

pub const DIALECTS: &[&str] = &["postgres"];

fn table(id: Column) -> Table {
    Table::new("tags")
        .column(id)
        .column(Column::new("label", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Column::new("id", Type::custom("serial")).not_null()))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Column::new("id", Type::Integer).identity(Identity::by_default())))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "tags", columns: &["id", "label"], rows: &[&["1", "'a'"], &["2", "'b'"]] }]
}

/// The next insert without a key takes the one after the seeded rows, after the upgrade (the
/// identity continues after them) and after the downgrade (so does the serial again).
pub fn probes() -> Vec<Probe> {
    vec![Probe {
        statements: &["INSERT INTO tags (label) VALUES ('c')"],
        table: "tags",
        columns: &["id", "label"],
        expect: &["1|a", "2|b", "3|c"],
        undo: &["DELETE FROM tags WHERE label = 'c'"],
    }]
}
