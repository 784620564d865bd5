use retort::prelude::*;

#[derive(Model)]
#[retort(table = "t", sequence(start = 5))]
struct T {
    #[retort(primary_key, serial, identity = "always")]
    id: i32,
    #[retort(serial, server_default = "1")]
    n: i32,
    #[retort(serial, nullable)]
    m: Option<i32>,
}

fn main() {}
