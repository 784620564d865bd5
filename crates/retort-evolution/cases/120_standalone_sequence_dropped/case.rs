//! A standalone sequence no column uses dropped, PostgreSQL only; the downgrade creates it
//! again with its type and options.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn t() -> Table {
    Table::new("things")
        .column(Column::new("thing_id", Type::Integer).not_null())
        .primary_key(["thing_id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .with_sequence(Sequence::new("invoice_seq").data_type(Type::SmallInt).minvalue(-10).maxvalue(10).cycle())
        .with_sequence(Sequence::new("receipt_seq").cache(20))
        .table(t())
}

pub fn after() -> MetaData {
    MetaData::new()
        .with_sequence(Sequence::new("receipt_seq").cache(20))
        .table(t())
}
