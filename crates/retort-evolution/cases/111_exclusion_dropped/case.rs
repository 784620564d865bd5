//! A partial, deferrable exclusion constraint dropped: the drop names it and carries its
//! definition, so the downgrade re-creates it exactly (predicate and DEFERRABLE included)
//! over the rows still there, which satisfy it.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn bookings() -> Table {
    Table::new("bookings")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("starts_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("ends_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("cancelled", Type::Boolean).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(
        bookings().exclude(
            Exclude::new(
                "no_overlap",
                vec![ExcludeElement::expr("tstzrange(starts_at, ends_at)", "&&")],
            )
            .predicate("NOT cancelled")
            .deferrable(Deferrable::InitiallyDeferred),
        ),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(bookings())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "bookings",
        columns: &["id", "starts_at", "ends_at", "cancelled"],
        rows: &[
            &["1", "'2026-01-01 10:00+00'", "'2026-01-01 11:00+00'", "false"],
            &["2", "'2026-01-01 10:30+00'", "'2026-01-01 11:30+00'", "true"],
        ],
    }]
}
