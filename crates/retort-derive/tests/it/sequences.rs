//! Serial columns, standalone sequences declared on the model, and a column whose default is
//! a declared sequence's `nextval` (SQLAlchemy's `Sequence`, in the metadata and as a
//! column's `server_default=Sequence('seq').next_value()`).

use retort::core::{Column, MetaData, Sequence, Serial, ServerDefault, Type};
use retort::prelude::*;

#[derive(Model)]
#[retort(table = "orders")]
#[retort(sequence(
    name = "order_no_seq",
    data_type = "integer",
    start = 1000,
    increment = 10
))]
#[retort(sequence(name = "audit_seq", cycle, cache = 5))]
#[allow(dead_code)]
struct Order {
    #[retort(primary_key, serial)]
    order_id: i64,
    #[retort(serial)]
    position: i32,
    #[retort(default_sequence = "order_no_seq")]
    order_no: i32,
}

#[test]
fn serial_columns_and_declared_sequences() {
    let t = Order::table();
    assert_eq!(
        t.columns[0],
        Column::new("order_id", Type::BigInt).serial(Serial::new())
    );
    assert_eq!(
        t.columns[1],
        Column::new("position", Type::Integer).serial(Serial::new())
    );
    assert_eq!(
        t.columns[2],
        Column::new("order_no", Type::Integer)
            .not_null()
            .server_default(ServerDefault::expr("nextval('order_no_seq'::regclass)"))
    );
    let md = MetaData::new().with_schema("shop").with::<Order>();
    assert_eq!(
        md.sequences(),
        [
            Sequence::new("order_no_seq")
                .schema("shop")
                .data_type(Type::Integer)
                .start(1000)
                .increment(10),
            Sequence::new("audit_seq").schema("shop").cycle().cache(5),
        ]
    );
}
