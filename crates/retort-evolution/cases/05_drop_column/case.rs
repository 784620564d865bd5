//! A column dropped from the middle of a table with rows; the others keep their values.
use retort_core::*;
use retort_evolution::Seed;

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("people")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("nickname", Type::Varchar(Some(30))))
            .column(Column::new("email", Type::Text).not_null())
            .primary_key(["id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        Table::new("people")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("email", Type::Text).not_null())
            .primary_key(["id"]),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "people", columns: &["id", "nickname", "email"], rows: &[&["1", "'ada'", "'a@x'"], &["2", "NULL", "'b@x'"]] }]
}
