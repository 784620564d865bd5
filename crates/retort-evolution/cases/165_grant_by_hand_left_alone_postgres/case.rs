//! A grant made by hand (nobody declared it, no revision made it) is left alone, with a
//! warning naming it, while the model's own grants to the same role are added: the role
//! and the privilege are known, the grant is not, so it is never revoked silently.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c165_app"];
pub const WARNINGS: &[&str] = &[
    "grant DELETE on table orders to c165_app_",
];

fn shop() -> MetaData {
    MetaData::new().table(
        Table::new("orders")
            .column(Column::new("order_id", Type::Integer).not_null())
            .primary_key(["order_id"]),
    )
}

pub fn by_hand() -> Vec<String> {
    vec![format!("GRANT DELETE ON orders TO {}", role("c165_app"))]
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    shop().with_entity(Grant::on_table("orders", "SELECT", role("c165_app")))
}
