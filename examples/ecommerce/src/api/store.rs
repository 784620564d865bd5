//! What the API does with the database, through the query runtime (`retort::orm`): typed
//! filters on the models' columns, transactions, batched `IN` loads. No SQL is written here.

use std::collections::HashMap;

use retort::orm::{Db, Persist};

use super::error::ApiError;
use super::types::{ItemOut, NewCustomer, NewItem, NewProduct, OrderOut, ProductOut};
use crate::{Customer, Order, OrderItem, Product};

/// Keys a batched `IN (..)` load carries at most: well under SQLite's 32,766 bound
/// parameters and PostgreSQL's 65,535, whatever a customer has ordered.
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

/// Delete a customer. Its orders (and their lines) go with it by the database's
/// `ON DELETE CASCADE`, which the model declares on `orders.customer_id` and
/// `order_items.order_id`.
// When the runtime's cascades land (issue 17 item 3, `cascade = "all, delete-orphan"` on
// `Customer::orders`), this becomes a delete through the runtime that also works where the
// database has no `ON DELETE CASCADE`.
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
    let products = products_by_id(&mut tx, &wanted).await?;
    if let Some(missing) = wanted.iter().find(|id| !products.contains_key(id)) {
        return Err(ApiError::Invalid(format!("no product {missing}")));
    }
    let order = order_row(customer_id).insert(&mut tx).await?;
    let lines: Vec<OrderItem> = items
        .iter()
        .map(|i| OrderItem {
            order_item_id: 0,
            order_id: order.order_id,
            product_id: i.product_id,
            quantity: i.quantity,
            unit_price: products[&i.product_id].price, // every id checked above
            updated_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH, // server default now()
        })
        .collect();
    let lines = OrderItem::insert_many(&mut tx, &lines).await?;
    let out = order_out(order, lines, &products)?;
    tx.commit().await?;
    Ok(out)
}

/// A customer's orders, oldest first, each with its lines and their products; `NotFound`
/// when there is no such customer.
///
/// Batched, as SQLAlchemy's `selectinload` loads: one query for the orders, one `IN` query
/// for all their lines, one for all the products those name (in batches of [`IN_BATCH`]
/// keys), whatever the number of orders: never one query per order.
// When relationships load through the runtime (issue 17 item 2), the two `IN` loads below
// become the runtime's selectin load of `Customer::orders` (and of the lines' products);
// the response stays the same.
pub async fn orders_of(db: &Db, customer_id: i32) -> Result<Vec<OrderOut>, ApiError> {
    // One connection for the four statements (on SQLite also one snapshot).
    let mut tx = db.begin().await?;
    if !Customer::find()
        .filter(Customer::customer_id.eq(customer_id))
        .exists(&mut tx)
        .await?
    {
        return Err(ApiError::NotFound("customer", customer_id));
    }
    let orders = Order::find()
        .filter(Order::customer_id.eq(customer_id))
        .order_by(Order::order_id.asc())
        .all(&mut tx)
        .await?;
    let order_ids: Vec<i32> = orders.iter().map(|o| o.order_id).collect();
    let mut lines = Vec::new();
    for batch in order_ids.chunks(IN_BATCH) {
        lines.extend(
            OrderItem::find()
                .filter(OrderItem::order_id.is_in(batch.iter().copied()))
                .order_by(OrderItem::order_item_id.asc())
                .all(&mut tx)
                .await?,
        );
    }
    let mut product_ids: Vec<i32> = lines.iter().map(|l| l.product_id).collect();
    product_ids.sort_unstable();
    product_ids.dedup();
    let products = products_by_id(&mut tx, &product_ids).await?;
    tx.commit().await?;

    let mut by_order: HashMap<i32, Vec<OrderItem>> = HashMap::new();
    for line in lines {
        by_order.entry(line.order_id).or_default().push(line);
    }
    orders
        .into_iter()
        .map(|o| {
            let lines = by_order.remove(&o.order_id).unwrap_or_default();
            order_out(o, lines, &products)
        })
        .collect()
}

async fn products_by_id(
    tx: &mut retort::orm::Tx,
    ids: &[i32],
) -> Result<HashMap<i32, ProductOut>, ApiError> {
    let mut out = HashMap::with_capacity(ids.len());
    for batch in ids.chunks(IN_BATCH) {
        let found = Product::find()
            .filter(Product::product_id.is_in(batch.iter().copied()))
            .all(&mut *tx)
            .await?;
        out.extend(
            found
                .into_iter()
                .map(|p| (p.product_id, ProductOut::from(p))),
        );
    }
    Ok(out)
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
