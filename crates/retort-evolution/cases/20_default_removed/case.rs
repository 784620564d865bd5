//! Server defaults of every kind removed (and put back by the downgrade).
use retort_core::*;
use retort_evolution::Seed;

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("things")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("label", Type::Text).server_default(ServerDefault::text("none")))
            .column(Column::new("qty", Type::Integer).server_default(ServerDefault::int(1)))
            .column(Column::new("flag", Type::Boolean).server_default(ServerDefault::bool(true)))
            .column(Column::new("created", Type::Timestamp { tz: true }).server_default(ServerDefault::expr("CURRENT_TIMESTAMP")))
            .primary_key(["id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        Table::new("things")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("label", Type::Text))
            .column(Column::new("qty", Type::Integer))
            .column(Column::new("flag", Type::Boolean))
            .column(Column::new("created", Type::Timestamp { tz: true }))
            .primary_key(["id"]),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "things", columns: &["id", "label", "qty"], rows: &[&["1", "'a'", "2"], &["2", "'b'", "3"]] }]
}

