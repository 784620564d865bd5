//! Storage parameters (PostgreSQL `WITH (fillfactor='90')`) of a table, its indexes and the
//! indexes of its primary key and unique constraints, and a table's parents (`INHERITS`).
//!
//! Parameters are no part of an index's or key's identity (a change is `ALTER .. SET (..)`
//! `RESET (..)`, not a drop and a create), so the matching leaves them out and they are
//! compared here for the pairs it kept. Values are compared as text, in any order.

use super::Step;
use crate::ops::Op;
use crate::{MetaData, Table, TableRef};

/// The `SET (..)` step that takes `db`'s parameters to `model`'s, when they differ.
pub(super) fn storage_step(
    d: &Table,
    index: Option<&str>,
    db: &[(String, String)],
    model: &[(String, String)],
) -> Option<Step> {
    let sorted = |w: &[(String, String)]| {
        let mut v = w.to_vec();
        v.sort();
        v
    };
    if sorted(db) == sorted(model) {
        return None;
    }
    let q = d.qualified_name();
    Some(Step::new(
        Op::SetStorage {
            schema: d.schema.clone(),
            table: d.name.clone(),
            index: index.map(str::to_owned),
            with: model.to_vec(),
            existing: Some(db.to_vec()),
        },
        match index {
            None => format!("Detected changed storage parameters of table '{q}'"),
            Some(i) => format!("Detected changed storage parameters of index '{i}' on '{q}'"),
        },
    ))
}

/// A parent with its schema made explicit: the one the parent has in `md`, else the default.
fn resolved(md: &MetaData, p: &TableRef) -> TableRef {
    let schema = md
        .get_table(p.schema.as_deref(), &p.name)
        .and_then(|t| t.schema.clone())
        .or_else(|| p.schema.clone())
        .or_else(|| md.default_schema().map(str::to_owned));
    TableRef {
        schema,
        name: p.name.clone(),
    }
}

/// The parents the table leaves (`NO INHERIT`, before its columns change) and those it
/// gains (`INHERIT`, after its columns are there), in the model's order.
pub(super) fn inheritance_steps(
    db_md: &MetaData,
    model_md: &MetaData,
    d: &Table,
    m: &Table,
) -> (Vec<Step>, Vec<Step>) {
    let dp: Vec<TableRef> = d.inherits.iter().map(|p| resolved(db_md, p)).collect();
    let mp: Vec<TableRef> = m.inherits.iter().map(|p| resolved(model_md, p)).collect();
    let q = d.qualified_name();
    let leave = d
        .inherits
        .iter()
        .zip(&dp)
        .filter(|(_, r)| !mp.contains(r))
        .map(|(p, _)| {
            Step::new(
                Op::NoInherit {
                    schema: d.schema.clone(),
                    table: d.name.clone(),
                    parent: p.clone(),
                },
                format!(
                    "Detected removed parent '{}' of table '{q}'",
                    p.qualified_name()
                ),
            )
        })
        .collect();
    let gain = m
        .inherits
        .iter()
        .zip(&mp)
        .filter(|(_, r)| !dp.contains(r))
        .map(|(p, _)| {
            Step::new(
                Op::Inherit {
                    schema: d.schema.clone(),
                    table: d.name.clone(),
                    parent: p.clone(),
                },
                format!(
                    "Detected added parent '{}' of table '{q}'",
                    p.qualified_name()
                ),
            )
        })
        .collect();
    (leave, gain)
}
