//! An extension that requires another (`earthdistance` needs `cube`), declared first and
//! ordered with `.after("cube")`: created after it, and dropped before it by the downgrade.
//! (Read back, an extension is `.after` those it requires, from `pg_depend`, so drops the
//! database's side proposes keep that order too: `postgres::extension_catalog`.)
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn places() -> Table {
    Table::new("places")
        .column(Column::new("place_id", Type::Integer).not_null())
        .column(Column::new("lat", Type::Double).not_null())
        .column(Column::new("lon", Type::Double).not_null())
        .primary_key(["place_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(places())
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(places())
        .with_entity(Extension::new("earthdistance").after("cube"))
        .with_entity(Extension::new("cube"))
}
