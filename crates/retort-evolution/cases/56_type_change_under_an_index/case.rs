//! varchar -> integer on a column that a plain index and an expression index depend on
//! (issue 7, item 8): the cast and the indexes survive.
use retort_core::*;
use retort_evolution::Seed;

fn table(ty: Type) -> Table {
    Table::new("parts")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("code", ty).not_null())
        .primary_key(["id"])
        .index(Index::on_columns(["code"]).name("ix_parts_code"))
        .index(Index::on(vec![IndexElement::expr("abs(id)"), IndexElement::column("code")]).name("ix_parts_abs_code"))
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Varchar(Some(12))))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::Integer))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "parts", columns: &["id", "code"], rows: &[&["1", "'100'"], &["2", "'250'"]] }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support expressions in indexes (index `ix_parts_abs_code`",
    reason: "MariaDB has no expression indexes (MySQL 8.0.13 has functional key parts, refused for MariaDB's sake), and the case is about the expression index over the changed column",
}];
