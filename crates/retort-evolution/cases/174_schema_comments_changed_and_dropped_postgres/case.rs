//! Schemas' comments changed and dropped: `reports` gets new words (`COMMENT ON SCHEMA`
//! again), `archive` loses its comment (`IS NULL`, the schema and its table stay); the
//! downgrade sets both old texts again.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn tables() -> MetaData {
    MetaData::new()
        .table(
            Table::new("daily")
                .schema("reports")
                .column(Column::new("day", Type::Date).not_null())
                .primary_key(["day"]),
        )
        .table(
            Table::new("old_orders")
                .schema("archive")
                .column(Column::new("order_id", Type::Integer).not_null())
                .primary_key(["order_id"]),
        )
}

pub fn before() -> MetaData {
    tables()
        .with_entity(SchemaComment::new("reports", "Reports"))
        .with_entity(SchemaComment::new("archive", "Orders older than a year"))
}

pub fn after() -> MetaData {
    tables().with_entity(SchemaComment::new("reports", "Reports, refreshed nightly\n(see the runbook)"))
}
