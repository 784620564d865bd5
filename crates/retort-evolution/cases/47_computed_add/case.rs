//! A stored generated column added to a table with rows (SQLite: by a rebuild, since
//! ALTER TABLE cannot add a stored one).
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("lines")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("qty", Type::Integer).not_null())
        .column(Column::new("unit_price", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
    MetaData::new().table(base().column(Column::new("total", Type::Integer).computed(Computed::stored("qty * unit_price"))))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "lines", columns: &["id", "qty", "unit_price"], rows: &[&["1", "2", "5"], &["2", "3", "7"]] }]
}
