//! A trigger whose column list names a column whose type changes (`UPDATE OF total`):
//! PostgreSQL refuses the change ("cannot alter type of a column used in a trigger
//! definition"), so the trigger is dropped first and created again after it; its function
//! (a string body, which nothing tracks) stays. The downgrade mirrors it.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders(total: Type) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("total", total).not_null())
        .column(Column::new("updated_at", Type::Timestamp { tz: true }))
        .primary_key(["order_id"])
}

fn entities(md: MetaData) -> MetaData {
    md.with_entity(Function::new(
        "touch_updated_at",
        "",
        "RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$$",
    ))
    .with_entity(Trigger::new(
        "orders",
        "orders_touch",
        "BEFORE UPDATE OF total ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at()",
    ))
}

pub fn before() -> MetaData {
    entities(MetaData::new().table(orders(Type::Integer)))
}

pub fn after() -> MetaData {
    entities(MetaData::new().table(orders(Type::BigInt)))
}
