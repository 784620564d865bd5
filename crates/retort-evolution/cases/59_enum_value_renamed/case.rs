//! A value renamed (one removed, one added at its place): the safe type swap through text,
//! rows with the other values kept.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn model(values: &[&str]) -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("size", values.iter().copied()))
        .table(
            Table::new("shirts")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("size", Type::enumeration("size")))
                .primary_key(["id"]),
        )
}

pub fn before() -> MetaData {
    model(&["small", "medium", "large"])
}

pub fn after() -> MetaData {
    model(&["small", "regular", "large"])
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "shirts", columns: &["id", "size"], rows: &[&["1", "'small'"], &["2", "'large'"], &["3", "NULL"]] }]
}
