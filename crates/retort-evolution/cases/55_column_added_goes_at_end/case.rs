//! A column the model puts in the middle is added at the end of the table, and column
//! order alone is never a difference (issue 7, item 13): `check` is clean afterwards.
use retort_core::*;
use retort_evolution::Seed;

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("people")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("last_name", Type::Text).not_null())
            .primary_key(["id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        Table::new("people")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("first_name", Type::Text))
            .column(Column::new("last_name", Type::Text).not_null())
            .primary_key(["id"]),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "people", columns: &["id", "last_name"], rows: &[&["1", "'Hopper'"]] }]
}
