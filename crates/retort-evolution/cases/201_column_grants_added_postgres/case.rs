//! Column privileges added: `SELECT` on one column of a kept table (one with the grant
//! option), `UPDATE` on a column the same revision adds (granted after the column exists),
//! and `REFERENCES` to PUBLIC; each is a grant of its own, apart from the table's.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c201_reader", "c201_clerk"];

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("email", Type::Text).not_null())
        .primary_key(["customer_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(customers())
}

pub fn after() -> MetaData {
    let reader = role("c201_reader");
    let clerk = role("c201_clerk");
    MetaData::new()
        .table(customers().column(Column::new("note", Type::Text)))
        .with_entity(Grant::on_column("customers", "email", "SELECT", reader.clone()))
        .with_entity(Grant::on_column("customers", "customer_id", "SELECT", reader).with_grant_option())
        .with_entity(Grant::on_column("customers", "note", "UPDATE", clerk.clone()))
        .with_entity(Grant::on_column("customers", "note", "SELECT", clerk))
        .with_entity(Grant::on_column("customers", "customer_id", "REFERENCES", "public"))
}
