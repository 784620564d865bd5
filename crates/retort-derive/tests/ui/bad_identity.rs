use retort::prelude::*;

#[derive(Model)]
struct Customer {
    #[retort(primary_key, identity = "sometimes")]
    id: i32,
    #[retort(identity_increment = 2)]
    seq: i64,
}

fn main() {}
