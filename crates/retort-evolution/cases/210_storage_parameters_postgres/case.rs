//! Storage parameters (PostgreSQL `WITH (..)`) of a table, its primary key's index, a unique
//! constraint's index and an index, set, changed and reset in place (`ALTER TABLE/INDEX ..
//! SET (..) RESET (..)`), never by a drop and a create. Compared clean after the upgrade
//! and the downgrade.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn model(table: &[(&str, &str)], key: &[(&str, &str)], unique: &[(&str, &str)], index: &[(&str, &str)]) -> MetaData {
    let pairs = |w: &[(&str, &str)]| -> Vec<(String, String)> {
        w.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let mut t = Table::new("films")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("title", Type::Text).not_null())
        .column(Column::new("code", Type::Varchar(Some(10))))
        .index(Index::on_columns(["title"]).name("ix_films_title"));
    t.with = pairs(table);
    t.primary_key = Some(PrimaryKey::new(["id"]).name("films_pkey"));
    t.primary_key.as_mut().expect("just set").with = pairs(key);
    t.uniques = vec![Unique::new(["code"]).name("films_code_key")];
    t.uniques[0].with = pairs(unique);
    t.indexes[0].with = pairs(index);
    MetaData::new().table(t)
}

pub fn before() -> MetaData {
    model(&[("fillfactor", "100")], &[("fillfactor", "100")], &[], &[("fillfactor", "90")])
}

pub fn after() -> MetaData {
    model(
        &[("fillfactor", "70"), ("autovacuum_enabled", "false")],
        &[],
        &[("fillfactor", "80")],
        &[("fillfactor", "60")],
    )
}
