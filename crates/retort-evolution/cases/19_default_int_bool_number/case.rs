//! Integer, boolean and decimal literal defaults: added, changed and flipped.
use retort_core::*;
use retort_evolution::Seed;

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("settings")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("retries", Type::Integer).not_null().server_default(ServerDefault::int(3)))
            .column(Column::new("enabled", Type::Boolean).not_null().server_default(ServerDefault::bool(false)))
            .column(Column::new("rate", Type::numeric(5, 2)))
            .column(Column::new("offset_by", Type::BigInt))
            .primary_key(["id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        Table::new("settings")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("retries", Type::Integer).not_null().server_default(ServerDefault::int(5)))
            .column(Column::new("enabled", Type::Boolean).not_null().server_default(ServerDefault::bool(true)))
            .column(Column::new("rate", Type::numeric(5, 2)).server_default(ServerDefault::Literal(Literal::Number("1.25".into()))))
            .column(Column::new("offset_by", Type::BigInt).server_default(ServerDefault::int(-1)))
            .primary_key(["id"]),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "settings", columns: &["id", "retries", "enabled", "rate", "offset_by"], rows: &[&["1", "4", "true", "NULL", "NULL"], &["2", "1", "false", "2.50", "9000000000"]] }]
}

