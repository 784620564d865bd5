use retort::prelude::*;

#[derive(DbEnum)]
#[retort(name = "status", values = "a, b")]
enum Status {
    Active,
    Suspended { until: i64 },
    #[retort(rename = "active")]
    Enabled,
}

#[derive(DbEnum)]
struct NotAnEnum {
    a: i32,
}

fn main() {}
