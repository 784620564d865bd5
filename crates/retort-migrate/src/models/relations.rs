//! Relationships inferred from foreign keys: each key makes a `BelongsTo` on the referring
//! model and a `HasMany` on the referred one, each naming the other (`back_populates`); a
//! pure link table (its columns exactly those of two foreign keys to two other tables) makes
//! a `ManyToMany` on each of those two, through it (`secondary`), instead.

use retort_core::schema::{ForeignKey, MetaData, Table};

use super::names::{field_name, singular, Names};

/// One relationship field of a model.
#[derive(Debug, Clone)]
pub(crate) struct RelField {
    /// The field's name.
    pub field: String,
    /// `HasMany`, `BelongsTo` or `ManyToMany`.
    pub kind: &'static str,
    /// The index of the target table.
    pub target: usize,
    /// The field on the target pointing back.
    pub back_populates: String,
    /// A `ManyToMany`'s link table (`schema.name` or `name`).
    pub secondary: Option<String>,
}

/// The table a foreign key refers to, when the schema has it.
pub(crate) fn referenced(md: &MetaData, from: &Table, fk: &ForeignKey) -> Option<usize> {
    let schema = fk.ref_schema.as_deref().or(from.schema.as_deref());
    md.tables()
        .iter()
        .position(|t| t.name == fk.ref_table && t.schema.as_deref() == schema)
        .or_else(|| {
            md.tables().iter().position(|t| {
                t.name == fk.ref_table && t.schema.as_deref() == fk.ref_schema.as_deref()
            })
        })
}

/// A link table's two targets: every column is in exactly one of its two foreign keys,
/// which refer to two other, distinct tables.
fn link_targets(md: &MetaData, i: usize) -> Option<(usize, usize)> {
    let t = &md.tables()[i];
    let [a, b] = t.foreign_keys.as_slice() else {
        return None;
    };
    let (ta, tb) = (referenced(md, t, a)?, referenced(md, t, b)?);
    let covered = a.columns.len() + b.columns.len() == t.columns.len()
        && t.columns
            .iter()
            .all(|c| a.columns.contains(&c.name) != b.columns.contains(&c.name));
    (covered && ta != tb && ta != i && tb != i).then_some((ta, tb))
}

fn plural(name: &str) -> String {
    let field = field_name(name);
    if singular(&field) == field {
        format!("{field}s")
    } else {
        field
    }
}

/// The relationship fields of every table (by index), their names claimed in `fields` (one
/// scope a table, its columns' names already in).
pub(crate) fn infer(md: &MetaData, fields: &mut [Names]) -> Vec<Vec<RelField>> {
    let tables = md.tables();
    let mut out = vec![Vec::new(); tables.len()];
    for (i, t) in tables.iter().enumerate() {
        if let Some((a, b)) = link_targets(md, i) {
            let secondary = t.qualified_name();
            let on_a = fields[a].claim(&plural(&tables[b].name));
            let on_b = fields[b].claim(&plural(&tables[a].name));
            out[a].push(RelField {
                field: on_a.clone(),
                kind: "ManyToMany",
                target: b,
                back_populates: on_b.clone(),
                secondary: Some(secondary.clone()),
            });
            out[b].push(RelField {
                field: on_b,
                kind: "ManyToMany",
                target: a,
                back_populates: on_a,
                secondary: Some(secondary),
            });
            continue;
        }
        for fk in &t.foreign_keys {
            let Some(p) = referenced(md, t, fk) else {
                continue;
            };
            let wanted = match fk.columns.as_slice() {
                [one] if field_name(one).ends_with("_id") && field_name(one).len() > 3 => {
                    field_name(one).trim_end_matches("_id").to_owned()
                }
                _ => field_name(&singular(&tables[p].name)),
            };
            let belongs = fields[i].claim(&wanted);
            let many_wanted = if fields[p].has(&plural(&t.name)) || p == i {
                format!(
                    "{}_by_{}",
                    plural(&t.name),
                    field_name(&fk.columns.join("_"))
                )
            } else {
                plural(&t.name)
            };
            let many = fields[p].claim(&many_wanted);
            out[i].push(RelField {
                field: belongs.clone(),
                kind: "BelongsTo",
                target: p,
                back_populates: many.clone(),
                secondary: None,
            });
            out[p].push(RelField {
                field: many,
                kind: "HasMany",
                target: i,
                back_populates: belongs,
                secondary: None,
            });
        }
    }
    out
}
