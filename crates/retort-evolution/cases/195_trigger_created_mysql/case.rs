//! A trigger created on MySQL/MariaDB (a one-statement body; the head as written, read
//! back from information_schema.TRIGGERS).
use retort_core::*;

pub const DIALECTS: &[&str] = &["mysql"];

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

/// MySQL's one-statement trigger (a trigger may not update its own table there: it sets
/// `NEW` instead).
fn touch() -> Trigger {
    Trigger::new(
        "orders",
        "orders_touch",
        "BEFORE UPDATE ON orders FOR EACH ROW SET NEW.updated_at = 'changed'",
    )
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    shop().with_entity(touch())
}
