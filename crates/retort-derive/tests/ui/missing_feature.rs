// A type of an optional crate whose Retort feature is off. This crate's tests enable every
// feature, so stand-ins play the real types: like `chrono::NaiveDate` and `uuid::Uuid` with
// the feature off, they have no `ColumnType`. The error names the feature to enable.
use retort::prelude::*;

mod chrono {
    pub struct NaiveDate;
}
mod uuid {
    pub struct Uuid;
}

#[derive(Model)]
struct Event {
    #[retort(primary_key)]
    id: uuid::Uuid,
    day: Option<chrono::NaiveDate>,
}

fn main() {}
