// A type Retort does not map: the error suggests `sql_type = ".."` (or implementing
// `ColumnType`), and lists the features of the optional crates.
use retort::prelude::*;

#[derive(Model)]
struct Timer {
    #[retort(primary_key)]
    id: i32,
    every: std::time::Duration,
}

fn main() {}
