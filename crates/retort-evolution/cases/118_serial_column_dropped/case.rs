//! A serial column dropped, PostgreSQL only: its sequence goes with it, and the downgrade adds
//! the column back with a sequence of the same name and options, owned by it again.
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
    let mut t = tickets();
    t.columns.push(
        Column::new("seq_no", Type::Integer).serial(Serial::new().name("ticket_numbers").increment(10)),
    );
    MetaData::new().table(t)
}

pub fn after() -> MetaData {
    MetaData::new().table(tickets())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "tickets", columns: &["ticket_id", "label"], rows: &[&["1", "'a'"], &["2", "'b'"]] }]
}
