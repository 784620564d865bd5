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
//!    constraints, index expressions and predicates, and those of exclusion constraints,
//!    which are spelled as the index behind them: see [`with_excludes_as_indexes`]) of tables that exist in the database
//!    whose database counterpart does *not* already compare equal under [`PgCompare`].
//!    Usually there are none, and nothing more happens: no query, no cost.
//! 2. Otherwise PostgreSQL spells them in scratch tables (the `scratch` module: one round
//!    trip, rolled back). Where its spelling compares equal to the database's, the
//!    expression is the same, and a [`Substitution`] records the database's text for it.
//! 3. PostgreSQL's printing is not a fixed point: a check printed as `ARRAY[..]::text[]`
//!    and run again from that text prints as `ARRAY[..::text, ..]` (a downgrade re-creates
//!    what it dropped from the catalog's text; a user may copy PostgreSQL's text into the
//!    model). [`PgCompare`] already reads those two alike for an array of literals (step 1
//!    asks nothing then); for the rest, what is still unequal is spelled once more, in a
//!    second round trip: the model's first spelling, and the database's own text. Two
//!    expressions are the same if any spelling of one equals any spelling of the other. A
//!    real change costs this second round trip; no change costs nothing.
//! 4. The substitutions say which database expression is which model expression
//!    ([`Canonical::apply`] shows the model as the database spells it); the comparison
//!    then gives the database's copy the model's own text for them ([`crate::respell`]),
//!    so an op that carries one records what the model says. Where nothing matched, each
//!    keeps its own spelling, so a real change is reported, and written into the revision
//!    as the user wrote it.
//!
//! The offline comparison (`--offline`, a replayed history) has no server to ask and stops
//! at step 1's text comparison ([`PgCompare`] on PostgreSQL); the history holds what the
//! scripts said, spelled as the model spells it, so it needs none of this.

use retort_core::diff::{default_is_null, CompareDialect};
use retort_core::{Check, Column, Computed, Index, IndexTarget, MetaData, ServerDefault, Table};

use super::introspect::PgCompare;
use super::scratch::{check_name, index_name, spell, spelled, Scratch};
use crate::canonical::{as_index, Canonical, Substitution, Swap};
use crate::live_schema::Catalog;

/// The model expressions of one table that do not compare equal as text.
#[derive(Debug, Default)]
pub(crate) struct Affected {
    schema: Option<String>,
    table: String,
    /// The model's columns, as they are.
    columns: Vec<Column>,
    defaults: Vec<(String, ServerDefault)>,
    computed: Vec<String>,
    checks: Vec<Check>,
    indexes: Vec<Index>,
}

impl Affected {
    fn is_empty(&self) -> bool {
        self.defaults.is_empty()
            && self.computed.is_empty()
            && self.checks.is_empty()
            && self.indexes.is_empty()
    }

    /// The model's columns, generated ones keeping their expression only where it is to be
    /// spelled (and then as `computed` says).
    fn columns_with(&self, computed: &[(String, Computed)]) -> Vec<Column> {
        self.columns
            .iter()
            .map(|c| Column {
                computed: computed
                    .iter()
                    .find(|(n, _)| *n == c.name)
                    .map(|(_, g)| g.clone()),
                ..c.clone()
            })
            .collect()
    }

    fn first_round(&self) -> Scratch {
        let computed: Vec<(String, Computed)> = self
            .computed
            .iter()
            .filter_map(|n| {
                let c = self.columns.iter().find(|c| &c.name == n)?;
                Some((n.clone(), c.computed.clone()?))
            })
            .collect();
        Scratch {
            columns: self.columns_with(&computed),
            defaults: self.defaults.clone(),
            checks: self.checks.iter().map(|c| c.expr.clone()).collect(),
            indexes: self.indexes.clone(),
        }
    }
}

/// `md` with each exclusion constraint also standing as its index (same name: the two share
/// one namespace, so it clashes with no index), for the spelling steps only; substitutions
/// made for such an index go back to the constraint in [`Canonical::apply`]. `md` itself
/// when it has none (no copy of a large schema for nothing: at 10,000 tables the two
/// copies were a twentieth of `check`'s time and two schemas' worth of memory).
pub(crate) fn with_excludes_as_indexes(md: &MetaData) -> std::borrow::Cow<'_, MetaData> {
    if md.tables().iter().all(|t| t.excludes.is_empty()) {
        return std::borrow::Cow::Borrowed(md);
    }
    let mut out = md.clone();
    for t in out.tables_mut() {
        let extra: Vec<Index> = t.excludes.iter().map(as_index).collect();
        t.indexes.extend(extra);
    }
    std::borrow::Cow::Owned(out)
}

pub(super) fn key(t: &Table) -> (Option<&str>, &str) {
    (t.schema.as_deref(), t.name.as_str())
}

pub(super) fn has_expression(i: &Index) -> bool {
    i.predicate.is_some()
        || i.elements
            .iter()
            .any(|e| matches!(e.target, IndexTarget::Expr(_)))
}

/// The database checks a model check may be: the one of its name, or any when unnamed.
pub(super) fn check_candidates<'a>(dt: &'a Table, m: &Check) -> Vec<&'a Check> {
    match &m.name {
        Some(n) => dt
            .checks
            .iter()
            .filter(|d| d.name.as_ref() == Some(n))
            .collect(),
        None => dt.checks.iter().collect(),
    }
}

pub(super) fn index_candidates<'a>(dt: &'a Table, m: &Index) -> Vec<&'a Index> {
    match &m.name {
        Some(n) => dt
            .indexes
            .iter()
            .filter(|d| d.name.as_ref() == Some(n))
            .collect(),
        None => dt.indexes.iter().filter(|d| has_expression(d)).collect(),
    }
}

/// Step 1 of the module notes: the model expressions whose database counterpart exists but
/// does not compare equal as text. Pure, and cheap: one pass over the model.
pub(crate) fn plan(db: &MetaData, model: &MetaData) -> Vec<Affected> {
    let pg = PgCompare;
    let mut out = Vec::new();
    // A thousand-table `check` must not pay a quadratic search for nothing.
    let by_key: std::collections::HashMap<_, _> = db.tables().iter().map(|t| (key(t), t)).collect();
    for mt in model.tables() {
        let Some(dt) = by_key.get(&key(mt)) else {
            continue;
        };
        let mut s = Affected {
            schema: mt.schema.clone(),
            table: mt.name.clone(),
            ..Affected::default()
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
            let candidates = check_candidates(dt, mc);
            if !candidates.is_empty() && !candidates.iter().any(|d| pg.checks_equal(mc, d)) {
                s.checks.push(mc.clone());
            }
        }
        for mi in mt.indexes.iter().filter(|i| has_expression(i)) {
            let candidates = index_candidates(dt, mi);
            if !candidates.is_empty() && !candidates.iter().any(|d| pg.indexes_equal(mi, d)) {
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

/// The spellings of one model expression, and those of each database candidate.
struct Spellings<T> {
    model: Vec<T>,
    /// Each candidate: its own value first, then its spellings.
    db: Vec<Vec<T>>,
}

impl<T: Clone> Spellings<T> {
    /// The first candidate (its own value) any of whose spellings equals one of the model's.
    fn matching(&self, same: impl Fn(&T, &T) -> bool) -> Option<T> {
        self.db
            .iter()
            .find(|forms| forms.iter().any(|d| self.model.iter().any(|m| same(m, d))))
            .map(|forms| forms[0].clone())
    }
}

/// Everything one affected table still has to settle, with the spellings found so far.
struct Pending<'a> {
    affected: &'a Affected,
    defaults: Vec<(usize, Spellings<ServerDefault>)>,
    computed: Vec<(usize, Spellings<Computed>)>,
    checks: Vec<(usize, Spellings<Check>)>,
    indexes: Vec<(usize, Spellings<Index>)>,
}

impl Pending<'_> {
    fn is_empty(&self) -> bool {
        self.defaults.is_empty()
            && self.computed.is_empty()
            && self.checks.is_empty()
            && self.indexes.is_empty()
    }
}

fn column<'a>(t: Option<&'a Table>, name: &str) -> Option<&'a Column> {
    t?.columns.iter().find(|c| c.name == name)
}

/// After the first round: the settled substitutions, and what remains.
fn first_round<'a>(
    db: &'a MetaData,
    plan: &'a [Affected],
    spelled_md: &MetaData,
    out: &mut Vec<Substitution>,
) -> Vec<Pending<'a>> {
    let mut pending = Vec::new();
    for (i, a) in plan.iter().enumerate() {
        let Some(dt) = db
            .tables()
            .iter()
            .find(|d| d.schema == a.schema && d.name == a.table)
        else {
            continue;
        };
        let st = spelled(spelled_md, i);
        let mut p = Pending {
            affected: a,
            defaults: Vec::new(),
            computed: Vec::new(),
            checks: Vec::new(),
            indexes: Vec::new(),
        };
        for (n, (col, _)) in a.defaults.iter().enumerate() {
            let (Some(s), Some(d)) = (
                column(st, col).and_then(|c| c.server_default.clone()),
                column(Some(dt), col).and_then(|c| c.server_default.clone()),
            ) else {
                continue;
            };
            p.defaults.push((
                n,
                Spellings {
                    model: vec![s],
                    db: vec![vec![d]],
                },
            ));
        }
        for (n, col) in a.computed.iter().enumerate() {
            let (Some(s), Some(d)) = (
                column(st, col).and_then(|c| c.computed.clone()),
                column(Some(dt), col).and_then(|c| c.computed.clone()),
            ) else {
                continue;
            };
            p.computed.push((
                n,
                Spellings {
                    model: vec![s],
                    db: vec![vec![d]],
                },
            ));
        }
        for (k, m) in a.checks.iter().enumerate() {
            let name = check_name(i, k);
            let Some(s) = st.and_then(|t| t.checks.iter().find(|c| c.name.as_ref() == Some(&name)))
            else {
                continue;
            };
            p.checks.push((
                k,
                Spellings {
                    model: vec![s.clone()],
                    db: check_candidates(dt, m)
                        .into_iter()
                        .map(|d| vec![d.clone()])
                        .collect(),
                },
            ));
        }
        for (k, m) in a.indexes.iter().enumerate() {
            let name = index_name(i, k);
            let Some(s) =
                st.and_then(|t| t.indexes.iter().find(|x| x.name.as_ref() == Some(&name)))
            else {
                continue;
            };
            p.indexes.push((
                k,
                Spellings {
                    model: vec![s.clone()],
                    db: index_candidates(dt, m)
                        .into_iter()
                        .map(|d| vec![d.clone()])
                        .collect(),
                },
            ));
        }
        settle(&mut p, out);
        if !p.is_empty() {
            pending.push(p);
        }
    }
    pending
}

/// Moves what now matches from `p` into `out`.
fn settle(p: &mut Pending<'_>, out: &mut Vec<Substitution>) {
    let pg = PgCompare;
    let a = p.affected;
    let mut push = |what: Swap| {
        out.push(Substitution {
            schema: a.schema.clone(),
            table: a.table.clone(),
            what,
        })
    };
    p.defaults.retain(|(n, s)| {
        let (col, model) = &a.defaults[*n];
        let Some(ty) = a.columns.iter().find(|c| &c.name == col).map(|c| &c.ty) else {
            return false;
        };
        match s.matching(|m, d| pg.defaults_equal(m, d, ty)) {
            Some(db) => {
                push(Swap::Default {
                    column: col.clone(),
                    model: model.clone(),
                    db,
                });
                false
            }
            None => true,
        }
    });
    p.computed.retain(|(n, s)| {
        let col = &a.computed[*n];
        let Some(model) = a
            .columns
            .iter()
            .find(|c| &c.name == col)
            .and_then(|c| c.computed.clone())
        else {
            return false;
        };
        match s.matching(|m, d| pg.computed_equal(m, d)) {
            Some(db) => {
                push(Swap::Computed {
                    column: col.clone(),
                    model,
                    db,
                });
                false
            }
            None => true,
        }
    });
    p.checks
        .retain(|(k, s)| match s.matching(|m, d| pg.checks_equal(m, d)) {
            Some(db) => {
                push(Swap::Check {
                    model: a.checks[*k].expr.clone(),
                    db: db.expr,
                });
                false
            }
            None => true,
        });
    p.indexes
        .retain(|(k, s)| match s.matching(|m, d| pg.indexes_equal(m, d)) {
            Some(db) => {
                push(Swap::Index {
                    model: a.indexes[*k].clone(),
                    db,
                });
                false
            }
            None => true,
        });
}

/// The second round's job: per pending table, one scratch table with the model's first
/// spellings (at `2 * n`) and one with the database's candidates (at `2 * n + 1`).
fn second_round_job(pending: &[Pending<'_>]) -> Vec<Scratch> {
    let mut job = Vec::new();
    for p in pending {
        let a = p.affected;
        let computed_model: Vec<(String, Computed)> = p
            .computed
            .iter()
            .map(|(n, s)| (a.computed[*n].clone(), s.model[0].clone()))
            .collect();
        let computed_db: Vec<(String, Computed)> = p
            .computed
            .iter()
            .flat_map(|(n, s)| {
                s.db.iter()
                    .map(move |d| (a.computed[*n].clone(), d[0].clone()))
            })
            .collect();
        job.push(Scratch {
            columns: a.columns_with(&computed_model),
            defaults: p
                .defaults
                .iter()
                .map(|(n, s)| (a.defaults[*n].0.clone(), s.model[0].clone()))
                .collect(),
            checks: p
                .checks
                .iter()
                .map(|(_, s)| s.model[0].expr.clone())
                .collect(),
            indexes: p
                .indexes
                .iter()
                .map(|(_, s)| Index {
                    name: None,
                    ..s.model[0].clone()
                })
                .collect(),
        });
        job.push(Scratch {
            columns: a.columns_with(&computed_db),
            defaults: p
                .defaults
                .iter()
                .flat_map(|(n, s)| {
                    s.db.iter()
                        .map(move |d| (a.defaults[*n].0.clone(), d[0].clone()))
                })
                .collect(),
            checks: p
                .checks
                .iter()
                .flat_map(|(_, s)| s.db.iter().map(|d| d[0].expr.clone()))
                .collect(),
            indexes: p
                .indexes
                .iter()
                .flat_map(|(_, s)| {
                    s.db.iter().map(|d| Index {
                        name: None,
                        ..d[0].clone()
                    })
                })
                .collect(),
        });
    }
    job
}

/// Adds the second round's spellings to each pending item, in the order
/// [`second_round_job`] laid them out.
fn add_second_spellings(pending: &mut [Pending<'_>], md: &MetaData) {
    for (n, p) in pending.iter_mut().enumerate() {
        let (mine, theirs) = (spelled(md, 2 * n), spelled(md, 2 * n + 1));
        let (mine_i, theirs_i) = (2 * n, 2 * n + 1);
        let a = p.affected;
        for (k, s) in &mut p.defaults {
            let col = &a.defaults[*k].0;
            if let Some(d) = column(mine, col).and_then(|c| c.server_default.clone()) {
                s.model.push(d);
            }
            // One candidate per column: the database's own default.
            if let (Some(d), Some(forms)) = (
                column(theirs, col).and_then(|c| c.server_default.clone()),
                s.db.first_mut(),
            ) {
                forms.push(d);
            }
        }
        for (k, s) in &mut p.computed {
            let col = &a.computed[*k];
            if let Some(g) = column(mine, col).and_then(|c| c.computed.clone()) {
                s.model.push(g);
            }
            if let (Some(g), Some(forms)) = (
                column(theirs, col).and_then(|c| c.computed.clone()),
                s.db.first_mut(),
            ) {
                forms.push(g);
            }
        }
        let mut theirs_k = 0;
        for (mine_k, (_, s)) in p.checks.iter_mut().enumerate() {
            let named = |t: Option<&Table>, name: String| {
                t.and_then(|t| {
                    t.checks
                        .iter()
                        .find(|c| c.name.as_ref() == Some(&name))
                        .cloned()
                })
            };
            if let Some(c) = named(mine, check_name(mine_i, mine_k)) {
                s.model.push(c);
            }
            for forms in &mut s.db {
                if let Some(c) = named(theirs, check_name(theirs_i, theirs_k)) {
                    forms.push(c);
                }
                theirs_k += 1;
            }
        }
        let mut theirs_k = 0;
        for (mine_k, (_, s)) in p.indexes.iter_mut().enumerate() {
            let named = |t: Option<&Table>, name: String| {
                t.and_then(|t| {
                    t.indexes
                        .iter()
                        .find(|x| x.name.as_ref() == Some(&name))
                        .cloned()
                })
            };
            if let Some(x) = named(mine, index_name(mine_i, mine_k)) {
                s.model.push(x);
            }
            for forms in &mut s.db {
                if let Some(x) = named(theirs, index_name(theirs_i, theirs_k)) {
                    forms.push(x);
                }
                theirs_k += 1;
            }
        }
    }
}

/// The module notes' steps on a live connection (outside any transaction): no
/// substitutions and no query when nothing needs asking; `Err` with a message when
/// PostgreSQL could not be asked (a read-only standby...), and the caller compares as text.
pub(crate) async fn canonicalise(
    driver: &mut dyn Catalog,
    db: &MetaData,
    model: &MetaData,
) -> Result<Canonical, String> {
    let (db, model) = (
        &*with_excludes_as_indexes(db),
        &*with_excludes_as_indexes(model),
    );
    let plan = plan(db, model);
    if plan.is_empty() {
        return Ok(Canonical::default());
    }
    let job: Vec<Scratch> = plan.iter().map(Affected::first_round).collect();
    let first = spell(driver, &job).await?;
    let mut substitutions = Vec::new();
    let mut pending = first_round(db, &plan, &first, &mut substitutions);
    if !pending.is_empty() {
        let second = spell(driver, &second_round_job(&pending)).await?;
        add_second_spellings(&mut pending, &second);
        for p in &mut pending {
            settle(p, &mut substitutions);
        }
    }
    Ok(Canonical { substitutions })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products(check: &str, default: &str) -> MetaData {
        let mut status = Column::new("status", retort_core::Type::Varchar(Some(20)));
        status.server_default = Some(ServerDefault::expr(default));
        let mut t = Table::new("products").column(status);
        t.checks.push(Check {
            conv: false,
            name: None,
            expr: check.into(),
        });
        MetaData::new().table(t)
    }

    #[test]
    fn only_expressions_that_differ_as_text_are_asked_about() {
        let db = products(
            "(lower((status)::text) = 'a'::text)",
            "'a'::character varying",
        );
        // The default compares equal as text already; the cast PostgreSQL added to the
        // column in the call does not.
        let asked = plan(&db, &products("lower(status) = 'a'", "'a'"));
        assert_eq!(asked.len(), 1);
        assert!(asked[0].defaults.is_empty());
        assert_eq!(asked[0].checks.len(), 1);
        assert_eq!(asked[0].columns.len(), 1);
        // The same model as the database: nothing to ask, so no query at all.
        assert!(plan(&db, &db).is_empty());
        // A table the database lacks is created from the model: nothing to ask either.
        let mut other = products("lower(status) = 'a'", "'a'");
        other.tables_mut()[0].name = "new_table".into();
        assert!(plan(&db, &other).is_empty());
    }

    /// Issue 11 item 5: `'true'` on a boolean and `'0'` on a bigint are what PostgreSQL
    /// stores as `true` and `'0'::bigint`; the text comparison must see it, so that a large
    /// model asks the server nothing (its scratch tables ran out of shared memory at scale).
    #[test]
    fn text_literal_defaults_on_booleans_and_numbers_ask_the_server_nothing() {
        use retort_core::Type;
        let table = |flag: ServerDefault, count: ServerDefault| {
            MetaData::new().table(
                Table::new("t")
                    .column(Column::new("flag", Type::Boolean).server_default(flag))
                    .column(Column::new("n", Type::BigInt).server_default(count)),
            )
        };
        let db = table(
            ServerDefault::expr("true"),
            ServerDefault::expr("'0'::bigint"),
        );
        let model = table(ServerDefault::text("true"), ServerDefault::text("0"));
        assert!(plan(&db, &model).is_empty(), "{:?}", plan(&db, &model));
    }

    /// An `IN` list is stored as `= ANY (ARRAY[..])` (on a varchar column with the column
    /// and the array cast to text): the text comparison sees it, so a model of such checks
    /// (one reflected from the database, whose old expressions are `IN` lists again) asks
    /// the server nothing.
    #[test]
    fn in_lists_ask_the_server_nothing() {
        let db = products(
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "'a'::character varying",
        );
        let model = products("status IN ('a','b')", "'a'");
        assert!(plan(&db, &model).is_empty(), "{:?}", plan(&db, &model));
    }

    fn spelled_checks(tables: &[(usize, &str)]) -> MetaData {
        let mut md = MetaData::new();
        for (i, expr) in tables {
            let mut t = Table::new(super::super::scratch::table_name(*i));
            t.checks.push(Check {
                conv: false,
                name: Some(check_name(*i, 0)),
                expr: (*expr).into(),
            });
            md = md.table(t);
        }
        md
    }

    #[test]
    fn the_second_round_spells_both_sides_and_matches_any_spelling_of_either() {
        let db = products("db_text", "'a'::character varying");
        let model = products("model_text", "'a'");
        let plan = plan(&db, &model);
        assert_eq!(plan.len(), 1);
        // First round: PostgreSQL spells the model's check differently from the database's.
        let mut out = Vec::new();
        let mut pending = first_round(&db, &plan, &spelled_checks(&[(0, "first")]), &mut out);
        assert!(out.is_empty());
        assert_eq!(pending.len(), 1);
        // Second round: the model's first spelling at 0, the database's text at 1.
        let job = second_round_job(&pending);
        assert_eq!(job.len(), 2);
        assert_eq!(job[0].checks, ["first"]);
        assert_eq!(job[1].checks, ["db_text"]);
        // Spelled alike: the same check, and the database's own text replaces the model's.
        add_second_spellings(&mut pending, &spelled_checks(&[(0, "again"), (1, "again")]));
        settle(&mut pending[0], &mut out);
        assert_eq!(
            out,
            [Substitution {
                schema: None,
                table: "products".into(),
                what: Swap::Check {
                    model: "model_text".into(),
                    db: "db_text".into(),
                },
            }]
        );
        // Spelled apart: a real change, nothing substituted.
        let mut out = Vec::new();
        let mut pending = first_round(&db, &plan, &spelled_checks(&[(0, "first")]), &mut out);
        add_second_spellings(&mut pending, &spelled_checks(&[(0, "again"), (1, "other")]));
        settle(&mut pending[0], &mut out);
        assert!(out.is_empty());
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
