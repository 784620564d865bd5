//! A serial key's sequence options changed, PostgreSQL only: an `alter_sequence` of the
//! sequence the key owns; its rows and the key's default stay.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn tags(serial: Serial) -> Table {
    Table::new("tags")
        .column(Column::new("tag_id", Type::Integer).serial(serial))
        .column(Column::new("label", Type::Text).not_null())
        .primary_key(["tag_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(tags(Serial::new()))
}

pub fn after() -> MetaData {
    MetaData::new().table(tags(Serial::new().increment(10).cache(5)))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "tags", columns: &["label"], rows: &[&["'a'"], &["'b'"]] }]
}
