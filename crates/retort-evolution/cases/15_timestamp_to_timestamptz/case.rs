//! timestamp without time zone -> with time zone, the now() default kept.
use retort_core::*;
use retort_evolution::Seed;

fn table(tz: bool) -> Table {
    Table::new("visits")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("seen_at", Type::Timestamp { tz }).not_null().server_default(ServerDefault::expr("now()")))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(false))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(true))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "visits", columns: &["id"], rows: &[&["1"], &["2"]] }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "autogenerate found no change between the before- and after-model",
    reason: "MySQL has no time-zone-aware DATETIME: both timestamp kinds are DATETIME(6), so there is nothing to migrate (TIMESTAMP converts to UTC but ends in 2038)",
}];
