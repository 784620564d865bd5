//! A view in schema `reports` over a column of a table in the default schema whose type
//! changes: found across schemas (by name and from `pg_depend`), dropped before the change
//! and created again, in its schema, after it.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders(total: Type) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("total", total).not_null())
        .primary_key(["order_id"])
}

fn archive() -> Table {
    Table::new("archive")
        .schema("reports")
        .column(Column::new("order_id", Type::Integer).not_null())
        .primary_key(["order_id"])
}

fn entities(md: MetaData) -> MetaData {
    md.with_entity(
        View::new("big_orders", "SELECT order_id, total FROM public.orders WHERE total > 100")
            .in_schema("reports"),
    )
}

pub fn before() -> MetaData {
    entities(MetaData::new().table(orders(Type::Integer)).table(archive()))
}

pub fn after() -> MetaData {
    entities(MetaData::new().table(orders(Type::BigInt)).table(archive()))
}
