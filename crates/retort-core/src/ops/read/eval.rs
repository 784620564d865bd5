//! The reader's meaning: each known call applied to the real recorder ([`Operations`],
//! [`TableBuilder`]), so a read file records exactly what the compiled one would.

use super::entity::entity;
use super::syntax::{lex, Expr, Kind, Parser};
use super::table::{closure, table};
use super::values::{
    boolean, column, computed, constraint, constraint_kind, deferrable, exclude_elements,
    fk_action, fk_match, identity, index, index_elements, index_modifier, is_path, lit, name, rows,
    sequence, server_default, small, static_strs, string, strings, table_ref, ty, Name,
};
use super::ReadError;
use crate::ops::{Op, Operations, SwapStep};

/// A revision file read from its text: its `REVISION` and the ops of each direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRevision {
    /// `Revision::new(..)`.
    pub id: String,
    /// `.message(..)`, empty when not given.
    pub message: String,
    /// `.down_revision(..)` / `.down_revisions(..)`.
    pub down_revisions: Vec<String>,
    /// Whether they were given as a list (`.down_revisions(&[..])`, a merge), which
    /// [`Revision`](crate::graph::Revision) keeps apart from one `.down_revision(..)`.
    pub down_as_list: bool,
    /// `.branch_labels(..)`.
    pub branch_labels: Vec<String>,
    /// `.depends_on(..)`.
    pub depends_on: Vec<String>,
    /// `.replaces(..)`: the revisions a squash stands for.
    pub replaces: Vec<String>,
    /// What `upgrade` records.
    pub upgrade: Vec<Op>,
    /// What `downgrade` records.
    pub downgrade: Vec<Op>,
}

pub(super) type R<T> = Result<T, ReadError>;

pub(super) fn err<T>(line: u32, what: impl Into<String>) -> R<T> {
    Err(ReadError::new(line, what))
}

pub(super) fn file(text: &str) -> R<ReadRevision> {
    let mut p = Parser::new(lex(text)?);
    for word in ["use", "retort"] {
        p.expect_ident(word)?;
    }
    p.expect("::")?;
    p.expect_ident("migration")?;
    p.expect("::")?;
    p.expect("*")?;
    p.expect(";")?;
    let (mut revision, mut upgrade, mut downgrade) = (None, None, None);
    while !p.at_end() {
        let line = p.line();
        p.expect_ident("pub")?;
        if p.eat_ident("const") {
            p.expect_ident("REVISION")?;
            p.expect(":")?;
            p.expect_ident("Revision")?;
            p.expect("=")?;
            let e = p.expr()?;
            p.expect(";")?;
            if revision.replace(e).is_some() {
                return err(line, "a second REVISION");
            }
        } else if p.eat_ident("fn") {
            let up = if p.eat_ident("upgrade") {
                true
            } else if p.eat_ident("downgrade") {
                false
            } else {
                return err(p.line(), "a function other than upgrade and downgrade");
            };
            p.expect("(")?;
            let param = match p.expr()? {
                Expr {
                    kind: Kind::Path(path),
                    ..
                } if path.len() == 1 => path[0].clone(),
                e => return err(e.line, "expected the parameter's name"),
            };
            p.expect(":")?;
            p.expect("&")?;
            p.expect_ident("mut")?;
            p.expect_ident("Operations")?;
            p.expect(")")?;
            p.expect("{")?;
            let body = p.block()?;
            let slot = if up { &mut upgrade } else { &mut downgrade };
            if slot.replace((param, body)).is_some() {
                return err(line, "a second definition of the same function");
            }
        } else {
            return err(
                p.line(),
                "an item other than REVISION, upgrade and downgrade",
            );
        }
    }
    let end = p.line();
    let revision = revision.ok_or_else(|| ReadError::new(end, "no REVISION"))?;
    let upgrade = upgrade.ok_or_else(|| ReadError::new(end, "no upgrade"))?;
    let downgrade = downgrade.ok_or_else(|| ReadError::new(end, "no downgrade"))?;
    let mut read = revision_of(&revision)?;
    read.upgrade = ops_of(&upgrade.0, &upgrade.1)?;
    read.downgrade = ops_of(&downgrade.0, &downgrade.1)?;
    Ok(read)
}

/// One `.name(args)` of a chain, with its line.
type Call<'a> = (&'a str, &'a [Expr], u32);

/// A method chain: its root and each `.name(args)` in order.
pub(super) fn chain(e: &Expr) -> (&Expr, Vec<Call<'_>>) {
    let mut calls = Vec::new();
    let mut e = e;
    while let Kind::Method(receiver, name, args) = &e.kind {
        calls.push((name.as_str(), args.as_slice(), e.line));
        e = receiver;
    }
    calls.reverse();
    (e, calls)
}

pub(super) fn arity(args: &[Expr], n: usize, line: u32, name: &str) -> R<()> {
    if args.len() == n {
        Ok(())
    } else {
        err(line, format!("`{name}` with {} arguments", args.len()))
    }
}

pub(super) fn unknown<T>(line: u32, name: &str) -> R<T> {
    err(
        line,
        format!("`.{name}(..)`, which this reader does not know"),
    )
}

fn revision_of(e: &Expr) -> R<ReadRevision> {
    let (root, calls) = chain(e);
    let id = match &root.kind {
        // `Revision`'s builder is `const`: it takes `&'static str`s, so literals only.
        Kind::Call(p, args) if p == &["Revision", "new"] && args.len() == 1 => lit(&args[0])?,
        _ => return err(root.line, "a REVISION not made by `Revision::new(..)`"),
    };
    let mut r = ReadRevision {
        id,
        message: String::new(),
        down_revisions: Vec::new(),
        down_as_list: false,
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        replaces: Vec::new(),
        upgrade: Vec::new(),
        downgrade: Vec::new(),
    };
    for (name, args, line) in calls {
        arity(args, 1, line, name)?;
        match name {
            "message" => r.message = lit(&args[0])?,
            "down_revision" => {
                r.down_revisions = vec![lit(&args[0])?];
                r.down_as_list = false;
            }
            "down_revisions" => {
                r.down_revisions = static_strs(&args[0])?;
                r.down_as_list = true;
            }
            "branch_labels" => r.branch_labels = static_strs(&args[0])?,
            "depends_on" => r.depends_on = static_strs(&args[0])?,
            "replaces" => r.replaces = static_strs(&args[0])?,
            _ => return unknown(line, name),
        }
    }
    Ok(r)
}

fn ops_of(param: &str, body: &[Expr]) -> R<Vec<Op>> {
    let mut op = Operations::new();
    for stmt in body {
        op_statement(&mut op, param, stmt)?;
    }
    Ok(op.into_ops())
}

fn op_statement(op: &mut Operations, param: &str, stmt: &Expr) -> R<()> {
    if let Kind::Discard(e) = &stmt.kind {
        return if is_path(e, &[param]) {
            Ok(())
        } else {
            err(
                stmt.line,
                format!("a `let` of something other than `{param}`"),
            )
        };
    }
    let (root, calls) = chain(stmt);
    if !is_path(root, &[param]) || calls.is_empty() {
        return err(stmt.line, format!("a statement not on `{param}`"));
    }
    let (name, args, line) = calls[0];
    let rest = &calls[1..];
    match name {
        "create_table" => {
            arity(args, 2, line, name)?;
            let table = string(&args[0])?;
            let mut failed = Ok(());
            let mut r = op.create_table(table, |t| failed = closure(t, &args[1]));
            failed?;
            for &(m, a, l) in rest {
                arity(a, 1, l, m)?;
                r = match m {
                    "schema" => r.schema(string(&a[0])?),
                    "comment" => r.comment(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "drop_table" => {
            arity(args, 1, line, name)?;
            let mut r = op.drop_table(string(&args[0])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("existing", 1) => r.existing(table(&a[0])?),
                    ("data_loss_ok", 0) => r.data_loss_ok(),
                    ("schema", 1) => r.schema(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "create_index" | "create_index_on" => {
            arity(args, 3, line, name)?;
            let (n, table) = (self::name(&args[0])?, string(&args[1])?);
            let mut r = if name == "create_index" {
                op.create_index(n, table, strings(&args[2])?)
            } else {
                op.create_index_on(n, table, index_elements(&args[2])?)
            };
            for &(m, a, l) in rest {
                r = index_modifier!(r, m, a, l,
                    ("concurrently", 0) => r.concurrently(),
                    ("schema", 1) => r.schema(string(&a[0])?),
                );
            }
        }
        "rename_table" => {
            arity(args, 2, line, name)?;
            let mut r = op.rename_table(string(&args[0])?, string(&args[1])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "drop_index" => {
            arity(args, 2, line, name)?;
            let mut r = op.drop_index(string(&args[0])?, string(&args[1])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("existing", 1) => r.existing(index(&a[0])?),
                    ("concurrently", 0) => r.concurrently(),
                    ("schema", 1) => r.schema(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "add_column" => {
            arity(args, 2, line, name)?;
            let mut r = op.add_column(string(&args[0])?, column(&args[1])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "drop_column" => {
            arity(args, 2, line, name)?;
            let mut r = op.drop_column(string(&args[0])?, string(&args[1])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("existing", 1) => r.existing(column(&a[0])?),
                    ("data_loss_ok", 0) => r.data_loss_ok(),
                    ("schema", 1) => r.schema(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "alter_column" => {
            arity(args, 2, line, name)?;
            let mut r = op.alter_column(string(&args[0])?, string(&args[1])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("nullable", 1) => r.nullable(boolean(&a[0])?),
                    ("existing_nullable", 1) => r.existing_nullable(boolean(&a[0])?),
                    ("type_", 1) => r.type_(ty(&a[0])?),
                    ("existing_type", 1) => r.existing_type(ty(&a[0])?),
                    ("using", 1) => r.using(string(&a[0])?),
                    ("server_default", 1) => r.server_default(server_default(&a[0])?),
                    ("drop_server_default", 0) => r.drop_server_default(),
                    ("existing_server_default", 1) => {
                        r.existing_server_default(server_default(&a[0])?)
                    }
                    ("existing_no_server_default", 0) => r.existing_no_server_default(),
                    ("comment", 1) => r.comment(string(&a[0])?),
                    ("drop_comment", 0) => r.drop_comment(),
                    ("existing_comment", 1) => r.existing_comment(string(&a[0])?),
                    ("existing_no_comment", 0) => r.existing_no_comment(),
                    ("new_column_name", 1) => r.new_column_name(string(&a[0])?),
                    ("identity", 1) => r.identity(identity(&a[0])?),
                    ("drop_identity", 0) => r.drop_identity(),
                    ("existing_identity", 1) => r.existing_identity(identity(&a[0])?),
                    ("existing_no_identity", 0) => r.existing_no_identity(),
                    ("computed", 1) => r.computed(computed(&a[0])?),
                    ("drop_computed", 0) => r.drop_computed(),
                    ("existing_computed", 1) => r.existing_computed(computed(&a[0])?),
                    ("existing_no_computed", 0) => r.existing_no_computed(),
                    ("collation", 1) => r.collation(string(&a[0])?),
                    ("default_collation", 0) => r.default_collation(),
                    ("existing_collation", 1) => r.existing_collation(string(&a[0])?),
                    ("existing_default_collation", 0) => r.existing_default_collation(),
                    _ => return unknown(l, m),
                };
            }
        }
        "execute" => {
            arity(args, 1, line, name)?;
            let mut r = op.execute(string(&args[0])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("reverse_sql", 1) => r.reverse_sql(string(&a[0])?),
                    ("outside_transaction", 0) => r.outside_transaction(),
                    _ => return unknown(l, m),
                };
            }
        }
        _ => return more_statement(op, name, args, line, rest),
    }
    Ok(())
}

/// `.schema(..)`, the one modifier of the recorder's plain handles, or none.
macro_rules! schema_only {
    ($r:ident, $rest:expr) => {
        for &(m, a, l) in $rest {
            $r = match (m, a.len()) {
                ("schema", 1) => $r.schema(string(&a[0])?),
                _ => return unknown(l, m),
            };
        }
    };
}

/// [`schema_only!`] and `.existing(..)`, the old value read by `$existing`: the drops and
/// alters that record what they replace.
macro_rules! schema_and_existing {
    ($r:ident, $rest:expr, $existing:ident) => {
        for &(m, a, l) in $rest {
            $r = match (m, a.len()) {
                ("schema", 1) => $r.schema(string(&a[0])?),
                ("existing", 1) => $r.existing($existing(&a[0])?),
                _ => return unknown(l, m),
            };
        }
    };
}

/// Sequences, swaps, data, copies and exclusion constraints.
fn rarer_statement(
    op: &mut Operations,
    name: &str,
    args: &[Expr],
    line: u32,
    rest: &[Call<'_>],
) -> R<()> {
    match name {
        "create_sequence" => {
            arity(args, 1, line, name)?;
            let mut r = op.create_sequence(sequence(&args[0])?);
            schema_only!(r, rest);
        }
        "drop_sequence" => {
            arity(args, 1, line, name)?;
            let mut r = op.drop_sequence(string(&args[0])?);
            schema_and_existing!(r, rest, sequence);
        }
        "alter_sequence" => {
            arity(args, 1, line, name)?;
            let mut r = op.alter_sequence(sequence(&args[0])?);
            schema_and_existing!(r, rest, sequence);
        }
        "bulk_insert" => {
            arity(args, 3, line, name)?;
            let mut r = op.bulk_insert(string(&args[0])?, strings(&args[1])?, rows(&args[2])?);
            schema_only!(r, rest);
        }
        "copy_from" => {
            arity(args, 1, line, name)?;
            let mut r = op.copy_from(table(&args[0])?);
            schema_only!(r, rest);
        }
        "create_exclude_constraint" => {
            arity(args, 3, line, name)?;
            let mut r = op.create_exclude_constraint(
                string(&args[0])?,
                string(&args[1])?,
                exclude_elements(&args[2])?,
            );
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("using", 1) => r.using(string(&a[0])?),
                    ("include", 1) => r.include(strings(&a[0])?),
                    ("predicate", 1) => r.predicate(string(&a[0])?),
                    ("deferrable", 1) => r.deferrable(deferrable(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "swap_column_type" => {
            arity(args, 4, line, name)?;
            let step = match &args[3].kind {
                Kind::Path(p) if p.len() == 2 && p[0] == "SwapStep" => match p[1].as_str() {
                    "Start" => SwapStep::Start,
                    "Backfill" => SwapStep::Backfill,
                    "Finish" => SwapStep::Finish,
                    _ => return err(args[3].line, "a swap step this reader does not know"),
                },
                _ => return err(args[3].line, "a swap step this reader does not know"),
            };
            let mut r =
                op.swap_column_type(string(&args[0])?, string(&args[1])?, ty(&args[2])?, step);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("existing_type", 1) => r.existing_type(ty(&a[0])?),
                    ("using", 1) => r.using(string(&a[0])?),
                    ("reverse_using", 1) => r.reverse_using(string(&a[0])?),
                    ("batch_size", 1) => r.batch_size(small(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        _ => return unknown(line, name),
    }
    Ok(())
}

/// The statements past tables, columns and indexes: check constraints, comments, enums,
/// schemas and entities.
fn more_statement(
    op: &mut Operations,
    name: &str,
    args: &[Expr],
    line: u32,
    rest: &[Call<'_>],
) -> R<()> {
    match name {
        "create_primary_key" => {
            arity(args, 3, line, name)?;
            let mut r =
                op.create_primary_key(self::name(&args[0])?, string(&args[1])?, strings(&args[2])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("with", 2) => r.with(string(&a[0])?, string(&a[1])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "create_unique_constraint" => {
            arity(args, 3, line, name)?;
            let mut r = op.create_unique_constraint(
                self::name(&args[0])?,
                string(&args[1])?,
                strings(&args[2])?,
            );
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("deferrable", 1) => r.deferrable(deferrable(&a[0])?),
                    ("nulls_not_distinct", 0) => r.nulls_not_distinct(),
                    ("with", 2) => r.with(string(&a[0])?, string(&a[1])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "create_foreign_key" => {
            arity(args, 5, line, name)?;
            let mut r = op.create_foreign_key(
                self::name(&args[0])?,
                string(&args[1])?,
                string(&args[2])?,
                strings(&args[3])?,
                strings(&args[4])?,
            );
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("on_delete", 1) => r.on_delete(fk_action(&a[0])?),
                    ("on_update", 1) => r.on_update(fk_action(&a[0])?),
                    ("referent_schema", 1) => r.referent_schema(string(&a[0])?),
                    ("deferrable", 1) => r.deferrable(deferrable(&a[0])?),
                    ("match_type", 1) => r.match_type(fk_match(&a[0])?),
                    ("not_valid", 0) => r.not_valid(),
                    _ => return unknown(l, m),
                };
            }
        }
        "drop_constraint" | "validate_constraint" => {
            arity(args, 3, line, name)?;
            let (table, kind) = (string(&args[1])?, constraint_kind(&args[2])?);
            if name == "validate_constraint" {
                let mut r = op.validate_constraint(string(&args[0])?, table, kind);
                for &(m, a, l) in rest {
                    r = match (m, a.len()) {
                        ("schema", 1) => r.schema(string(&a[0])?),
                        _ => return unknown(l, m),
                    };
                }
                return Ok(());
            }
            let drop_name = match self::name(&args[0])? {
                Name::Plain(s) => Some(s),
                Name::Unnamed => None,
                Name::Conv(_) => return err(args[0].line, "a `conv(..)` name to drop"),
            };
            let mut r = op.drop_constraint(drop_name, table, kind);
            schema_and_existing!(r, rest, constraint);
        }
        "create_check_constraint" => {
            arity(args, 3, line, name)?;
            let mut r = op.create_check_constraint(
                self::name(&args[0])?,
                string(&args[1])?,
                string(&args[2])?,
            );
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("not_valid", 0) => r.not_valid(),
                    _ => return unknown(l, m),
                };
            }
        }
        "create_table_comment" | "drop_table_comment" => {
            let mut r = if name == "create_table_comment" {
                arity(args, 2, line, name)?;
                op.create_table_comment(string(&args[0])?, string(&args[1])?)
            } else {
                arity(args, 1, line, name)?;
                op.drop_table_comment(string(&args[0])?)
            };
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("existing_comment", 1) => r.existing_comment(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "inherit" | "no_inherit" => {
            arity(args, 2, line, name)?;
            let (table, parent) = (string(&args[0])?, table_ref(&args[1])?);
            let mut r = if name == "inherit" {
                op.inherit(table, parent)
            } else {
                op.no_inherit(table, parent)
            };
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "set_table_storage" | "set_index_storage" => {
            let mut r = if name == "set_table_storage" {
                arity(args, 2, line, name)?;
                op.set_table_storage(string(&args[0])?, strings(&args[1])?)
            } else {
                arity(args, 3, line, name)?;
                op.set_index_storage(string(&args[0])?, string(&args[1])?, strings(&args[2])?)
            };
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("existing", 1) => r.existing(strings(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "create_schema" | "drop_schema" => {
            arity(args, 1, line, name)?;
            if let Some(&(m, _, l)) = rest.first() {
                return unknown(l, m);
            }
            let s = string(&args[0])?;
            if name == "create_schema" {
                op.create_schema(s);
            } else {
                op.drop_schema(s);
            }
        }
        "create_enum" => {
            arity(args, 2, line, name)?;
            let mut r = op.create_enum(string(&args[0])?, strings(&args[1])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "drop_enum" => {
            arity(args, 1, line, name)?;
            let mut r = op.drop_enum(string(&args[0])?);
            schema_and_existing!(r, rest, strings);
        }
        "add_enum_value" => {
            arity(args, 2, line, name)?;
            let mut r = op.add_enum_value(string(&args[0])?, string(&args[1])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("before", 1) => r.before(string(&a[0])?),
                    ("after", 1) => r.after(string(&a[0])?),
                    ("existing", 1) => r.existing(strings(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        "recreate_enum" => {
            arity(args, 2, line, name)?;
            let mut r = op.recreate_enum(string(&args[0])?, strings(&args[1])?);
            schema_and_existing!(r, rest, strings);
        }
        "create_entity" | "drop_entity" => {
            arity(args, 1, line, name)?;
            if let Some(&(m, _, l)) = rest.first() {
                return unknown(l, m);
            }
            let e = entity(&args[0])?;
            if name == "create_entity" {
                op.create_entity(e);
            } else {
                op.drop_entity(e);
            }
        }
        "replace_entity" => {
            arity(args, 1, line, name)?;
            let mut r = op.replace_entity(entity(&args[0])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("existing", 1) => r.existing(entity(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
        }
        _ => return rarer_statement(op, name, args, line, rest),
    }
    Ok(())
}
