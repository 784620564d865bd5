use retort::prelude::*;

#[derive(Model)]
struct Customer {
    #[retort(primary_key)]
    id: i32,
    #[retort(back_populates = "customer", cascade = "all, delete-orphans")]
    orders: HasMany<Order>,
}

#[derive(Model)]
struct Order {
    #[retort(primary_key)]
    id: i32,
}

fn main() {}
