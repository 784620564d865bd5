//! A value removed from an enum type used by a column with a default: the safe type swap
//! through text (PostgreSQL cannot drop a value); rows with other values survive.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn model(values: &[&str]) -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("stage", values.iter().copied()))
        .table(
            Table::new("deals")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("stage", Type::enumeration("stage")).not_null().server_default(ServerDefault::text("lead")))
                .primary_key(["id"]),
        )
}

pub fn before() -> MetaData {
    model(&["lead", "maybe", "won", "lost"])
}

pub fn after() -> MetaData {
    model(&["lead", "won", "lost"])
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "deals", columns: &["id", "stage"], rows: &[&["1", "'lead'"], &["2", "'won'"], &["3", "'lost'"]] }]
}
