//! Schemas' comments created: one on a new schema (created first, with a view in it), and
//! one on `public`, which replaces the comment PostgreSQL gave it; the downgrade restores
//! `standard public schema` exactly and drops the new schema's comment before the schema.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres", "mysql"];

fn orders() -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Numeric { precision: Some(10), scale: Some(2) }).not_null())
        .primary_key(["order_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(orders())
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(orders())
        .with_entity(View::new("big_orders", "SELECT order_id FROM public.orders WHERE total > 100").in_schema("reports"))
        .with_entity(SchemaComment::new("reports", "Read-only views for the reporting team"))
        .with_entity(SchemaComment::new("public", "The shop's tables (it's ours now)"))
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support comment on schema reports",
    reason: "a MySQL schema is a database, which has no comment",
}];
