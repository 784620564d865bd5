//! A serial key turned into an identity (issue 7, item 7), PostgreSQL only.
use retort_core::*;
use retort_evolution::Seed;

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
