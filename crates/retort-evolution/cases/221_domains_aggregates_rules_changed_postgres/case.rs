//! A domain a column is of changes its default, gains `NOT NULL` and swaps a named check
//! for another (`ALTER DOMAIN`: the column stays, with its rows); an aggregate changes its
//! initial condition and a rule its action (`CREATE OR REPLACE`); each downgrade restores
//! the old definition.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn shop(year: &str, initcond: &str, action: &str) -> MetaData {
    MetaData::new()
        .table(
            Table::new("film")
                .column(Column::new("film_id", Type::Integer).not_null())
                .column(Column::new("release_year", Type::Custom("year".into())))
                .primary_key(["film_id"]),
        )
        .with_entity(Domain::new("year", year))
        .with_entity(Function::new(
            "_concat",
            "text, text",
            "RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$",
        ))
        .with_entity(Aggregate::new(
            "concat_all",
            "text",
            format!("(SFUNC = _concat, STYPE = text, INITCOND = '{initcond}')"),
        ))
        .with_entity(Rule::new(
            "film",
            "film_kept",
            format!("AS ON DELETE TO film DO INSTEAD {action}"),
        ))
}

pub fn before() -> MetaData {
    shop(
        "AS integer DEFAULT 1999 CONSTRAINT year_min CHECK (VALUE >= 1901)",
        "",
        "NOTHING",
    )
}

pub fn after() -> MetaData {
    shop(
        "AS integer DEFAULT 2000 NOT NULL CONSTRAINT year_recent CHECK (VALUE >= 1950)",
        "-",
        "UPDATE film SET release_year = NULL WHERE film_id = old.film_id",
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "film", columns: &["film_id", "release_year"], rows: &[&["1", "1999"]] }]
}
