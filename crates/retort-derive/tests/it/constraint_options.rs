//! `unique(.., deferrable, initially_deferred, nulls_not_distinct)`, and SQLAlchemy's
//! `use_alter`, accepted and unnecessary.

use retort::core::{Deferrable, Unique};
use retort::prelude::*;

#[derive(Model)]
#[retort(
    table = "seats",
    unique(columns("room_id", "position"), name = "uq_pos", initially_deferred),
    unique(columns("code"), nulls_not_distinct, deferrable),
    foreign_key(columns("room_id"), references = "rooms(id)", use_alter)
)]
#[allow(dead_code)]
struct Seat {
    #[retort(primary_key)]
    id: i32,
    room_id: i32,
    position: i32,
    code: Option<String>,
    #[retort(foreign_key = "seats.id", use_alter)]
    next_id: Option<i32>,
}

#[test]
fn unique_options_reach_the_table() {
    let t = Seat::table();
    assert_eq!(
        t.uniques,
        vec![
            Unique::new(["room_id", "position"])
                .name("uq_pos")
                .deferrable(Deferrable::InitiallyDeferred),
            Unique::new(["code"])
                .nulls_not_distinct()
                .deferrable(Deferrable::InitiallyImmediate),
        ]
    );
    // `use_alter` changes nothing: the keys are there as without it.
    assert_eq!(t.foreign_keys.len(), 2);
}
