//! A column change SQLite can only make by rebuilding the table: the trigger and the view
//! on it come back with the rebuilt table, so nothing is proposed for them.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["sqlite"];

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
        .column(Column::new("total", Type::Integer).not_null())
        .column(Column::new("updated_at", Type::Text))
        .primary_key(["order_id"])
        .foreign_key(ForeignKey::new(["customer_id"], "customers", ["customer_id"]))
}

fn shop() -> MetaData {
    MetaData::new().table(customers()).table(orders())
}

fn touch() -> Trigger {
    Trigger::new(
        "orders",
        "orders_touch",
        "AFTER UPDATE OF total ON orders BEGIN UPDATE orders SET updated_at = datetime('now') WHERE order_id = NEW.order_id; END",
    )
}

pub fn before() -> MetaData {
    shop().with_entity(touch()).with_entity(View::new("order_totals", "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id"))
}

pub fn after() -> MetaData {
    let mut orders = orders();
    orders.columns[2] = Column::new("total", Type::BigInt).not_null();
    MetaData::new()
        .table(customers())
        .table(orders)
        .with_entity(touch())
        .with_entity(View::new("order_totals", "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id"))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "customers", columns: &["customer_id", "name"], rows: &[&["1", "'Ann'"]] },
        Seed { table: "orders", columns: &["order_id", "customer_id", "total", "updated_at"], rows: &[&["1", "1", "5", "NULL"]] },
    ]
}
