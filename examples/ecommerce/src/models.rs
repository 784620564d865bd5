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

/// The whole model, in the seed's declaration order.
pub fn metadata() -> MetaData {
    MetaData::new()
        .with::<Customer>()
        .with::<Order>()
        .with::<Product>()
}
