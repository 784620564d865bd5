//! Grants added: privileges on a table (one with the grant option), on a view and a
//! function the same revision creates (each granted after its object), on a sequence, and
//! to PUBLIC; one privilege a grant, listed several at once with `with_entities`.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c163_reader", "c163_writer"];

fn shop() -> MetaData {
    MetaData::new()
        .table(
            Table::new("orders")
                .column(Column::new("order_id", Type::Integer).not_null())
                .column(Column::new("total", Type::Integer).not_null())
                .primary_key(["order_id"]),
        )
        .with_sequence(Sequence::new("order_numbers"))
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    let reader = role("c163_reader");
    let writer = role("c163_writer");
    shop()
        .with_entities(
            ["SELECT", "INSERT", "UPDATE"].map(|p| Grant::on_table("orders", p, writer.clone())),
        )
        .with_entity(Grant::on_table("orders", "SELECT", reader.clone()).with_grant_option())
        .with_entity(Grant::on_table("order_totals", "SELECT", reader.clone()))
        .with_entity(Grant::on_table("order_totals", "SELECT", "public"))
        .with_entity(View::new("order_totals", "SELECT sum(total) AS total FROM orders"))
        .with_entity(Grant::on_sequence("order_numbers", "USAGE", writer.clone()))
        .with_entity(Grant::on_function("double_it", "n int", reader))
        .with_entity(Function::new(
            "double_it",
            "n int",
            "RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT n * 2 $$",
        ))
}
