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

#[derive(Model)]
#[retort(
    table = "bookings",
    exclude(
        name = "no_overlap",
        element(column = "room_id", op = "="),
        element(expr = "tstzrange(starts_at, ends_at)", op = "&&"),
        where = "NOT cancelled",
        deferrable
    )
)]
#[allow(dead_code)]
struct Booking {
    #[retort(primary_key)]
    id: i32,
    room_id: i32,
    starts_at: i64,
    ends_at: i64,
    cancelled: bool,
}

#[test]
fn an_exclusion_constraint_reaches_the_table_and_postgres_renders_it() {
    use retort::core::{Exclude, ExcludeElement};
    use retort::dialect::{Dialect, Postgres, Sqlite};
    let t = Booking::table();
    assert_eq!(
        t.excludes,
        vec![Exclude::new(
            "no_overlap",
            vec![
                ExcludeElement::column("room_id", "="),
                ExcludeElement::expr("tstzrange(starts_at, ends_at)", "&&"),
            ],
        )
        .predicate("NOT cancelled")
        .deferrable(Deferrable::InitiallyImmediate)]
    );
    let md = MetaData::new().with::<Booking>();
    let sql = Postgres.create_all(&md).expect("renders").join("\n");
    assert!(
        sql.contains(
            "CONSTRAINT no_overlap EXCLUDE USING gist (room_id WITH =, \
             (tstzrange(starts_at, ends_at)) WITH &&) WHERE (NOT cancelled) \
             DEFERRABLE INITIALLY IMMEDIATE"
        ),
        "{sql}"
    );
    let err = Sqlite.create_all(&md).expect_err("SQLite has none");
    assert!(
        err.to_string()
            .contains("the exclusion constraint `no_overlap` on table `bookings`"),
        "{err}"
    );
}
