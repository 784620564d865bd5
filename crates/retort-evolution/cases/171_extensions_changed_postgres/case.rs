//! Extensions changed: `hstore` updated to a later version (`ALTER EXTENSION .. UPDATE TO`;
//! the downgrade finds no update path back, so it drops and creates it at the old
//! version, which nothing uses), and `citext` moved to another schema (`SET SCHEMA`, the
//! schema created first; the downgrade moves it back, then drops the schema).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn notes() -> Table {
    Table::new("notes")
        .column(Column::new("note_id", Type::Integer).not_null())
        .column(Column::new("body", Type::Text).not_null())
        .primary_key(["note_id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(notes())
        .with_entity(Extension::new("hstore").version("1.7"))
        .with_entity(Extension::new("citext").in_schema("public"))
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(notes())
        .with_entity(Extension::new("hstore").version("1.8"))
        .with_entity(Extension::new("citext").in_schema("ext"))
}
