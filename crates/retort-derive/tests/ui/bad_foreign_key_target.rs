use retort::prelude::*;

#[derive(Model)]
struct Order {
    #[retort(foreign_key = "customers")]
    customer_id: i32,
    #[retort(foreign_key = "customers.id", on_delete = "explode")]
    other_id: i32,
}

fn main() {}
