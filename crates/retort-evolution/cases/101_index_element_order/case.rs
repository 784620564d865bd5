//! An index's elements gain an order: `created_at` becomes `created_at DESC`, and a second
//! element comes after it (both backends).
use retort_core::*;
use retort_evolution::Seed;

fn table(elements: Vec<IndexElement>) -> Table {
    Table::new("events")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("created_at", Type::BigInt))
        .column(Column::new("title", Type::Varchar(Some(80))).not_null())
        .primary_key(["id"])
        .index(Index::on(elements).name("ix_events_recent"))
}

pub fn before() -> MetaData {
    MetaData::new().table(table(vec![IndexElement::column("created_at")]))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(vec![
        IndexElement::column("created_at").desc(),
        IndexElement::expr("lower(title)").desc(),
    ]))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "events",
        columns: &["id", "created_at", "title"],
        rows: &[&["1", "10", "'a'"], &["2", "NULL", "'B'"]],
    }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support expressions in indexes (index `ix_events_recent`",
    reason: "MariaDB has no expression indexes (MySQL 8.0.13 has functional key parts, refused for MariaDB's sake): index a generated column instead",
}];
