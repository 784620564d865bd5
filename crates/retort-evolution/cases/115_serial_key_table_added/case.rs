//! A table with a serial key added (issue 19): on PostgreSQL its sequence is created before it
//! and owned by its key, as `pg_dump` restores a `serial`; on SQLite the key is the rowid.
use retort_core::*;

fn notes() -> Table {
    Table::new("notes")
        .column(Column::new("note_id", Type::Integer).not_null())
        .column(Column::new("body", Type::Text))
        .primary_key(["note_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(notes())
}

pub fn after() -> MetaData {
    MetaData::new().table(notes()).table(
        Table::new("studies")
            .column(Column::new("study_id", Type::Integer).serial(Serial::new()))
            .column(Column::new("title", Type::Text).not_null())
            .primary_key(["study_id"]),
    )
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support serial columns",
    reason: "MySQL has no sequences a column can own; its key is an AUTO_INCREMENT identity",
}];
