//! A new column with a foreign key to another table, added to a table with rows.
use retort_core::*;
use retort_evolution::Seed;

fn users() -> Table {
    Table::new("users")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

fn posts() -> Table {
    Table::new("posts")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("body", Type::Text))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(users()).table(posts())
}

pub fn after() -> MetaData {
    MetaData::new().table(users()).table(
        posts()
            .column(Column::new("author_id", Type::Integer))
            .foreign_key(ForeignKey::new(["author_id"], "users", ["id"]).name("fk_posts_author").on_delete(FkAction::SetNull)),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "users", columns: &["id"], rows: &[&["1"]] },
        Seed { table: "posts", columns: &["id", "body"], rows: &[&["1", "'hi'"], &["2", "'there'"]] },
    ]
}
