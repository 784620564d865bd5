//! Unique constraint options (PostgreSQL): one made `DEFERRABLE INITIALLY DEFERRED`, one
//! made `NULLS NOT DISTINCT` (PostgreSQL 15), one added with both, and a foreign key made
//! deferrable; each a drop and re-create, compared clean after the upgrade and the downgrade;
//! and a unique index made `NULLS NOT DISTINCT`.
use retort_core::*;
use retort_evolution::{Probe, Seed};

pub const DIALECTS: &[&str] = &["postgres"];

fn seats(deferred: bool) -> Table {
    let fk = ForeignKey::new(["room_id"], "rooms", ["id"]).name("fk_seats_room");
    let fk = if deferred { fk.deferrable(Deferrable::InitiallyDeferred) } else { fk };
    Table::new("seats")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("room_id", Type::Integer).not_null())
        .column(Column::new("position", Type::Integer).not_null())
        .column(Column::new("code", Type::Text))
        .column(Column::new("label", Type::Text))
        .primary_key(["id"])
        .foreign_key(fk)
}

fn rooms() -> Table {
    Table::new("rooms").column(Column::new("id", Type::Integer).not_null()).primary_key(["id"])
}

pub fn before() -> MetaData {
    let mut t = seats(false).index(Index::on_columns(["room_id", "code"]).name("ix_seats_room_code").unique());
    t.uniques.push(Unique::new(["room_id", "position"]).name("uq_seats_position"));
    t.uniques.push(Unique::new(["code"]).name("uq_seats_code"));
    MetaData::new().table(rooms()).table(t)
}

pub fn after() -> MetaData {
    let mut t = seats(true).index(Index::on_columns(["room_id", "code"]).name("ix_seats_room_code").unique().nulls_not_distinct());
    t.uniques.push(Unique::new(["room_id", "position"]).name("uq_seats_position").deferrable(Deferrable::InitiallyDeferred));
    t.uniques.push(Unique::new(["code"]).name("uq_seats_code").nulls_not_distinct());
    t.uniques.push(Unique::new(["label"]).name("uq_seats_label").nulls_not_distinct().deferrable(Deferrable::InitiallyImmediate));
    MetaData::new().table(rooms()).table(t)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "rooms", columns: &["id"], rows: &[&["1"]] },
        Seed { table: "seats", columns: &["id", "room_id", "position", "code", "label"], rows: &[&["1", "1", "1", "NULL", "'a'"], &["2", "1", "2", "'x'", "NULL"]] },
    ]
}

pub fn probes() -> Vec<Probe> {
    vec![Probe {
        statements: &["INSERT INTO seats (id, room_id, position, code, label) VALUES (3, 1, 3, 'y', 'b')"],
        table: "seats",
        columns: &["id", "code"],
        expect: &["1|<null>", "2|x", "3|y"],
        undo: &["DELETE FROM seats WHERE id = 3"],
    }]
}
