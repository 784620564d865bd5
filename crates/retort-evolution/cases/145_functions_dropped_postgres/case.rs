//! Functions dropped: one of two overloads (the other stays), and a procedure.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

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

fn kept() -> Function {
    Function::new("area", "w numeric", "RETURNS numeric LANGUAGE sql AS 'SELECT w * w'")
}

pub fn before() -> MetaData {
    shop()
        .with_entity(kept())
        .with_entity(Function::new("area", "w int, h int", "RETURNS int LANGUAGE sql AS $$ SELECT w * h $$"))
        .with_entity(Function::procedure("forget_customer", "cid integer", "LANGUAGE sql AS $$ DELETE FROM orders WHERE customer_id = cid $$"))
}

pub fn after() -> MetaData {
    shop().with_entity(kept())
}
