//! A materialized view and a function with a SQL-standard body (`BEGIN ATOMIC`, whose reads
//! PostgreSQL records) over a column whose type changes: both block `ALTER COLUMN .. TYPE`,
//! so both go before it and come back after it; a PL/pgSQL function naming the column (a
//! string body, checked only when it runs) stays.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders(total: Type) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", total).not_null())
        .primary_key(["order_id"])
}

fn entities(md: MetaData) -> MetaData {
    md.with_entity(MaterializedView::new(
        "customer_totals",
        "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id",
    ))
    .with_entity(Function::new(
        "order_count",
        "",
        "RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(total) FROM orders; END",
    ))
    .with_entity(Function::new(
        "grand_total",
        "",
        "RETURNS numeric LANGUAGE plpgsql STABLE AS $$\nBEGIN\n  RETURN (SELECT coalesce(sum(total), 0) FROM orders);\nEND\n$$",
    ))
}

pub fn before() -> MetaData {
    entities(MetaData::new().table(orders(Type::Integer)))
}

pub fn after() -> MetaData {
    entities(MetaData::new().table(orders(Type::BigInt)))
}
