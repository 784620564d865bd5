//! A column dropped under a view that reads it, the view changed to do without it:
//! PostgreSQL and SQLite both refuse `DROP COLUMN` while the old view reads it (SQLite:
//! "error in view .. after drop column"), so the old view is dropped first and the new one
//! created after the drop; the downgrade adds the column back, then the old view.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn orders(with_note: bool) -> Table {
    let t = Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null());
    let t = if with_note { t.column(Column::new("note", Type::Text)) } else { t };
    t.primary_key(["order_id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(orders(true))
        .with_entity(View::new("order_notes", "SELECT order_id, note FROM orders"))
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(orders(false))
        .with_entity(View::new("order_notes", "SELECT order_id FROM orders"))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "orders",
        columns: &["order_id", "customer_id", "note"],
        rows: &[&["1", "7", "'fragile'"]],
    }]
}
