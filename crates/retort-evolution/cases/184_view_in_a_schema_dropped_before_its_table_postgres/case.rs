//! A schema's view and the table it reads removed from the model: the view (reading the
//! schema's table and one in the default schema) is dropped before the table, and the
//! downgrade creates the table again before it. (Autogenerate never drops a schema itself:
//! the database may hold what the model does not describe, so the schema keeps a table.)
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders() -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Integer).not_null())
        .primary_key(["order_id"])
}

fn daily() -> Table {
    Table::new("daily")
        .schema("reports")
        .column(Column::new("day", Type::Date).not_null())
        .column(Column::new("order_id", Type::Integer).not_null())
        .primary_key(["day", "order_id"])
}

fn archive() -> Table {
    Table::new("archive")
        .schema("reports")
        .column(Column::new("order_id", Type::Integer).not_null())
        .primary_key(["order_id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(orders())
        .table(archive())
        .table(daily())
        .with_entity(
            View::new(
                "daily_totals",
                "SELECT d.day, sum(o.total) AS total FROM reports.daily d JOIN orders o ON o.order_id = d.order_id GROUP BY d.day",
            )
            .in_schema("reports"),
        )
}

pub fn after() -> MetaData {
    MetaData::new().table(orders()).table(archive())
}
