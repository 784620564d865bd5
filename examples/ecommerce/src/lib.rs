//! The seed tutorial's data model (SQLAlchemy's `models.py` in `oracle/seed_models.py`) in
//! Rust: customers, their orders, and products; then what the tutorial adds next: the lines
//! of an order (`order_items`) and a view of each customer's order totals.
//!
//! [`metadata`] (the whole model) is what the migrations binary (`ecommerce-migrations`)
//! compares the database with; [`seed_metadata`] is the seed's three tables alone. The same
//! models are available as [`models`] for application code.
//!
//! With the `service` feature (on by default), the models do something: [`api`] is a small
//! HTTP JSON service on them through the query runtime (`retort::orm`), and [`startup`]
//! brings its database to head at start-up with the embedded history of
//! `migrations/versions`. `cargo run -p ecommerce` serves it (SQLite by default, PostgreSQL
//! by `--url`/`DATABASE_URL`); `cargo run -p ecommerce --example orm_tour` walks through the
//! runtime.

pub mod models;

#[cfg(feature = "service")]
pub mod api;
#[cfg(feature = "service")]
pub mod startup;

pub use models::{metadata, seed_metadata, tables, Customer, Order, OrderItem, Product};

#[cfg(test)]
mod tests;
