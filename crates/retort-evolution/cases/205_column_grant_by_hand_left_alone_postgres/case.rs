//! A column privilege made by hand (nobody declared it, no revision made it) is left alone,
//! with a warning naming it, while the model's own column grant to the same role on the
//! same column is added: never revoked silently.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c205_app"];
pub const WARNINGS: &[&str] = &["grant UPDATE (email) on table customers to c205_app_"];

fn shop() -> MetaData {
    MetaData::new().table(
        Table::new("customers")
            .column(Column::new("customer_id", Type::Integer).not_null())
            .column(Column::new("email", Type::Text).not_null())
            .primary_key(["customer_id"]),
    )
}

pub fn by_hand() -> Vec<String> {
    vec![format!("GRANT UPDATE (email) ON customers TO {}", role("c205_app"))]
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    shop().with_entity(Grant::on_column("customers", "email", "SELECT", role("c205_app")))
}
