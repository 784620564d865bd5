use retort::prelude::*;

#[derive(Model)]
struct Product {
    #[retort(primary_key, identity = "always", nullable)]
    id: i32,
    #[retort(varchar(20), text)]
    name: String,
    #[retort(server_default = "0", default_value = 0)]
    stock: i32,
    #[retort(computed = "stock * 2", default_value = 0)]
    doubled: i32,
}

fn main() {}
