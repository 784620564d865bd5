//! An index element gains SQLite's NOCASE collation, and its order (SQLite only: PostgreSQL
//! has no NOCASE; its collations are in 102_index_element_options_postgres).
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["sqlite"];

fn table(element: IndexElement) -> Table {
    Table::new("people")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("email", Type::Varchar(Some(120))).not_null())
        .primary_key(["id"])
        .index(Index::on(vec![element]).name("ix_people_email"))
}

pub fn before() -> MetaData {
    MetaData::new().table(table(IndexElement::column("email")))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(IndexElement::column("email").collate("nocase").desc()))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "people",
        columns: &["id", "email"],
        rows: &[&["1", "'a@example.com'"], &["2", "'B@example.com'"]],
    }]
}
