use retort::prelude::*;

#[derive(Model)]
struct Wrapper<T> {
    value: T,
}

fn main() {}
