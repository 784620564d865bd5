use retort::prelude::*;

#[derive(Model)]
struct Reading {
    #[retort(primary_key)]
    id: i32,
    #[retort(length = 10)]
    values: Vec<i32>,
}

fn main() {}
