//! The models, one struct a table, attribute for attribute the seed's SQLAlchemy classes:
//!
//! * `Column(String, nullable=False)` is a plain `String` (`varchar` without a length,
//!   `NOT NULL` because it is not an `Option`);
//! * `Column(Text)` is `Option<String>` with `#[retort(text)]` (nullable, like SQLAlchemy's
//!   default);
//! * `Column(Float)` is `f64` (`double precision`);
//! * `Identity(always=True), primary_key=True` is `primary_key, identity = "always"`;
//! * `DateTime(timezone=True), server_default=func.now()` is
//!   `chrono::DateTime<Utc>` with `server_default = "now()"`;
//! * `relationship(..., back_populates=..., cascade=...)` is a `HasMany`/`BelongsTo` field.

use chrono::{DateTime, Utc};
use retort::prelude::*;

#[derive(Debug, Model)]
#[retort(table = "customers")]
pub struct Customer {
    #[retort(primary_key, identity = "always")]
    pub customer_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub email_address: String,
    #[retort(back_populates = "customer", cascade = "all, delete-orphan")]
    pub orders: HasMany<Order>,
}

#[derive(Debug, Model)]
#[retort(table = "orders")]
pub struct Order {
    #[retort(primary_key, identity = "always")]
    pub order_id: i32,
    #[retort(foreign_key = "customers.customer_id", on_delete = "cascade")]
    pub customer_id: i32,
    #[retort(server_default = "now()")]
    pub order_date: DateTime<Utc>,
    #[retort(back_populates = "orders")]
    pub customer: BelongsTo<Customer>,
}

#[derive(Debug, Model)]
#[retort(table = "products")]
pub struct Product {
    #[retort(primary_key, identity = "always")]
    pub product_id: i32,
    pub product_name: String,
    #[retort(text)]
    pub description: Option<String>,
    pub price: f64,
}

/// A line of an order: which product, how many, at what price. Added after the seed (the
/// tutorial's next step), with `updated_at` for the time the line last changed.
#[derive(Debug, Model)]
#[retort(table = "order_items")]
pub struct OrderItem {
    #[retort(primary_key, identity = "always")]
    pub order_item_id: i32,
    #[retort(foreign_key = "orders.order_id", on_delete = "cascade")]
    pub order_id: i32,
    #[retort(foreign_key = "products.product_id")]
    pub product_id: i32,
    pub quantity: i32,
    pub unit_price: f64,
    #[retort(server_default = "now()")]
    pub updated_at: DateTime<Utc>,
}

/// What each customer has ordered: the number of orders with at least one line, and their
/// total. Plain SQL every backend runs (a view over two tables).
pub const ORDER_TOTALS: &str = "SELECT o.customer_id, count(DISTINCT o.order_id) AS orders, \
sum(i.quantity * i.unit_price) AS total FROM orders o JOIN order_items i ON i.order_id = o.order_id \
GROUP BY o.customer_id";

/// The seed tutorial's model, as its first revision (`5cc88b64dda9`) created it, in the
/// seed's declaration order: what the seed's oracle tests compare with Alembic's.
pub fn seed_metadata() -> MetaData {
    MetaData::new()
        .with::<Customer>()
        .with::<Order>()
        .with::<Product>()
}

/// The whole model: the seed, then the order lines and the `order_totals` view
/// (`docs/entities.md`).
pub fn metadata() -> MetaData {
    seed_metadata()
        .with::<OrderItem>()
        .with_entity(View::new("order_totals", ORDER_TOTALS))
}
