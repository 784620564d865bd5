use retort::prelude::*;

#[derive(Model)]
#[retort(index(columns("emial")), unique(columns("id", "nmae")))]
struct Customer {
    id: i32,
    #[retort(column = "name")]
    full_name: String,
    email: String,
}

fn main() {}
