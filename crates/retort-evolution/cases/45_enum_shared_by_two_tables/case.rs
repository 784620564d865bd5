//! A new table reusing an existing enum type does not create it again; the downgrade
//! keeps it (the first table still uses it).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn people() -> Table {
    Table::new("people")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("mood", Type::enumeration("mood")))
        .primary_key(["id"])
}

fn mood() -> EnumType {
    EnumType::new("mood", ["sad", "ok", "happy"])
}

pub fn before() -> MetaData {
    MetaData::new().enum_type(mood()).table(people())
}

pub fn after() -> MetaData {
    MetaData::new().enum_type(mood()).table(people()).table(
        Table::new("pets")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("mood", Type::enumeration("mood")).not_null().server_default(ServerDefault::text("ok")))
            .primary_key(["id"]),
    )
}
