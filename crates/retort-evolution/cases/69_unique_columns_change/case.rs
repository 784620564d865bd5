//! A named unique constraint whose columns change under the same name.
use retort_core::*;
use retort_evolution::Seed;

fn table(columns: &[&str]) -> Table {
    let mut t = Table::new("slots")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("room", Type::Integer).not_null())
        .column(Column::new("day", Type::Date).not_null())
        .column(Column::new("hour", Type::SmallInt).not_null())
        .primary_key(["id"]);
    t.uniques.push(Unique::new(columns.iter().copied()).name("uq_slots_when"));
    t
}

pub fn before() -> MetaData {
    MetaData::new().table(table(&["room", "day"]))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(&["room", "day", "hour"]))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "slots", columns: &["id", "room", "day", "hour"], rows: &[&["1", "1", "'2026-11-25'", "9"], &["2", "2", "'2026-11-25'", "9"]] }]
}
