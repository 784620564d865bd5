//! The HTTP JSON API (axum):
//!
//! | request | answer |
//! |---|---|
//! | `POST /customers` `{first_name, last_name, email_address}` | 201, the customer |
//! | `GET /customers` | 200, every customer |
//! | `GET /customers/{id}` | 200, the customer; 404 |
//! | `DELETE /customers/{id}` | 204, the customer and its orders gone; 404 |
//! | `POST /customers/{id}/orders` `{items: [{product_id, quantity}]}` | 201, the order with its lines and products; 404 (customer), 422 (no items, a quantity under 1, an unknown product) |
//! | `GET /customers/{id}/orders` | 200, its orders, each with its lines and products; 404 |
//! | `POST /products` `{product_name, description?, price}` | 201, the product |
//! | `GET /products` | 200, every product |
//!
//! Errors answer `{"error": "..."}` (a body or path that does not parse: 400).

mod error;
mod store;
pub mod types;

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use retort::orm::Db;

pub use error::ApiError;
use types::{CustomerOut, NewCustomer, NewOrder, NewProduct, OrderOut, ProductOut};

/// The API's routes on the runtime's pool `db` (migrated to head: see `startup`).
pub fn router(db: Db) -> Router {
    Router::new()
        .route("/customers", get(list_customers).post(create_customer))
        .route("/customers/{id}", get(get_customer).delete(delete_customer))
        .route("/customers/{id}/orders", get(list_orders).post(place_order))
        .route("/products", get(list_products).post(create_product))
        .with_state(db)
}

type Answer<T> = Result<T, ApiError>;

// axum's own rejections answer in plain text; these keep every error JSON.
fn body<T>(body: Result<Json<T>, JsonRejection>) -> Answer<T> {
    body.map(|Json(t)| t)
        .map_err(|e| ApiError::BadRequest(e.body_text()))
}

fn id(path: Result<Path<i32>, PathRejection>) -> Answer<i32> {
    path.map(|Path(id)| id)
        .map_err(|e| ApiError::BadRequest(e.body_text()))
}

async fn create_customer(
    State(db): State<Db>,
    new: Result<Json<NewCustomer>, JsonRejection>,
) -> Answer<(StatusCode, Json<CustomerOut>)> {
    let customer = store::create_customer(&db, body(new)?).await?;
    Ok((StatusCode::CREATED, Json(customer.into())))
}

async fn list_customers(State(db): State<Db>) -> Answer<Json<Vec<CustomerOut>>> {
    let all = store::list_customers(&db).await?;
    Ok(Json(all.into_iter().map(CustomerOut::from).collect()))
}

async fn get_customer(
    State(db): State<Db>,
    path: Result<Path<i32>, PathRejection>,
) -> Answer<Json<CustomerOut>> {
    Ok(Json(store::customer(&db, id(path)?).await?.into()))
}

async fn delete_customer(
    State(db): State<Db>,
    path: Result<Path<i32>, PathRejection>,
) -> Answer<StatusCode> {
    store::delete_customer(&db, id(path)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn place_order(
    State(db): State<Db>,
    path: Result<Path<i32>, PathRejection>,
    new: Result<Json<NewOrder>, JsonRejection>,
) -> Answer<(StatusCode, Json<OrderOut>)> {
    let customer_id = id(path)?;
    let order = store::place_order(&db, customer_id, body(new)?.items).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

async fn list_orders(
    State(db): State<Db>,
    path: Result<Path<i32>, PathRejection>,
) -> Answer<Json<Vec<OrderOut>>> {
    Ok(Json(store::orders_of(&db, id(path)?).await?))
}

async fn create_product(
    State(db): State<Db>,
    new: Result<Json<NewProduct>, JsonRejection>,
) -> Answer<(StatusCode, Json<ProductOut>)> {
    let product = store::create_product(&db, body(new)?).await?;
    Ok((StatusCode::CREATED, Json(product.into())))
}

async fn list_products(State(db): State<Db>) -> Answer<Json<Vec<ProductOut>>> {
    let all = store::list_products(&db).await?;
    Ok(Json(all.into_iter().map(ProductOut::from).collect()))
}
