//! A trigger created with its function (declared after it: the function comes first).
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

fn touch() -> Function {
    Function::new(
        "touch_updated_at",
        "",
        "RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$$",
    )
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    shop()
        .with_entity(Trigger::new("orders", "orders_touch", "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at()"))
        .with_entity(touch())
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support function touch_updated_at()",
    reason: "a MySQL trigger has its body inline, not a trigger function (and functions are not read back on MySQL yet); 195 is this case in MySQL's words",
}];
