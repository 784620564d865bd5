use retort::prelude::*;

struct NotAModel;

#[derive(Model)]
#[retort(has_many(Order, back_populates = "customer"))]
struct Customer {
    #[retort(primary_key)]
    id: i32,
}

#[derive(Model)]
#[retort(has_many(orders = Order, cascade = "all, delete-orphans"))]
struct Shop {
    #[retort(primary_key)]
    id: i32,
}

#[derive(Model)]
#[retort(belongs_to(owner = NotAModel))]
struct Order {
    #[retort(primary_key)]
    id: i32,
}

fn main() {}
