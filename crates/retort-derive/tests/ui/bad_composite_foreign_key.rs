use retort::prelude::*;

#[derive(Model)]
#[retort(
    foreign_key(columns("a", "b"), references = "parents.a"),
    foreign_key(columns("a", "b"), references = "parents(a)")
)]
struct Child {
    a: i32,
    b: i32,
}

fn main() {}
