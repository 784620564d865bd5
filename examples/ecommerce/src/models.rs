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
//! * `relationship(..., back_populates=..., cascade=...)` is a `has_many(..)`/`belongs_to(..)`
//!   on the struct: the structs stay plain data (building a `Customer` fills no `orders`), and
//!   `Customer::orders` is the handle that loads and writes through the relationship
//!   (`retort::orm`, `docs/guide/queries.md`).

use chrono::{DateTime, Utc};
use retort::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "customers",
    has_many(orders = Order, back_populates = "customer", cascade = "all, delete-orphan")
)]
pub struct Customer {
    #[retort(primary_key, identity = "always")]
    pub customer_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub email_address: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "orders",
    belongs_to(customer = Customer, back_populates = "orders"),
    // Added after the seed with `order_items`: an order's lines go with it, through the
    // runtime (and the database's ON DELETE CASCADE besides).
    has_many(items = OrderItem, back_populates = "order", cascade = "all, delete-orphan")
)]
pub struct Order {
    #[retort(primary_key, identity = "always")]
    pub order_id: i32,
    #[retort(foreign_key = "customers.customer_id", on_delete = "cascade")]
    pub customer_id: i32,
    #[retort(server_default = "now()")]
    pub order_date: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Model)]
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
#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "order_items",
    belongs_to(order = Order, back_populates = "items"),
    belongs_to(product = Product)
)]
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

/// `set_updated_at()` (PL/pgSQL, PostgreSQL only): what follows its empty argument list in
/// `CREATE FUNCTION`, kept in `set_updated_at.sql` beside this file.
pub const SET_UPDATED_AT: &str = include_str!("set_updated_at.sql");

/// PostgreSQL's trigger keeping `order_items.updated_at` current: the function above, run
/// before each row's update.
pub const UPDATED_AT_POSTGRES: &str =
    "BEFORE UPDATE ON order_items FOR EACH ROW EXECUTE FUNCTION set_updated_at()";

/// SQLite's trigger for the same job, under the same name: SQLite has no trigger functions,
/// so its body sets the column after the update. `UPDATE OF` the other columns, so its own
/// update of `updated_at` does not fire it again (even with `recursive_triggers` on).
pub const UPDATED_AT_SQLITE: &str = "AFTER UPDATE OF order_id, product_id, quantity, unit_price ON order_items FOR EACH ROW BEGIN UPDATE order_items SET updated_at = CURRENT_TIMESTAMP WHERE order_item_id = NEW.order_item_id; END";

/// The seed tutorial's model, as its first revision (`5cc88b64dda9`) created it, in the
/// seed's declaration order: what the seed's oracle tests compare with Alembic's. The query
/// runtime's cascades also reach `order_items` (`Order::items`): to delete customers or orders
/// through it, create [`tables`] (or [`metadata`]).
pub fn seed_metadata() -> MetaData {
    let mut md = MetaData::new()
        .with::<Customer>()
        .with::<Order>()
        .with::<Product>();
    // The seed's `Order` had no lines: `Order::items` came with `order_items` (and its
    // target is not in this MetaData).
    for t in md.tables_mut() {
        t.relationships.retain(|r| r.target_table != "order_items");
    }
    md
}

/// The four tables, the seed's and `order_items`, with every relationship (`Order::items`
/// included) and no view or trigger: what the query runtime's examples and tests create.
pub fn tables() -> MetaData {
    MetaData::new()
        .with::<Customer>()
        .with::<Order>()
        .with::<Product>()
        .with::<OrderItem>()
}

/// The whole model: the seed, then the order lines and the `order_totals` view, and the
/// trigger keeping `order_items.updated_at` current: a PL/pgSQL function and its trigger on
/// PostgreSQL, a trigger of SQLite's own on SQLite (`docs/entities.md`). MySQL/MariaDB have
/// neither (Retort does not read triggers back there yet), so the column keeps its insert
/// time there.
pub fn metadata() -> MetaData {
    tables()
        .with_entity(View::new("order_totals", ORDER_TOTALS))
        .with_entity(
            Function::new("set_updated_at", "", SET_UPDATED_AT).only_on(DialectKind::Postgres),
        )
        .with_entity(
            Trigger::new("order_items", "order_items_updated_at", UPDATED_AT_POSTGRES)
                .only_on(DialectKind::Postgres),
        )
        .with_entity(
            Trigger::new("order_items", "order_items_updated_at", UPDATED_AT_SQLITE)
                .only_on(DialectKind::Sqlite),
        )
}
