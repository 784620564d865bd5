// Per-dialect variants used wrongly: an empty one, a `no_server_default` with no default to
// remove, an unknown key inside, and two defaults for one dialect.
use retort::prelude::*;

#[derive(Model)]
struct Doc {
    #[retort(primary_key)]
    id: i32,
    #[retort(sqlite())]
    a: String,
    #[retort(sqlite(no_server_default))]
    b: String,
    #[retort(postgres(defualt_value = 1))]
    c: i32,
    #[retort(server_default = "now()", sqlite(server_default = "x", no_server_default))]
    d: String,
}

fn main() {}
