//! A type change under an unchanged default (issue 11, items 5 and 6): the default, written as
//! SQLAlchemy writes `server_default="0"` (a text literal), is dropped before the type change
//! and set again after it as the model spells it, so the column dumps exactly as a fresh
//! `create_all` makes it (`DEFAULT '0'::bigint`, not `DEFAULT 0`); and `'0'` on an integer or
//! `'true'` on a boolean, which PostgreSQL stores as `0` and `true`, is no change.
use retort_core::*;
use retort_evolution::Seed;

fn table(counter: Type) -> Table {
    Table::new("counters")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("hits", counter).not_null().server_default(ServerDefault::text("0")))
        .column(Column::new("active", Type::Boolean).not_null().server_default(ServerDefault::text("true")))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Integer))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::BigInt))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "counters", columns: &["id", "hits"], rows: &[&["1", "2147483647"], &["2", "0"]] }]
}

