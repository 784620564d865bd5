//! Letting PostgreSQL spell the model's expressions, so that live autogenerate and `check`
//! compare like with like.
//!
//! PostgreSQL never keeps an expression as written: it parses it and prints the parse tree
//! back, adding casts (`price > 0` on a `double precision` column is `(price >
//! (0)::double precision)`, `lower(name)` on a `varchar` is `lower((name)::text)`),
//! rewriting (`x IN ('a', 'b')` is `(x)::text = ANY ((ARRAY['a'::character varying, ...`)
//! and re-printing constants in its own format (`interval '1 hour'` is
//! `'01:00:00'::interval`). [`PgCompare`]'s string normalisation undoes the simple cases;
//! no list of rewrites can undo them all. So, on a live database, the server does it:
//!
//! 1. [`plan`] finds the model expressions (server defaults, generated columns, check
//!    constraints, index expressions and predicates) of tables that exist in the database
//!    whose database counterpart does *not* already compare equal under [`PgCompare`].
//!    Usually there are none, and nothing more happens: no query, no cost.
//! 2. Otherwise one `DO` block, in a transaction on the same connection, builds for each
//!    such table a scratch table in `pg_temp` with the model's column names and types and
//!    just those expressions (each statement in its own sub-block, so a column whose type
//!    the database lacks, or an expression it refuses, is skipped rather than failing the
//!    rest). PostgreSQL's printing is not a fixed point (a check printed as
//!    `ARRAY[..]::text[]` and run again from that text prints as `ARRAY[..::text, ..]`, as
//!    after a downgrade that re-created it from the catalog's text), so the same block
//!    builds each scratch table a second time (`_again`, `spell_again.plpgsql`) from the
//!    first one's catalog text. The ordinary catalog queries read both back from
//!    `pg_my_temp_schema()`, and the transaction is rolled back: nothing is left behind.
//! 3. Where either PostgreSQL spelling of a model expression compares equal to the database's,
//!    the expression is the same and a [`Substitution`] records the database's text for it;
//!    [`Canonical::apply`] puts those into the copy of the model the diff sees. Where it
//!    still differs, the model keeps its own spelling, so a real change is still reported,
//!    and written into the revision as the user wrote it.
//!
//! The offline comparison (`--offline`, a replayed history) has no server to ask and keeps
//! string comparison; the history holds what the scripts said, spelled as the model
//! spells it, so it needs none of this.

use retort_core::diff::{default_is_null, CompareDialect};
use retort_core::{Check, Column, Computed, Index, IndexTarget, MetaData, ServerDefault, Table};
use retort_dialect::introspect::{
    build_metadata, CatalogQuery, CatalogRows, IntrospectOptions, PgCompare,
};
use retort_dialect::{Dialect, Postgres, TableName};

use crate::driver::Driver;

/// One model expression and the database's spelling of the same expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Substitution {
    schema: Option<String>,
    table: String,
    what: Swap,
}

#[derive(Debug, Clone, PartialEq)]
enum Swap {
    Default {
        column: String,
        model: ServerDefault,
        db: ServerDefault,
    },
    Computed {
        column: String,
        model: Computed,
        db: Computed,
    },
    Check {
        model: String,
        db: String,
    },
    Index {
        model: Index,
        db: Index,
    },
}

/// The substitutions found for one model (empty: compare the model as it is).
///
/// Live PostgreSQL only: [`database_schema`](super::database_schema) asks the server to
/// spell, in rolled-back scratch tables in `pg_temp`, every model expression (server
/// default, generated column, check, index expression or predicate) that does not already
/// compare equal to its database counterpart as text, and keeps the database's text for
/// those PostgreSQL spells alike; [`compare`](super::compare) applies them to the model.
/// Nothing is asked when every expression already compares equal. Offline comparison has
/// no server and compares as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Canonical {
    substitutions: Vec<Substitution>,
}

impl Canonical {
    pub fn is_empty(&self) -> bool {
        self.substitutions.is_empty()
    }

    /// How many model expressions PostgreSQL spells as the database already has them.
    pub fn len(&self) -> usize {
        self.substitutions.len()
    }

    /// `model` with every expression the database stores in another spelling replaced by
    /// the database's text. A substitution applies only where the model still holds the
    /// very expression it was made for, so applying it to another model is safe.
    pub fn apply(&self, model: &MetaData) -> MetaData {
        let mut out = model.clone();
        for s in &self.substitutions {
            let Some(t) = out
                .tables_mut()
                .iter_mut()
                .find(|t| t.name == s.table && t.schema == s.schema)
            else {
                continue;
            };
            match &s.what {
                Swap::Default { column, model, db } => {
                    if let Some(c) = t.columns.iter_mut().find(|c| &c.name == column) {
                        if c.server_default.as_ref() == Some(model) {
                            c.server_default = Some(db.clone());
                        }
                    }
                }
                Swap::Computed { column, model, db } => {
                    if let Some(c) = t.columns.iter_mut().find(|c| &c.name == column) {
                        if c.computed.as_ref() == Some(model) {
                            c.computed = Some(db.clone());
                        }
                    }
                }
                Swap::Check { model, db } => {
                    if let Some(c) = t.checks.iter_mut().find(|c| &c.expr == model) {
                        c.expr = db.clone();
                    }
                }
                Swap::Index { model, db } => {
                    if let Some(i) = t.indexes.iter_mut().find(|i| *i == model) {
                        i.elements = db.elements.clone();
                        i.predicate = db.predicate.clone();
                    }
                }
            }
        }
        out
    }
}

/// The expressions of one table PostgreSQL is asked to spell.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    schema: Option<String>,
    table: String,
    /// Every column of the model's table, so any expression finds what it refers to.
    columns: Vec<Column>,
    defaults: Vec<(String, ServerDefault)>,
    computed: Vec<String>,
    checks: Vec<Check>,
    indexes: Vec<Index>,
}

impl Scratch {
    fn is_empty(&self) -> bool {
        self.defaults.is_empty()
            && self.computed.is_empty()
            && self.checks.is_empty()
            && self.indexes.is_empty()
    }
}

fn key(t: &Table) -> (Option<&str>, &str) {
    (t.schema.as_deref(), t.name.as_str())
}

fn has_expression(i: &Index) -> bool {
    i.predicate.is_some()
        || i.elements
            .iter()
            .any(|e| matches!(e.target, IndexTarget::Expr(_)))
}

/// Step 1 of the module notes: the model expressions whose database counterpart exists but
/// does not compare equal as text. Pure, and cheap: one pass over the model.
pub(crate) fn plan(db: &MetaData, model: &MetaData) -> Vec<Scratch> {
    let pg = PgCompare;
    let mut out = Vec::new();
    // A thousand-table `check` must not pay a quadratic search for nothing.
    let by_key: std::collections::HashMap<_, _> = db.tables().iter().map(|t| (key(t), t)).collect();
    for mt in model.tables() {
        let Some(dt) = by_key.get(&key(mt)) else {
            continue;
        };
        let mut s = Scratch {
            schema: mt.schema.clone(),
            table: mt.name.clone(),
            ..Scratch::default()
        };
        for mc in &mt.columns {
            let Some(dc) = dt.columns.iter().find(|c| c.name == mc.name) else {
                continue;
            };
            if let (Some(m), Some(d)) = (&mc.server_default, &dc.server_default) {
                if !default_is_null(m) && !pg.defaults_equal(m, d, &mc.ty) {
                    s.defaults.push((mc.name.clone(), m.clone()));
                }
            }
            if let (Some(m), Some(d)) = (&mc.computed, &dc.computed) {
                if !pg.computed_equal(m, d) {
                    s.computed.push(mc.name.clone());
                }
            }
        }
        for mc in &mt.checks {
            let unequal = match &mc.name {
                Some(n) => dt
                    .checks
                    .iter()
                    .find(|d| d.name.as_ref() == Some(n))
                    .is_some_and(|d| !pg.checks_equal(mc, d)),
                None => !dt.checks.is_empty() && !dt.checks.iter().any(|d| pg.checks_equal(mc, d)),
            };
            if unequal {
                s.checks.push(mc.clone());
            }
        }
        for mi in mt.indexes.iter().filter(|i| has_expression(i)) {
            let unequal = match &mi.name {
                Some(n) => dt
                    .indexes
                    .iter()
                    .find(|d| d.name.as_ref() == Some(n))
                    .is_some_and(|d| !pg.indexes_equal(mi, d)),
                None => {
                    dt.indexes.iter().any(has_expression)
                        && !dt.indexes.iter().any(|d| pg.indexes_equal(mi, d))
                }
            };
            if unequal {
                s.indexes.push(mi.clone());
            }
        }
        if !s.is_empty() {
            s.columns = mt.columns.clone();
            out.push(s);
        }
    }
    out
}

fn scratch_table(i: usize) -> String {
    format!("retort_canonical_{i}")
}
fn scratch_check(i: usize, k: usize) -> String {
    format!("retort_canonical_{i}_ck{k}")
}
fn scratch_index(i: usize, k: usize) -> String {
    format!("retort_canonical_{i}_ix{k}")
}

const TAG: &str = "$retort_canonical$";
/// The suffix of a check's second spelling.
const AGAIN: &str = "_again";
/// The second spelling, in PL/pgSQL: for each scratch table, its `_again` twin built from
/// the catalog's text of its columns, defaults, generated expressions, checks and indexes.
const SPELL_AGAIN: &str = include_str!("spell_again.plpgsql");

/// Step 2's `DO` block: every statement in its own sub-block, so one that fails (a type
/// the database lacks, an expression it refuses) is skipped, not fatal.
pub(crate) fn scratch_sql(plan: &[Scratch]) -> Option<String> {
    let pg = Postgres;
    let mut body = String::from("DECLARE tbl record; col record; con record; ix record;\nBEGIN\n");
    let mut add = |stmt: Option<String>| {
        // A statement the dialect cannot spell (a NUL in a literal) is left out too.
        if let Some(stmt) = stmt.and_then(|s| pg.string_literal(&s).ok()) {
            body.push_str(&format!(
                "  BEGIN EXECUTE {stmt}; EXCEPTION WHEN OTHERS THEN NULL; END;\n"
            ));
        }
    };
    for (i, s) in plan.iter().enumerate() {
        let name = scratch_table(i);
        let Ok(table) = pg.qualified_name(Some("pg_temp"), &name) else {
            continue;
        };
        add(Some(format!("CREATE TABLE {table} ()")));
        let quote = |c: &str| pg.quote_identifier(c).ok();
        // Generated columns last: they may read the others.
        let (generated, plain): (Vec<&Column>, Vec<&Column>) = s
            .columns
            .iter()
            .partition(|c| c.computed.is_some() && s.computed.contains(&c.name));
        for c in plain.into_iter().chain(generated) {
            let stmt = (|| {
                let mut def = format!(
                    "ALTER TABLE {table} ADD COLUMN {} {}",
                    quote(&c.name)?,
                    pg.column_type(&c.ty).ok()?
                );
                if let Some(computed) = c.computed.as_ref().filter(|_| s.computed.contains(&c.name))
                {
                    def.push(' ');
                    def.push_str(&pg.computed_clause(computed).ok()?);
                }
                Some(def)
            })();
            add(stmt);
        }
        for (column, default) in &s.defaults {
            add((|| {
                Some(format!(
                    "ALTER TABLE {table} ALTER COLUMN {} SET {}",
                    quote(column)?,
                    pg.default_clause(default).ok()?
                ))
            })());
        }
        for (k, check) in s.checks.iter().enumerate() {
            let named = Check {
                name: Some(scratch_check(i, k)),
                expr: check.expr.clone(),
            };
            add(pg
                .check_clause(&named)
                .ok()
                .map(|c| format!("ALTER TABLE {table} ADD {c}")));
        }
        for (k, index) in s.indexes.iter().enumerate() {
            let named = Index {
                name: Some(scratch_index(i, k)),
                ..index.clone()
            };
            add(pg
                .create_index(TableName::new(Some("pg_temp"), &name), &named)
                .ok());
        }
    }
    // PostgreSQL's printing is not always a fixed point: an expression it printed, run
    // again from that text (as a reverse or a downgrade does), may print differently
    // (`ARRAY['a'::character varying, ..]::text[]` becomes `ARRAY['a'::character
    // varying::text, ..]`). Each scratch table is built a second time (`_again`) from
    // PostgreSQL's first spelling, so either form is recognised.
    body.push_str(SPELL_AGAIN);
    body.push_str("END");
    (!body.contains(TAG)).then(|| format!("DO {TAG}\n{body}\n{TAG}"))
}

/// Step 3: the substitutions, from the scratch tables (both spellings) as the catalog
/// queries read them.
pub(crate) fn substitutions(db: &MetaData, plan: &[Scratch], scratch: &MetaData) -> Canonical {
    let pg = PgCompare;
    let mut out = Vec::new();
    for (i, s) in plan.iter().enumerate() {
        let Some(dt) = db
            .tables()
            .iter()
            .find(|d| d.schema == s.schema && d.name == s.table)
        else {
            continue;
        };
        let first = scratch_table(i);
        let again = format!("{first}{AGAIN}");
        // The first spelling and the second, where each was made.
        let spellings: Vec<&Table> = scratch
            .tables()
            .iter()
            .filter(|t| t.name == first || t.name == again)
            .collect();
        let spelled_columns = |column: &str| -> Vec<&Column> {
            spellings
                .iter()
                .filter_map(|t| t.columns.iter().find(|c| c.name == column))
                .collect()
        };
        let mut push = |what: Swap| {
            out.push(Substitution {
                schema: s.schema.clone(),
                table: s.table.clone(),
                what,
            })
        };
        for (column, model) in &s.defaults {
            let (Some(dc), Some(mc)) = (
                dt.columns.iter().find(|c| &c.name == column),
                s.columns.iter().find(|c| &c.name == column),
            ) else {
                continue;
            };
            let Some(d) = &dc.server_default else {
                continue;
            };
            let same = spelled_columns(column)
                .iter()
                .filter_map(|c| c.server_default.as_ref())
                .any(|spelled| pg.defaults_equal(spelled, d, &mc.ty));
            if same {
                push(Swap::Default {
                    column: column.clone(),
                    model: model.clone(),
                    db: d.clone(),
                });
            }
        }
        for column in &s.computed {
            let (Some(dc), Some(mc)) = (
                dt.columns.iter().find(|c| &c.name == column),
                s.columns.iter().find(|c| &c.name == column),
            ) else {
                continue;
            };
            let (Some(d), Some(model)) = (&dc.computed, &mc.computed) else {
                continue;
            };
            let same = spelled_columns(column)
                .iter()
                .filter_map(|c| c.computed.as_ref())
                .any(|spelled| pg.computed_equal(spelled, d));
            if same {
                push(Swap::Computed {
                    column: column.clone(),
                    model: model.clone(),
                    db: d.clone(),
                });
            }
        }
        for (k, model) in s.checks.iter().enumerate() {
            let name = scratch_check(i, k);
            let spelled: Vec<&Check> = spellings
                .iter()
                .flat_map(|t| &t.checks)
                .filter(|c| c.name.as_deref() == Some(name.as_str()))
                .collect();
            let same = |d: &&Check| spelled.iter().any(|x| pg.checks_equal(x, d));
            let found = match &model.name {
                Some(n) => dt
                    .checks
                    .iter()
                    .filter(|d| d.name.as_ref() == Some(n))
                    .find(same),
                None => dt.checks.iter().find(same),
            };
            if let Some(d) = found {
                push(Swap::Check {
                    model: model.expr.clone(),
                    db: d.expr.clone(),
                });
            }
        }
        for (k, model) in s.indexes.iter().enumerate() {
            let name = scratch_index(i, k);
            let name_again = format!("{name}{AGAIN}");
            let spelled: Vec<&Index> = spellings
                .iter()
                .flat_map(|t| &t.indexes)
                .filter(|x| {
                    x.name
                        .as_deref()
                        .is_some_and(|n| n == name || n == name_again)
                })
                .collect();
            let same = |d: &&Index| spelled.iter().any(|x| pg.indexes_equal(x, d));
            let found = match &model.name {
                Some(n) => dt
                    .indexes
                    .iter()
                    .filter(|d| d.name.as_ref() == Some(n))
                    .find(same),
                None => dt.indexes.iter().find(same),
            };
            if let Some(d) = found {
                push(Swap::Index {
                    model: model.clone(),
                    db: d.clone(),
                });
            }
        }
    }
    Canonical { substitutions: out }
}

/// Steps 2 and 3 on a live connection (outside any transaction): `Ok` with no
/// substitutions when nothing needed asking, `Err` with a message when PostgreSQL could
/// not be asked (a read-only standby...), in which case the caller compares as text.
pub(crate) async fn canonicalise<D: Driver>(
    driver: &mut D,
    db: &MetaData,
    model: &MetaData,
) -> Result<Canonical, String> {
    let plan = plan(db, model);
    if plan.is_empty() {
        return Ok(Canonical::default());
    }
    let Some(sql) = scratch_sql(&plan) else {
        return Err("an expression holds the scratch block's quoting tag".into());
    };
    driver.execute("BEGIN").await.map_err(|e| e.to_string())?;
    let result = read_scratch(driver, &sql).await;
    // Nothing of the scratch tables may survive, whatever happened.
    let rolled_back = driver.execute("ROLLBACK").await;
    let scratch = result?;
    rolled_back.map_err(|e| e.to_string())?;
    Ok(substitutions(db, &plan, &scratch))
}

async fn read_scratch<D: Driver>(driver: &mut D, sql: &str) -> Result<MetaData, String> {
    driver.execute(sql).await.map_err(|e| e.to_string())?;
    let temp = driver
        .query_text("SELECT nspname::text FROM pg_namespace WHERE oid = pg_my_temp_schema()")
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .find_map(|r| r.into_iter().next().flatten())
        .ok_or("no temporary schema was created")?;
    let mut rows = CatalogRows::default();
    for q in [
        CatalogQuery::Columns,
        CatalogQuery::Constraints,
        CatalogQuery::Indexes,
    ] {
        *rows.rows_mut(q) = driver
            .query_text(&q.sql_with_schemas(&[&temp]))
            .await
            .map_err(|e| format!("{}: {e}", q.file_name()))?;
    }
    build_metadata(
        &rows,
        &IntrospectOptions::schemas([temp]).exclude_tables(Vec::<String>::new()),
    )
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products(check: &str, default: &str) -> MetaData {
        let mut status = Column::new("status", retort_core::Type::Varchar(Some(20)));
        status.server_default = Some(ServerDefault::expr(default));
        let mut t = Table::new("products").column(status);
        t.checks.push(Check {
            name: None,
            expr: check.into(),
        });
        MetaData::new().table(t)
    }

    #[test]
    fn only_expressions_that_differ_as_text_are_asked_about() {
        let db = products(
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "'a'::character varying",
        );
        // The default compares equal as text already; the IN list does not.
        let asked = plan(&db, &products("status IN ('a','b')", "'a'"));
        assert_eq!(asked.len(), 1);
        assert!(asked[0].defaults.is_empty());
        assert_eq!(asked[0].checks.len(), 1);
        assert_eq!(asked[0].columns.len(), 1);
        // The same model as the database: nothing to ask, so no query at all.
        assert!(plan(&db, &db).is_empty());
        // A table the database lacks is created from the model: nothing to ask either.
        let mut other = products("status IN ('a','b')", "'a'");
        other.tables_mut()[0].name = "new_table".into();
        assert!(plan(&db, &other).is_empty());
    }

    #[test]
    fn the_scratch_block_skips_what_fails_and_quotes_what_it_runs() {
        let db = products("status <> ''", "'x'::character varying");
        let model = products("status <> 'it''s'", "'x'");
        let sql = scratch_sql(&plan(&db, &model)).expect("a block");
        assert!(sql.starts_with("DO $retort_canonical$"), "{sql}");
        assert!(
            sql.contains("CREATE TABLE pg_temp.retort_canonical_0 ()"),
            "{sql}"
        );
        // Run through EXECUTE as a literal: the quotes inside the check are doubled again.
        assert!(sql.contains("CHECK (status <> ''it''''s'')"), "{sql}");
        let executes = sql.matches("BEGIN EXECUTE").count();
        let guarded = sql.matches("EXCEPTION WHEN OTHERS THEN NULL").count();
        assert_eq!(executes, guarded);
        assert!(executes >= 3, "{sql}");
    }

    #[test]
    fn a_substitution_applies_only_where_the_model_still_holds_its_expression() {
        let canonical = Canonical {
            substitutions: vec![Substitution {
                schema: None,
                table: "products".into(),
                what: Swap::Check {
                    model: "status IN ('a','b')".into(),
                    db: "stored".into(),
                },
            }],
        };
        let same = canonical.apply(&products("status IN ('a','b')", "'a'"));
        assert_eq!(same.tables()[0].checks[0].expr, "stored");
        let changed = canonical.apply(&products("status IN ('a','c')", "'a'"));
        assert_eq!(changed.tables()[0].checks[0].expr, "status IN ('a','c')");
    }
}
