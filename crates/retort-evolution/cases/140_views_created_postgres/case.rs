//! Views created: one over a table, one over that view (declared first: the order comes
//! from the dependency), a materialized view, and one in another schema; written as a
//! user writes them, which PostgreSQL prints otherwise (no false positive after upgrade).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres", "mysql"];

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("name", Type::Varchar(Some(100))).not_null())
        .primary_key(["customer_id"])
}

fn orders() -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Numeric { precision: Some(10), scale: Some(2) }).not_null())
        .column(Column::new("updated_at", Type::Timestamp { tz: true }))
        .primary_key(["order_id"])
        .foreign_key(ForeignKey::new(["customer_id"], "customers", ["customer_id"]))
}

fn shop() -> MetaData {
    MetaData::new().table(customers()).table(orders())
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    shop()
        .with_entity(View::new("big_spenders", "select customer_id from order_totals where total > 100"))
        .with_entity(View::new(
            "order_totals",
            "SELECT customer_id, count(*) AS n, sum(total) AS total FROM orders GROUP BY customer_id",
        ))
        .with_entity(MaterializedView::new("customer_names", "SELECT customer_id, upper(name) AS name FROM customers"))
        .with_entity(View::new("recent", "SELECT order_id FROM public.orders WHERE updated_at > now() - interval '1 day'").in_schema("reports"))
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support materialized view customer_names",
    reason: "MySQL and MariaDB have no materialized views (and a MySQL schema is a database, so `reports` has no place either); the plain views of this case run on MariaDB in 150",
}];
