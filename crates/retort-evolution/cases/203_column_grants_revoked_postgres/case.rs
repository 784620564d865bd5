//! Column privileges revoked (under version control: the history made them), the columns
//! and the table-wide grant to the same role kept; the downgrade grants them again.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c203_clerk"];

fn shop() -> MetaData {
    MetaData::new()
        .table(
            Table::new("customers")
                .column(Column::new("customer_id", Type::Integer).not_null())
                .column(Column::new("email", Type::Text).not_null())
                .primary_key(["customer_id"]),
        )
        .with_entity(Grant::on_table("customers", "INSERT", role("c203_clerk")))
}

pub fn before() -> MetaData {
    let clerk = role("c203_clerk");
    shop()
        .with_entity(Grant::on_column("customers", "email", "UPDATE", clerk.clone()))
        .with_entity(Grant::on_column("customers", "email", "SELECT", clerk.clone()).with_grant_option())
        .with_entity(Grant::on_column("customers", "customer_id", "SELECT", clerk))
}

pub fn after() -> MetaData {
    shop()
}
