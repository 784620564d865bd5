//! Filters, the include_object hook, the glob matcher, SQL text equality and a dialect
//! that overrides the defaults.

use super::support::*;
use crate::diff::{
    diff, diff_with, glob_match, sql_text_equal, CompareDialect, DiffOptions, ObjectKind,
};
use crate::{Column, MetaData, Table, Type};

#[test]
fn glob_matches_stars_and_question_marks() {
    assert!(glob_match("tmp_*", "tmp_orders"));
    assert!(glob_match("*", ""));
    assert!(glob_match("a?c", "abc"));
    assert!(glob_match("*_log*", "app_log_2024"));
    assert!(!glob_match("tmp_*", "orders"));
    assert!(!glob_match("a?c", "ac"));
    assert!(glob_match("a*b*c", "aXbYbZc"));
    assert!(!glob_match("a*b*c", "aXbYbZ"));
}

#[test]
fn sql_text_ignores_spacing_and_enclosing_parentheses_only() {
    assert!(sql_text_equal("((a > 0))", "a > 0"));
    assert!(sql_text_equal("lower( name )", "lower(name)"));
    assert!(!sql_text_equal("(a) + (b)", "a) + (b"));
    assert!(
        !sql_text_equal("'a  b'", "'a b'"),
        "spaces inside quotes matter"
    );
    assert!(!sql_text_equal("a > 0", "a >= 0"));
}

fn db() -> MetaData {
    md().table(Table::new("tmp_scratch").column(int("x")))
        .table(Table::new("audit_log").schema("ops").column(int("x")))
        .table(customers())
}

#[test]
fn name_globs_and_schemas_leave_tables_out() {
    let exclude = DiffOptions {
        exclude_tables: vec!["tmp_*".into(), "ops.*".into()],
        ..DiffOptions::default()
    };
    assert_eq!(diff(&db(), &md().table(customers()), &exclude).ops, []);
    let include = DiffOptions {
        include_tables: vec!["tmp_*".into()],
        ..DiffOptions::default()
    };
    assert_eq!(
        described(&diff(&db(), &md(), &include)),
        ["drop table tmp_scratch"]
    );
    let schemas = DiffOptions {
        schemas: Some(vec!["elsewhere".into()]),
        ..DiffOptions::default()
    };
    // Default-schema tables are always compared; `ops` is not in the list.
    assert_eq!(
        described(&diff(&db(), &md(), &schemas)),
        ["drop table customers", "drop table tmp_scratch"]
    );
}

#[test]
fn include_object_decides_per_object() {
    let opts = DiffOptions::default()
        .include_object(|o| !(o.kind == ObjectKind::Column && o.name == Some("secret")));
    let before = md().table(customers());
    let after = md().table(customers().column(Column::new("secret", Type::Text)));
    assert!(diff(&before, &after, &opts).ops.is_empty());
    assert_eq!(diff(&before, &after, &DiffOptions::default()).ops.len(), 1);
    let tables_only_in_model =
        DiffOptions::default().include_object(|o| o.kind != ObjectKind::Table || o.in_model);
    assert!(diff(&db(), &md().table(customers()), &tables_only_in_model)
        .ops
        .is_empty());
}

/// A dialect that knows `int4` is `integer`.
struct Synonyms;
impl CompareDialect for Synonyms {
    fn types_equal(&self, model: &Type, db: &Type) -> bool {
        let canon = |t: &Type| match t {
            Type::Custom(s) if s == "int4" => Type::Integer,
            other => other.clone(),
        };
        canon(model) == canon(db)
    }
}

#[test]
fn a_dialect_overrides_equality() {
    let before = md().table(Table::new("t").column(Column::new("x", Type::custom("int4"))));
    let after = md().table(Table::new("t").column(Column::new("x", Type::Integer)));
    assert!(
        diff_with(&before, &after, &DiffOptions::default(), &Synonyms)
            .ops
            .is_empty()
    );
    assert_eq!(diff(&before, &after, &DiffOptions::default()).ops.len(), 1);
}

#[test]
fn the_hook_can_keep_a_schema_from_being_created() {
    let after = md().table(
        Table::new("t")
            .schema("managed_elsewhere")
            .column(int("id")),
    );
    let opts = DiffOptions::default().include_object(|o| o.kind != ObjectKind::Schema);
    assert_eq!(
        described(&diff(&md(), &after, &opts)),
        ["create table managed_elsewhere.t"]
    );
}

#[test]
fn ops_that_would_not_replay_are_reported_as_a_warning() {
    // The model drops `customers` but keeps a foreign key to it: nothing the diff can
    // order around, so the user hears of it.
    let before = md().table(customers()).table(orders());
    let after = md().table(orders());
    let d = diff(&before, &after, &DiffOptions::default());
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert!(
        d.warnings[0].contains("drop table customers"),
        "{:?}",
        d.warnings
    );
}

/// What a PostgreSQL implementation does with the defaults its catalog prints: the
/// comparison takes its answer, and a default that did not change is no change.
struct PrintedDefaults;
impl CompareDialect for PrintedDefaults {
    fn defaults_equal(
        &self,
        model: &crate::ServerDefault,
        db: &crate::ServerDefault,
        _ty: &Type,
    ) -> bool {
        use crate::{Literal, ServerDefault};
        let key = |d: &ServerDefault| match d {
            ServerDefault::Literal(Literal::Text(s)) => format!("'{s}'"),
            ServerDefault::Expr(e) => e.split("::").next().unwrap_or(e).to_string(),
            other => format!("{other:?}"),
        };
        key(model) == key(db)
    }
}

#[test]
fn a_dialect_normalises_printed_defaults() {
    let col = |d: crate::ServerDefault| {
        md().table(Table::new("t").column(Column::new("s", Type::Varchar(None)).server_default(d)))
    };
    let db = col(crate::ServerDefault::expr("'new'::character varying"));
    let model = col(crate::ServerDefault::text("new"));
    assert!(
        diff_with(&db, &model, &DiffOptions::default(), &PrintedDefaults)
            .ops
            .is_empty()
    );
    assert_eq!(diff(&db, &model, &DiffOptions::default()).ops.len(), 1);
    let changed = col(crate::ServerDefault::text("old"));
    assert_eq!(
        diff_with(&db, &changed, &DiffOptions::default(), &PrintedDefaults)
            .ops
            .len(),
        1
    );
}

#[test]
fn the_hook_sees_keys_and_indexes_with_their_side() {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let opts = DiffOptions::default().include_object(move |o| {
        if let Ok(mut v) = log.lock() {
            v.push((
                o.kind,
                o.name.map(str::to_string),
                o.in_database,
                o.in_model,
            ));
        }
        o.kind != ObjectKind::Index
    });
    let before = md().table(customers());
    let after = md().table(
        customers()
            .unique(["name"])
            .index(crate::Index::on_columns(["name"]).name("ix_name")),
    );
    let d = diff(&before, &after, &opts);
    assert_eq!(
        described(&d),
        ["create unique constraint (unnamed) on customers (name)"]
    );
    let seen = seen.lock().map(|v| v.clone()).unwrap_or_default();
    assert!(
        seen.contains(&(ObjectKind::Index, Some("ix_name".into()), false, true)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&(ObjectKind::UniqueConstraint, None, false, true)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&(ObjectKind::Table, Some("customers".into()), true, true)),
        "{seen:?}"
    );
}

#[test]
fn options_print_without_the_hook_body() {
    let s = format!("{:?}", DiffOptions::default().include_object(|_| true));
    assert!(
        s.contains("compare_types: true") && s.contains("include_object: Some"),
        "{s}"
    );
}

/// A dialect whose `serial` is an integer with an implied `nextval` default, as PostgreSQL
/// stores it: the column hooks see both columns and the table.
struct Serials;
impl CompareDialect for Serials {
    fn column_types_equal(&self, table: &Table, model: &Column, db: &Column) -> bool {
        model.ty == db.ty
            || (model.ty == Type::custom("serial")
                && db.ty == Type::Integer
                && self.default_implied_by_type(table, model, db))
    }
    fn default_implied_by_type(&self, table: &Table, model: &Column, db: &Column) -> bool {
        let own = format!("nextval('{}_{}_seq')", table.name, db.name);
        model.ty == Type::custom("serial")
            && db.server_default == Some(crate::ServerDefault::expr(own))
    }
}

#[test]
fn a_dialect_sees_the_columns_for_types_and_implied_defaults() {
    let stored = |seq: &str| {
        md().table(
            Table::new("t").column(
                Column::new("id", Type::Integer)
                    .server_default(crate::ServerDefault::expr(format!("nextval('{seq}')"))),
            ),
        )
    };
    let serial = md().table(Table::new("t").column(Column::new("id", Type::custom("serial"))));
    let opts = DiffOptions::default();
    assert!(diff_with(&stored("t_id_seq"), &serial, &opts, &Serials)
        .ops
        .is_empty());
    // Another sequence's default is not implied: type and default both differ.
    let other = diff_with(&stored("other_seq"), &serial, &opts, &Serials);
    assert_eq!(other.log.len(), 2, "{:?}", other.log);
    // The exact default dialect knows no serial.
    assert_eq!(diff(&stored("t_id_seq"), &serial, &opts).log.len(), 2);
}
