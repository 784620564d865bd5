// A column handle is typed as its field: comparing `customer_id` (an i32) with text does not
// compile.
use retort::prelude::*;

#[derive(Model)]
#[retort(table = "orders")]
pub struct Order {
    #[retort(primary_key, identity = "always")]
    pub order_id: i32,
    pub customer_id: i32,
}

fn main() {
    let _ = Order::customer_id.eq("text");
}
