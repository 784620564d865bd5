use retort::prelude::*;

#[derive(Model)]
#[retort(tabel = "customers")]
struct Customer {
    id: i32,
}

fn main() {}
