//! Relationships inferred from foreign keys, declared on the struct (`belongs_to(..)`): each
//! key makes a `belongs_to` on the referring model and a `has_many` on the referred one (a
//! `has_one` where the key's columns are also unique: at most one row can refer), each naming
//! the other (`back_populates`); a pure link table (its columns exactly those of two foreign
//! keys to two other tables) makes a `many_to_many` on each of those two, through it
//! (`secondary`, and its model as `through` for the runtime to load by), instead. A
//! `has_many`/`has_one` whose key is `ON DELETE CASCADE` or `SET NULL` is `passive_deletes`:
//! the database does what the runtime would (SQLAlchemy's meaning); so is a `many_to_many`
//! on the side whose link-table key is `ON DELETE CASCADE` (the association rows go with
//! that side's row in the database, and the runtime sends no `DELETE` of them). Where a
//! table has more than one foreign key to another (or to itself), both sides of each name
//! the key they follow (`foreign_keys`).

use retort_core::schema::{FkAction, ForeignKey, IndexTarget, MetaData, Table};

use super::names::{field_name, singular, Names};

/// One relationship of a model.
#[derive(Debug, Clone)]
pub(crate) struct RelField {
    /// The relationship's name (its handle, `Customer::orders`).
    pub field: String,
    /// The derive's key: `has_many`, `has_one`, `belongs_to` or `many_to_many`.
    pub kind: &'static str,
    /// The index of the target table.
    pub target: usize,
    /// The field on the target pointing back.
    pub back_populates: String,
    /// A `many_to_many`'s link table (`schema.name` or `name`).
    pub secondary: Option<String>,
    /// A `many_to_many`'s link table, by index (its model is `through`).
    pub through: Option<usize>,
    /// SQLAlchemy's `passive_deletes=True`, on the `has_many`/`has_one` whose foreign key
    /// the database acts on (`ON DELETE CASCADE` or `SET NULL`), and on the `many_to_many`
    /// whose link-table key to this side is `ON DELETE CASCADE`: deleting the parent
    /// through the runtime leaves its rows (or association rows) to the database, neither
    /// loaded nor written.
    pub passive_deletes: bool,
    /// The referencing columns of the foreign key a `belongs_to`/`has_many`/`has_one`
    /// follows, where its table has more than one key to the other (SQLAlchemy's
    /// `foreign_keys=[..]`, which the runtime and `validate()` need there); else empty.
    pub foreign_keys: Vec<String>,
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
/// A table (by index) and the link table's key to it.
type LinkEnd<'a> = (usize, &'a ForeignKey);

/// Each target comes with the link table's key to it.
fn link_targets(md: &MetaData, i: usize) -> Option<(LinkEnd<'_>, LinkEnd<'_>)> {
    let t = &md.tables()[i];
    let [a, b] = t.foreign_keys.as_slice() else {
        return None;
    };
    let (ta, tb) = (referenced(md, t, a)?, referenced(md, t, b)?);
    let covered = a.columns.len() + b.columns.len() == t.columns.len()
        && t.columns
            .iter()
            .all(|c| a.columns.contains(&c.name) != b.columns.contains(&c.name));
    (covered && ta != tb && ta != i && tb != i).then_some(((ta, a), (tb, b)))
}

/// Whether the database deletes the rows that refer by `fk` along with the row referred to.
fn cascades(fk: &ForeignKey) -> bool {
    matches!(fk.on_delete, Some(FkAction::Cascade))
}

/// Whether the key's columns are unique in their table (its primary key, a unique
/// constraint, or a unique index on those columns alone with no predicate): then at most one
/// row refers to a given target row.
fn unique_key(t: &Table, fk: &ForeignKey) -> bool {
    let same = |cols: &[String]| {
        cols.len() == fk.columns.len() && cols.iter().all(|c| fk.columns.contains(c))
    };
    t.primary_key.as_ref().is_some_and(|pk| same(&pk.columns))
        || t.uniques.iter().any(|u| same(&u.columns))
        || t.indexes.iter().any(|ix| {
            ix.unique
                && ix.predicate.is_none()
                && same(
                    &ix.elements
                        .iter()
                        .filter_map(|e| match &e.target {
                            IndexTarget::Column(c) => Some(c.clone()),
                            IndexTarget::Expr(_) => None,
                        })
                        .collect::<Vec<_>>(),
                )
                && ix.elements.len() == fk.columns.len()
        })
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
        if let Some(((a, to_a), (b, to_b))) = link_targets(md, i) {
            let secondary = t.qualified_name();
            let on_a = fields[a].claim(&plural(&tables[b].name));
            let on_b = fields[b].claim(&plural(&tables[a].name));
            out[a].push(RelField {
                field: on_a.clone(),
                kind: "many_to_many",
                target: b,
                back_populates: on_b.clone(),
                secondary: Some(secondary.clone()),
                through: Some(i),
                passive_deletes: cascades(to_a),
                foreign_keys: Vec::new(),
            });
            out[b].push(RelField {
                field: on_b,
                kind: "many_to_many",
                target: a,
                back_populates: on_a,
                secondary: Some(secondary),
                through: Some(i),
                passive_deletes: cascades(to_b),
                foreign_keys: Vec::new(),
            });
            continue;
        }
        for fk in &t.foreign_keys {
            let Some(p) = referenced(md, t, fk) else {
                continue;
            };
            let wanted = match fk.columns.as_slice() {
                // `type_id` -> `type_`: what is left may be a keyword.
                [one] if field_name(one).ends_with("_id") && field_name(one).len() > 3 => {
                    field_name(field_name(one).trim_end_matches("_id"))
                }
                _ => field_name(&singular(&tables[p].name)),
            };
            let belongs = fields[i].claim(&wanted);
            let (kind, name) = if unique_key(t, fk) {
                ("has_one", field_name(&singular(&t.name)))
            } else {
                ("has_many", plural(&t.name))
            };
            let back_wanted = if fields[p].has(&name) || p == i {
                format!("{name}_by_{}", field_name(&fk.columns.join("_")))
            } else {
                name
            };
            let back = fields[p].claim(&back_wanted);
            let several = t
                .foreign_keys
                .iter()
                .filter(|other| referenced(md, t, other) == Some(p))
                .count()
                > 1;
            let foreign_keys = if several {
                fk.columns.clone()
            } else {
                Vec::new()
            };
            out[i].push(RelField {
                field: belongs.clone(),
                kind: "belongs_to",
                target: p,
                back_populates: back.clone(),
                secondary: None,
                through: None,
                passive_deletes: false,
                foreign_keys: foreign_keys.clone(),
            });
            out[p].push(RelField {
                field: back,
                kind,
                target: i,
                back_populates: belongs,
                secondary: None,
                through: None,
                passive_deletes: matches!(
                    fk.on_delete,
                    Some(FkAction::Cascade | FkAction::SetNull)
                ),
                foreign_keys,
            });
        }
    }
    out
}
