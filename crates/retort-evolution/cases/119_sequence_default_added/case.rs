//! A standalone sequence added, and a kept column switched to it as its default (SQLAlchemy's
//! `server_default=Sequence('order_no_seq').next_value()`), PostgreSQL only: the sequence is
//! created before the column's alter and dropped after it on the way down.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn orders(order_no: Column) -> Table {
    Table::new("orders")
        .column(Column::new("order_id", Type::Integer).not_null())
        .column(order_no)
        .primary_key(["order_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(orders(Column::new("order_no", Type::Integer)))
}

pub fn after() -> MetaData {
    let seq = Sequence::new("order_no_seq").data_type(Type::Integer).start(1000).increment(10);
    let default = ServerDefault::expr(seq.nextval());
    MetaData::new()
        .with_sequence(seq)
        .table(orders(Column::new("order_no", Type::Integer).server_default(default)))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "orders", columns: &["order_id", "order_no"], rows: &[&["1", "7"], &["2", "NULL"]] }]
}
