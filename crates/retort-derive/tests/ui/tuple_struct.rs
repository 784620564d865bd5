use retort::prelude::*;

#[derive(Model)]
struct Customer(i32, String);

fn main() {}
