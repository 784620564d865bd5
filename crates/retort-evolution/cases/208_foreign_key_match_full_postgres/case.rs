//! A composite foreign key made `MATCH FULL` (PostgreSQL; DAViCal's `caldav_exists` is one):
//! a drop and re-create, compared clean after the upgrade and the downgrade. MySQL parses
//! `MATCH` and keeps nothing of it, and is refused it (`retort-dialect`'s constraint options);
//! SQLite ignores it too but keeps the text, so it is written there and kept by a rebuild
//! (`retort-dialect`'s `a_match_full_key_is_written_and_kept_by_a_rebuild`).
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn model(fk: ForeignKey) -> MetaData {
    MetaData::new()
        .table(
            Table::new("pairs")
                .column(Column::new("a", Type::Integer).not_null())
                .column(Column::new("b", Type::Integer).not_null())
                .primary_key(["a", "b"]),
        )
        .table(
            Table::new("uses")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("a", Type::Integer))
                .column(Column::new("b", Type::Integer))
                .primary_key(["id"])
                .foreign_key(fk),
        )
}

fn fk() -> ForeignKey {
    ForeignKey::new(["a", "b"], "pairs", ["a", "b"]).name("fk_uses_pair").on_delete(FkAction::Cascade)
}

pub fn before() -> MetaData {
    model(fk())
}

pub fn after() -> MetaData {
    model(fk().match_type(FkMatch::Full))
}

/// Rows both kinds of key take: one referring, one referring to nothing (all NULL).
pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "pairs", columns: &["a", "b"], rows: &[&["1", "2"]] },
        Seed { table: "uses", columns: &["id", "a", "b"], rows: &[&["1", "1", "2"], &["2", "NULL", "NULL"]] },
    ]
}
