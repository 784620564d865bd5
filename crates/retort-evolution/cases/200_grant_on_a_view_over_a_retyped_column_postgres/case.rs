//! A column's type changes under a view that has a grant: `DROP VIEW` takes the grant
//! along, so the revision revokes it before dropping the view and grants it again once the
//! view is re-created after the change; a grant on a view the change does not touch stays.
//! The downgrade does the mirror, and the grant is back after it too.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c200_reader"];

fn orders(total: Type) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", total).not_null())
        .primary_key(["order_id"])
}

fn views(md: MetaData) -> MetaData {
    let reader = role("c200_reader");
    md.with_entity(View::new(
        "order_totals",
        "SELECT customer_id, count(*) AS n, sum(total) AS total FROM orders GROUP BY customer_id",
    ))
    .with_entity(View::new("order_ids", "SELECT order_id, customer_id FROM orders"))
    .with_entity(Grant::on_table("order_totals", "SELECT", reader.clone()))
    .with_entity(Grant::on_table("order_ids", "SELECT", reader))
}

pub fn before() -> MetaData {
    views(MetaData::new().table(orders(Type::Integer)))
}

pub fn after() -> MetaData {
    views(MetaData::new().table(orders(Type::Numeric { precision: Some(12), scale: Some(2) })))
}
