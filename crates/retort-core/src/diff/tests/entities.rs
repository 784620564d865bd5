//! Entities: created after the tables in dependency order, replaced carrying the old
//! definition, dropped first in reverse order, and never dropped unless versioned.

use super::support::{check, customers, described, md, opts, orders};
use crate::diff::{diff, DiffOptions};
use crate::ops::{reverse_all, Op};
use crate::{Entity, Function, MetaData, Trigger, View};

fn touch() -> Function {
    Function::new(
        "touch",
        "",
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched = now(); RETURN NEW; END $$",
    )
}

fn totals() -> View {
    View::new(
        "totals",
        "SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id",
    )
}

fn big() -> View {
    View::new("big", "SELECT * FROM totals WHERE n > 10")
}

fn trigger() -> Trigger {
    Trigger::new(
        "orders",
        "orders_touch",
        "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
    )
}

fn tables() -> MetaData {
    md().table(customers()).table(orders())
}

fn all() -> MetaData {
    // Declared out of order on purpose: the diff orders them.
    tables()
        .with_entity(trigger())
        .with_entity(big())
        .with_entity(totals())
        .with_entity(touch())
}

#[test]
fn created_after_the_tables_in_dependency_order_and_dropped_in_reverse() {
    let d = check(&md(), &all());
    assert_eq!(
        described(&d),
        [
            "create table customers",
            "create table orders",
            "create function touch()",
            "create view totals",
            "create view big",
            "create trigger orders_touch on orders",
        ]
    );
    assert_eq!(d.log[2], "Detected added function touch()");
    let down: Vec<String> = reverse_all(&d.ops)
        .unwrap()
        .iter()
        .map(Op::describe)
        .collect();
    assert_eq!(
        down[..4],
        [
            "drop trigger orders_touch on orders",
            "drop view big",
            "drop view totals",
            "drop function touch()"
        ]
    );
    // The model dropping them all drops them first, dependents first.
    let d = check(&all(), &tables());
    assert_eq!(
        described(&d),
        [
            "drop trigger orders_touch on orders",
            "drop view big",
            "drop view totals",
            "drop function touch()",
        ]
    );
}

#[test]
fn a_changed_definition_is_replaced_carrying_the_old_one() {
    let changed = tables().with_entity(View::new(
        "totals",
        "SELECT customer_id, count(*) AS n, max(order_id) AS last FROM orders GROUP BY customer_id",
    ));
    let before = tables().with_entity(totals());
    let d = check(&before, &changed);
    assert_eq!(described(&d), ["replace view totals"]);
    let Op::ReplaceEntity { existing, .. } = &d.ops[0] else {
        panic!("{:?}", d.ops)
    };
    assert_eq!(existing.as_ref(), Some(&Entity::from(totals())));
    assert_eq!(d.log, ["Detected changed view totals"]);
    // The same text is no change; the declared order alone is none either.
    assert!(diff(
        &before,
        &tables().with_entity(totals().after("orders")),
        &opts()
    )
    .is_empty());
}

#[test]
fn overloads_are_compared_apart() {
    let f = |args: &str| Function::new("area", args, "RETURNS int LANGUAGE sql AS 'SELECT 1'");
    let before = md().with_entity(f("a int"));
    let after = md().with_entity(f("a int")).with_entity(f("a int, b int"));
    let d = check(&before, &after);
    assert_eq!(described(&d), ["create function area(a int, b int)"]);
}

#[test]
fn an_entity_no_revision_created_is_left_alone_and_said() {
    let db = tables().with_entity(totals()).with_entity(big());
    let versioned = DiffOptions {
        versioned_entities: Some(vec![Entity::from(big()).key()]),
        ..opts()
    };
    let d = diff(&db, &tables(), &versioned);
    assert_eq!(described(&d), ["drop view big"]);
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert!(
        d.warnings[0].starts_with("view totals is in the database but not in the model"),
        "{:?}",
        d.warnings
    );
}

#[test]
fn the_schema_filter_and_the_hook_apply_to_entities() {
    let model = tables().with_entity(totals().in_schema("reports"));
    let only_public = DiffOptions {
        schemas: Some(vec!["public".into()]),
        ..opts()
    };
    assert!(diff(&tables(), &model, &only_public).is_empty());
    let no_views = opts().include_object(|o| {
        !matches!(
            o.kind,
            crate::diff::ObjectKind::Entity(crate::EntityKind::View)
        )
    });
    assert!(diff(&tables(), &model, &no_views).is_empty());
}

#[test]
fn an_entity_in_a_new_schema_creates_the_schema_first() {
    let model = tables().with_entity(totals().in_schema("reports"));
    let d = check(&tables(), &model);
    assert_eq!(
        described(&d),
        ["create schema reports", "create view reports.totals"]
    );
}

#[test]
fn a_function_a_new_tables_default_or_check_calls_is_created_before_the_tables() {
    // DAViCal: `relationship_type.bit_confers DEFAULT privilege_to_bits(..)` and
    // `CHECK (NOT real_path_exists(dav_name))`; a table cannot be created before them.
    let bits = Function::new(
        "privilege_to_bits",
        "text[]",
        "RETURNS bit(24) LANGUAGE plpgsql AS $$ BEGIN RETURN 0::bit(24); END $$",
    );
    let exists = Function::new(
        "Real_Path_Exists",
        "text",
        "RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN false; END $$",
    );
    let model = md()
        .table(
            customers()
                .column(
                    crate::Column::new("bits", crate::Type::Custom("bit(24)".into()))
                        .server_default(crate::ServerDefault::Expr(
                            "privilege_to_bits(ARRAY['DAV::read'::text])".into(),
                        )),
                )
                .check(Some("no_path"), "NOT real_path_exists(name)"),
        )
        .with_entity(touch())
        .with_entity(exists)
        .with_entity(bits);
    let d = check(&md(), &model);
    assert_eq!(
        described(&d),
        [
            "create function Real_Path_Exists(text)",
            "create function privilege_to_bits(text[])",
            "create table customers",
            "create function touch()",
        ]
    );
    // The downgrade drops the table before them.
    let down: Vec<String> = reverse_all(&d.ops)
        .unwrap()
        .iter()
        .map(Op::describe)
        .collect();
    assert_eq!(down[1], "drop table customers");
}

/// Pagila's three: the `year` domain `film.release_year` is of, the `group_concat`
/// aggregate (state function `_group_concat`) a view calls, and a rule on a view.
fn pagila_like() -> MetaData {
    let year = crate::Domain::new(
        "year",
        "AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155)",
    );
    let films = crate::Table::new("film")
        .column(crate::Column::new("film_id", crate::Type::Integer).not_null())
        .column(crate::Column::new(
            "release_year",
            crate::Type::Custom("year".into()),
        ))
        .primary_key(["film_id"]);
    let state = Function::new(
        "_group_concat",
        "text, text",
        "RETURNS text LANGUAGE sql AS $$ SELECT $1 || ', ' || $2 $$",
    );
    let concat = crate::Aggregate::new(
        "group_concat",
        "text",
        "(SFUNC = public._group_concat, STYPE = text)",
    );
    let years = View::new(
        "film_years",
        "SELECT group_concat(release_year::text) AS years FROM film",
    );
    let rule = crate::Rule::new(
        "film_years",
        "film_years_insert",
        "AS ON INSERT TO film_years DO INSTEAD NOTHING",
    );
    // Declared out of order on purpose: the diff orders them.
    md().table(films)
        .with_entity(rule)
        .with_entity(years)
        .with_entity(concat)
        .with_entity(state)
        .with_entity(year)
}

#[test]
fn a_domain_comes_before_its_tables_an_aggregate_after_its_function_a_rule_after_its_view() {
    let d = check(&md(), &pagila_like());
    assert_eq!(
        described(&d),
        [
            "create domain year",
            "create table film",
            "create function _group_concat(text, text)",
            "create aggregate group_concat(text)",
            "create view film_years",
            "create rule film_years_insert on film_years",
        ]
    );
    // Dropped by a model without them (the history created them): the rule, view and
    // aggregate before the function they use, the domain after the table of its type.
    let d = check(&pagila_like(), &md());
    assert_eq!(
        described(&d),
        [
            "drop rule film_years_insert on film_years",
            "drop view film_years",
            "drop aggregate group_concat(text)",
            "drop function _group_concat(text, text)",
            "drop table film",
            "drop domain year",
        ]
    );
}

#[test]
fn a_changed_domain_aggregate_or_rule_is_replaced_carrying_the_old_one() {
    let changed = {
        let mut m = pagila_like();
        for e in m.entities_mut() {
            match e {
                Entity::Domain(x) => x.definition = "AS integer NOT NULL".into(),
                Entity::Aggregate(a) => {
                    a.definition =
                        "(SFUNC = public._group_concat, STYPE = text, INITCOND = '')".into()
                }
                Entity::Rule(r) => {
                    r.definition = "AS ON INSERT TO film_years DO ALSO NOTHING".into()
                }
                _ => {}
            }
        }
        m
    };
    let d = check(&pagila_like(), &changed);
    assert_eq!(
        described(&d),
        [
            "replace domain year",
            "replace aggregate group_concat(text)",
            "replace rule film_years_insert on film_years",
        ]
    );
    for op in &d.ops {
        let Op::ReplaceEntity { existing, entity } = op else {
            panic!("{op:?}")
        };
        let old = existing.as_ref().expect("the old definition");
        assert_eq!(old.key(), entity.key());
        assert_ne!(old.definition(), entity.definition());
    }
    // Not created by the history: left alone, and said.
    let options = DiffOptions {
        versioned_entities: Some(Vec::new()),
        ..opts()
    };
    let d = diff(
        &pagila_like(),
        &md().table(pagila_like().tables()[0].clone()),
        &options,
    );
    assert!(d.ops.is_empty(), "{:?}", d.ops);
    assert_eq!(d.warnings.len(), 5, "{:?}", d.warnings);
}

#[test]
fn dropping_a_view_takes_its_rules_along() {
    let mut md = pagila_like();
    let view = md
        .entities()
        .iter()
        .find(|e| e.name() == "film_years")
        .cloned()
        .unwrap();
    crate::ops::apply_all(
        &[Op::DropEntity {
            key: view.key(),
            existing: Some(view),
        }],
        &mut md,
    )
    .unwrap();
    assert!(
        !md.entities().iter().any(|e| matches!(e, Entity::Rule(_))),
        "{:?}",
        md.entities()
    );
}

#[test]
fn dropping_a_view_takes_its_instead_of_triggers_along() {
    // PostgreSQL's DROP VIEW drops the triggers on the view (INSTEAD OF), as DROP TABLE a
    // table's: the replay must not keep a trigger on a view that no longer exists. A
    // trigger on a table of the same name in another schema stays.
    let fill = Function::new(
        "fill_film_years",
        "",
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    );
    let on_view = Trigger::new(
        "film_years",
        "film_years_fill",
        "INSTEAD OF INSERT ON film_years FOR EACH ROW EXECUTE FUNCTION fill_film_years()",
    );
    let mut elsewhere = Trigger::new(
        "film_years",
        "archive_fill",
        "BEFORE INSERT ON archive.film_years FOR EACH ROW EXECUTE FUNCTION fill_film_years()",
    );
    elsewhere.schema = Some("archive".into());
    let mut md = pagila_like()
        .table(
            crate::Table::new("film_years")
                .schema("archive")
                .column(crate::Column::new("years", crate::Type::Text)),
        )
        .with_entity(fill)
        .with_entity(on_view)
        .with_entity(elsewhere);
    let view = md
        .entities()
        .iter()
        .find(|e| e.name() == "film_years" && matches!(e, Entity::View(_)))
        .cloned()
        .unwrap();
    crate::ops::apply_all(
        &[Op::DropEntity {
            key: view.key(),
            existing: Some(view),
        }],
        &mut md,
    )
    .unwrap();
    let triggers: Vec<&str> = md
        .entities()
        .iter()
        .filter(|e| matches!(e, Entity::Trigger(_)))
        .map(|e| e.name())
        .collect();
    assert_eq!(triggers, ["archive_fill"], "{:?}", md.entities());
}

#[test]
fn dropping_a_view_takes_the_grants_on_it_along() {
    // PostgreSQL's DROP VIEW (and DROP MATERIALIZED VIEW) drops the grants on it, table and
    // column privileges alike, as DROP TABLE a table's: the replay must not keep a grant on a
    // view that no longer exists. A grant on a table of the same name in another schema, and
    // on a function of the same name, stay.
    let mut elsewhere = crate::Grant::on_table("film_years", "SELECT", "reader");
    elsewhere.schema = Some("archive".into());
    let mut md = pagila_like()
        .table(
            crate::Table::new("film_years")
                .schema("archive")
                .column(crate::Column::new("years", crate::Type::Text)),
        )
        .with_entity(Function::new(
            "film_years",
            "",
            "RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$",
        ))
        .with_entity(crate::Grant::on_table("film_years", "SELECT", "reader"))
        .with_entity(crate::Grant::on_column(
            "film_years",
            "title",
            "UPDATE",
            "reader",
        ))
        .with_entity(crate::Grant::on_function("film_years", "", "reader"))
        .with_entity(elsewhere);
    let view = md
        .entities()
        .iter()
        .find(|e| e.name() == "film_years" && matches!(e, Entity::View(_)))
        .cloned()
        .unwrap();
    crate::ops::apply_all(
        &[Op::DropEntity {
            key: view.key(),
            existing: Some(view),
        }],
        &mut md,
    )
    .unwrap();
    let grants: Vec<String> = md
        .entities()
        .iter()
        .filter(|e| matches!(e, Entity::Grant(_)))
        .map(|e| e.key().to_string())
        .collect();
    assert_eq!(grants.len(), 2, "{grants:?}");
    assert!(
        grants.iter().any(|g| g.contains("archive.film_years")),
        "{grants:?}"
    );
    assert!(grants.iter().any(|g| g.contains("function")), "{grants:?}");
}

#[test]
fn dropping_a_function_takes_the_grants_on_it_along() {
    // PostgreSQL's DROP FUNCTION (and DROP PROCEDURE) drops the grants on that function: the
    // replay must not keep a grant on a function that no longer exists. A grant on an
    // overload (other identity arguments), on a function of the same name in another schema,
    // and on a table of the same name stay.
    let f = Function::new(
        "price",
        "id integer",
        "RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$",
    );
    let overload = Function::new(
        "price",
        "code text",
        "RETURNS integer LANGUAGE sql AS $$ SELECT 2 $$",
    );
    let mut elsewhere = crate::Grant::on_function("price", "integer", "reader");
    elsewhere.schema = Some("archive".into());
    let mut md = MetaData::new()
        .table(crate::Table::new("price").column(crate::Column::new("id", crate::Type::Integer)))
        .with_entity(f.clone())
        .with_entity(overload)
        .with_entity(crate::Grant::on_function("price", "id integer", "reader"))
        .with_entity(crate::Grant::on_function("price", "code text", "reader"))
        .with_entity(crate::Grant::on_table("price", "SELECT", "reader"))
        .with_entity(elsewhere);
    let f: Entity = f.into();
    crate::ops::apply_all(
        &[Op::DropEntity {
            key: f.key(),
            existing: Some(f),
        }],
        &mut md,
    )
    .unwrap();
    let mut grants: Vec<String> = md
        .entities()
        .iter()
        .filter(|e| matches!(e, Entity::Grant(_)))
        .map(|e| e.key().to_string())
        .collect();
    grants.sort();
    assert_eq!(grants.len(), 3, "{grants:?}");
    assert!(
        !grants.iter().any(|g| g.contains("price(id integer)")),
        "{grants:?}"
    );
    assert!(
        grants.iter().any(|g| g.contains("price(code text)")),
        "{grants:?}"
    );
    assert!(
        grants.iter().any(|g| g.contains("archive.price")),
        "{grants:?}"
    );
}

#[test]
fn a_rule_changed_with_its_view_is_dropped_before_and_created_after() {
    // PostgreSQL's replacement of a view by a drop and create puts the old rule back, and
    // fails when it reads a column the view lost: the new rule cannot wait for a
    // `CREATE OR REPLACE RULE` after the view. A rule changed on an unchanged view is
    // replaced as before.
    let t = crate::Table::new("items")
        .column(crate::Column::new("a", crate::Type::Integer))
        .column(crate::Column::new("b", crate::Type::Integer));
    let rule = |col: &str| {
        crate::Rule::new(
            "v",
            "r",
            format!("AS ON UPDATE TO v DO INSTEAD UPDATE items SET {col} = new.{col}"),
        )
    };
    let before = md()
        .table(t.clone())
        .with_entity(View::new("v", "SELECT a, b FROM items"))
        .with_entity(rule("b"));
    let after = md()
        .table(t.clone())
        .with_entity(View::new("v", "SELECT a FROM items"))
        .with_entity(rule("a"));
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        ["drop rule r on v", "replace view v", "create rule r on v"]
    );
    assert_eq!(
        d.log,
        ["Detected changed rule r on v", "Detected changed view v"]
    );
    let same_view = md()
        .table(t)
        .with_entity(View::new("v", "SELECT a, b FROM items"))
        .with_entity(rule("a"));
    assert_eq!(
        described(&check(&before, &same_view)),
        ["replace rule r on v"]
    );
}
