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

/// A model in a named schema: its sequences are there, and `default_sequence` names one as
/// `schema.name` (quoted part by part, not as one name with a dot in it).
#[derive(Model)]
#[retort(
    table = "invoices",
    schema = "sales",
    sequence(name = "invoice_no_seq")
)]
#[allow(dead_code)]
struct Invoice {
    #[retort(primary_key)]
    id: i32,
    #[retort(default_sequence = "sales.invoice_no_seq")]
    invoice_no: i64,
    #[retort(default_sequence = "Odd.Seq")]
    odd_no: i64,
}

#[test]
fn a_schema_qualified_default_sequence_is_qualified_not_one_name() {
    let t = Invoice::table();
    assert_eq!(
        t.columns[1].server_default,
        Some(ServerDefault::expr(
            "nextval('sales.invoice_no_seq'::regclass)"
        ))
    );
    assert_eq!(
        t.columns[2].server_default,
        Some(ServerDefault::expr("nextval('\"Odd\".\"Seq\"'::regclass)"))
    );
    let md = MetaData::new().with::<Invoice>();
    assert_eq!(md.sequences()[0].schema.as_deref(), Some("sales"));
}
