//! The seed tutorial's data model (SQLAlchemy's `models.py` in `oracle/seed_models.py`) in
//! Rust: customers, their orders, and products; then what the tutorial adds next: the lines
//! of an order (`order_items`) and a view of each customer's order totals.
//!
//! [`metadata`] (the whole model) is what the migrations binary (`ecommerce-migrations`)
//! compares the database with; [`seed_metadata`] is the seed's three tables alone. The same
//! models are available as [`models`] for application code.

pub mod models;

pub use models::{metadata, seed_metadata, Customer, Order, OrderItem, Product};

#[cfg(test)]
mod tests;
