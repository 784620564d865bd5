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

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support an index on column `people.last_name` of type Text",
    reason: "MySQL keys only a prefix of a TEXT, BLOB or JSON column, which the model cannot say; SQLAlchemy's TEXT index fails there the same way (a careful MySQL model gives the column a VARCHAR(n) variant)",
}];
