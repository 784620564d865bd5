use retort::prelude::*;

#[allow(dead_code)]
struct Point {
    x: f64,
    y: f64,
}

#[derive(Model)]
struct Place {
    #[retort(primary_key)]
    id: i32,
    location: Point,
}

fn main() {}
