use retort::prelude::*;

#[derive(Model)]
#[retort(table = "customers")]
#[retort(table = "clients")]
struct Customer {
    #[retort(primary_key, primary_key)]
    id: i32,
}

fn main() {}
