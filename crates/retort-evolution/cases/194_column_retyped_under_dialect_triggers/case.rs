//! A column retyped on a table with a trigger for each database (`.only_on`): SQLite rebuilds
//! the table and re-creates its own trigger, never PostgreSQL's; PostgreSQL alters the column
//! under its trigger, which does not read it.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite"];

fn orders(note: Type) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(Column::new("total", Type::Integer).not_null())
        .column(Column::new("note", note))
        .column(Column::new("updated_at", Type::Timestamp { tz: true }))
        .primary_key(["order_id"])
}

/// A PL/pgSQL function and its trigger on PostgreSQL, SQLite's own trigger on SQLite.
fn shop(note: Type) -> MetaData {
    MetaData::new()
        .table(orders(note))
        .with_entity(
            Function::new(
                "touch_updated_at",
                "",
                "RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$$",
            )
            .only_on(DialectKind::Postgres),
        )
        .with_entity(
            Trigger::new(
                "orders",
                "orders_touch",
                "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at()",
            )
            .only_on(DialectKind::Postgres),
        )
        .with_entity(
            Trigger::new(
                "orders",
                "orders_touch",
                "AFTER UPDATE OF total ON orders BEGIN UPDATE orders SET updated_at = CURRENT_TIMESTAMP WHERE order_id = NEW.order_id; END",
            )
            .only_on(DialectKind::Sqlite),
        )
}

pub fn before() -> MetaData {
    shop(Type::Varchar(Some(20)))
}

pub fn after() -> MetaData {
    shop(Type::Text)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "orders", columns: &["order_id", "total", "note"], rows: &[&["1", "10", "'first'"], &["2", "20", "NULL"]] }]
}
