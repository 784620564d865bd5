//! An exclusion constraint (PostgreSQL's `EXCLUDE USING gist`) added to a table whose rows
//! already satisfy it: no two bookings overlap in time. Added by name, dropped by name on the
//! downgrade, and compared clean after both. The probe books the same room again on another
//! day: the constraint must refuse overlaps only, not a room's second booking.
use retort_core::*;
use retort_evolution::{Probe, Seed};

pub const DIALECTS: &[&str] = &["postgres"];

fn bookings() -> Table {
    Table::new("bookings")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("room_id", Type::Integer).not_null())
        .column(Column::new("starts_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("ends_at", Type::Timestamp { tz: true }).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(bookings())
}

pub fn after() -> MetaData {
    MetaData::new().table(bookings().exclude(Exclude::new(
        "no_overlap",
        vec![ExcludeElement::expr("tstzrange(starts_at, ends_at)", "&&")],
    )))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "bookings",
        columns: &["id", "room_id", "starts_at", "ends_at"],
        rows: &[
            &["1", "1", "'2026-01-01 10:00+00'", "'2026-01-01 11:00+00'"],
            &["2", "2", "'2026-01-01 11:00+00'", "'2026-01-01 12:00+00'"],
        ],
    }]
}

pub fn probes() -> Vec<Probe> {
    vec![Probe {
        statements: &["INSERT INTO bookings (id, room_id, starts_at, ends_at) VALUES (3, 1, '2026-01-02 10:00+00', '2026-01-02 11:00+00')"],
        table: "bookings",
        columns: &["id"],
        expect: &["1", "2", "3"],
        undo: &["DELETE FROM bookings WHERE id = 3"],
    }]
}
