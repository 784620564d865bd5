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
