//! varchar(n) -> varchar(m), and unbounded varchar -> varchar(n).
use retort_core::*;
use retort_evolution::Seed;

fn table(code: Option<u32>, name: Option<u32>) -> Table {
    Table::new("items")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("code", Type::Varchar(code)).not_null())
        .column(Column::new("name", Type::Varchar(name)))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Some(10), None))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Some(40), Some(200)))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "items", columns: &["id", "code", "name"], rows: &[&["1", "'A-1'", "'first'"], &["2", "'B-2'", "NULL"]] }]
}
