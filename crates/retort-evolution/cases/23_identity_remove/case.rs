//! An identity removed from a key column; the values stay.
use retort_core::*;
use retort_evolution::Seed;

fn table(identity: bool) -> Table {
    let id = Column::new("id", Type::Integer).not_null();
    Table::new("tickets")
        .column(if identity { id.identity(Identity::by_default()) } else { id })
        .column(Column::new("title", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(true))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(false))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "tickets", columns: &["id", "title"], rows: &[&["1", "'first'"], &["2", "'second'"]] }]
}
