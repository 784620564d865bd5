//! A serial key widened from integer to bigint (serial to bigserial), PostgreSQL only: the
//! sequence it owns becomes `AS bigint` with it, as `create_all` of a bigserial makes it, and
//! keeps its value.
use retort_core::*;
use retort_evolution::{Probe, Seed};

pub const DIALECTS: &[&str] = &["postgres"];

fn events(ty: Type) -> Table {
    Table::new("events")
        .column(Column::new("event_id", ty).serial(Serial::new()))
        .column(Column::new("kind", Type::Text).not_null())
        .primary_key(["event_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(events(Type::Integer))
}

pub fn after() -> MetaData {
    MetaData::new().table(events(Type::BigInt))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "events", columns: &["kind"], rows: &[&["'a'"], &["'b'"]] }]
}

/// The sequence keeps its value through the type change both ways.
pub fn probes() -> Vec<Probe> {
    vec![Probe {
        statements: &["INSERT INTO events (kind) VALUES ('c')"],
        table: "events",
        columns: &["event_id", "kind"],
        expect: &["1|a", "2|b", "3|c"],
        undo: &["DELETE FROM events WHERE kind = 'c'", "SELECT setval('events_event_id_seq', 2)"],
    }]
}
