//! An exclusion constraint's predicate changed (`WHERE (NOT cancelled)` to also spare
//! tentative bookings): a changed constraint is a drop and a create under the same name,
//! compared clean after the upgrade and the downgrade. The rows satisfy both. The probe
//! inserts a booking overlapping a live one with `ON CONFLICT DO NOTHING`: refused under
//! either predicate, so the table is the same after the upgrade and the downgrade.
use retort_core::*;
use retort_evolution::{Probe, Seed};

pub const DIALECTS: &[&str] = &["postgres"];

fn bookings(predicate: &str) -> Table {
    Table::new("bookings")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("starts_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("ends_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("cancelled", Type::Boolean).not_null())
        .column(Column::new("tentative", Type::Boolean).not_null())
        .primary_key(["id"])
        .exclude(
            Exclude::new(
                "no_overlap",
                vec![ExcludeElement::expr("tstzrange(starts_at, ends_at)", "&&")],
            )
            .predicate(predicate),
        )
}

pub fn before() -> MetaData {
    MetaData::new().table(bookings("NOT cancelled"))
}

pub fn after() -> MetaData {
    MetaData::new().table(bookings("NOT cancelled AND NOT tentative"))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "bookings",
        columns: &["id", "starts_at", "ends_at", "cancelled", "tentative"],
        rows: &[
            &["1", "'2026-01-01 10:00+00'", "'2026-01-01 11:00+00'", "false", "false"],
            &["2", "'2026-01-01 10:30+00'", "'2026-01-01 11:30+00'", "true", "false"],
        ],
    }]
}

pub fn probes() -> Vec<Probe> {
    vec![Probe {
        statements: &["INSERT INTO bookings VALUES (3, '2026-01-01 10:15+00', '2026-01-01 10:45+00', false, false) ON CONFLICT DO NOTHING"],
        table: "bookings",
        columns: &["id"],
        expect: &["1", "2"],
        undo: &["DELETE FROM bookings WHERE id = 3"],
    }]
}
