//! A table as the writer writes it: the body of `|t| { .. }` run on the real table builder,
//! for `op.create_table(..)`, and `Table::build(..)` for a drop's `.existing(..)` and
//! `op.copy_from(..)`.

use super::eval::{arity, chain, err, unknown, R};
use super::syntax::{Expr, Kind};
use super::values::{
    boolean, column_modifier, computed, deferrable, exclude, fk_action, fk_match, identity,
    index_elements, index_modifier, is_path, name, serial, server_default, string, strings,
    table_ref, ty,
};
use crate::ops::TableBuilder;
use crate::Table;

pub(super) fn table(e: &Expr) -> R<Table> {
    match &e.kind {
        Kind::Call(p, args) if p == &["Table", "build"] && args.len() == 2 => {
            let mut failed = Ok(());
            let table = Table::build(string(&args[0])?, |t| failed = closure(t, &args[1]));
            failed.map(|()| table)
        }
        _ => err(e.line, "a table this reader does not know"),
    }
}

/// The body of `|t| { .. }` (or `|_| {}`) run on a table builder.
pub(super) fn closure(t: &mut TableBuilder, e: &Expr) -> R<()> {
    let Kind::Closure(param, body) = &e.kind else {
        return err(e.line, "expected `|t| { .. }`");
    };
    for stmt in body {
        statement(t, param, stmt)?;
    }
    Ok(())
}

fn statement(t: &mut TableBuilder, param: &str, stmt: &Expr) -> R<()> {
    let (root, calls) = chain(stmt);
    if !is_path(root, &[param]) || calls.is_empty() {
        return err(stmt.line, format!("a statement not on `{param}`"));
    }
    let (name, args, line) = calls[0];
    let rest = &calls[1..];
    match name {
        "column" => {
            arity(args, 2, line, name)?;
            let mut c = t.column(string(&args[0])?, ty(&args[1])?);
            for &(m, a, l) in rest {
                c = column_modifier!(c, m, a, l,
                    ("primary_key", 0) => c.primary_key(),
                );
            }
        }
        "primary_key" => {
            arity(args, 1, line, name)?;
            let mut k = t.primary_key(strings(&args[0])?);
            for &(m, a, l) in rest {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(self::name(&a[0])?),
                    ("with", 2) => k.with(string(&a[0])?, string(&a[1])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "foreign_key" => {
            arity(args, 3, line, name)?;
            let mut k = t.foreign_key(strings(&args[0])?, string(&args[1])?, strings(&args[2])?);
            for &(m, a, l) in rest {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(self::name(&a[0])?),
                    ("on_delete", 1) => k.on_delete(fk_action(&a[0])?),
                    ("on_update", 1) => k.on_update(fk_action(&a[0])?),
                    ("deferrable", 1) => k.deferrable(deferrable(&a[0])?),
                    ("ref_schema", 1) => k.ref_schema(string(&a[0])?),
                    ("match_type", 1) => k.match_type(fk_match(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "unique" => {
            arity(args, 1, line, name)?;
            let mut k = t.unique(strings(&args[0])?);
            for &(m, a, l) in rest {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(self::name(&a[0])?),
                    ("deferrable", 1) => k.deferrable(deferrable(&a[0])?),
                    ("nulls_not_distinct", 0) => k.nulls_not_distinct(),
                    ("with", 2) => k.with(string(&a[0])?, string(&a[1])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "index" | "index_on" => {
            arity(args, 2, line, name)?;
            let mut k = if name == "index" {
                t.index(self::name(&args[0])?, strings(&args[1])?)
            } else {
                t.index_on(self::name(&args[0])?, index_elements(&args[1])?)
            };
            for &(m, a, l) in rest {
                k = index_modifier!(k, m, a, l,);
            }
        }
        "check" => {
            arity(args, 1, line, name)?;
            let mut k = t.check(string(&args[0])?);
            for &(m, a, l) in rest {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(self::name(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "exclude" if rest.is_empty() => {
            arity(args, 1, line, name)?;
            t.exclude(exclude(&args[0])?);
        }
        "inherits" if rest.is_empty() => {
            arity(args, 1, line, name)?;
            t.inherits(table_ref(&args[0])?);
        }
        "with" if rest.is_empty() => {
            arity(args, 2, line, name)?;
            t.with(string(&args[0])?, string(&args[1])?);
        }
        "schema" | "comment" if rest.is_empty() => {
            arity(args, 1, line, name)?;
            let s = string(&args[0])?;
            if name == "schema" {
                t.schema(s);
            } else {
                t.comment(s);
            }
        }
        _ => return unknown(line, name),
    }
    Ok(())
}
