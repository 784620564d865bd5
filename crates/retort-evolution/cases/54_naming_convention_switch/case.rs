//! Switching the naming convention renames existing constraints and indexes to the names
//! create_all would give them (issue 7, item 12).
use retort_core::*;

// SQLite left out: the downgrade names the constraints create_all(before) leaves unnamed
// with PostgreSQL's scheme, and SQLite stores those names (see pending/README.md).
pub const DIALECTS: &[&str] = &["postgres"];

fn tables(md: MetaData) -> MetaData {
    md.table(
        Table::new("customers")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("email", Type::Text).not_null())
            .primary_key(["id"])
            .unique(["email"]),
    )
    .table(
        Table::new("orders")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("customer_id", Type::Integer).not_null())
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["customer_id"], "customers", ["id"]))
            .index(Index::on_columns(["customer_id"])),
    )
}

pub fn before() -> MetaData {
    tables(MetaData::new())
}

pub fn after() -> MetaData {
    tables(MetaData::new().naming_convention(NamingConvention::recommended()))
}
