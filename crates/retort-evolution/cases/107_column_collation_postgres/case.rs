//! Column collations on PostgreSQL: one added (`"C"`), one changed (`"POSIX"` to `"C"`),
//! one removed (back to the type's default), and a new column created with one.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("words").column(Column::new("id", Type::Integer).not_null()).primary_key(["id"])
}

pub const DIALECTS: &[&str] = &["postgres"];

pub fn before() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("name", Type::Text))
            .column(Column::new("code", Type::Varchar(Some(10))).collation("POSIX"))
            .column(Column::new("tag", Type::Text).collation("C")),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("name", Type::Text).collation("C"))
            .column(Column::new("code", Type::Varchar(Some(10))).collation("C"))
            .column(Column::new("tag", Type::Text))
            .column(Column::new("label", Type::Text).collation("POSIX")),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "words", columns: &["id", "name", "code", "tag"], rows: &[&["1", "'b'", "'x'", "'t'"], &["2", "'B'", "NULL", "NULL"]] }]
}
