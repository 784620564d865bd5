//! A column dropped under a view that another view reads: the database refuses to drop the
//! first view while the second reads it, so both go before the column (the reader first)
//! and come back after it (the first view as the model now has it, then the unchanged
//! reader); the downgrade mirrors it with the old definitions.
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

fn reader() -> View {
    View::new("first_orders", "SELECT order_id FROM order_list WHERE order_id < 100")
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(orders(true))
        .with_entity(reader())
        .with_entity(View::new("order_list", "SELECT order_id, customer_id, note FROM orders"))
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(orders(false))
        .with_entity(reader())
        .with_entity(View::new("order_list", "SELECT order_id, customer_id FROM orders"))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "orders",
        columns: &["order_id", "customer_id", "note"],
        rows: &[&["1", "7", "'fragile'"]],
    }]
}
