use retort::prelude::*;

#[derive(Model)]
struct Customer {
    #[retort(primry_key)]
    id: i32,
}

fn main() {}
