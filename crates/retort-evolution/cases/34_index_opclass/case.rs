//! An index column's operator class changed under the same name (PostgreSQL only).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(name: IndexElement) -> Table {
    Table::new("words")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("word", Type::Text).not_null())
        .primary_key(["id"])
        .index(Index::on(vec![name]).name("ix_words_word"))
}

pub fn before() -> MetaData {
    MetaData::new().table(table(IndexElement::column("word")))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(IndexElement::column("word").opclass("text_pattern_ops")))
}
