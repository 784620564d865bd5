//! A virtual generated column added and one turned from virtual to stored (SQLite only:
//! PostgreSQL 15 has stored generated columns only).
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["sqlite"];

fn base() -> Table {
    Table::new("boxes")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("w", Type::Integer).not_null())
        .column(Column::new("h", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base().column(Column::new("area", Type::Integer).computed(Computed::virtual_("w * h"))))
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("area", Type::Integer).computed(Computed::stored("w * h")))
            .column(Column::new("perimeter", Type::Integer).computed(Computed::virtual_("2 * (w + h)"))),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "boxes", columns: &["id", "w", "h"], rows: &[&["1", "2", "3"], &["2", "4", "5"]] }]
}
