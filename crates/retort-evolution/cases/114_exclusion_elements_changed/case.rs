//! An exclusion constraint's elements, method and bounds changed: `btree (room_id WITH =)`
//! (one booking a room) becomes `gist (tstzrange(starts_at, ends_at, '[]') WITH &&)`, whose
//! literal PostgreSQL stores as `'[]'::text`: the upgraded database must compare clean
//! with the model as written (no false change), and the downgrade restores the btree one.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn bookings(x: Exclude) -> Table {
    Table::new("bookings")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("room_id", Type::Integer).not_null())
        .column(Column::new("starts_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("ends_at", Type::Timestamp { tz: true }).not_null())
        .primary_key(["id"])
        .exclude(x)
}

pub fn before() -> MetaData {
    MetaData::new().table(bookings(
        Exclude::new("bookings_rule", vec![ExcludeElement::column("room_id", "=")]).using("btree"),
    ))
}

pub fn after() -> MetaData {
    MetaData::new().table(bookings(Exclude::new(
        "bookings_rule",
        vec![ExcludeElement::expr("tstzrange(starts_at, ends_at, '[]')", "&&")],
    )))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "bookings",
        columns: &["id", "room_id", "starts_at", "ends_at"],
        rows: &[
            &["1", "1", "'2026-01-01 10:00+00'", "'2026-01-01 11:00+00'"],
            &["2", "2", "'2026-01-01 12:00+00'", "'2026-01-01 13:00+00'"],
        ],
    }]
}
