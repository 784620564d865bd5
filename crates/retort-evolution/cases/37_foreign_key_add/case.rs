//! A foreign key added to an existing column of an existing table (SQLite: a rebuild of the
//! child that keeps its rows).
use retort_core::*;
use retort_evolution::Seed;

fn parent() -> Table {
    Table::new("authors")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("name", Type::Text).not_null())
        .primary_key(["id"])
}

fn child() -> Table {
    Table::new("books")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("author_id", Type::Integer))
        .column(Column::new("title", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(parent()).table(child())
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(parent())
        .table(child().foreign_key(ForeignKey::new(["author_id"], "authors", ["id"]).name("fk_books_author")))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "authors", columns: &["id", "name"], rows: &[&["1", "'Le Guin'"], &["2", "'Borges'"]] },
        Seed { table: "books", columns: &["id", "author_id", "title"], rows: &[&["10", "1", "'Earthsea'"], &["11", "2", "'Ficciones'"], &["12", "NULL", "'Anon'"]] },
    ]
}
