//! A trigger created on SQLite.
use retort_core::*;

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
    shop()
}

pub fn after() -> MetaData {
    shop().with_entity(touch())
}
