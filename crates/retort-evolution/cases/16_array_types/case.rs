//! Arrays: an array column added, and integer[] -> bigint[] (PostgreSQL only).
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("posts")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("scores", Type::array(Type::Integer)))
            .primary_key(["id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        Table::new("posts")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("scores", Type::array(Type::BigInt)))
            .column(Column::new("tags", Type::array(Type::Text)).not_null().server_default(ServerDefault::expr("'{}'")))
            .primary_key(["id"]),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "posts", columns: &["id"], rows: &[&["1"], &["2"]] }]
}
