use retort::prelude::*;

#[derive(Model)]
struct Order {
    #[retort(on_delete = "cascade", fk_name = "fk_order_customer")]
    customer_id: i32,
}

fn main() {}
