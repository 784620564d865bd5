//! Index elements with NULLS placement, a collation and an operator class, on a column and on
//! an expression, set and then taken away by the downgrade (PostgreSQL only: SQLite has no
//! NULLS in indexes, no operator classes and no collation "C").
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(elements: Vec<IndexElement>) -> Table {
    Table::new("events")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("created_at", Type::BigInt))
        .column(Column::new("title", Type::Text).not_null())
        .primary_key(["id"])
        .index(Index::on(elements).name("ix_events_title"))
}

pub fn before() -> MetaData {
    MetaData::new().table(table(vec![
        IndexElement::column("created_at"),
        IndexElement::column("title"),
    ]))
}

pub fn after() -> MetaData {
    MetaData::new().table(
        table(vec![
            IndexElement::column("created_at").desc().nulls_last(),
            IndexElement::column("title")
                .collate("C")
                .opclass("text_pattern_ops"),
        ])
        .index(
            Index::on(vec![IndexElement::expr("lower(title)")
                .collate("C")
                .nulls_first()])
            .name("ix_events_lower_title"),
        ),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "events",
        columns: &["id", "created_at", "title"],
        rows: &[&["1", "10", "'a'"], &["2", "NULL", "'B'"]],
    }]
}
