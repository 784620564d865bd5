use retort::prelude::*;

// An exclusion constraint spelled as SQL or with a misspelt key: each refused at its span
// with the spelling to use.
#[derive(Model)]
#[retort(
    exclude(name = "no_overlap", element(column = "room_id", operator = "=")),
    exclude(name = "by_sql", elements = "room_id WITH ="),
    exclude(name = "ordered", element(expr = "lower(code) DESC", op = "="))
)]
struct Booking {
    #[retort(primary_key)]
    id: i32,
    room_id: i32,
    code: String,
}

fn main() {}
