use retort::prelude::*;

#[derive(Model)]
struct Order {
    #[retort(back_populates = "orders")]
    customer_id: i32,
}

fn main() {}
