//! One index added, another dropped, a two-column one kept.
use retort_core::*;

fn table() -> Table {
    Table::new("people")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("last_name", Type::Text))
        .column(Column::new("first_name", Type::Text))
        .column(Column::new("city", Type::Text))
        .primary_key(["id"])
        .index(Index::on_columns(["last_name", "first_name"]).name("ix_people_names"))
}

pub fn before() -> MetaData {
    MetaData::new().table(table().index(Index::on_columns(["city"]).name("ix_people_city")))
}

pub fn after() -> MetaData {
    MetaData::new().table(table().index(Index::on_columns(["first_name"]).name("ix_people_first_name")))
}
