//! varchar(n) -> text; the values stay.
use retort_core::*;
use retort_evolution::Seed;

fn table(ty: Type) -> Table {
    Table::new("notes")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("body", ty))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Varchar(Some(255))))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::Text))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "notes", columns: &["id", "body"], rows: &[&["1", "'hello'"], &["2", "'wörld'"]] }]
}
