//! Primary keys, foreign keys, unique, check and exclusion constraints, and indexes of one
//! table.
//!
//! Matching (the same for every kind): a model object with a name is the database object
//! of that name, changed if their content differs; a model object without one (left to the
//! database to name) is whichever database object has the same content. What is left on
//! either side is added or dropped. A change is a drop and a create. A name that differs
//! while the content agrees (a switched naming convention) is also a drop and a create, so
//! the database ends up with the names a fresh `create_all` would give.
//!
//! Every create of an unnamed object on an existing table is given the name the database
//! would give it ([`CompareDialect::constraint_name`](super::CompareDialect)), and every drop
//! names the constraint as the database named it, so the reverse is exact.
//!
//! The pairing itself is in `matching`; indexes are in `indexes`.

use super::matching::{all_names, cols, hook, pair, released, Match, Names};
use super::options::ObjectKind;
use super::tables::{constraint_name, shown};
use super::{indexes, Cx, Step};
use crate::ops::{Constraint, Op};
use crate::{Check, Exclude, ForeignKey, MetaData, Table, Unique};

#[derive(Default)]
pub(super) struct ConstraintChanges {
    pub drop_foreign_keys: Vec<Step>,
    pub drop_indexes: Vec<Step>,
    pub drop_constraints: Vec<Step>,
    pub create_constraints: Vec<Step>,
    pub create_indexes: Vec<Step>,
    pub create_foreign_keys: Vec<Step>,
}

pub(super) fn compare_constraints(cx: &Cx, d: &Table, m: &Table) -> ConstraintChanges {
    let mut out = ConstraintChanges::default();
    let mut names = Names {
        taken: all_names(d),
    };
    names.taken.extend(all_names(m));
    primary_key(cx, d, m, &mut names, &mut out);
    foreign_keys(cx, d, m, &mut names, &mut out);
    uniques(cx, d, m, &mut names, &mut out);
    checks(cx, d, m, &mut names, &mut out);
    excludes(cx, d, m, &mut names, &mut out);
    indexes::compare_indexes(cx, d, m, &mut names, &mut out);
    out
}

/// The drop op of a database constraint, named as the database named it; one the database
/// left unnamed is dropped by its definition (name `""`, `existing` carries it).
fn drop_op(cx: &Cx, d: &Table, c: Constraint) -> Op {
    let name = constraint_name(cx, d, &c);
    let kind = c.kind();
    let existing = c.with_name(name.clone());
    Op::DropConstraint {
        schema: d.schema.clone(),
        table: d.name.clone(),
        name: name.unwrap_or_default(),
        kind,
        existing: Some(existing),
    }
}

/// The create op of a model constraint, named if it was left to a database that names it.
fn create_op(cx: &Cx, d: &Table, m: &Table, names: &mut Names, c: Constraint) -> Op {
    let name = match c.name() {
        Some(n) => Some(n.to_string()),
        None => cx
            .dialect
            .constraint_name(m, &c)
            .map(|base| names.fresh(base)),
    };
    c.with_name(name)
        .into_create_op(d.schema.clone(), d.name.clone())
}

fn primary_key(cx: &Cx, d: &Table, m: &Table, names: &mut Names, out: &mut ConstraintChanges) {
    let dl: Vec<_> = d.primary_key.iter().cloned().collect();
    let ml: Vec<_> = m.primary_key.iter().cloned().collect();
    if !hook(
        cx,
        m,
        ObjectKind::PrimaryKey,
        ml.first().and_then(|p| p.name.as_deref()),
        !dl.is_empty(),
        !ml.is_empty(),
    ) {
        return;
    }
    let q = d.qualified_name();
    let emit_drop = |out: &mut ConstraintChanges, x: &crate::PrimaryKey, verb: &str| {
        out.drop_constraints.push(Step::new(
            drop_op(cx, d, Constraint::PrimaryKey(x.clone())),
            format!("Detected {verb} primary key {} on '{q}'", cols(&x.columns)),
        ));
    };
    // A table has at most one primary key, so unnamed ones pair up whatever their columns.
    match (ml.first(), dl.first()) {
        (Some(mp), Some(dp)) => {
            // An unnamed database key has the name the database gave it.
            let db_name = constraint_name(cx, d, &Constraint::PrimaryKey(dp.clone()));
            let renamed = mp.name.is_some() && mp.name != db_name;
            if mp.columns != dp.columns || renamed {
                emit_drop(out, dp, "removed");
                // The old key is dropped first, so an unnamed new one gets the plain name
                // again (`t_pkey`, as create_all would give it), not `t_pkey1`.
                names.taken.retain(|n| Some(n) != db_name.as_ref());
                out.create_constraints.push(Step::new(
                    create_op(cx, d, m, names, Constraint::PrimaryKey(mp.clone())),
                    format!("Detected added primary key {} on '{q}'", cols(&mp.columns)),
                ));
            }
        }
        (Some(mp), None) => out.create_constraints.push(Step::new(
            create_op(cx, d, m, names, Constraint::PrimaryKey(mp.clone())),
            format!("Detected added primary key {} on '{q}'", cols(&mp.columns)),
        )),
        (None, Some(dp)) => emit_drop(out, dp, "removed"),
        (None, None) => {}
    }
}

/// A foreign key with its target's schema made explicit, for comparison: the schema the
/// referred table has in `md` (an unqualified target is in the default schema, and the
/// default schema named explicitly is the same place).
fn resolved(md: &MetaData, fk: &ForeignKey) -> ForeignKey {
    let mut r = fk.clone();
    r.ref_schema = crate::resolved_target_schema(md, fk);
    r
}

fn foreign_keys(cx: &Cx, d: &Table, m: &Table, names: &mut Names, out: &mut ConstraintChanges) {
    let dl: Vec<_> = d
        .foreign_keys
        .iter()
        .filter(|f| {
            hook(
                cx,
                d,
                ObjectKind::ForeignKey,
                f.name.as_deref(),
                true,
                false,
            )
        })
        .map(|f| {
            let mut r = resolved(cx.db, f);
            r.name = constraint_name(cx, d, &Constraint::ForeignKey(f.clone()));
            r
        })
        .collect();
    let ml: Vec<_> = m
        .foreign_keys
        .iter()
        .filter(|f| {
            hook(
                cx,
                m,
                ObjectKind::ForeignKey,
                f.name.as_deref(),
                false,
                true,
            )
        })
        .map(|f| resolved(cx.model, f))
        .collect();
    let sig = |f: &ForeignKey| {
        format!(
            "({})({}) on table {}",
            f.columns.join(", "),
            f.ref_columns.join(", "),
            d.qualified_name()
        )
    };
    let matches = pair(
        &ml,
        &dl,
        |f| f.name.as_deref(),
        |a, b| cx.dialect.foreign_keys_equal(a, b),
    );
    for mt in released(matches, &dl, |f| f.name.as_deref(), names) {
        let (drop, create) = match mt {
            Match::Added(mi) => (None, Some(mi)),
            Match::Changed(mi, di) => (Some(di), Some(mi)),
            Match::Removed(di) => (Some(di), None),
        };
        if let Some(di) = drop {
            // The op carries the foreign key as the database has it (its own `ref_schema`).
            let orig = original(&d.foreign_keys, &dl[di], cx.db);
            out.drop_foreign_keys.push(Step::new(
                drop_op(cx, d, Constraint::ForeignKey(orig)),
                format!("Detected removed foreign key {}", sig(&dl[di])),
            ));
        }
        if let Some(mi) = create {
            let orig = original(&m.foreign_keys, &ml[mi], cx.model);
            out.create_foreign_keys.push(Step::new(
                create_op(cx, d, m, names, Constraint::ForeignKey(orig)),
                format!("Detected added foreign key {}", sig(&ml[mi])),
            ));
        }
    }
}

/// The unresolved foreign key of `t` that `r` was resolved from.
fn original(list: &[ForeignKey], r: &ForeignKey, md: &MetaData) -> ForeignKey {
    let unnamed = |f: &ForeignKey| ForeignKey {
        name: None,
        ..f.clone()
    };
    list.iter()
        .find(|f| unnamed(&resolved(md, f)) == unnamed(r))
        .cloned()
        .unwrap_or_else(|| r.clone())
}

fn uniques(cx: &Cx, d: &Table, m: &Table, names: &mut Names, out: &mut ConstraintChanges) {
    let dl: Vec<_> = d
        .uniques
        .iter()
        .filter(|u| {
            hook(
                cx,
                d,
                ObjectKind::UniqueConstraint,
                u.name.as_deref(),
                true,
                false,
            )
        })
        .map(|u| Unique {
            name: constraint_name(cx, d, &Constraint::Unique(u.clone())),
            ..u.clone()
        })
        .collect();
    let ml: Vec<_> = m
        .uniques
        .iter()
        .filter(|u| {
            hook(
                cx,
                m,
                ObjectKind::UniqueConstraint,
                u.name.as_deref(),
                false,
                true,
            )
        })
        .cloned()
        .collect();
    let matches = pair(
        &ml,
        &dl,
        |u| u.name.as_deref(),
        |a, b| cx.dialect.uniques_equal(a, b),
    );
    for mt in released(matches, &dl, |u| u.name.as_deref(), names) {
        // A change is one detected change: logged on its drop, as an index's is.
        let verb = match mt {
            Match::Changed(..) => "changed",
            _ => "removed",
        };
        if let Match::Changed(_, di) | Match::Removed(di) = mt {
            let u = &dl[di];
            out.drop_constraints.push(Step::new(
                drop_op(cx, d, Constraint::Unique(u.clone())),
                format!(
                    "Detected {verb} unique constraint {} on '{}'",
                    shown(u.name.as_deref()),
                    cols(&u.columns)
                ),
            ));
        }
        if let Match::Changed(mi, _) | Match::Added(mi) = mt {
            let op = create_op(cx, d, m, names, Constraint::Unique(ml[mi].clone()));
            let name = match &op {
                Op::CreateUniqueConstraint { unique, .. } => shown(unique.name.as_deref()),
                _ => String::new(),
            };
            let log = format!(
                "Detected added unique constraint {name} on '{}'",
                cols(&ml[mi].columns)
            );
            out.create_constraints.push(Step {
                op,
                log: if verb == "changed" {
                    Vec::new()
                } else {
                    vec![log]
                },
            });
        }
    }
}

fn checks(cx: &Cx, d: &Table, m: &Table, names: &mut Names, out: &mut ConstraintChanges) {
    let dl: Vec<_> = d
        .checks
        .iter()
        .filter(|c| {
            hook(
                cx,
                d,
                ObjectKind::CheckConstraint,
                c.name.as_deref(),
                true,
                false,
            )
        })
        .map(|c| Check {
            name: constraint_name(cx, d, &Constraint::Check(c.clone())),
            ..c.clone()
        })
        .collect();
    let ml: Vec<_> = m
        .checks
        .iter()
        .filter(|c| {
            hook(
                cx,
                m,
                ObjectKind::CheckConstraint,
                c.name.as_deref(),
                false,
                true,
            )
        })
        .cloned()
        .collect();
    let q = d.qualified_name();
    let matches = pair(
        &ml,
        &dl,
        |c| c.name.as_deref(),
        |a, b| cx.dialect.checks_equal(a, b),
    );
    for mt in released(matches, &dl, |c| c.name.as_deref(), names) {
        let verb = match mt {
            Match::Changed(..) => "changed",
            _ => "removed",
        };
        if let Match::Changed(_, di) | Match::Removed(di) = mt {
            let c = Constraint::Check(dl[di].clone());
            let name = shown(dl[di].name.as_deref());
            out.drop_constraints.push(Step::new(
                drop_op(cx, d, c),
                format!("Detected {verb} check constraint {name} on '{q}'"),
            ));
        }
        if let Match::Changed(mi, _) | Match::Added(mi) = mt {
            let op = create_op(cx, d, m, names, Constraint::Check(ml[mi].clone()));
            let name = match &op {
                Op::CreateCheckConstraint { check, .. } => shown(check.name.as_deref()),
                _ => String::new(),
            };
            let log = format!("Detected added check constraint {name} on '{q}'");
            out.create_constraints.push(Step {
                op,
                log: if verb == "changed" {
                    Vec::new()
                } else {
                    vec![log]
                },
            });
        }
    }
}

/// Exclusion constraints are always named (validation refuses one without a name), so they
/// pair by name; a changed one is a drop and a create.
fn excludes(cx: &Cx, d: &Table, m: &Table, names: &mut Names, out: &mut ConstraintChanges) {
    let kind = ObjectKind::ExcludeConstraint;
    let dl: Vec<_> = d
        .excludes
        .iter()
        .filter(|x| hook(cx, d, kind, x.name.as_deref(), true, false))
        .cloned()
        .collect();
    let ml: Vec<_> = m
        .excludes
        .iter()
        .filter(|x| hook(cx, m, kind, x.name.as_deref(), false, true))
        .cloned()
        .collect();
    let q = d.qualified_name();
    let matches = pair(
        &ml,
        &dl,
        |x: &Exclude| x.name.as_deref(),
        |a, b| cx.dialect.excludes_equal(a, b),
    );
    for mt in released(matches, &dl, |x| x.name.as_deref(), names) {
        let verb = match mt {
            Match::Changed(..) => "changed",
            _ => "removed",
        };
        if let Match::Changed(_, di) | Match::Removed(di) = mt {
            let name = shown(dl[di].name.as_deref());
            out.drop_constraints.push(Step::new(
                drop_op(cx, d, Constraint::Exclude(dl[di].clone())),
                format!("Detected {verb} exclusion constraint {name} on '{q}'"),
            ));
        }
        if let Match::Changed(mi, _) | Match::Added(mi) = mt {
            let name = shown(ml[mi].name.as_deref());
            let op = create_op(cx, d, m, names, Constraint::Exclude(ml[mi].clone()));
            out.create_constraints.push(Step {
                op,
                log: if verb == "changed" {
                    Vec::new()
                } else {
                    vec![format!(
                        "Detected added exclusion constraint {name} on '{q}'"
                    )]
                },
            });
        }
    }
}
