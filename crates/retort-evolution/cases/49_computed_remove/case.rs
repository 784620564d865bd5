//! A generated column removed; the downgrade computes it again for the rows there.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("people")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("first_name", Type::Text).not_null())
        .column(Column::new("last_name", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base().column(
        Column::new("full_name", Type::Text).computed(Computed::stored("upper(last_name)")),
    ))
}

pub fn after() -> MetaData {
    MetaData::new().table(base())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "people", columns: &["id", "first_name", "last_name"], rows: &[&["1", "'Ada'", "'Lovelace'"]] }]
}
