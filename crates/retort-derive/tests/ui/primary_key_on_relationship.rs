use retort::prelude::*;

#[derive(Model)]
struct Customer {
    #[retort(primary_key)]
    id: i32,
}

#[derive(Model)]
struct Order {
    #[retort(primary_key)]
    id: i32,
    #[retort(primary_key, foreign_key = "customer.id")]
    customer: BelongsTo<Customer>,
}

fn main() {}
