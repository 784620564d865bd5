//! Functions created: an SQL function with arguments spelled as a user writes them
//! (`int`, a default), its overload, a PL/pgSQL function and a procedure.
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

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    shop()
        .with_entity(Function::new("area", "w int, h int DEFAULT 1", "RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT w * h $$"))
        .with_entity(Function::new("area", "w numeric", "RETURNS numeric LANGUAGE sql AS 'SELECT w * w'"))
        .with_entity(Function::new(
            "customer_total",
            "cid integer",
            "RETURNS numeric LANGUAGE plpgsql STABLE AS $$\nBEGIN\n  RETURN (SELECT coalesce(sum(total), 0) FROM orders WHERE customer_id = cid);\nEND\n$$",
        ))
        .with_entity(Function::procedure("forget_customer", "cid integer", "LANGUAGE sql AS $$ DELETE FROM orders WHERE customer_id = cid $$"))
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support function area(w int, h int)",
    reason: "Retort does not read MySQL's functions and procedures back yet, so it refuses them rather than compare what it cannot see; the bodies here are PostgreSQL's (SQL and PL/pgSQL) anyway",
}];
