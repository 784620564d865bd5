//! Initial commit, created customers, orders and products
//!
//! Revision ID: 5cc88b64dda9
//! Revises:
//! Create Date: 2026-11-25 12:54:52
use retort::migration::*;

pub const REVISION: Revision =
    Revision::new("5cc88b64dda9").message("Initial commit, created customers, orders and products");

pub fn upgrade(op: &mut Operations) {
    op.create_table("customers", |t| {
        t.column("customer_id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("first_name", Type::Varchar(None)).not_null();
        t.column("last_name", Type::Varchar(None)).not_null();
        t.column("email_address", Type::Varchar(None)).not_null();
        t.primary_key(["customer_id"]);
    });
    op.create_table("products", |t| {
        t.column("product_id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("product_name", Type::Varchar(None)).not_null();
        t.column("description", Type::Text);
        t.column("price", Type::Double).not_null();
        t.primary_key(["product_id"]);
    });
    op.create_table("orders", |t| {
        t.column("order_id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("customer_id", Type::Integer).not_null();
        t.column("order_date", Type::Timestamp { tz: true })
            .server_default(ServerDefault::expr("now()"))
            .not_null();
        t.foreign_key(["customer_id"], "customers", ["customer_id"])
            .on_delete(FkAction::Cascade);
        t.primary_key(["order_id"]);
    });
}

pub fn downgrade(op: &mut Operations) {
    op.drop_table("orders");
    op.drop_table("products");
    op.drop_table("customers");
}
