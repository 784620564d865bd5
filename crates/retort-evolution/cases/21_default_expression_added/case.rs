//! Expression defaults added and changed: an arithmetic expression and a function call.
use retort_core::*;
use retort_evolution::Seed;

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("jobs")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("priority", Type::Integer))
            .column(Column::new("due", Type::Date).server_default(ServerDefault::expr("CURRENT_DATE")))
            .column(Column::new("code", Type::Text))
            .primary_key(["id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        Table::new("jobs")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("priority", Type::Integer).server_default(ServerDefault::expr("2 * 5")))
            .column(Column::new("due", Type::Date))
            .column(Column::new("code", Type::Text).server_default(ServerDefault::expr("lower('ABC')")))
            .primary_key(["id"]),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "jobs", columns: &["id", "priority", "due", "code"], rows: &[&["1", "3", "'2026-11-25'", "'x'"], &["2", "NULL", "NULL", "NULL"]] }]
}
