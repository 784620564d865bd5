//! A column's type changes under a view that reads it: PostgreSQL refuses `ALTER COLUMN ..
//! TYPE` while the view is there, so the revision drops the view first and creates it
//! again after the change; a view reading other columns of the table stays. The downgrade
//! does the mirror and restores the view's exact previous definition.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders(total: Type) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", total).not_null())
        .primary_key(["order_id"])
}

fn views(md: MetaData) -> MetaData {
    md.with_entity(View::new(
        "order_totals",
        "SELECT customer_id, count(*) AS n, sum(total) AS total FROM orders GROUP BY customer_id",
    ))
    .with_entity(View::new("order_ids", "SELECT order_id, customer_id FROM orders"))
}

pub fn before() -> MetaData {
    views(MetaData::new().table(orders(Type::Integer)))
}

pub fn after() -> MetaData {
    views(MetaData::new().table(orders(Type::Numeric { precision: Some(12), scale: Some(2) })))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "orders",
        columns: &["order_id", "customer_id", "total"],
        rows: &[&["1", "7", "5"], &["2", "7", "6"]],
    }]
}
