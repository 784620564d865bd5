//! Schemas and enum types: created first (tables and columns need them), enum values added
//! in place, an enum whose values were removed or reordered recreated through `text` (the
//! safe type swap PostgreSQL needs, since it cannot remove a value), and enum types that
//! nothing uses any more dropped last.

use super::options::{DiffOptions, ObjectKind, ObjectRef};
use super::{Plan, Step};
use crate::ops::{enum_swap_ops, EnumValuePosition, Op};
use crate::{EnumType, MetaData};

/// `CREATE SCHEMA` for every schema the compared model uses that the database lacks.
/// Schemas are never dropped: the database may hold what the model does not describe.
pub(super) fn compare_schemas(
    db: &MetaData,
    model: &MetaData,
    opts: &DiffOptions,
    plan: &mut Plan,
) {
    // A set: every table names its schema, so 10,000 tables in 10 schemas made a list of
    // 10,000 names scanned once per table of the model (issue 16).
    let mut known: std::collections::HashSet<&str> = db
        .tables()
        .iter()
        .filter_map(|t| t.schema.as_deref())
        .chain(db.enums().iter().filter_map(|e| e.schema.as_deref()))
        .chain(db.entities().iter().filter_map(|e| e.schema()))
        .chain(opts.existing_schemas.iter().map(String::as_str))
        .chain(db.default_schema())
        .collect();
    let wanted = model
        .tables()
        .iter()
        .filter(|t| opts.table_included(t.schema.as_deref(), &t.name))
        .filter_map(|t| t.schema.as_deref())
        .chain(
            model
                .enums()
                .iter()
                .filter(|e| opts.schema_included(e.schema.as_deref()))
                .filter_map(|e| e.schema.as_deref()),
        )
        .chain(
            model
                .entities()
                .iter()
                .filter(|e| opts.schema_included(e.schema()))
                .filter(|e| {
                    opts.hook(ObjectRef {
                        kind: ObjectKind::Entity(e.kind()),
                        schema: e.schema(),
                        table: None,
                        name: Some(e.name()),
                        in_database: false,
                        in_model: true,
                    })
                })
                .filter_map(|e| e.schema()),
        );
    for s in wanted {
        let hook = |s: &str| {
            opts.hook(ObjectRef {
                kind: ObjectKind::Schema,
                schema: Some(s),
                table: None,
                name: Some(s),
                in_database: false,
                in_model: true,
            })
        };
        if !known.contains(s) && hook(s) {
            known.insert(s);
            plan.schemas.push(Step::new(
                Op::CreateSchema {
                    name: s.to_string(),
                },
                format!("Detected added schema '{s}'"),
            ));
        }
    }
}

fn enum_included(opts: &DiffOptions, e: &EnumType, in_database: bool, in_model: bool) -> bool {
    opts.schema_included(e.schema.as_deref())
        && opts.hook(ObjectRef {
            kind: ObjectKind::EnumType,
            schema: e.schema.as_deref(),
            table: None,
            name: Some(&e.name),
            in_database,
            in_model,
        })
}

fn find<'a>(list: &'a [EnumType], e: &EnumType) -> Option<&'a EnumType> {
    list.iter()
        .find(|x| x.name == e.name && x.schema == e.schema)
}

fn label(e: &EnumType) -> String {
    crate::schema::qualified(e.schema.as_deref(), &e.name)
}

fn values(v: &[String]) -> String {
    let quoted: Vec<String> = v.iter().map(|x| format!("'{x}'")).collect();
    format!("({})", quoted.join(", "))
}

/// New enum types, added values, and recreations (see the module notes).
pub(super) fn compare_enums(db: &MetaData, model: &MetaData, opts: &DiffOptions, plan: &mut Plan) {
    for e in model.enums() {
        let old = find(db.enums(), e);
        if !enum_included(opts, e, old.is_some(), true) {
            continue;
        }
        match old {
            None => plan.enums.push(Step::new(
                Op::CreateEnum {
                    enum_type: e.clone(),
                },
                format!(
                    "Detected added enum type '{}' {}",
                    label(e),
                    values(&e.values)
                ),
            )),
            Some(old) if old.values == e.values => {}
            Some(old) if is_subsequence(&old.values, &e.values) => add_values(old, e, plan),
            Some(old) => swap_enum(db, model, old, e, plan),
        }
    }
}

fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

/// `ALTER TYPE .. ADD VALUE` for each new value, placed where the model has it.
fn add_values(old: &EnumType, new: &EnumType, plan: &mut Plan) {
    let mut current = old.values.clone();
    for (i, v) in new.values.iter().enumerate() {
        if current.contains(v) {
            continue;
        }
        let (at, position) = if i == 0 {
            (0, current.first().cloned().map(EnumValuePosition::Before))
        } else {
            let prev = &new.values[i - 1];
            let p = current.iter().position(|c| c == prev).map_or(0, |p| p + 1);
            if p == current.len() {
                (p, None)
            } else {
                (p, Some(EnumValuePosition::After(prev.clone())))
            }
        };
        let existing = Some(current.clone());
        current.insert(at, v.clone());
        plan.enums.push(Step::new(
            Op::AddEnumValue {
                schema: new.schema.clone(),
                enum_name: new.name.clone(),
                value: v.clone(),
                position,
                existing,
            },
            format!("Detected added value '{v}' to enum type '{}'", label(new)),
        ));
    }
}

/// Recreates `old` as `new` through `text` ([`enum_swap_ops`]): the default each column
/// gets back is the model's, when it still has the column (the old one may name a value
/// that is gone), and so is a dependent that names a value that is gone.
fn swap_enum(db: &MetaData, model: &MetaData, old: &EnumType, new: &EnumType, plan: &mut Plan) {
    let start = plan.enums.len();
    let log = format!(
        "Detected changed values of enum type '{}' from {} to {}: recreated through text",
        label(new),
        values(&old.values),
        values(&new.values)
    );
    let restore = |t: &crate::Table, c: &crate::Column| {
        model
            .get_table(t.schema.as_deref(), &t.name)
            .and_then(|mt| mt.get_column(&c.name))
            .map_or_else(|| c.server_default.clone(), |mc| mc.server_default.clone())
    };
    for op in enum_swap_ops(db, old, new, restore, Some(model)) {
        plan.enums.push(Step::quiet(op));
    }
    // The one detected change is logged on the first op of the swap.
    plan.enums[start].log.push(log);
}

/// `DROP TYPE` for the database's enum types the model no longer has, after the tables
/// and columns that used them are gone.
pub(super) fn drop_unused_enums(
    db: &MetaData,
    model: &MetaData,
    opts: &DiffOptions,
    plan: &mut Plan,
) {
    for e in db.enums() {
        if find(model.enums(), e).is_some() || !enum_included(opts, e, true, false) {
            continue;
        }
        plan.drop_enums.push(Step::new(
            Op::DropEnum {
                schema: e.schema.clone(),
                name: e.name.clone(),
                existing: Some(e.clone()),
            },
            format!("Detected removed enum type '{}'", label(e)),
        ));
    }
}
