//! The unique key a foreign key refers to is replaced (new name): the foreign key is dropped
//! before it and created again after, with the child rows kept.
use retort_core::*;
use retort_evolution::Seed;

fn model(unique_name: &str) -> MetaData {
    let mut parent = Table::new("countries")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("code", Type::Char(Some(2))).not_null())
        .primary_key(["id"]);
    parent.uniques.push(Unique::new(["code"]).name(unique_name));
    MetaData::new().table(parent).table(
        Table::new("cities")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("country_code", Type::Char(Some(2))).not_null())
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["country_code"], "countries", ["code"]).name("fk_cities_country")),
    )
}

pub fn before() -> MetaData {
    model("uq_countries_code")
}

pub fn after() -> MetaData {
    model("uq_countries_iso_code")
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "countries", columns: &["id", "code"], rows: &[&["1", "'FR'"], &["2", "'JP'"]] },
        Seed { table: "cities", columns: &["id", "country_code"], rows: &[&["1", "'FR'"], &["2", "'JP'"], &["3", "'JP'"]] },
    ]
}
