//! The JSON the API reads and writes. Kept apart from the models: the models are the
//! tables (and the schema the migrations compare with), these are the API's contract, and
//! an order here carries its lines and their products, which the `orders` table does not.

use serde::{Deserialize, Serialize};

use crate::{Customer, Product};

/// `POST /customers`.
#[derive(Debug, Deserialize)]
pub struct NewCustomer {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email address.
    pub email_address: String,
}

/// A customer as the API shows it.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct CustomerOut {
    /// The key the database gave it.
    pub customer_id: i32,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email address.
    pub email_address: String,
}

impl From<Customer> for CustomerOut {
    fn from(c: Customer) -> Self {
        CustomerOut {
            customer_id: c.customer_id,
            first_name: c.first_name,
            last_name: c.last_name,
            email_address: c.email_address,
        }
    }
}

/// `POST /products`.
#[derive(Debug, Deserialize)]
pub struct NewProduct {
    /// Its name.
    pub product_name: String,
    /// A longer text, if any.
    #[serde(default)]
    pub description: Option<String>,
    /// Its current price (an order line keeps the price it was sold at).
    pub price: f64,
}

/// A product as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProductOut {
    /// The key the database gave it.
    pub product_id: i32,
    /// Its name.
    pub product_name: String,
    /// A longer text, if any.
    pub description: Option<String>,
    /// Its current price.
    pub price: f64,
}

impl From<Product> for ProductOut {
    fn from(p: Product) -> Self {
        ProductOut {
            product_id: p.product_id,
            product_name: p.product_name,
            description: p.description,
            price: p.price,
        }
    }
}

/// `POST /customers/{id}/orders`: the lines of a new order.
#[derive(Debug, Deserialize)]
pub struct NewOrder {
    /// At least one line.
    pub items: Vec<NewItem>,
}

/// One line of a new order; its unit price is the product's price when the order is placed.
#[derive(Debug, Deserialize)]
pub struct NewItem {
    /// Which product.
    pub product_id: i32,
    /// How many (at least 1).
    pub quantity: i32,
}

/// An order with its lines, each with its product.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct OrderOut {
    /// The key the database gave it.
    pub order_id: i32,
    /// Whose order.
    pub customer_id: i32,
    /// When it was placed (the server's `now()`), RFC 3339.
    pub order_date: String,
    /// Its lines, in the order they were placed.
    pub items: Vec<ItemOut>,
    /// The sum of quantity times unit price over the lines.
    pub total: f64,
}

/// A line of an order.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ItemOut {
    /// The key the database gave it.
    pub order_item_id: i32,
    /// The product, as it is now.
    pub product: ProductOut,
    /// How many.
    pub quantity: i32,
    /// The price it was sold at.
    pub unit_price: f64,
}
