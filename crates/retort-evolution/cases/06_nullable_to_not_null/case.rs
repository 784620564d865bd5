//! A nullable column made NOT NULL (its rows have values); on SQLite a rebuild.
use retort_core::*;
use retort_evolution::Seed;

fn table(email_nullable: bool) -> Table {
    Table::new("people")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("email", Type::Varchar(Some(120))).nullable(email_nullable))
        .column(Column::new("age", Type::SmallInt))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(true))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(false))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "people", columns: &["id", "email", "age"], rows: &[&["1", "'a@x'", "36"], &["2", "'b@x'", "NULL"]] }]
}
