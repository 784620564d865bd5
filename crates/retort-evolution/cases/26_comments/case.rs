//! Table and column comments added, changed and removed (PostgreSQL and MariaDB: SQLite
//! keeps none).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres", "mysql"];

pub fn before() -> MetaData {
    MetaData::new()
        .table(
            Table::new("customers")
                .column(Column::new("id", Type::Integer).not_null().comment("the key"))
                .column(Column::new("email", Type::Text).comment("old text"))
                .primary_key(["id"]),
        )
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .primary_key(["id"])
                .comment("What people buy"),
        )
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(
            Table::new("customers")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("email", Type::Text).comment("where we write, l'adresse"))
                .primary_key(["id"])
                .comment("People who buy"),
        )
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null().comment("order number"))
                .primary_key(["id"]),
        )
}
