//! The workload in raw sqlx: hand-written SQL, rows read by position (the floor).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use orm_bench::*;
use sqlx::postgres::PgRow;
use sqlx::{PgPool, QueryBuilder, Row};

#[allow(dead_code)] // read as a user would, not all used
pub struct Customer {
    pub customer_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub email_address: String,
}

#[allow(dead_code)]
pub struct Order {
    pub order_id: i32,
    pub customer_id: i32,
    pub order_date: DateTime<Utc>,
}

fn customer(r: PgRow) -> Customer {
    Customer {
        customer_id: r.get(0),
        first_name: r.get(1),
        last_name: r.get(2),
        email_address: r.get(3),
    }
}

fn order(r: PgRow) -> Order {
    Order {
        order_id: r.get(0),
        customer_id: r.get(1),
        order_date: r.get(2),
    }
}

const ORDER_COLUMNS: &str = "order_id, customer_id, order_date";

fn main() {
    runtime().block_on(async {
        let db = PgPool::connect(&url()).await.expect("connect");
        let mut report = Report::default();
        let mut ids = Vec::new();
        report
            .phase("insert", async {
                let mut q = QueryBuilder::new("INSERT INTO customers (first_name, last_name, email_address) ");
                q.push_values(0..CUSTOMERS, |mut b, i| {
                    b.push_bind(format!("First{i}"))
                        .push_bind(format!("Last{i}"))
                        .push_bind(format!("c{i}@example.com"));
                });
                q.push(" RETURNING customer_id, first_name, last_name, email_address");
                let stored: Vec<Customer> = q
                    .build()
                    .map(customer)
                    .fetch_all(&db)
                    .await
                    .expect("customers");
                ids = stored.iter().map(|c| c.customer_id).collect();
                let mut rows = stored.len();
                for start in (0..ORDERS).step_by(BATCH) {
                    let mut q = QueryBuilder::new("INSERT INTO orders (customer_id) ");
                    q.push_values(start..start + BATCH, |mut b, i| {
                        b.push_bind(customer_of(&ids, i));
                    });
                    q.push(" RETURNING ").push(ORDER_COLUMNS);
                    let stored: Vec<Order> =
                        q.build().map(order).fetch_all(&db).await.expect("orders");
                    rows += stored.len();
                }
                rows
            })
            .await;
        report
            .phase("load", async {
                let customers: Vec<Customer> = sqlx::query(
                    "SELECT customer_id, first_name, last_name, email_address FROM customers ORDER BY customer_id",
                )
                .map(customer)
                .fetch_all(&db)
                .await
                .expect("customers");
                let keys: Vec<i32> = customers.iter().map(|c| c.customer_id).collect();
                let orders: Vec<Order> = sqlx::query(&format!(
                    "SELECT {ORDER_COLUMNS} FROM orders WHERE customer_id = ANY($1) ORDER BY order_id"
                ))
                .bind(&keys)
                .map(order)
                .fetch_all(&db)
                .await
                .expect("orders");
                let mut by_customer: HashMap<i32, Vec<Order>> = HashMap::new();
                for o in orders {
                    by_customer.entry(o.customer_id).or_default().push(o);
                }
                let loaded: Vec<(Customer, Vec<Order>)> = customers
                    .into_iter()
                    .map(|c| {
                        let orders = by_customer.remove(&c.customer_id).unwrap_or_default();
                        (c, orders)
                    })
                    .collect();
                loaded.len() + loaded.iter().map(|(_, o)| o.len()).sum::<usize>()
            })
            .await;
        let first = ids[0];
        report
            .phase("filter", async {
                let sql = format!(
                    "SELECT {ORDER_COLUMNS} FROM orders WHERE customer_id >= $1 AND customer_id < $2 \
                     ORDER BY order_id DESC LIMIT {FILTER_LIMIT}"
                );
                let mut rows = 0;
                for i in 0..FILTERS {
                    let k = filter_start(first, i);
                    let found: Vec<Order> = sqlx::query(&sql)
                        .bind(k)
                        .bind(k + FILTER_SPAN)
                        .map(order)
                        .fetch_all(&db)
                        .await
                        .expect("filter");
                    rows += found.len();
                }
                rows
            })
            .await;
        report.print("sqlx");
    });
}
