//! GENERATED ALWAYS -> BY DEFAULT (PostgreSQL: SQLite has only the one kind).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(identity: Identity) -> Table {
    Table::new("tickets")
        .column(Column::new("id", Type::BigInt).identity(identity))
        .column(Column::new("title", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Identity::always()))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Identity::by_default()))
}
