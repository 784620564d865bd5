//! The workload through SeaORM (an anchor): entities, `insert_many(..)
//! .exec_with_returning_many`, `load_many` (its batched load of a relation), typed filters.

use orm_bench::*;
use sea_orm::entity::prelude::*;
use sea_orm::{Database, LoaderTrait, NotSet, QueryOrder, QuerySelect, Set};

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
            to = "super::customer::Column::CustomerId",
            on_delete = "Cascade"
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

fn main() {
    runtime().block_on(async {
        let db = Database::connect(url()).await.expect("connect");
        let mut report = Report::default();
        let mut ids = Vec::new();
        report
            .phase("insert", async {
                let customers = (0..CUSTOMERS).map(|i| customer::ActiveModel {
                    customer_id: NotSet,
                    first_name: Set(format!("First{i}")),
                    last_name: Set(format!("Last{i}")),
                    email_address: Set(format!("c{i}@example.com")),
                });
                let stored = customer::Entity::insert_many(customers)
                    .exec_with_returning_many(&db)
                    .await
                    .expect("customers");
                ids = stored.iter().map(|c| c.customer_id).collect();
                let mut rows = stored.len();
                for start in (0..ORDERS).step_by(BATCH) {
                    let batch = (start..start + BATCH).map(|i| order::ActiveModel {
                        order_id: NotSet,
                        customer_id: Set(customer_of(&ids, i)),
                        order_date: NotSet, // the server's now()
                    });
                    let stored: Vec<order::Model> = order::Entity::insert_many(batch)
                        .exec_with_returning_many(&db)
                        .await
                        .expect("orders");
                    rows += stored.len();
                }
                rows
            })
            .await;
        report
            .phase("load", async {
                let customers = customer::Entity::find()
                    .order_by_asc(customer::Column::CustomerId)
                    .all(&db)
                    .await
                    .expect("customers");
                let orders: Vec<Vec<order::Model>> = customers
                    .load_many(
                        order::Entity::find().order_by_asc(order::Column::OrderId),
                        &db,
                    )
                    .await
                    .expect("orders");
                let loaded: Vec<(customer::Model, Vec<order::Model>)> =
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
                    rows += order::Entity::find()
                        .filter(order::Column::CustomerId.gte(k))
                        .filter(order::Column::CustomerId.lt(k + FILTER_SPAN))
                        .order_by_desc(order::Column::OrderId)
                        .limit(FILTER_LIMIT)
                        .all(&db)
                        .await
                        .expect("filter")
                        .len();
                }
                rows
            })
            .await;
        report.print("seaorm");
    });
}
