use retort::prelude::*;

#[derive(Model)]
#[retort(
    index(expr = "created_at DESC"),
    index(expr = "title COLLATE \"C\""),
    index(columns(created_at(desc, asc, nulls_last, nulls_first))),
    index(columns(title(colate = "C"))),
)]
struct Event {
    #[retort(primary_key)]
    id: i32,
    created_at: i64,
    title: String,
}

fn main() {}
