//! A new table created with two exclusion constraints in its `CREATE TABLE`: a gist one on
//! an expression, and a btree one with an element ordering and an INCLUDE column (neither
//! needs the btree_gist extension). A fresh `create_all` and the upgraded database compare
//! alike, and the downgrade drops the table with both.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn rooms() -> Table {
    Table::new("rooms")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(rooms())
}

pub fn after() -> MetaData {
    let slots = Table::new("slots")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("room_id", Type::Integer).not_null())
        .column(Column::new("code", Type::Varchar(Some(20))).not_null())
        .column(Column::new("starts_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("ends_at", Type::Timestamp { tz: true }).not_null())
        .primary_key(["id"])
        .foreign_key(ForeignKey::new(["room_id"], "rooms", ["id"]).name("fk_slots_room"))
        .exclude(Exclude::new(
            "slots_no_overlap",
            vec![ExcludeElement::expr("tstzrange(starts_at, ends_at, '[)')", "&&")],
        ))
        .exclude(
            Exclude::new(
                "slots_one_code",
                vec![ExcludeElement::new(IndexElement::column("code").desc(), "=")],
            )
            .using("btree")
            .include(["room_id"]),
        );
    MetaData::new().table(rooms()).table(slots)
}
