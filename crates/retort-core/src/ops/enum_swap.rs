//! The safe type swap that gives an enum type other values: PostgreSQL cannot remove or
//! reorder an enum's values, so every column using the type becomes `text` (its default
//! dropped for the while, since a default does not survive the type change), the type is
//! dropped and created anew, and the columns go back to it (the dialect writes the `USING`
//! cast a type change needs). Rows holding a value that is gone make the last step fail,
//! which is the database refusing to lose data, not a wrong migration.
//!
//! The diff writes these steps out, so the script shows them; [`Op::RecreateEnum`] (the
//! reverse of an added value) is rendered as the same steps, found in the schema it
//! applies to.

use super::op::{AlterColumn, Op};
use crate::{Column, EnumType, MetaData, ServerDefault, Table, Type};

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
/// with the default `restore` gives it. Every step carries its old values, so the reverse
/// of the list swaps back.
pub fn enum_swap_ops(
    db: &MetaData,
    old: &EnumType,
    new: &EnumType,
    restore: impl Fn(&Table, &Column) -> Option<ServerDefault>,
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
        existing_identity: Some(c.identity.clone()),
        existing_computed: Some(c.computed.clone()),
        ..AlterColumn::default()
    };
    let mut out = Vec::with_capacity(users.len() * 2 + 2);
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
    Some(enum_swap_ops(db, old, &new, |_, c| {
        c.server_default.clone()
    }))
}
