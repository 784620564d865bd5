//! A self-referencing foreign key added to an existing table with rows (SQLite: the table
//! rebuilt while it refers to itself).
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("categories")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("parent_id", Type::Integer))
        .column(Column::new("name", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
    MetaData::new().table(base().foreign_key(ForeignKey::new(["parent_id"], "categories", ["id"]).name("fk_categories_parent").on_delete(FkAction::Cascade)))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "categories", columns: &["id", "parent_id", "name"], rows: &[&["1", "NULL", "'root'"], &["2", "1", "'child'"], &["3", "2", "'grandchild'"]] }]
}
