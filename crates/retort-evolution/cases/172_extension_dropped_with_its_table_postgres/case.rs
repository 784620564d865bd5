//! An extension dropped with the table whose column uses it: the table goes first, the
//! extension last (`DROP EXTENSION` without `CASCADE`); the downgrade creates the extension
//! before the table. `plpgsql`, in every database, is never proposed for drop.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("email", Type::Custom("citext".into())).not_null())
        .primary_key(["customer_id"])
}

fn notes() -> Table {
    Table::new("notes")
        .column(Column::new("note_id", Type::Integer).not_null())
        .primary_key(["note_id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(customers())
        .table(notes())
        .with_entity(Extension::new("citext"))
        .with_entity(Extension::new("pg_trgm").version("1.6"))
}

pub fn after() -> MetaData {
    MetaData::new().table(notes())
}
