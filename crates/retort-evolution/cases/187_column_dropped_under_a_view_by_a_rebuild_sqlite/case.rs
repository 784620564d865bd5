//! A column SQLite can only drop by rebuilding the table (it has an index), under a view
//! that reads it and a trigger naming it: the rebuild re-creates what names the table, and
//! would stop at the view reading the dropped column, so the view and the trigger are
//! dropped first and created again (as the model now has them) after; the downgrade adds
//! the column and its index back, then the old view and trigger.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["sqlite"];

fn orders(with_note: bool) -> Table {
    let t = Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Integer).not_null());
    if with_note {
        t.column(Column::new("note", Type::Text))
            .primary_key(["order_id"])
            .index(Index::on_columns(["note"]).name("ix_orders_note"))
    } else {
        t.primary_key(["order_id"])
    }
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(orders(true))
        .with_entity(View::new("order_notes", "SELECT order_id, note FROM orders"))
        .with_entity(Trigger::new(
            "orders",
            "orders_note",
            "AFTER UPDATE OF note ON orders BEGIN UPDATE orders SET total = total WHERE order_id = NEW.order_id; END",
        ))
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(orders(false))
        .with_entity(View::new("order_notes", "SELECT order_id FROM orders"))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "orders",
        columns: &["order_id", "total", "note"],
        rows: &[&["1", "5", "'fragile'"]],
    }]
}
