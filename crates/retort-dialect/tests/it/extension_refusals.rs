//! Extensions, schemas' comments, materialized views (with their indexes), domains,
//! aggregates and rules are PostgreSQL's: SQLite and MySQL/MariaDB refuse each by name, in
//! every op, rather than render something else.

use retort_core::{Aggregate, Domain, Entity, Extension, MaterializedView, Rule, SchemaComment};
use retort_dialect::{Dialect, Mysql, Sqlite};

#[test]
fn sqlite_and_mysql_refuse_them_by_name() {
    let entities: Vec<(Entity, &str)> = vec![
        (Extension::new("citext").into(), "extension citext"),
        (
            SchemaComment::new("app", "The app").into(),
            "comment on schema app",
        ),
        (
            MaterializedView::new("totals", "SELECT 1 AS n")
                .unique_index("totals_n", "(n)")
                .into(),
            "materialized view totals",
        ),
        (Domain::new("year", "AS integer").into(), "domain year"),
        (
            Aggregate::new("group_concat", "text", "(SFUNC = _g, STYPE = text)").into(),
            "aggregate group_concat(text)",
        ),
        (
            Rule::new(
                "payment",
                "kept",
                "AS ON DELETE TO payment DO INSTEAD NOTHING",
            )
            .into(),
            "rule kept on payment",
        ),
    ];
    let dialects: [&dyn Dialect; 2] = [&Sqlite, &Mysql];
    for d in dialects {
        for (e, name) in &entities {
            let errors = [
                d.create_entity(e).map(|_| ()),
                d.drop_entity(&e.key()).map(|_| ()),
                d.replace_entity(e, Some(e)).map(|_| ()),
            ];
            for err in errors {
                let text = err
                    .expect_err(&format!("{} rendered {name}", d.name()))
                    .to_string();
                assert!(
                    text.contains(name)
                        || text.contains(&format!("dropping a {}", e.kind().as_str())),
                    "{}: {text}",
                    d.name()
                );
            }
        }
    }
}
