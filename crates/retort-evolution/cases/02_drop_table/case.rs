//! A table dropped; the one left keeps its rows.
use retort_core::*;
use retort_evolution::Seed;

fn kept() -> Table {
    Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("name", Type::Text))
        .primary_key(["customer_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(kept()).table(
        Table::new("audit_log")
            .column(Column::new("id", Type::BigInt).not_null())
            .column(Column::new("message", Type::Text).not_null())
            .column(Column::new("at", Type::Timestamp { tz: true }).server_default(ServerDefault::expr("CURRENT_TIMESTAMP")))
            .primary_key(["id"])
            .index(Index::on_columns(["at"]).name("ix_audit_log_at")),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(kept())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "customers", columns: &["customer_id", "name"], rows: &[&["1", "'Ada'"], &["2", "NULL"]] },
        Seed { table: "audit_log", columns: &["id", "message"], rows: &[&["1", "'gone'"]] },
    ]
}
