//! A view of a view over a column whose type changes: both go before the change, the one
//! reading the other first, and come back after it in creation order (the dependent of the
//! dependent is found through the first view's name); the downgrade mirrors it.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders(customer: Type) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", customer).not_null())
        .column(Column::new("total", Type::Integer).not_null())
        .primary_key(["order_id"])
}

fn views(md: MetaData) -> MetaData {
    // Declared dependent first: the order comes from the definitions.
    md.with_entity(View::new("big_customers", "SELECT customer_id FROM customer_totals WHERE total > 100"))
        .with_entity(View::new(
            "customer_totals",
            "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id",
        ))
}

pub fn before() -> MetaData {
    views(MetaData::new().table(orders(Type::Integer)))
}

pub fn after() -> MetaData {
    views(MetaData::new().table(orders(Type::BigInt)))
}
