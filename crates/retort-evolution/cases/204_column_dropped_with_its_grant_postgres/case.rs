//! A column dropped that carries a declared column privilege: the grant is revoked first
//! (the model drops it with its column), with no warning that the column takes it along;
//! the downgrade adds the column back, then grants it again. A grant on a kept column stays.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c204_clerk"];

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("email", Type::Text).not_null())
        .primary_key(["customer_id"])
}

pub fn before() -> MetaData {
    let clerk = role("c204_clerk");
    MetaData::new()
        .table(customers().column(Column::new("fax", Type::Text)))
        .with_entity(Grant::on_column("customers", "fax", "UPDATE", clerk.clone()))
        .with_entity(Grant::on_column("customers", "email", "SELECT", clerk))
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(customers())
        .with_entity(Grant::on_column("customers", "email", "SELECT", role("c204_clerk")))
}
