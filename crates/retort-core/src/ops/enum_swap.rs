//! The safe type swap that gives an enum type other values: PostgreSQL cannot remove or
//! reorder an enum's values, so every column using the type becomes `text` (its default
//! dropped for the while, since a default does not survive the type change), the type is
//! dropped and created anew, and the columns go back to it (the dialect writes the `USING`
//! cast a type change needs). Rows holding a value that is gone make the last step fail,
//! which is the database refusing to lose data, not a wrong migration.
//!
//! Whatever uses the type or those columns in an expression cannot stay through the swap:
//! PostgreSQL rebuilds an index whose predicate says `status <> 'x'::order_status` as
//! `text <> order_status` and fails, a check is revalidated the same way, a generated column
//! pins the type of the columns it computes from, and `DROP TYPE` refuses while a default
//! casts to it. So the partial and expression indexes, checks and generated columns that
//! mention the type's name or one of its columns, and other columns' defaults that mention
//! the type, are dropped first (indexes, checks, generated columns, defaults) and made again
//! after, in the reverse order, from the definitions the schema has. A generated column made
//! again goes last in its table, and its values are computed anew. What the schema does not
//! know (a view, a function, an index made by raw SQL) cannot be carried; the runner checks
//! the live database for it before the swap (see `retort-migrate`'s `enum_dependents`).
//!
//! The diff writes these steps out, so the script shows them; [`Op::RecreateEnum`] (the
//! reverse of an added value) is rendered as the same steps, found in the schema it
//! applies to.

use super::op::{AlterColumn, Constraint, ConstraintKind, Op};
use crate::diff::identifiers;
use crate::{Check, Column, EnumType, Index, IndexTarget, MetaData, ServerDefault, Table, Type};

/// Whether `ty` is (an array of) the enum `e` of `md`.
pub fn uses_enum(ty: &Type, md: &MetaData, e: &EnumType) -> bool {
    match ty {
        Type::Enum(r) => {
            r.name == e.name && r.schema.as_deref().or(md.default_schema()) == e.schema.as_deref()
        }
        Type::Array(inner) => uses_enum(inner, md, e),
        _ => false,
    }
}

/// `ty` with the enum replaced by `text`.
fn as_text(ty: &Type) -> Type {
    match ty {
        Type::Array(inner) => Type::Array(Box::new(as_text(inner))),
        _ => Type::Text,
    }
}

/// The ops that recreate `old` (a type of `db`) as `new` through `text`, in order: the
/// columns of `db` using it to `text`, `DROP TYPE`, `CREATE TYPE`, the columns back, each
/// with the default `restore` gives it, and the dependents of the module notes around them
/// (one that names a removed value made again as `model` has it: see `put_back`). Every
/// step carries its old values, so the reverse of the list swaps back.
pub fn enum_swap_ops(
    db: &MetaData,
    old: &EnumType,
    new: &EnumType,
    restore: impl Fn(&Table, &Column) -> Option<ServerDefault>,
    model: Option<&MetaData>,
) -> Vec<Op> {
    let users: Vec<(&Table, &Column)> = db
        .tables()
        .iter()
        .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
        .filter(|(_, c)| uses_enum(&c.ty, db, old))
        .collect();
    let base = |t: &Table, c: &Column| AlterColumn {
        schema: t.schema.clone(),
        table: t.name.clone(),
        column: c.name.clone(),
        existing_nullable: Some(c.nullable),
        existing_comment: Some(c.comment.clone()),
        existing_identity: Some(c.identity.as_deref().cloned()),
        existing_computed: Some(c.computed.clone()),
        ..AlterColumn::default()
    };
    let deps = dependents(db, old, &users);
    let mut out = Vec::with_capacity(users.len() * 2 + 2);
    out.extend(deps.take_down());
    for (t, c) in &deps.defaults {
        out.push(Op::AlterColumn(AlterColumn {
            server_default: Some(None),
            existing_server_default: Some(c.server_default.clone()),
            existing_type: Some(c.ty.clone()),
            ..base(t, c)
        }));
    }
    for (t, c) in &users {
        out.push(Op::AlterColumn(AlterColumn {
            type_: Some(as_text(&c.ty)),
            existing_type: Some(c.ty.clone()),
            server_default: c.server_default.as_ref().map(|_| None),
            existing_server_default: Some(c.server_default.clone()),
            ..base(t, c)
        }));
    }
    out.push(Op::DropEnum {
        schema: old.schema.clone(),
        name: old.name.clone(),
        existing: Some(old.clone()),
    });
    out.push(Op::CreateEnum {
        enum_type: new.clone(),
    });
    for (t, c) in &users {
        out.push(Op::AlterColumn(AlterColumn {
            type_: Some(c.ty.clone()),
            existing_type: Some(as_text(&c.ty)),
            server_default: restore(t, c).map(Some),
            existing_server_default: Some(None),
            ..base(t, c)
        }));
    }
    for (t, c) in &deps.defaults {
        out.push(Op::AlterColumn(AlterColumn {
            server_default: Some(restore(t, c)),
            existing_server_default: Some(None),
            existing_type: Some(c.ty.clone()),
            ..base(t, c)
        }));
    }
    let removed: Vec<&str> = old
        .values
        .iter()
        .filter(|v| !new.values.contains(v))
        .map(String::as_str)
        .collect();
    out.extend(deps.put_back(&removed, model));
    out
}

/// What uses the type or its columns in an expression (see the module notes).
struct Dependents<'a> {
    indexes: Vec<(&'a Table, &'a Index)>,
    checks: Vec<(&'a Table, &'a Check)>,
    generated: Vec<(&'a Table, &'a Column)>,
    /// Columns not of the type whose default mentions it.
    defaults: Vec<(&'a Table, &'a Column)>,
}

fn dependents<'a>(
    db: &'a MetaData,
    e: &EnumType,
    users: &[(&'a Table, &'a Column)],
) -> Dependents<'a> {
    let mut deps = Dependents {
        indexes: Vec::new(),
        checks: Vec::new(),
        generated: Vec::new(),
        defaults: Vec::new(),
    };
    for t in db.tables() {
        let mut touched: Vec<&str> = users
            .iter()
            .filter(|(ut, _)| std::ptr::eq(*ut, t))
            .map(|(_, c)| c.name.as_str())
            .collect();
        let is_user = |c: &Column| users.iter().any(|(_, u)| std::ptr::eq(*u, c));
        let names_type = |expr: &str| identifiers(expr).contains(&e.name);
        for c in &t.columns {
            if let Some(computed) = c.computed.as_ref().filter(|_| !is_user(c)) {
                if names_type(&computed.expr) || mentions(&computed.expr, &touched) {
                    deps.generated.push((t, c));
                }
            } else if let Some(ServerDefault::Expr(sql)) = &c.server_default {
                if !is_user(c) && names_type(sql) {
                    deps.defaults.push((t, c));
                }
            }
        }
        touched.extend(
            deps.generated
                .iter()
                .filter(|(gt, _)| std::ptr::eq(*gt, t))
                .map(|(_, c)| c.name.as_str()),
        );
        let uses = |expr: &str| names_type(expr) || mentions(expr, &touched);
        let generated: Vec<&str> = deps
            .generated
            .iter()
            .filter(|(gt, _)| std::ptr::eq(*gt, t))
            .map(|(_, c)| c.name.as_str())
            .collect();
        for ix in &t.indexes {
            let on_generated = ix
                .column_names()
                .chain(ix.include.iter().map(String::as_str))
                .any(|c| generated.contains(&c));
            let in_expr = ix.predicate.as_deref().is_some_and(uses)
                || ix
                    .elements
                    .iter()
                    .any(|el| matches!(&el.target, IndexTarget::Expr(x) if uses(x)));
            if on_generated || in_expr {
                deps.indexes.push((t, ix));
            }
        }
        for ch in &t.checks {
            if uses(&ch.expr) {
                deps.checks.push((t, ch));
            }
        }
    }
    deps
}

/// Whether `expr` names one of `columns`.
fn mentions(expr: &str, columns: &[&str]) -> bool {
    identifiers(expr)
        .iter()
        .any(|i| columns.contains(&i.as_str()))
}

impl Dependents<'_> {
    /// The drops before the swap: indexes and checks first, then the generated columns they
    /// may be on.
    fn take_down(&self) -> Vec<Op> {
        let mut out = Vec::new();
        for (t, ix) in &self.indexes {
            out.push(Op::DropIndex {
                schema: t.schema.clone(),
                table: t.name.clone(),
                name: ix.name.clone().unwrap_or_default(),
                existing: Some((*ix).clone()),
                concurrently: false,
            });
        }
        for (t, ch) in &self.checks {
            out.push(Op::DropConstraint {
                schema: t.schema.clone(),
                table: t.name.clone(),
                name: ch.name.clone().unwrap_or_default(),
                kind: ConstraintKind::Check,
                existing: Some(Constraint::Check((*ch).clone())),
            });
        }
        for (t, c) in &self.generated {
            out.push(Op::DropColumn {
                schema: t.schema.clone(),
                table: t.name.clone(),
                column: c.name.clone(),
                existing: Some((*c).clone()),
                data_loss_ok: false,
            });
        }
        out
    }

    /// The same objects made again after the swap, in the reverse order. One that names a
    /// value the new type lacks (`status <> 'shipped'`) cannot be made again as it was: it
    /// is made as `model` has it under the same name, or not at all when `model` no longer
    /// has it (the comparison after the swap then sees it gone on both sides). Without a
    /// model (a `recreate_enum` rendered from the replayed history) it is made as it was.
    fn put_back(&self, removed: &[&str], model: Option<&MetaData>) -> Vec<Op> {
        let stale = |expr: &str| literals(expr).iter().any(|l| removed.contains(&l.as_str()));
        let model_table = |t: &Table| model.map(|m| m.get_table(t.schema.as_deref(), &t.name));
        let mut out = Vec::new();
        for (t, c) in &self.generated {
            let mut column = (*c).clone();
            if c.computed.as_ref().is_some_and(|x| stale(&x.expr)) {
                match model_table(t).map(|mt| mt.and_then(|mt| mt.get_column(&c.name))) {
                    Some(Some(mc)) if mc.computed.is_some() => column = mc.clone(),
                    Some(_) => continue,
                    None => {}
                }
            }
            out.push(Op::AddColumn {
                schema: t.schema.clone(),
                table: t.name.clone(),
                column,
            });
        }
        for (t, ch) in &self.checks {
            let mut check = (*ch).clone();
            if stale(&ch.expr) {
                let now = model_table(t).map(|mt| {
                    mt.and_then(|mt| {
                        mt.checks
                            .iter()
                            .find(|x| x.name.is_some() && x.name == ch.name)
                    })
                });
                match now {
                    Some(Some(x)) => check = x.clone(),
                    Some(None) => continue,
                    None => {}
                }
            }
            out.push(Constraint::Check(check).into_create_op(t.schema.clone(), t.name.clone()));
        }
        for (t, ix) in &self.indexes {
            let mut index = (*ix).clone();
            let named_stale = ix.predicate.as_deref().is_some_and(stale)
                || ix
                    .elements
                    .iter()
                    .any(|el| matches!(&el.target, IndexTarget::Expr(x) if stale(x)));
            if named_stale {
                let now = model_table(t).map(|mt| {
                    mt.and_then(|mt| {
                        mt.indexes
                            .iter()
                            .find(|x| x.name.is_some() && x.name == ix.name)
                    })
                });
                match now {
                    Some(Some(x)) => index = x.clone(),
                    Some(None) => continue,
                    None => {}
                }
            }
            out.push(Op::CreateIndex {
                schema: t.schema.clone(),
                table: t.name.clone(),
                index,
                concurrently: false,
            });
        }
        out
    }
}

/// The string literals of a SQL expression, unquoted (`''` is a quote).
fn literals(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut lit = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    lit.push('\'');
                    continue;
                }
                break;
            }
            lit.push(c);
        }
        out.push(lit);
    }
    out
}

/// What [`Op::RecreateEnum`] of `schema.name` to `values` does to `db`, as the plain ops of
/// [`enum_swap_ops`] (each column keeps its default); `None` when `db` has no such type.
pub fn recreate_enum_ops(
    db: &MetaData,
    schema: Option<&str>,
    name: &str,
    values: &[String],
) -> Option<Vec<Op>> {
    let old = db.get_enum(schema, name)?;
    let new = EnumType {
        values: values.to_vec(),
        ..old.clone()
    };
    Some(enum_swap_ops(
        db,
        old,
        &new,
        |_, c| c.server_default.clone(),
        None,
    ))
}
