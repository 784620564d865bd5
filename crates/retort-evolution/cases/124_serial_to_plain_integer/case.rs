//! A serial key made a plain integer key, PostgreSQL only: its default and sequence are
//! dropped; the downgrade creates the sequence again, owned by the key, and moves it past the
//! rows so the next insert does not collide.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn accounts(id: Column) -> Table {
    Table::new("accounts")
        .column(id)
        .column(Column::new("owner", Type::Text).not_null())
        .primary_key(["account_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(accounts(Column::new("account_id", Type::Integer).serial(Serial::new())))
}

pub fn after() -> MetaData {
    MetaData::new().table(accounts(Column::new("account_id", Type::Integer).not_null()))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "accounts", columns: &["account_id", "owner"], rows: &[&["1", "'ada'"], &["5", "'bob'"]] }]
}
