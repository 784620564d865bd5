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

/// Directions this case is not yet carried across (see `retort_evolution::run_cross`).
pub const NOT_PORTABLE: &[retort_evolution::NotPortable] = &[
    retort_evolution::NotPortable {
        direction: "postgres_to_sqlite",
        error: "the upgraded schema differs from create_all(after):",
        reason: "open: the names PostgreSQL gives unnamed constraints (t_pkey, t_col_fkey, t_col_key, t_col_check) are read back and recorded in the ops (a dropped table's definition, a re-created key), so SQLite gets named constraints where its create_all has none",
    },
];
