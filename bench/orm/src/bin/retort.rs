//! The workload through Retort's query runtime (`retort::orm`).

use chrono::{DateTime, Utc};
use orm_bench::*;
use retort::orm::{Db, Related};
use retort::prelude::*;

#[derive(Debug, Model)]
#[retort(table = "customers", has_many(orders = Order, back_populates = "customer"))]
pub struct Customer {
    #[retort(primary_key, identity = "always")]
    pub customer_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub email_address: String,
}

#[derive(Debug, Model)]
#[retort(table = "orders", belongs_to(customer = Customer, back_populates = "orders"))]
pub struct Order {
    #[retort(primary_key, identity = "always")]
    pub order_id: i32,
    #[retort(foreign_key = "customers.customer_id", on_delete = "cascade")]
    pub customer_id: i32,
    #[retort(server_default = "now()")]
    pub order_date: DateTime<Utc>,
}

fn main() {
    runtime().block_on(async {
        let db = Db::connect(&url()).await.expect("connect");
        let mut report = Report::default();
        let mut ids = Vec::new();
        report
            .phase("insert", async {
                let customers: Vec<Customer> = (0..CUSTOMERS)
                    .map(|i| Customer {
                        customer_id: 0,
                        first_name: format!("First{i}"),
                        last_name: format!("Last{i}"),
                        email_address: format!("c{i}@example.com"),
                    })
                    .collect();
                let stored = Customer::insert_many(&db, &customers)
                    .await
                    .expect("customers");
                ids = stored.iter().map(|c| c.customer_id).collect();
                let mut rows = stored.len();
                for start in (0..ORDERS).step_by(BATCH) {
                    let batch: Vec<Order> = (start..start + BATCH)
                        .map(|i| Order {
                            order_id: 0,
                            customer_id: customer_of(&ids, i),
                            order_date: DateTime::<Utc>::UNIX_EPOCH,
                        })
                        .collect();
                    rows += Order::insert_many(&db, &batch).await.expect("orders").len();
                }
                rows
            })
            .await;
        report
            .phase("load", async {
                let customers = Customer::find()
                    .order_by(Customer::customer_id.asc())
                    .all(&db)
                    .await
                    .expect("customers");
                // The relationship's batched load, as a user writes it (SQLAlchemy's
                // selectinload): one `SELECT .. WHERE customer_id = ANY($1)` for all of them.
                let mut orders = Customer::orders
                    .load(&db, &customers)
                    .await
                    .expect("orders");
                // In order_id order, as the other tools' loads are (their `ORDER BY`).
                for mine in &mut orders {
                    mine.sort_unstable_by_key(|o| o.order_id);
                }
                let loaded: Vec<(Customer, Vec<Order>)> =
                    customers.into_iter().zip(orders).collect();
                loaded.len() + loaded.iter().map(|(_, o)| o.len()).sum::<usize>()
            })
            .await;
        let first = ids[0];
        report
            .phase("filter", async {
                let mut rows = 0;
                for i in 0..FILTERS {
                    let k = filter_start(first, i);
                    rows += Order::find()
                        .filter(
                            Order::customer_id
                                .ge(k)
                                .and(Order::customer_id.lt(k + FILTER_SPAN)),
                        )
                        .order_by(Order::order_id.desc())
                        .limit(FILTER_LIMIT)
                        .all(&db)
                        .await
                        .expect("filter")
                        .len();
                }
                rows
            })
            .await;
        report.print("retort");
    });
}
