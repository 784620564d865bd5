//! The three Rust tools in one process (Retort twice: `retort` loads through the
//! relationship, `retort-in` by hand), taking turns statement group by statement group, so
//! load from elsewhere on a shared machine falls on them alike (`bench/orm.sh` runs each
//! tool as its own process, seconds apart, where the same tool's insert moved by 1.5x).
//!
//! On a fresh database from `schema.sql` (`BENCH_URL`): 1,000 customers by raw sqlx; then
//! 104 batches of 1,000 orders, the tools taking turns (26 each, the order rotated every
//! four batches), each tool's `INSERT .. RETURNING` as in its own binary; then `ROUNDS`
//! rounds (default 20) of the load (the 1,000 customers with their orders, batched) and of
//! the 200 filtered queries, each tool once a round in rotated order. Prints each tool's
//! total per phase, its ratio to raw sqlx's, and the process's CPU time during the tool's
//! turns (`/proc/self/stat`, 10 ms ticks); each insert batch's time goes to stderr. Not part
//! of `orm.sh`: a check of its ratios. The load reads 104,000 orders (104 batches).
//!
//!   psql -c 'CREATE DATABASE x' && psql -d x -f bench/orm/schema.sql
//!   ROUNDS=30 BENCH_URL=postgres://postgres@127.0.0.1:5432/x orm-paired 2>batches.txt

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use orm_bench::*;
use retort::orm::{Db, Persist, Related};
use retort::prelude::*;
use sea_orm::{
    ColumnTrait, EntityTrait, LoaderTrait, NotSet, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sqlx::postgres::PgRow;
use sqlx::{PgPool, QueryBuilder, Row};

mod rt {
    use super::*;
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
}

mod customer {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub customer_id: i32,
        pub first_name: String,
        pub last_name: String,
        pub email_address: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::order::Entity")]
        Order,
    }
    impl Related<super::order::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Order.def()
        }
    }
    impl ActiveModelBehavior for ActiveModel {}
}

mod order {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "orders")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub order_id: i32,
        pub customer_id: i32,
        pub order_date: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::customer::Entity",
            from = "Column::CustomerId",
            to = "super::customer::Column::CustomerId"
        )]
        Customer,
    }
    impl Related<super::customer::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Customer.def()
        }
    }
    impl ActiveModelBehavior for ActiveModel {}
}

#[allow(dead_code)]
struct SqlxOrder {
    order_id: i32,
    customer_id: i32,
    order_date: DateTime<Utc>,
}

fn sqlx_order(r: PgRow) -> SqlxOrder {
    SqlxOrder {
        order_id: r.get(0),
        customer_id: r.get(1),
        order_date: r.get(2),
    }
}

/// `retort` loads through the relationship (`Customer::orders.load`, as `orm.sh` does);
/// `retort-in` through `find().filter(is_in(..))` and a hand-built map.
const TOOLS: [&str; 4] = ["sqlx", "retort", "retort-in", "seaorm"];

struct Tools {
    pg: PgPool,
    db: Db,
    sea: sea_orm::DatabaseConnection,
    ids: Vec<i32>,
}

impl Tools {
    async fn insert(&self, tool: &str, start: usize) -> usize {
        let range = start..start + BATCH;
        match tool {
            "sqlx" => {
                let mut q = QueryBuilder::new("INSERT INTO orders (customer_id) ");
                q.push_values(range, |mut b, i| {
                    b.push_bind(customer_of(&self.ids, i));
                });
                q.push(" RETURNING order_id, customer_id, order_date");
                let v: Vec<SqlxOrder> =
                    q.build().map(sqlx_order).fetch_all(&self.pg).await.unwrap();
                v.len()
            }
            "retort" | "retort-in" => {
                let batch: Vec<rt::Order> = range
                    .map(|i| rt::Order {
                        order_id: 0,
                        customer_id: customer_of(&self.ids, i),
                        order_date: DateTime::<Utc>::UNIX_EPOCH,
                    })
                    .collect();
                rt::Order::insert_many(&self.db, &batch)
                    .await
                    .unwrap()
                    .len()
            }
            _ => {
                let batch = range.map(|i| order::ActiveModel {
                    order_id: NotSet,
                    customer_id: Set(customer_of(&self.ids, i)),
                    order_date: NotSet,
                });
                order::Entity::insert_many(batch)
                    .exec_with_returning_many(&self.sea)
                    .await
                    .unwrap()
                    .len()
            }
        }
    }

    async fn load(&self, tool: &str) -> usize {
        match tool {
            "sqlx" => {
                let customers: Vec<(i32, String, String, String)> = sqlx::query(
                    "SELECT customer_id, first_name, last_name, email_address FROM customers ORDER BY customer_id",
                )
                .map(|r: PgRow| (r.get(0), r.get(1), r.get(2), r.get(3)))
                .fetch_all(&self.pg)
                .await
                .unwrap();
                let keys: Vec<i32> = customers.iter().map(|c| c.0).collect();
                let orders: Vec<SqlxOrder> = sqlx::query(
                    "SELECT order_id, customer_id, order_date FROM orders WHERE customer_id = ANY($1) ORDER BY order_id",
                )
                .bind(&keys)
                .map(sqlx_order)
                .fetch_all(&self.pg)
                .await
                .unwrap();
                let mut by: HashMap<i32, Vec<SqlxOrder>> = HashMap::new();
                for o in orders {
                    by.entry(o.customer_id).or_default().push(o);
                }
                customers.len()
                    + customers
                        .iter()
                        .map(|c| by.remove(&c.0).map_or(0, |v| v.len()))
                        .sum::<usize>()
            }
            "retort" => {
                let customers = rt::Customer::find()
                    .order_by(rt::Customer::customer_id.asc())
                    .all(&self.db)
                    .await
                    .unwrap();
                let mut orders = rt::Customer::orders
                    .load(&self.db, &customers)
                    .await
                    .unwrap();
                for mine in &mut orders {
                    mine.sort_unstable_by_key(|o| o.order_id);
                }
                customers.len() + orders.iter().map(Vec::len).sum::<usize>()
            }
            "retort-in" => {
                let customers = rt::Customer::find()
                    .order_by(rt::Customer::customer_id.asc())
                    .all(&self.db)
                    .await
                    .unwrap();
                let orders = rt::Order::find()
                    .filter(rt::Order::customer_id.is_in(customers.iter().map(|c| c.customer_id)))
                    .order_by(rt::Order::order_id.asc())
                    .all(&self.db)
                    .await
                    .unwrap();
                let mut by: HashMap<i32, Vec<rt::Order>> = HashMap::new();
                for o in orders {
                    by.entry(o.customer_id).or_default().push(o);
                }
                customers.len()
                    + customers
                        .iter()
                        .map(|c| by.remove(&c.customer_id).map_or(0, |v| v.len()))
                        .sum::<usize>()
            }
            _ => {
                let customers = customer::Entity::find()
                    .order_by_asc(customer::Column::CustomerId)
                    .all(&self.sea)
                    .await
                    .unwrap();
                let orders: Vec<Vec<order::Model>> = customers
                    .load_many(
                        order::Entity::find().order_by_asc(order::Column::OrderId),
                        &self.sea,
                    )
                    .await
                    .unwrap();
                customers.len() + orders.iter().map(Vec::len).sum::<usize>()
            }
        }
    }

    async fn filter(&self, tool: &str) -> usize {
        let first = self.ids[0];
        let mut rows = 0;
        for i in 0..FILTERS {
            let k = filter_start(first, i);
            rows += match tool {
                "sqlx" => sqlx::query(&format!(
                    "SELECT order_id, customer_id, order_date FROM orders WHERE customer_id >= $1 AND customer_id < $2 \
                     ORDER BY order_id DESC LIMIT {FILTER_LIMIT}"
                ))
                .bind(k)
                .bind(k + FILTER_SPAN)
                .map(sqlx_order)
                .fetch_all(&self.pg)
                .await
                .unwrap()
                .len(),
                "retort" | "retort-in" => rt::Order::find()
                    .filter(rt::Order::customer_id.ge(k).and(rt::Order::customer_id.lt(k + FILTER_SPAN)))
                    .order_by(rt::Order::order_id.desc())
                    .limit(FILTER_LIMIT)
                    .all(&self.db)
                    .await
                    .unwrap()
                    .len(),
                _ => order::Entity::find()
                    .filter(order::Column::CustomerId.gte(k))
                    .filter(order::Column::CustomerId.lt(k + FILTER_SPAN))
                    .order_by_desc(order::Column::OrderId)
                    .limit(FILTER_LIMIT)
                    .all(&self.sea)
                    .await
                    .unwrap()
                    .len(),
            };
        }
        rows
    }
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    runtime().block_on(async {
        let url = url();
        let pg = PgPool::connect(&url).await.expect("connect");
        let db = Db::connect(&url).await.expect("connect");
        let sea = sea_orm::Database::connect(&url).await.expect("connect");
        let mut q =
            QueryBuilder::new("INSERT INTO customers (first_name, last_name, email_address) ");
        q.push_values(0..CUSTOMERS, |mut b, i| {
            b.push_bind(format!("First{i}"))
                .push_bind(format!("Last{i}"))
                .push_bind(format!("c{i}@example.com"));
        });
        q.push(" RETURNING customer_id");
        let ids: Vec<i32> = q
            .build()
            .map(|r: PgRow| r.get(0))
            .fetch_all(&pg)
            .await
            .unwrap();
        let tools = Tools { pg, db, sea, ids };
        let mut spent: HashMap<(&str, &str), f64> = HashMap::new();
        let mut cpu: HashMap<(&str, &str), f64> = HashMap::new();
        let mut add = |phase: &'static str, tool: &'static str, secs: f64, c: f64| {
            *spent.entry((phase, tool)).or_default() += secs;
            *cpu.entry((phase, tool)).or_default() += c;
        };
        for b in 0..104 {
            let tool = TOOLS[(b + b / 4) % 4];
            let (t, c) = (Instant::now(), cpu_secs());
            assert_eq!(tools.insert(tool, b * BATCH).await, BATCH);
            add("insert", tool, t.elapsed().as_secs_f64(), cpu_secs() - c);
            // Each batch's time on stderr, for a look at the spread.
            eprintln!(
                "batch={b} tool={tool} secs={:.5}",
                t.elapsed().as_secs_f64()
            );
        }
        let mut counts = HashMap::new();
        for r in 0..rounds {
            for i in 0..4 {
                let tool = TOOLS[(r + i) % 4];
                let (t, c) = (Instant::now(), cpu_secs());
                let n = tools.load(tool).await;
                add("load", tool, t.elapsed().as_secs_f64(), cpu_secs() - c);
                let (t, c) = (Instant::now(), cpu_secs());
                let m = tools.filter(tool).await;
                add("filter", tool, t.elapsed().as_secs_f64(), cpu_secs() - c);
                assert_eq!(
                    *counts.entry(tool).or_insert((n, m)),
                    (n, m),
                    "{tool} read other rows"
                );
            }
        }
        let per = |phase, tool| spent[&(phase, tool)];
        let cpu_of = |phase, tool| cpu[&(phase, tool)];
        println!("rounds={rounds} rows(load, filter)={:?}", counts["sqlx"]);
        println!("wall clock, and (after /) this process's CPU time in the tool's turns");
        println!("| tool | insert, 26 batches (s) | load x{rounds} (s) | filter x{rounds} (s) |");
        println!("|---|---:|---:|---:|");
        for tool in TOOLS {
            let cells: Vec<String> = ["insert", "load", "filter"]
                .iter()
                .map(|p| {
                    format!(
                        "{:.3} ({:.2}x) / {:.2}",
                        per(*p, tool),
                        per(*p, tool) / per(*p, "sqlx"),
                        cpu_of(*p, tool)
                    )
                })
                .collect();
            println!("| {tool} | {} |", cells.join(" | "));
        }
    });
}
