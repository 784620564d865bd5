use retort::prelude::*;

struct NotAModel;

#[derive(Model)]
struct Order {
    #[retort(primary_key)]
    id: i32,
    customer: BelongsTo<NotAModel>,
}

fn main() {}
