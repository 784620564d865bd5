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

/// Directions this case is not yet carried across (see `retort_evolution::run_cross`).
pub const NOT_PORTABLE: &[retort_evolution::NotPortable] = &[
    retort_evolution::NotPortable {
        direction: "postgres_to_sqlite",
        error: "the downgraded schema differs from create_all(before):",
        reason: "open: the names PostgreSQL gives unnamed constraints (t_pkey, t_col_fkey, t_col_key, t_col_check) are read back and recorded in the ops (a dropped table's definition, a re-created key), so SQLite gets named constraints where its create_all has none",
    },
];
