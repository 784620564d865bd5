//! An index column's sort order changed (ASC -> DESC NULLS LAST) under the same name.
use retort_core::*;

fn table(created: IndexElement) -> Table {
    Table::new("events")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("kind", Type::Text).not_null())
        .column(Column::new("created", Type::Timestamp { tz: true }))
        .primary_key(["id"])
        .index(Index::on(vec![IndexElement::column("kind"), created]).name("ix_events_kind_created"))
}

pub fn before() -> MetaData {
    MetaData::new().table(table(IndexElement::column("created")))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(IndexElement::column("created").desc()))
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support an index on column `events.kind` of type Text",
    reason: "MySQL keys only a prefix of a TEXT, BLOB or JSON column, which the model cannot say; SQLAlchemy's TEXT index fails there the same way (a careful MySQL model gives the column a VARCHAR(n) variant)",
}];
