use retort::prelude::*;

#[derive(Model)]
#[retort(
    index(name = "ix_empty", unique),
    check(name = "ck_nothing"),
    unique(name = "uq_nothing"),
    index(columns("a"), colums("a"))
)]
struct Thing {
    a: i32,
}

fn main() {}
