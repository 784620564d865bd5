//! The reader's meaning: each known call applied to the real recorder ([`Operations`],
//! [`TableBuilder`]), so a read file records exactly what the compiled one would.

use super::entity::entity;
use super::syntax::{lex, Expr, Kind, Parser};
use super::ReadError;
use crate::ops::{Constraint, ConstraintKind};
use crate::ops::{Op, Operations, TableBuilder};
use crate::{
    Check, Column, FkAction, ForeignKey, Identity, Index, IntoName, PrimaryKey, ServerDefault,
    Table, Type, Unique,
};

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

fn is_path(e: &Expr, want: &[&str]) -> bool {
    matches!(&e.kind, Kind::Path(p) if p.iter().map(String::as_str).eq(want.iter().copied()))
}

pub(super) fn string(e: &Expr) -> R<String> {
    match &e.kind {
        Kind::Str(s) => Ok(s.clone()),
        Kind::Method(inner, m, args)
            if args.is_empty() && matches!(m.as_str(), "into" | "to_string" | "to_owned") =>
        {
            match &inner.kind {
                Kind::Str(s) => Ok(s.clone()),
                _ => err(e.line, "expected a string literal"),
            }
        }
        _ => err(e.line, "expected a string literal"),
    }
}

fn strings(e: &Expr) -> R<Vec<String>> {
    match &e.kind {
        Kind::Array(items) => items.iter().map(string).collect(),
        _ => err(e.line, "expected an array of string literals"),
    }
}

/// A constraint or index name as the writer writes it: `"name"`, `conv("name")` (the
/// naming convention's) or `Unnamed`.
enum Name {
    Plain(String),
    Conv(String),
    Unnamed,
}

impl IntoName for Name {
    fn into_name(self) -> Option<String> {
        match self {
            Name::Plain(s) | Name::Conv(s) => Some(s),
            Name::Unnamed => None,
        }
    }
    fn is_conv(&self) -> bool {
        matches!(self, Name::Conv(_))
    }
}

fn name(e: &Expr) -> R<Name> {
    match &e.kind {
        Kind::Path(p) if p == &["Unnamed"] => Ok(Name::Unnamed),
        Kind::Call(p, args) if p == &["conv"] && args.len() == 1 => {
            Ok(Name::Conv(string(&args[0])?))
        }
        // Only a literal: `"name".into()` would not compile where a name is taken.
        Kind::Str(s) => Ok(Name::Plain(s.clone())),
        _ => err(
            e.line,
            "expected a name: a string literal, `conv(..)` or `Unnamed`",
        ),
    }
}

fn int(e: &Expr) -> R<i64> {
    match e.kind {
        Kind::Int(n) => Ok(n),
        _ => err(e.line, "expected an integer literal"),
    }
}

fn boolean(e: &Expr) -> R<bool> {
    if is_path(e, &["true"]) {
        Ok(true)
    } else if is_path(e, &["false"]) {
        Ok(false)
    } else {
        err(e.line, "expected `true` or `false`")
    }
}

fn small(e: &Expr) -> R<u32> {
    u32::try_from(int(e)?).or_else(|_| err(e.line, "a number out of range"))
}

fn opt_u32(e: &Expr) -> R<Option<u32>> {
    match &e.kind {
        Kind::Path(p) if p == &["None"] => Ok(None),
        Kind::Call(p, args) if p == &["Some"] && args.len() == 1 => Ok(Some(small(&args[0])?)),
        _ => err(e.line, "expected `None` or `Some(n)`"),
    }
}

fn ty(e: &Expr) -> R<Type> {
    let path =
        |p: &[String]| -> Option<String> { (p.len() == 2 && p[0] == "Type").then(|| p[1].clone()) };
    let t = match &e.kind {
        Kind::Path(p) => match path(p).as_deref() {
            Some("SmallInt") => Type::SmallInt,
            Some("Integer") => Type::Integer,
            Some("BigInt") => Type::BigInt,
            Some("Real") => Type::Real,
            Some("Double") => Type::Double,
            Some("Boolean") => Type::Boolean,
            Some("Text") => Type::Text,
            Some("Date") => Type::Date,
            Some("Interval") => Type::Interval,
            Some("Uuid") => Type::Uuid,
            Some("Json") => Type::Json,
            Some("Jsonb") => Type::Jsonb,
            Some("Binary") => Type::Binary,
            _ => return err(e.line, "a type this reader does not know"),
        },
        Kind::Call(p, args) if args.len() == 1 => match path(p).as_deref() {
            Some("Varchar") => Type::Varchar(opt_u32(&args[0])?),
            Some("Char") => Type::Char(opt_u32(&args[0])?),
            _ => return err(e.line, "a type this reader does not know"),
        },
        Kind::Call(p, args) if args.len() == 2 && path(p).as_deref() == Some("numeric") => {
            Type::numeric(small(&args[0])?, small(&args[1])?)
        }
        Kind::Struct(p, fields) if fields.len() == 1 && fields[0].0 == "tz" => {
            let tz = boolean(&fields[0].1)?;
            match path(p).as_deref() {
                Some("Time") => Type::Time { tz },
                Some("Timestamp") => Type::Timestamp { tz },
                _ => return err(e.line, "a type this reader does not know"),
            }
        }
        _ => return err(e.line, "a type this reader does not know"),
    };
    Ok(t)
}

fn identity(e: &Expr) -> R<Identity> {
    match &e.kind {
        Kind::Call(p, args) if args.is_empty() && p.len() == 2 && p[0] == "Identity" => {
            match p[1].as_str() {
                "always" => Ok(Identity::always()),
                "by_default" => Ok(Identity::by_default()),
                _ => err(e.line, "an identity this reader does not know"),
            }
        }
        _ => err(e.line, "an identity this reader does not know"),
    }
}

fn server_default(e: &Expr) -> R<ServerDefault> {
    match &e.kind {
        Kind::Call(p, args) if args.len() == 1 && p.len() == 2 && p[0] == "ServerDefault" => {
            match p[1].as_str() {
                "expr" => Ok(ServerDefault::expr(string(&args[0])?)),
                "text" => Ok(ServerDefault::text(string(&args[0])?)),
                "int" => Ok(ServerDefault::int(int(&args[0])?)),
                "bool" => Ok(ServerDefault::bool(boolean(&args[0])?)),
                _ => err(e.line, "a server default this reader does not know"),
            }
        }
        _ => err(e.line, "a server default this reader does not know"),
    }
}

fn fk_action(e: &Expr) -> R<FkAction> {
    match &e.kind {
        Kind::Path(p) if p.len() == 2 && p[0] == "FkAction" => match p[1].as_str() {
            "NoAction" => Ok(FkAction::NoAction),
            "Restrict" => Ok(FkAction::Restrict),
            "Cascade" => Ok(FkAction::Cascade),
            "SetNull" => Ok(FkAction::SetNull),
            "SetDefault" => Ok(FkAction::SetDefault),
            _ => err(
                e.line,
                "an ON DELETE/UPDATE action this reader does not know",
            ),
        },
        _ => err(
            e.line,
            "an ON DELETE/UPDATE action this reader does not know",
        ),
    }
}

fn revision_of(e: &Expr) -> R<ReadRevision> {
    let (root, calls) = chain(e);
    let id = match &root.kind {
        Kind::Call(p, args) if p == &["Revision", "new"] && args.len() == 1 => string(&args[0])?,
        _ => return err(root.line, "a REVISION not made by `Revision::new(..)`"),
    };
    let mut r = ReadRevision {
        id,
        message: String::new(),
        down_revisions: Vec::new(),
        down_as_list: false,
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        upgrade: Vec::new(),
        downgrade: Vec::new(),
    };
    for (name, args, line) in calls {
        arity(args, 1, line, name)?;
        match name {
            "message" => r.message = string(&args[0])?,
            "down_revision" => {
                r.down_revisions = vec![string(&args[0])?];
                r.down_as_list = false;
            }
            "down_revisions" => {
                r.down_revisions = strings(&args[0])?;
                r.down_as_list = true;
            }
            "branch_labels" => r.branch_labels = strings(&args[0])?,
            "depends_on" => r.depends_on = strings(&args[0])?,
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
        "create_index" => {
            arity(args, 3, line, name)?;
            let mut r =
                op.create_index(self::name(&args[0])?, string(&args[1])?, strings(&args[2])?);
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("unique", 0) => r.unique(),
                    ("concurrently", 0) => r.concurrently(),
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
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("existing", 1) => r.existing(constraint(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
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
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("existing", 1) => r.existing(strings(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
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
            for &(m, a, l) in rest {
                r = match (m, a.len()) {
                    ("schema", 1) => r.schema(string(&a[0])?),
                    ("existing", 1) => r.existing(strings(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
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
        _ => return unknown(line, name),
    }
    Ok(())
}

fn constraint_kind(e: &Expr) -> R<ConstraintKind> {
    match &e.kind {
        Kind::Path(p) if p.len() == 2 && p[0] == "ConstraintKind" => match p[1].as_str() {
            "PrimaryKey" => Ok(ConstraintKind::PrimaryKey),
            "ForeignKey" => Ok(ConstraintKind::ForeignKey),
            "Unique" => Ok(ConstraintKind::Unique),
            "Check" => Ok(ConstraintKind::Check),
            _ => err(e.line, "a constraint kind this reader does not know"),
        },
        _ => err(e.line, "a constraint kind this reader does not know"),
    }
}

/// `Constraint::PrimaryKey(PrimaryKey::new(..))`, `ForeignKey`, `Unique`, `Check`, with
/// their `.name(..)` (and a foreign key's actions).
fn constraint(e: &Expr) -> R<Constraint> {
    let unknown_one = || err(e.line, "a constraint this reader does not know");
    let Kind::Call(variant, args) = &e.kind else {
        return unknown_one();
    };
    if variant.len() != 2 || variant[0] != "Constraint" || args.len() != 1 {
        return unknown_one();
    }
    let (root, calls) = chain(&args[0]);
    let Kind::Call(path, a) = &root.kind else {
        return unknown_one();
    };
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let c = match (variant[1].as_str(), path.as_slice(), a.len()) {
        ("PrimaryKey", ["PrimaryKey", "new"], 1) => {
            let mut k = PrimaryKey::new(strings(&a[0])?);
            for (m, a, l) in calls {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(name(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
            Constraint::PrimaryKey(k)
        }
        ("Unique", ["Unique", "new"], 1) => {
            let mut k = Unique::new(strings(&a[0])?);
            for (m, a, l) in calls {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(name(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
            Constraint::Unique(k)
        }
        ("Check", ["Check", "new"], 1) => {
            let mut k = Check::new(string(&a[0])?);
            for (m, a, l) in calls {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(name(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
            Constraint::Check(k)
        }
        ("ForeignKey", ["ForeignKey", "new"], 3) => {
            let mut k = ForeignKey::new(strings(&a[0])?, string(&a[1])?, strings(&a[2])?);
            for (m, a, l) in calls {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(name(&a[0])?),
                    ("on_delete", 1) => k.on_delete(fk_action(&a[0])?),
                    ("on_update", 1) => k.on_update(fk_action(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
            Constraint::ForeignKey(k)
        }
        _ => return unknown_one(),
    };
    Ok(c)
}

fn column(e: &Expr) -> R<Column> {
    let (root, calls) = chain(e);
    let mut c = match &root.kind {
        Kind::Call(p, args) if p == &["Column", "new"] && args.len() == 2 => {
            Column::new(string(&args[0])?, ty(&args[1])?)
        }
        _ => return err(root.line, "a column this reader does not know"),
    };
    for (m, a, l) in calls {
        c = match (m, a.len()) {
            ("not_null", 0) => c.not_null(),
            ("nullable", 1) => c.nullable(boolean(&a[0])?),
            ("identity", 1) => c.identity(identity(&a[0])?),
            ("server_default", 1) => c.server_default(server_default(&a[0])?),
            ("comment", 1) => c.comment(string(&a[0])?),
            _ => return unknown(l, m),
        };
    }
    Ok(c)
}

fn index(e: &Expr) -> R<Index> {
    let (root, calls) = chain(e);
    let mut index = match &root.kind {
        Kind::Call(p, args) if p == &["Index", "on_columns"] && args.len() == 1 => {
            Index::on_columns(strings(&args[0])?)
        }
        _ => return err(root.line, "an index this reader does not know"),
    };
    for (m, a, l) in calls {
        index = match (m, a.len()) {
            ("name", 1) => index.name(name(&a[0])?),
            ("unique", 0) => index.unique(),
            _ => return unknown(l, m),
        };
    }
    Ok(index)
}

fn table(e: &Expr) -> R<Table> {
    match &e.kind {
        Kind::Call(p, args) if p == &["Table", "build"] && args.len() == 2 => {
            let mut failed = Ok(());
            let table = Table::build(string(&args[0])?, |t| failed = closure(t, &args[1]));
            failed.map(|()| table)
        }
        _ => err(e.line, "a table this reader does not know"),
    }
}

/// The body of `|t| { .. }` run on a table builder.
fn closure(t: &mut TableBuilder, e: &Expr) -> R<()> {
    let Kind::Closure(param, body) = &e.kind else {
        return err(e.line, "expected `|t| { .. }`");
    };
    for stmt in body {
        table_statement(t, param, stmt)?;
    }
    Ok(())
}

fn table_statement(t: &mut TableBuilder, param: &str, stmt: &Expr) -> R<()> {
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
                c = match (m, a.len()) {
                    ("not_null", 0) => c.not_null(),
                    ("nullable", 1) => c.nullable(boolean(&a[0])?),
                    ("identity", 1) => c.identity(identity(&a[0])?),
                    ("server_default", 1) => c.server_default(server_default(&a[0])?),
                    ("comment", 1) => c.comment(string(&a[0])?),
                    ("primary_key", 0) => c.primary_key(),
                    _ => return unknown(l, m),
                };
            }
        }
        "primary_key" => {
            arity(args, 1, line, name)?;
            let mut k = t.primary_key(strings(&args[0])?);
            for &(m, a, l) in rest {
                k = match (m, a.len()) {
                    ("name", 1) => k.name(self::name(&a[0])?),
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
                    ("ref_schema", 1) => k.ref_schema(string(&a[0])?),
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
                    _ => return unknown(l, m),
                };
            }
        }
        "index" => {
            arity(args, 2, line, name)?;
            let mut k = t.index(self::name(&args[0])?, strings(&args[1])?);
            for &(m, a, l) in rest {
                k = match (m, a.len()) {
                    ("unique", 0) => k.unique(),
                    _ => return unknown(l, m),
                };
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
