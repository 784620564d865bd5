//! The values a written revision passes to the recorder, as the writer writes them
//! (`retort_migrate::writer::values`): literals, names, types, defaults, identities,
//! sequences, columns, indexes and constraints, each built with the real constructor.
//!
//! Where Rust would refuse a spelling, so does this: a `&str` parameter takes a literal
//! only, an `impl Into<String>` one a literal or `"..".to_string()`/`.to_owned()` (not
//! `.into()`, whose target it cannot infer), a `String` field `"..".into()` and the like
//! (not a bare literal), an `IntoIterator` of names `["a", ..]` (not empty) or
//! `vec!["a", ..]`, a `Vec<..>` parameter `vec![..]` only.

use super::eval::{arity, chain, err, unknown, R};
use super::syntax::{Expr, Form, Kind};
use crate::ops::{Constraint, ConstraintKind};
use crate::{
    Check, Column, Computed, Deferrable, DialectKind, EnumRef, Exclude, ExcludeElement, FkAction,
    FkMatch, ForeignKey, Identity, Index, IndexElement, IntoName, Literal, PrimaryKey, Sequence,
    Serial, ServerDefault, TableRef, Type, Unique,
};

pub(super) fn is_path(e: &Expr, want: &[&str]) -> bool {
    matches!(&e.kind, Kind::Path(p) if p.iter().map(String::as_str).eq(want.iter().copied()))
}

/// A `&str` (or `&'static str`) argument: a literal only.
pub(super) fn lit(e: &Expr) -> R<String> {
    match &e.kind {
        Kind::Str(s) => Ok(s.clone()),
        _ => err(e.line, "expected a string literal"),
    }
}

/// `"..".to_string()` or `"..".to_owned()`: a `String` whatever the parameter.
fn string_call(e: &Expr, also_into: bool) -> Option<String> {
    match &e.kind {
        Kind::Method(inner, m, args)
            if args.is_empty()
                && (matches!(m.as_str(), "to_string" | "to_owned") || also_into && m == "into") =>
        {
            match &inner.kind {
                Kind::Str(s) => Some(s.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// An `impl Into<String>` argument: a literal, or `"..".to_string()` / `.to_owned()`.
pub(super) fn string(e: &Expr) -> R<String> {
    match &e.kind {
        Kind::Str(s) => Ok(s.clone()),
        _ => string_call(e, false).map_or_else(|| err(e.line, "expected a string literal"), Ok),
    }
}

/// A `String` field or variant: `"..".into()`, `.to_string()` or `.to_owned()`.
fn owned(e: &Expr) -> R<String> {
    string_call(e, true).map_or_else(|| err(e.line, "expected `\"..\".into()`"), Ok)
}

/// An `IntoIterator` of names: `["a", ..]`, `vec!["a", ..]` or `Vec::<String>::new()`.
pub(super) fn strings(e: &Expr) -> R<Vec<String>> {
    match &e.kind {
        Kind::Array(Form::Array, items) if !items.is_empty() => items.iter().map(lit).collect(),
        Kind::Array(Form::Vec, items) if !items.is_empty() => items.iter().map(lit).collect(),
        Kind::Array(Form::EmptyStrings, _) => Ok(Vec::new()),
        _ => err(e.line, "expected an array of string literals"),
    }
}

/// A `&'static [&'static str]`: `&["a", ..]`.
pub(super) fn static_strs(e: &Expr) -> R<Vec<String>> {
    match &e.kind {
        Kind::Array(Form::Slice, items) => items.iter().map(lit).collect(),
        _ => err(e.line, "expected `&[..]` of string literals"),
    }
}

/// A `Vec<T>` argument: `vec![..]`, each item read by `f`.
fn vec_of<T>(e: &Expr, f: impl Fn(&Expr) -> R<T>) -> R<Vec<T>> {
    match &e.kind {
        Kind::Array(Form::Vec, items) => items.iter().map(f).collect(),
        _ => err(e.line, "expected `vec![..]`"),
    }
}

/// A constraint or index name as the writer writes it: `"name"`, `conv("name")` (the
/// naming convention's) or `Unnamed`.
pub(super) enum Name {
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

pub(super) fn name(e: &Expr) -> R<Name> {
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

pub(super) fn int(e: &Expr) -> R<i64> {
    match e.kind {
        Kind::Int(n) => Ok(n),
        _ => err(e.line, "expected an integer literal"),
    }
}

pub(super) fn boolean(e: &Expr) -> R<bool> {
    if is_path(e, &["true"]) {
        Ok(true)
    } else if is_path(e, &["false"]) {
        Ok(false)
    } else {
        err(e.line, "expected `true` or `false`")
    }
}

pub(super) fn small(e: &Expr) -> R<u32> {
    u32::try_from(int(e)?).or_else(|_| err(e.line, "a number out of range"))
}

/// A parent table (`impl Into<TableRef>`): `"schema.name"` (split at the last `.`, as the
/// recorder does), or `TableRef::new(None | Some("schema"), "name")`.
pub(super) fn table_ref(e: &Expr) -> R<TableRef> {
    match &e.kind {
        Kind::Str(s) => Ok(TableRef::parse(s)),
        Kind::Call(p, args) if p == &["TableRef", "new"] && args.len() == 2 => Ok(TableRef::new(
            opt(&args[0], lit)?.as_deref(),
            string(&args[1])?,
        )),
        _ => err(
            e.line,
            "expected a parent table: `\"schema.name\"` or `TableRef::new(..)`",
        ),
    }
}

/// `None` or `Some(x)`, `x` read by `f`.
fn opt<T>(e: &Expr, f: impl Fn(&Expr) -> R<T>) -> R<Option<T>> {
    match &e.kind {
        Kind::Path(p) if p == &["None"] => Ok(None),
        Kind::Call(p, args) if p == &["Some"] && args.len() == 1 => Ok(Some(f(&args[0])?)),
        _ => err(e.line, "expected `None` or `Some(..)`"),
    }
}

/// The fields of a struct literal, each named once, in any order (as Rust takes them).
fn fields<'a, const N: usize>(
    e: &Expr,
    given: &'a [(String, Expr)],
    names: [&str; N],
) -> R<[&'a Expr; N]> {
    if given.len() != N {
        return err(e.line, "a struct literal with other fields");
    }
    let mut out = [&given[0].1; N];
    for (i, n) in names.iter().enumerate() {
        let mut found = given.iter().filter(|(f, _)| f == n);
        match (found.next(), found.next()) {
            (Some((_, v)), None) => out[i] = v,
            _ => return err(e.line, format!("a struct literal without one `{n}`")),
        }
    }
    Ok(out)
}

pub(super) fn dialect(e: &Expr) -> R<DialectKind> {
    match &e.kind {
        Kind::Path(p) if p.len() == 2 && p[0] == "DialectKind" => match p[1].as_str() {
            "Postgres" => Ok(DialectKind::Postgres),
            "Sqlite" => Ok(DialectKind::Sqlite),
            "Mysql" => Ok(DialectKind::Mysql),
            _ => err(e.line, "a dialect this reader does not know"),
        },
        _ => err(e.line, "a dialect this reader does not know"),
    }
}

pub(super) fn ty(e: &Expr) -> R<Type> {
    let unknown_type = || err(e.line, "a type this reader does not know");
    let path =
        |p: &[String]| -> Option<String> { (p.len() == 2 && p[0] == "Type").then(|| p[1].clone()) };
    let t = match &e.kind {
        // `base.with_variant(DialectKind::.., ty)`, one call a dialect.
        Kind::Method(base, m, args) if m == "with_variant" => {
            arity(args, 2, e.line, m)?;
            ty(base)?.with_variant(dialect(&args[0])?, ty(&args[1])?)
        }
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
            _ => return unknown_type(),
        },
        Kind::Call(p, args) if args.len() == 1 => match path(p).as_deref() {
            Some("Varchar") => Type::Varchar(opt(&args[0], small)?),
            Some("Char") => Type::Char(opt(&args[0], small)?),
            Some("enumeration") => Type::enumeration(string(&args[0])?),
            Some("array") => Type::array(ty(&args[0])?),
            Some("custom") => Type::custom(string(&args[0])?),
            Some("Enum") => Type::Enum(enum_ref(&args[0])?),
            _ => return unknown_type(),
        },
        Kind::Call(p, args) if args.len() == 2 && path(p).as_deref() == Some("numeric") => {
            Type::numeric(small(&args[0])?, small(&args[1])?)
        }
        Kind::Struct(p, f) => match path(p).as_deref() {
            Some("Time") => Type::Time {
                tz: boolean(fields(e, f, ["tz"])?[0])?,
            },
            Some("Timestamp") => Type::Timestamp {
                tz: boolean(fields(e, f, ["tz"])?[0])?,
            },
            Some("Numeric") => {
                let [precision, scale] = fields(e, f, ["precision", "scale"])?;
                Type::Numeric {
                    precision: opt(precision, small)?,
                    scale: opt(scale, small)?,
                }
            }
            _ => return unknown_type(),
        },
        _ => return unknown_type(),
    };
    Ok(t)
}

/// `EnumRef { schema: None | Some("..".into()), name: "..".into() }`.
fn enum_ref(e: &Expr) -> R<EnumRef> {
    match &e.kind {
        Kind::Struct(p, f) if p == &["EnumRef"] => {
            let [schema, name] = fields(e, f, ["schema", "name"])?;
            Ok(EnumRef {
                schema: opt(schema, owned)?,
                name: owned(name)?,
            })
        }
        _ => err(e.line, "an enum type reference this reader does not know"),
    }
}

fn literal(e: &Expr) -> R<Literal> {
    let l = match &e.kind {
        Kind::Path(p) if p == &["Literal", "Null"] => Literal::Null,
        Kind::Call(p, a) if a.len() == 1 && p.len() == 2 && p[0] == "Literal" => {
            match p[1].as_str() {
                "Bool" => Literal::Bool(boolean(&a[0])?),
                "Int" => Literal::Int(int(&a[0])?),
                "Number" => Literal::Number(owned(&a[0])?),
                "Text" => Literal::Text(owned(&a[0])?),
                _ => return err(e.line, "a literal this reader does not know"),
            }
        }
        _ => return err(e.line, "a literal this reader does not know"),
    };
    Ok(l)
}

/// `vec![vec![Literal::..], ..]`: `bulk_insert`'s rows.
pub(super) fn rows(e: &Expr) -> R<Vec<Vec<Literal>>> {
    vec_of(e, |row| vec_of(row, literal))
}

pub(super) fn server_default(e: &Expr) -> R<ServerDefault> {
    let unknown_default = || err(e.line, "a server default this reader does not know");
    match &e.kind {
        // `base.with_variant(DialectKind::.., Some(..) | None)`.
        Kind::Method(base, m, args) if m == "with_variant" => {
            arity(args, 2, e.line, m)?;
            Ok(server_default(base)?
                .with_variant(dialect(&args[0])?, opt(&args[1], server_default)?))
        }
        Kind::Call(p, args) if p.len() == 2 && p[0] == "ServerDefault" => {
            match (p[1].as_str(), args.len()) {
                ("expr", 1) => Ok(ServerDefault::expr(string(&args[0])?)),
                ("text", 1) => Ok(ServerDefault::text(string(&args[0])?)),
                ("int", 1) => Ok(ServerDefault::int(int(&args[0])?)),
                ("bool", 1) => Ok(ServerDefault::bool(boolean(&args[0])?)),
                ("Literal", 1) => Ok(ServerDefault::Literal(literal(&args[0])?)),
                ("only_on", 2) => Ok(ServerDefault::only_on(
                    dialect(&args[0])?,
                    server_default(&args[1])?,
                )),
                _ => unknown_default(),
            }
        }
        _ => unknown_default(),
    }
}

/// `.start(n)`, `.increment(n)`, `.minvalue(n)`, `.maxvalue(n)`, `.cycle()`, `.cache(n)`:
/// the options `Identity`, `Sequence` and `Serial` each have.
macro_rules! sequence_option {
    ($x:ident, $m:expr, $a:expr, $l:expr, $($more:tt)*) => {
        match ($m, $a.len()) {
            ("start", 1) => $x.start(int(&$a[0])?),
            ("increment", 1) => $x.increment(int(&$a[0])?),
            ("minvalue", 1) => $x.minvalue(int(&$a[0])?),
            ("maxvalue", 1) => $x.maxvalue(int(&$a[0])?),
            ("cycle", 0) => $x.cycle(),
            ("cache", 1) => $x.cache(int(&$a[0])?),
            $($more)*
            _ => return unknown($l, $m),
        }
    };
}

pub(super) fn identity(e: &Expr) -> R<Identity> {
    let (root, calls) = chain(e);
    let mut i = if is_call(root, &["Identity", "always"], 0) {
        Identity::always()
    } else if is_call(root, &["Identity", "by_default"], 0) {
        Identity::by_default()
    } else {
        return err(e.line, "an identity this reader does not know");
    };
    for (m, a, l) in calls {
        i = sequence_option!(i, m, a, l,);
    }
    Ok(i)
}

fn is_call(e: &Expr, want: &[&str], n: usize) -> bool {
    matches!(&e.kind, Kind::Call(p, a)
        if a.len() == n && p.iter().map(String::as_str).eq(want.iter().copied()))
}

/// `Serial::new()..`: a `serial` column's sequence.
pub(super) fn serial(e: &Expr) -> R<Serial> {
    let (root, calls) = chain(e);
    if !is_call(root, &["Serial", "new"], 0) {
        return err(e.line, "a serial this reader does not know");
    }
    let mut s = Serial::new();
    for (m, a, l) in calls {
        s = sequence_option!(s, m, a, l,
            ("name", 1) => s.name(string(&a[0])?),
            ("last_value", 1) => s.last_value(int(&a[0])?),
        );
    }
    Ok(s)
}

/// `Sequence::new("name")..`.
pub(super) fn sequence(e: &Expr) -> R<Sequence> {
    let (root, calls) = chain(e);
    let mut s = match &root.kind {
        Kind::Call(p, a) if p == &["Sequence", "new"] && a.len() == 1 => {
            Sequence::new(string(&a[0])?)
        }
        _ => return err(e.line, "a sequence this reader does not know"),
    };
    for (m, a, l) in calls {
        s = sequence_option!(s, m, a, l,
            ("schema", 1) => s.schema(string(&a[0])?),
            ("data_type", 1) => s.data_type(ty(&a[0])?),
            ("owned_by", 2) => s.owned_by(string(&a[0])?, string(&a[1])?),
            ("last_value", 1) => s.last_value(int(&a[0])?),
        );
    }
    Ok(s)
}

pub(super) fn computed(e: &Expr) -> R<Computed> {
    match &e.kind {
        Kind::Call(p, a) if a.len() == 1 && p.len() == 2 && p[0] == "Computed" => {
            match p[1].as_str() {
                "stored" => Ok(Computed::stored(string(&a[0])?)),
                "virtual_" => Ok(Computed::virtual_(string(&a[0])?)),
                _ => err(e.line, "a generated column this reader does not know"),
            }
        }
        _ => err(e.line, "a generated column this reader does not know"),
    }
}

pub(super) fn deferrable(e: &Expr) -> R<Deferrable> {
    if is_path(e, &["Deferrable", "InitiallyImmediate"]) {
        Ok(Deferrable::InitiallyImmediate)
    } else if is_path(e, &["Deferrable", "InitiallyDeferred"]) {
        Ok(Deferrable::InitiallyDeferred)
    } else {
        err(e.line, "a deferrability this reader does not know")
    }
}

pub(super) fn fk_action(e: &Expr) -> R<FkAction> {
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

/// `FkMatch::Full` or `FkMatch::Partial`.
pub(super) fn fk_match(e: &Expr) -> R<FkMatch> {
    match &e.kind {
        Kind::Path(p) if p.len() == 2 && p[0] == "FkMatch" => match p[1].as_str() {
            "Full" => Ok(FkMatch::Full),
            "Partial" => Ok(FkMatch::Partial),
            _ => err(e.line, "a foreign key MATCH type this reader does not know"),
        },
        _ => err(e.line, "a foreign key MATCH type this reader does not know"),
    }
}

/// `IndexElement::column("a")` or `::expr("..")`, with `.collate`, `.opclass`, `.asc`,
/// `.desc`, `.nulls_first`, `.nulls_last`.
fn index_element(e: &Expr) -> R<IndexElement> {
    let (root, calls) = chain(e);
    let mut x = match &root.kind {
        Kind::Call(p, a) if p == &["IndexElement", "column"] && a.len() == 1 => {
            IndexElement::column(string(&a[0])?)
        }
        Kind::Call(p, a) if p == &["IndexElement", "expr"] && a.len() == 1 => {
            IndexElement::expr(string(&a[0])?)
        }
        _ => return err(e.line, "an index element this reader does not know"),
    };
    for (m, a, l) in calls {
        x = match (m, a.len()) {
            ("collate", 1) => x.collate(string(&a[0])?),
            ("opclass", 1) => x.opclass(string(&a[0])?),
            ("asc", 0) => x.asc(),
            ("desc", 0) => x.desc(),
            ("nulls_first", 0) => x.nulls_first(),
            ("nulls_last", 0) => x.nulls_last(),
            _ => return unknown(l, m),
        };
    }
    Ok(x)
}

/// `vec![IndexElement::..]`.
pub(super) fn index_elements(e: &Expr) -> R<Vec<IndexElement>> {
    vec_of(e, index_element)
}

fn exclude_element(e: &Expr) -> R<ExcludeElement> {
    match &e.kind {
        Kind::Call(p, a) if a.len() == 2 && p.len() == 2 && p[0] == "ExcludeElement" => {
            match p[1].as_str() {
                "column" => Ok(ExcludeElement::column(string(&a[0])?, string(&a[1])?)),
                "expr" => Ok(ExcludeElement::expr(string(&a[0])?, string(&a[1])?)),
                "new" => Ok(ExcludeElement::new(index_element(&a[0])?, string(&a[1])?)),
                _ => err(e.line, "an exclusion element this reader does not know"),
            }
        }
        _ => err(e.line, "an exclusion element this reader does not know"),
    }
}

/// `vec![ExcludeElement::..]`.
pub(super) fn exclude_elements(e: &Expr) -> R<Vec<ExcludeElement>> {
    vec_of(e, exclude_element)
}

/// `Exclude::new("name", vec![..])` with `.using`, `.include`, `.predicate`, `.deferrable`.
pub(super) fn exclude(e: &Expr) -> R<Exclude> {
    let (root, calls) = chain(e);
    let mut x = match &root.kind {
        Kind::Call(p, a) if p == &["Exclude", "new"] && a.len() == 2 => {
            Exclude::new(string(&a[0])?, exclude_elements(&a[1])?)
        }
        _ => return err(e.line, "an exclusion constraint this reader does not know"),
    };
    for (m, a, l) in calls {
        x = match (m, a.len()) {
            ("using", 1) => x.using(string(&a[0])?),
            ("include", 1) => x.include(strings(&a[0])?),
            ("predicate", 1) => x.predicate(string(&a[0])?),
            ("deferrable", 1) => x.deferrable(deferrable(&a[0])?),
            _ => return unknown(l, m),
        };
    }
    Ok(x)
}

/// The modifiers a column takes after its name and type, the same on `Column::new(..)`
/// and a table builder's `t.column(..)`; `$more` adds the builder's own.
macro_rules! column_modifier {
    ($c:ident, $m:expr, $a:expr, $l:expr, $($more:tt)*) => {
        match ($m, $a.len()) {
            ("not_null", 0) => $c.not_null(),
            ("nullable", 1) => $c.nullable(boolean(&$a[0])?),
            ("identity", 1) => $c.identity(identity(&$a[0])?),
            ("serial", 1) => $c.serial(serial(&$a[0])?),
            ("server_default", 1) => $c.server_default(server_default(&$a[0])?),
            ("computed", 1) => $c.computed(computed(&$a[0])?),
            ("comment", 1) => $c.comment(string(&$a[0])?),
            ("collation", 1) => $c.collation(string(&$a[0])?),
            ("inherited", 0) => $c.inherited(),
            $($more)*
            _ => return unknown($l, $m),
        }
    };
}
pub(super) use column_modifier;

pub(super) fn column(e: &Expr) -> R<Column> {
    let (root, calls) = chain(e);
    let mut c = match &root.kind {
        Kind::Call(p, args) if p == &["Column", "new"] && args.len() == 2 => {
            Column::new(string(&args[0])?, ty(&args[1])?)
        }
        _ => return err(root.line, "a column this reader does not know"),
    };
    for (m, a, l) in calls {
        c = column_modifier!(c, m, a, l,);
    }
    Ok(c)
}

/// The modifiers of an index past its elements, the same on `Index`, the recorder's
/// `create_index` and a table builder's `t.index(..)`; `$more` adds each one's own.
macro_rules! index_modifier {
    ($x:ident, $m:expr, $a:expr, $l:expr, $($more:tt)*) => {
        match ($m, $a.len()) {
            ("unique", 0) => $x.unique(),
            ("nulls_not_distinct", 0) => $x.nulls_not_distinct(),
            ("method", 1) => $x.method(string(&$a[0])?),
            ("include", 1) => $x.include(strings(&$a[0])?),
            ("predicate", 1) => $x.predicate(string(&$a[0])?),
            ("with", 2) => $x.with(string(&$a[0])?, string(&$a[1])?),
            $($more)*
            _ => return unknown($l, $m),
        }
    };
}
pub(super) use index_modifier;

/// `Index::on_columns([..])` or `Index::on(vec![..])`, with `.name(..)` and the modifiers.
pub(super) fn index(e: &Expr) -> R<Index> {
    let (root, calls) = chain(e);
    let mut index = match &root.kind {
        Kind::Call(p, args) if p == &["Index", "on_columns"] && args.len() == 1 => {
            Index::on_columns(strings(&args[0])?)
        }
        Kind::Call(p, args) if p == &["Index", "on"] && args.len() == 1 => {
            Index::on(index_elements(&args[0])?)
        }
        _ => return err(root.line, "an index this reader does not know"),
    };
    for (m, a, l) in calls {
        index = index_modifier!(index, m, a, l,
            ("name", 1) => index.name(name(&a[0])?),
        );
    }
    Ok(index)
}

pub(super) fn constraint_kind(e: &Expr) -> R<ConstraintKind> {
    match &e.kind {
        Kind::Path(p) if p.len() == 2 && p[0] == "ConstraintKind" => match p[1].as_str() {
            "PrimaryKey" => Ok(ConstraintKind::PrimaryKey),
            "ForeignKey" => Ok(ConstraintKind::ForeignKey),
            "Unique" => Ok(ConstraintKind::Unique),
            "Check" => Ok(ConstraintKind::Check),
            "Exclude" => Ok(ConstraintKind::Exclude),
            _ => err(e.line, "a constraint kind this reader does not know"),
        },
        _ => err(e.line, "a constraint kind this reader does not know"),
    }
}

/// `Constraint::PrimaryKey(PrimaryKey::new(..))`, `ForeignKey`, `Unique`, `Check`,
/// `Exclude`, with their `.name(..)` and options.
pub(super) fn constraint(e: &Expr) -> R<Constraint> {
    let unknown_one = || err(e.line, "a constraint this reader does not know");
    let Kind::Call(variant, args) = &e.kind else {
        return unknown_one();
    };
    if variant.len() != 2 || variant[0] != "Constraint" || args.len() != 1 {
        return unknown_one();
    }
    if variant[1] == "Exclude" {
        return Ok(Constraint::Exclude(exclude(&args[0])?));
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
                    ("with", 2) => k.with(string(&a[0])?, string(&a[1])?),
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
                    ("deferrable", 1) => k.deferrable(deferrable(&a[0])?),
                    ("nulls_not_distinct", 0) => k.nulls_not_distinct(),
                    ("with", 2) => k.with(string(&a[0])?, string(&a[1])?),
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
                    ("deferrable", 1) => k.deferrable(deferrable(&a[0])?),
                    ("ref_schema", 1) => k.ref_schema(string(&a[0])?),
                    ("match_type", 1) => k.match_type(fk_match(&a[0])?),
                    _ => return unknown(l, m),
                };
            }
            Constraint::ForeignKey(k)
        }
        _ => return unknown_one(),
    };
    Ok(c)
}
