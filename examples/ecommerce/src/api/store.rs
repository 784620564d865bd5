//! What the API does with the database, through the query runtime (`retort::orm`): typed
//! filters on the models' columns, transactions, and the relationships declared on the
//! models (`Customer::orders`, `Order::items`, `OrderItem::product`): batched loads, a
//! joined load (lines with their product), writes through the parent, cascading deletes.
//! No SQL is written here.

use std::collections::HashMap;

use retort::orm::{Db, Persist, Related};

use super::error::ApiError;
use super::types::{ItemOut, NewCustomer, NewItem, NewProduct, OrderOut, ProductOut};
use crate::{Customer, Order, OrderItem, Product};

/// Product keys one `is_in` carries at most: under SQLite's 32,766 bound parameters
/// (PostgreSQL binds them as one array), whatever an order names.
const IN_BATCH: usize = 10_000;

// The only places models are built from the API's input (relationships are declared on
// the structs, so building one fills no relationship).
fn customer_row(new: NewCustomer) -> Customer {
    Customer {
        customer_id: 0, // the identity: left out of the INSERT, read back
        first_name: new.first_name,
        last_name: new.last_name,
        email_address: new.email_address,
    }
}

fn order_row(customer_id: i32) -> Order {
    Order {
        order_id: 0,
        customer_id,
        order_date: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH, // server default now()
    }
}

/// A new customer, as stored.
pub async fn create_customer(db: &Db, new: NewCustomer) -> Result<Customer, ApiError> {
    Ok(customer_row(new).insert(db).await?)
}

/// Every customer, by key.
pub async fn list_customers(db: &Db) -> Result<Vec<Customer>, ApiError> {
    Ok(Customer::find()
        .order_by(Customer::customer_id.asc())
        .all(db)
        .await?)
}

/// One customer, or `NotFound`.
pub async fn customer(db: &Db, id: i32) -> Result<Customer, ApiError> {
    Customer::get(db, id)
        .await?
        .ok_or(ApiError::NotFound("customer", id))
}

/// Delete a customer, and with it its orders and their lines: the runtime's `delete` cascade
/// of `Customer::orders` and `Order::items` (`cascade = "all, delete-orphan"`), in one
/// transaction, whatever the foreign keys' `ON DELETE` says.
pub async fn delete_customer(db: &Db, id: i32) -> Result<(), ApiError> {
    if Customer::delete_by_key(db, id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound("customer", id))
    }
}

/// A new product, as stored.
pub async fn create_product(db: &Db, new: NewProduct) -> Result<Product, ApiError> {
    if !(new.price.is_finite() && new.price >= 0.0) {
        return Err(ApiError::Invalid(format!(
            "price must be a number of at least 0, not {}",
            new.price
        )));
    }
    let row = Product {
        product_id: 0,
        product_name: new.product_name,
        description: new.description,
        price: new.price,
    };
    Ok(row.insert(db).await?)
}

/// Every product, by key.
pub async fn list_products(db: &Db) -> Result<Vec<Product>, ApiError> {
    Ok(Product::find()
        .order_by(Product::product_id.asc())
        .all(db)
        .await?)
}

/// Place an order of `items` for customer `customer_id`, in one transaction: the order, then
/// its lines at the products' current prices. Nothing is written when the customer or a
/// product does not exist.
pub async fn place_order(
    db: &Db,
    customer_id: i32,
    items: Vec<NewItem>,
) -> Result<OrderOut, ApiError> {
    if items.is_empty() {
        return Err(ApiError::Invalid("an order needs at least one item".into()));
    }
    if let Some(bad) = items.iter().find(|i| i.quantity < 1) {
        return Err(ApiError::Invalid(format!(
            "quantity of product {} must be at least 1, not {}",
            bad.product_id, bad.quantity
        )));
    }
    let mut tx = db.begin().await?;
    if !Customer::find()
        .filter(Customer::customer_id.eq(customer_id))
        .exists(&mut tx)
        .await?
    {
        return Err(ApiError::NotFound("customer", customer_id));
    }
    let mut wanted: Vec<i32> = items.iter().map(|i| i.product_id).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut products = HashMap::with_capacity(wanted.len());
    for batch in wanted.chunks(IN_BATCH) {
        let found = Product::find()
            .filter(Product::product_id.is_in(batch.iter().copied()))
            .all(&mut tx)
            .await?;
        products.extend(
            found
                .into_iter()
                .map(|p| (p.product_id, ProductOut::from(p))),
        );
    }
    if let Some(missing) = wanted.iter().find(|id| !products.contains_key(id)) {
        return Err(ApiError::Invalid(format!("no product {missing}")));
    }
    let lines: Vec<OrderItem> = items
        .iter()
        .map(|i| OrderItem {
            order_item_id: 0,
            order_id: 0, // set from the order's key by `insert_with`
            product_id: i.product_id,
            quantity: i.quantity,
            unit_price: products[&i.product_id].price, // every id checked above
            updated_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH, // server default now()
        })
        .collect();
    // The order, then its lines with its key: `save-update` through `Order::items`.
    let (order, lines) = Order::items
        .insert_with(&mut tx, &order_row(customer_id), lines)
        .await?;
    let out = order_out(order, lines, &products)?;
    tx.commit().await?;
    Ok(out)
}

/// A customer's orders, oldest first, each with its lines and their products; `NotFound`
/// when there is no such customer.
///
/// Never one query per order: the customer, then its orders in one batched query
/// (`Customer::orders`, SQLAlchemy's `selectinload`), then every line of those orders
/// with its product in one joined query (`.with(OrderItem::product)`, SQLAlchemy's
/// `joinedload`: a line's product is one row, so the join repeats nothing), one a
/// [`IN_BATCH`] orders.
pub async fn orders_of(db: &Db, customer_id: i32) -> Result<Vec<OrderOut>, ApiError> {
    // One connection for the statements (on SQLite also one snapshot).
    let mut tx = db.begin().await?;
    let customer = Customer::get(&mut tx, customer_id)
        .await?
        .ok_or(ApiError::NotFound("customer", customer_id))?;
    let mut orders = Customer::orders.load_one(&mut tx, &customer).await?;
    orders.sort_by_key(|o| o.order_id);
    let mut lines: HashMap<i32, Vec<(OrderItem, Option<Product>)>> = HashMap::new();
    for chunk in orders.chunks(IN_BATCH) {
        let found = OrderItem::find()
            .filter(OrderItem::order_id.is_in(chunk.iter().map(|o| o.order_id)))
            .order_by(OrderItem::order_item_id.asc())
            .with(OrderItem::product)
            .all(&mut tx)
            .await?;
        for (line, product) in found {
            lines
                .entry(line.order_id)
                .or_default()
                .push((line, product));
        }
    }
    tx.commit().await?;

    orders
        .into_iter()
        .map(|o| {
            let mine = lines.remove(&o.order_id).unwrap_or_default();
            order_out_loaded(o, mine)
        })
        .collect()
}

/// An order as the API shows it, from its lines and their products as loaded; a line
/// whose product is missing was read after a concurrent delete (see [`order_out`]).
fn order_out_loaded(
    order: Order,
    lines: Vec<(OrderItem, Option<Product>)>,
) -> Result<OrderOut, ApiError> {
    let products: HashMap<i32, ProductOut> = lines
        .iter()
        .filter_map(|(_, p)| p.clone())
        .map(|p| (p.product_id, ProductOut::from(p)))
        .collect();
    order_out(
        order,
        lines.into_iter().map(|(l, _)| l).collect(),
        &products,
    )
}

fn order_out(
    order: Order,
    lines: Vec<OrderItem>,
    products: &HashMap<i32, ProductOut>,
) -> Result<OrderOut, ApiError> {
    let items = lines
        .into_iter()
        .map(|l| {
            // `order_items.product_id` is a foreign key without ON DELETE, so a product
            // with lines cannot be deleted; missing here, the lines were read before a
            // concurrent delete of their order (and then of the product) committed.
            let product = products.get(&l.product_id).cloned().ok_or_else(|| {
                ApiError::Conflict(format!(
                    "order {} changed while it was read; try again",
                    order.order_id
                ))
            })?;
            Ok(ItemOut {
                order_item_id: l.order_item_id,
                product,
                quantity: l.quantity,
                unit_price: l.unit_price,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(OrderOut {
        order_id: order.order_id,
        customer_id: order.customer_id,
        order_date: order.order_date.to_rfc3339(),
        total: items
            .iter()
            .map(|i| f64::from(i.quantity) * i.unit_price)
            .sum(),
        items,
    })
}
