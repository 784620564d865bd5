//! An index's method changed under the same name: btree -> hash, and a new GIN index on an
//! array (PostgreSQL only).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn base() -> Table {
    Table::new("docs")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("slug", Type::Text).not_null())
        .column(Column::new("tags", Type::array(Type::Text)))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base().index(Index::on_columns(["slug"]).name("ix_docs_slug")))
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .index(Index::on_columns(["slug"]).name("ix_docs_slug").method("hash"))
            .index(Index::on_columns(["tags"]).name("ix_docs_tags").method("gin")),
    )
}
