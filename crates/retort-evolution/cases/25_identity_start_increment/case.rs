//! Identity START and INCREMENT changed (PostgreSQL only: SQLite has neither).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(identity: Identity) -> Table {
    Table::new("invoices")
        .column(Column::new("number", Type::Integer).identity(identity))
        .column(Column::new("total", Type::numeric(10, 2)).not_null())
        .primary_key(["number"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Identity::always()))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Identity::always().start(1000).increment(10)))
}
