//! A serial column added to a table with rows, PostgreSQL only (SQLite has serial keys only
//! as the rowid): the existing rows are numbered by the new sequence, which the column owns.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn tickets() -> Table {
    Table::new("tickets")
        .column(Column::new("ticket_id", Type::Integer).not_null())
        .column(Column::new("label", Type::Text))
        .primary_key(["ticket_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(tickets())
}

pub fn after() -> MetaData {
    let mut t = tickets();
    t.columns.push(Column::new("seq_no", Type::BigInt).serial(Serial::new()));
    MetaData::new().table(t)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "tickets", columns: &["ticket_id", "label"], rows: &[&["1", "'a'"], &["2", "'b'"]] }]
}
