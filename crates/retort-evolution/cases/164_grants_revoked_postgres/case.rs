//! Grants revoked (under version control: the suite declares both models' entities so),
//! one grant option taken back while the privilege stays, one given, and a grant on a
//! function the revision keeps; the downgrade grants them again exactly.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c164_reader", "c164_writer"];

fn shop() -> MetaData {
    MetaData::new()
        .table(
            Table::new("orders")
                .column(Column::new("order_id", Type::Integer).not_null())
                .column(Column::new("total", Type::Integer).not_null())
                .primary_key(["order_id"]),
        )
        .with_entity(Function::new(
            "double_it",
            "n integer",
            "RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT n * 2 $$",
        ))
}

pub fn before() -> MetaData {
    let reader = role("c164_reader");
    let writer = role("c164_writer");
    shop()
        .with_entities(["SELECT", "INSERT", "DELETE"].map(|p| Grant::on_table("orders", p, writer.clone())))
        .with_entity(Grant::on_table("orders", "SELECT", reader.clone()).with_grant_option())
        .with_entity(Grant::on_table("orders", "TRUNCATE", "PUBLIC"))
        .with_entity(Grant::on_function("double_it", "n int", reader))
}

pub fn after() -> MetaData {
    let reader = role("c164_reader");
    let writer = role("c164_writer");
    shop()
        .with_entity(Grant::on_table("orders", "SELECT", writer.clone()).with_grant_option())
        .with_entity(Grant::on_table("orders", "SELECT", reader.clone()))
        .with_entity(Grant::on_function("double_it", "n int", reader))
}
