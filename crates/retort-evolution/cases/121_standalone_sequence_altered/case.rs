//! A standalone sequence's type and options changed, PostgreSQL only: one `alter_sequence`
//! each way, every option restated so that options going back to their defaults do too.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn t() -> Table {
    Table::new("things")
        .column(Column::new("thing_id", Type::Integer).not_null())
        .primary_key(["thing_id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .with_sequence(Sequence::new("batch_seq").data_type(Type::Integer).increment(5).cache(10))
        .table(t())
}

pub fn after() -> MetaData {
    MetaData::new()
        .with_sequence(Sequence::new("batch_seq").start(100).minvalue(100).maxvalue(1_000_000).cycle())
        .table(t())
}
