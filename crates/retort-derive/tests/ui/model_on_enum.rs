use retort::prelude::*;

#[derive(Model)]
enum Status {
    Active,
}



#[derive(Model)]
union Bits {
    int: i32,
    float: f32,
}
fn main() {}
