//! A column dropped together with the index and the check that use it; the downgrade
//! brings all three back.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("accounts")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("name", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("balance", Type::numeric(12, 2)).not_null().server_default(ServerDefault::int(0)))
            .check(Some("ck_accounts_balance"), "balance >= 0")
            .index(Index::on_columns(["balance"]).name("ix_accounts_balance")),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(base())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "accounts", columns: &["id", "name", "balance"], rows: &[&["1", "'a'", "10.00"], &["2", "'b'", "0"]] }]
}
