//! Indexes of one table: matched as constraints are (by name, or by content when the model
//! leaves the name to the database); a change under the same name (predicate, INCLUDE
//! columns, operator class, order, method, uniqueness) is a drop and a create.

use super::constraints::ConstraintChanges;
use super::matching::{hook, pair_kept, released, Match, Names};
use super::options::ObjectKind;
use super::tables::constraint_name;
use super::{Cx, Step};
use crate::ops::{Constraint, Op};
use crate::{Index, Table};

fn index_cols(ix: &Index) -> String {
    let parts: Vec<String> = ix
        .elements
        .iter()
        .map(|e| match &e.target {
            crate::IndexTarget::Column(c) => c.clone(),
            crate::IndexTarget::Expr(x) => format!("({x})"),
        })
        .collect();
    format!("({})", parts.join(", "))
}

pub(super) fn compare_indexes(
    cx: &Cx,
    d: &Table,
    m: &Table,
    names: &mut Names,
    out: &mut ConstraintChanges,
) {
    // Indexes that back a primary key or unique constraint belong to the constraint (named
    // as the database named it, also when the name was one it gave).
    let backing: Vec<String> = d
        .primary_key
        .iter()
        .cloned()
        .map(Constraint::PrimaryKey)
        .chain(d.uniques.iter().cloned().map(Constraint::Unique))
        .filter_map(|c| constraint_name(cx, d, &c))
        .collect();
    let dl: Vec<_> = d
        .indexes
        .iter()
        .filter(|i| {
            !i.name
                .as_deref()
                .is_some_and(|n| backing.iter().any(|b| b == n))
        })
        .filter(|i| hook(cx, d, ObjectKind::Index, i.name.as_deref(), true, false))
        .map(|i| Index {
            name: Some(
                i.name
                    .clone()
                    .unwrap_or_else(|| cx.dialect.index_name(d, i)),
            ),
            ..i.clone()
        })
        .collect();
    let ml: Vec<_> = m
        .indexes
        .iter()
        .filter(|i| hook(cx, m, ObjectKind::Index, i.name.as_deref(), false, true))
        .cloned()
        .collect();
    let q = d.qualified_name();
    let (matches, kept) = pair_kept(
        &ml,
        &dl,
        |i| i.name.as_deref(),
        |a, b| cx.dialect.indexes_equal(a, b),
    );
    for (mi, di) in kept {
        if let Some(name) = &dl[di].name {
            out.storage.extend(super::storage::storage_step(
                d,
                Some(name),
                &dl[di].with,
                &ml[mi].with,
            ));
        }
    }
    for mt in released(matches, &dl, |i| i.name.as_deref(), names) {
        let changed = matches!(mt, Match::Changed(..));
        if let Match::Changed(_, di) | Match::Removed(di) = mt {
            // `dl` carries every index under the name the database has it by.
            let existing = dl[di].clone();
            let name = existing.name.clone().unwrap_or_default();
            out.drop_indexes.push(Step::new(
                Op::DropIndex {
                    schema: d.schema.clone(),
                    table: d.name.clone(),
                    name: name.clone(),
                    existing: Some(existing),
                    concurrently: false,
                },
                if changed {
                    format!("Detected changed index '{name}' on '{q}'")
                } else {
                    format!("Detected removed index '{name}' on '{q}'")
                },
            ));
        }
        if let Match::Changed(mi, _) | Match::Added(mi) = mt {
            let mut ix = ml[mi].clone();
            if ix.name.is_none() {
                ix.name = Some(names.fresh(cx.dialect.index_name(m, &ix)));
            }
            let name = ix.name.clone().unwrap_or_default();
            let log = if changed {
                Vec::new()
            } else {
                vec![format!(
                    "Detected added {}index '{name}' on '{}'",
                    if ix.unique { "unique " } else { "" },
                    index_cols(&ix)
                )]
            };
            out.create_indexes.push(Step {
                op: Op::CreateIndex {
                    schema: d.schema.clone(),
                    table: d.name.clone(),
                    index: ix,
                    concurrently: false,
                },
                log,
            });
        }
    }
}
