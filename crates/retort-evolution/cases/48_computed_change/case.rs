//! A generated column's expression changed (issue 7, item 4): dropped and added again.
use retort_core::*;
use retort_evolution::Seed;

fn table(expr: &str) -> Table {
    Table::new("lines")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("qty", Type::Integer).not_null())
        .column(Column::new("unit_price", Type::Integer).not_null())
        .column(Column::new("total", Type::Integer).computed(Computed::stored(expr)))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table("qty * unit_price"))
}

pub fn after() -> MetaData {
    MetaData::new().table(table("qty * unit_price + 1"))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "lines", columns: &["id", "qty", "unit_price"], rows: &[&["1", "2", "5"], &["2", "3", "7"]] }]
}
