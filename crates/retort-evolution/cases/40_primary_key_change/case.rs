//! The primary key moved from one column to two (a composite key), rows kept.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("memberships")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("group_id", Type::Integer).not_null())
        .column(Column::new("user_id", Type::Integer).not_null())
}

pub fn before() -> MetaData {
    MetaData::new().table(base().primary_key(["id"]))
}

pub fn after() -> MetaData {
    MetaData::new().table(base().primary_key(["group_id", "user_id"]))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "memberships", columns: &["id", "group_id", "user_id"], rows: &[&["1", "1", "1"], &["2", "1", "2"], &["3", "2", "1"]] }]
}
