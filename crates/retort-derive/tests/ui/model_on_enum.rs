use retort::prelude::*;

#[derive(Model)]
enum Status {
    Active,
}

fn main() {}
