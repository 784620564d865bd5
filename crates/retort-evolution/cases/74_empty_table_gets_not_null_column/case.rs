//! A NOT NULL column without a default added to an empty table (allowed: no row needs a
//! value), and an index on it.
use retort_core::*;

// Not on SQLite: there this is a rebuild of an empty table, and the suite wants every
// rebuild to carry rows (which a NOT NULL column without a default cannot be added to).
pub const DIALECTS: &[&str] = &["postgres", "mysql"];

fn base() -> Table {
    Table::new("queue")
        .column(Column::new("id", Type::BigInt).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("topic", Type::Varchar(Some(64))).not_null())
            .index(Index::on_columns(["topic"]).name("ix_queue_topic")),
    )
}
