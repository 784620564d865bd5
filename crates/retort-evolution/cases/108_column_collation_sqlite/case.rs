//! Column collations on SQLite (its own names: `NOCASE`, `RTRIM`): one added, one changed,
//! one removed, each a table rebuild that keeps the rows, and a new column created with one.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("words").column(Column::new("id", Type::Integer).not_null()).primary_key(["id"])
}

pub const DIALECTS: &[&str] = &["sqlite"];

pub fn before() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("name", Type::Text))
            .column(Column::new("code", Type::Text).collation("RTRIM"))
            .column(Column::new("tag", Type::Text).collation("NOCASE")),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("name", Type::Text).collation("NOCASE"))
            .column(Column::new("code", Type::Text).collation("NOCASE"))
            .column(Column::new("tag", Type::Text))
            .column(Column::new("label", Type::Text).collation("RTRIM")),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "words", columns: &["id", "name", "code", "tag"], rows: &[&["1", "'b'", "'x'", "'t'"], &["2", "'B'", "NULL", "NULL"]] }]
}
