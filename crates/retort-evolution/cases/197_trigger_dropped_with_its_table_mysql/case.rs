//! A trigger dropped with its table on MySQL/MariaDB: the trigger first (an entity under
//! version control), so the downgrade re-creates it after the table.
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
    shop().with_entity(touch())
}

pub fn after() -> MetaData {
    MetaData::new().table(customers())
}
