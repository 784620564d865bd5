use retort::prelude::*;

#[derive(Model)]
#[retort(table = customers)]
struct Customer {
    #[retort(identity_start = "1")]
    id: i32,
    #[retort(varchar = "long")]
    name: String,
    #[retort(unique = true)]
    email: String,
}

fn main() {}
