//! The seed tutorial's data model (SQLAlchemy's `models.py` in `oracle/seed_models.py`) in
//! Rust: customers, their orders, and products.
//!
//! [`metadata`] is what the migrations binary (`ecommerce-migrations`) compares the database
//! with; the same models are available as [`models`] for application code.

pub mod models;

pub use models::{metadata, Customer, Order, Product};

#[cfg(test)]
mod tests;
