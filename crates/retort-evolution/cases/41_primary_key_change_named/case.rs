//! A named primary key moved to other columns under a new name, rows kept (SQLite: a
//! rebuild).
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("memberships")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("group_id", Type::Integer).not_null())
        .column(Column::new("user_id", Type::Integer).not_null())
}

pub fn before() -> MetaData {
    let mut t = base();
    t.primary_key = Some(PrimaryKey::new(["id"]).name("pk_memberships_id"));
    MetaData::new().table(t)
}

pub fn after() -> MetaData {
    let mut t = base();
    t.primary_key = Some(PrimaryKey::new(["group_id", "user_id"]).name("pk_memberships"));
    MetaData::new().table(t)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "memberships", columns: &["id", "group_id", "user_id"], rows: &[&["1", "1", "1"], &["2", "1", "2"], &["3", "2", "1"]] }]
}
