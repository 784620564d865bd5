//! Column privileges changed: the grant option given on one and taken back on another (the
//! privilege stays), one privilege moved from one column to another (a revoke and a grant),
//! and a table-wide grant beside a column grant of the same privilege kept apart.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c202_reader", "c202_clerk"];

fn shop() -> MetaData {
    MetaData::new()
        .table(
            Table::new("customers")
                .column(Column::new("customer_id", Type::Integer).not_null())
                .column(Column::new("email", Type::Text).not_null())
                .column(Column::new("phone", Type::Text))
                .primary_key(["customer_id"]),
        )
        .with_entity(Grant::on_table("customers", "SELECT", role("c202_clerk")))
}

pub fn before() -> MetaData {
    let reader = role("c202_reader");
    let clerk = role("c202_clerk");
    shop()
        .with_entity(Grant::on_column("customers", "email", "SELECT", reader.clone()))
        .with_entity(Grant::on_column("customers", "customer_id", "SELECT", reader).with_grant_option())
        .with_entity(Grant::on_column("customers", "email", "UPDATE", clerk))
}

pub fn after() -> MetaData {
    let reader = role("c202_reader");
    let clerk = role("c202_clerk");
    shop()
        .with_entity(Grant::on_column("customers", "email", "SELECT", reader.clone()).with_grant_option())
        .with_entity(Grant::on_column("customers", "customer_id", "SELECT", reader))
        .with_entity(Grant::on_column("customers", "phone", "UPDATE", clerk))
}
