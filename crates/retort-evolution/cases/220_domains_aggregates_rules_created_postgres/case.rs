//! Pagila's kinds of object, written as a user writes them (which PostgreSQL prints
//! otherwise: no false positive after the upgrade): a domain with a collation, a default,
//! `NOT NULL` and two checks, created before the table whose column is of it and dropped
//! after it; an aggregate with a state function, a final function and an initial
//! condition, created after its functions and before the view that calls it; a rule on a
//! table and an `INSTEAD` rule on that view, after the view.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn shop() -> MetaData {
    MetaData::new().table(
        Table::new("payment")
            .column(Column::new("payment_id", Type::Integer).not_null())
            .column(Column::new("amount", Type::Numeric { precision: Some(5), scale: Some(2) }).not_null())
            .primary_key(["payment_id"]),
    )
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    let mut md = shop();
    md.add_table(
        Table::new("film")
            .column(Column::new("film_id", Type::Integer).not_null())
            .column(Column::new("title", Type::Custom("title".into())).not_null())
            .column(Column::new("release_year", Type::Custom("year".into())))
            .primary_key(["film_id"]),
    );
    md.with_entity(Domain::new(
        "year",
        "as int default 2000 not null constraint year_check check (value >= 1901) constraint year_max check (value <= 2155)",
    ))
    .with_entity(Domain::new("title", "AS text COLLATE \"C\" CHECK (VALUE <> '')"))
    .with_entity(Aggregate::new(
        "group_concat",
        "text",
        "(sfunc = _group_concat, stype = text, finalfunc = _bracket, initcond = '')",
    ))
    .with_entity(Function::new(
        "_group_concat",
        "text, text",
        "RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN $1 = '' THEN $2 ELSE $1 || ', ' || $2 END $$",
    ))
    .with_entity(Function::new(
        "_bracket",
        "text",
        "RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT '[' || $1 || ']' $$",
    ))
    .with_entity(View::new(
        "film_titles",
        "SELECT release_year, group_concat(title::text) AS titles FROM film GROUP BY release_year",
    ))
    .with_entity(Rule::new(
        "film_titles",
        "film_titles_insert",
        "AS ON INSERT TO film_titles DO INSTEAD NOTHING",
    ))
    .with_entity(Rule::new(
        "payment",
        "no_negative_payment",
        "AS ON INSERT TO payment WHERE new.amount < 0 DO INSTEAD NOTHING",
    ))
}
