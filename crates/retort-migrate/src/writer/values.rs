//! Values as Rust expressions: string literals, types, defaults, identities, columns,
//! constraints and indexes, each written with the constructor a script would use.

use retort_core::ops::Constraint;
use retort_core::{
    Check, Column, Computed, Deferrable, DialectKind, Exclude, ExcludeElement, FkAction, FkMatch,
    ForeignKey, Identity, IdentityGeneration, Index, IndexElement, IndexTarget, Literal,
    NullsOrder, PrimaryKey, Sequence, SequenceOptions, Serial, ServerDefault, SortOrder, TableRef,
    Type, Unique,
};

use super::layout::Expr;
use super::WriteError;

/// A Rust string literal for `s`: a raw string when `s` has quotes or backslashes and no
/// control characters (it reads as the SQL it is), else a normal literal with escapes.
/// Non-ASCII text is kept as written: Rust source is UTF-8.
pub(super) fn string_literal(s: &str) -> String {
    let has_control = s.chars().any(must_escape);
    if !has_control && (s.contains('"') || s.contains('\\')) {
        // Enough `#`s that no `"###` inside closes the literal early.
        let mut hashes = 1;
        while s.contains(&format!("\"{}", "#".repeat(hashes))) {
            hashes += 1;
        }
        let h = "#".repeat(hashes);
        return format!("r{h}\"{s}\"{h}");
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if must_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `c` is written as an escape in a literal or comment: control characters (a
/// line break would end a comment, a bare CR is an error in a doc comment), and the
/// invisible direction and width characters (rustc refuses the bidirectional ones in
/// comments and literals, `text_direction_codepoint_in_*`, and none of them can be seen
/// by a reviewer: the "Trojan Source" trick).
pub fn must_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

pub(super) fn str_(s: &str) -> Expr {
    Expr::atom(string_literal(s))
}

/// `["a", "b"]`; `Vec::<String>::new()` when empty, since the recorder's parameters are
/// generic and `[]` alone leaves the item type to infer.
pub(super) fn names(items: &[String]) -> Expr {
    if items.is_empty() {
        return Expr::atom("Vec::<String>::new()");
    }
    Expr::Array("", items.iter().map(|s| str_(s)).collect())
}

/// `"x".into()`: a `String` field or variant.
fn string(s: &str) -> Expr {
    str_(s).method("into", vec![])
}

fn opt<T>(v: &Option<T>, f: impl Fn(&T) -> Expr) -> Expr {
    match v {
        Some(v) => Expr::call("Some", vec![f(v)]),
        None => Expr::atom("None"),
    }
}

/// A parent table: `"schema.name"` where that reads back as the same table, else
/// `TableRef::new(Some("s.1"), "a.b")`, the names kept apart as they are.
pub(super) fn table_ref(p: &TableRef) -> Expr {
    if p.text_form_reads_back() {
        return str_(&p.qualified_name());
    }
    Expr::call(
        "TableRef::new",
        vec![opt(&p.schema, |s| str_(s)), str_(&p.name)],
    )
}

fn num(n: impl std::fmt::Display) -> Expr {
    Expr::atom(n.to_string())
}

pub(super) fn ty(t: &Type) -> Result<Expr, WriteError> {
    let path = |p: &str| Ok(Expr::atom(format!("Type::{p}")));
    match t {
        Type::SmallInt => path("SmallInt"),
        Type::Integer => path("Integer"),
        Type::BigInt => path("BigInt"),
        Type::Real => path("Real"),
        Type::Double => path("Double"),
        Type::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => Ok(Expr::call("Type::numeric", vec![num(p), num(s)])),
        Type::Numeric { precision, scale } => Ok(Expr::Struct(
            "Type::Numeric".into(),
            vec![
                ("precision".into(), opt(precision, |n| num(n))),
                ("scale".into(), opt(scale, |n| num(n))),
            ],
        )),
        Type::Boolean => path("Boolean"),
        Type::Varchar(n) => Ok(Expr::call("Type::Varchar", vec![opt(n, |n| num(n))])),
        Type::Text => path("Text"),
        Type::Char(n) => Ok(Expr::call("Type::Char", vec![opt(n, |n| num(n))])),
        Type::Date => path("Date"),
        Type::Time { tz } => Ok(Expr::Struct(
            "Type::Time".into(),
            vec![("tz".into(), num(tz))],
        )),
        Type::Timestamp { tz } => Ok(Expr::Struct(
            "Type::Timestamp".into(),
            vec![("tz".into(), num(tz))],
        )),
        Type::Interval => path("Interval"),
        Type::Uuid => path("Uuid"),
        Type::Json => path("Json"),
        Type::Jsonb => path("Jsonb"),
        Type::Binary => path("Binary"),
        Type::Enum(r) if r.schema.is_none() => {
            Ok(Expr::call("Type::enumeration", vec![str_(&r.name)]))
        }
        Type::Enum(r) => Ok(Expr::call(
            "Type::Enum",
            vec![Expr::Struct(
                "EnumRef".into(),
                vec![
                    ("schema".into(), opt(&r.schema, |s| string(s))),
                    ("name".into(), string(&r.name)),
                ],
            )],
        )),
        Type::Array(of) => Ok(Expr::call("Type::array", vec![ty(of)?])),
        Type::Custom(sql) => Ok(Expr::call("Type::custom", vec![str_(sql)])),
        // `base.with_variant(DialectKind::Sqlite, ty)`, one call a dialect.
        Type::Variant { base, variants } => {
            let mut e = ty(base)?;
            for (d, v) in variants {
                e = e.method("with_variant", vec![dialect_kind(*d), ty(v)?]);
            }
            Ok(e)
        }
        other => Err(WriteError::Unsupported {
            what: format!("column type {other}"),
        }),
    }
}

pub(super) fn literal(l: &Literal) -> Expr {
    match l {
        Literal::Null => Expr::atom("Literal::Null"),
        Literal::Bool(b) => Expr::call("Literal::Bool", vec![num(b)]),
        Literal::Int(i) => Expr::call("Literal::Int", vec![num(i)]),
        Literal::Number(n) => Expr::call("Literal::Number", vec![string(n)]),
        Literal::Text(t) => Expr::call("Literal::Text", vec![string(t)]),
    }
}

pub(super) fn server_default(d: &ServerDefault) -> Expr {
    match d {
        ServerDefault::Expr(sql) => Expr::call("ServerDefault::expr", vec![str_(sql)]),
        ServerDefault::Literal(Literal::Text(t)) => {
            Expr::call("ServerDefault::text", vec![str_(t)])
        }
        ServerDefault::Literal(Literal::Int(i)) => Expr::call("ServerDefault::int", vec![num(i)]),
        ServerDefault::Literal(Literal::Bool(b)) => Expr::call("ServerDefault::bool", vec![num(b)]),
        ServerDefault::Literal(l) => Expr::call("ServerDefault::Literal", vec![literal(l)]),
        ServerDefault::Variant { base, variants } => default_variants(base.as_deref(), variants),
    }
}

fn dialect_kind(d: DialectKind) -> Expr {
    Expr::atom(format!("DialectKind::{d:?}"))
}

/// `base.with_variant(DialectKind::Sqlite, None)`; without a base,
/// `ServerDefault::only_on(DialectKind::Postgres, ..)` for the first dialect that has one.
fn default_variants(
    base: Option<&ServerDefault>,
    variants: &[(DialectKind, Option<ServerDefault>)],
) -> Expr {
    let mut rest = variants.iter();
    let mut e = match base {
        Some(b) => server_default(b),
        // Exact only when the first variant has a default (as `only_on` makes it), which is
        // how the derive and the builder make one.
        None => match rest.next() {
            Some((d, Some(v))) => Expr::call(
                "ServerDefault::only_on",
                vec![dialect_kind(*d), server_default(v)],
            ),
            // No base and a first variant without a default: no constructor makes it.
            _ => {
                return Expr::Struct(
                    "ServerDefault::Variant".into(),
                    vec![
                        ("base".into(), Expr::atom("None")),
                        ("variants".into(), Expr::atom("Vec::new()")),
                    ],
                )
            }
        },
    };
    for (d, v) in rest {
        e = e.method(
            "with_variant",
            vec![dialect_kind(*d), opt(v, server_default)],
        );
    }
    e
}

pub(super) fn identity(i: &Identity) -> Expr {
    let mut e = Expr::call(
        match i.generation {
            IdentityGeneration::Always => "Identity::always",
            IdentityGeneration::ByDefault => "Identity::by_default",
        },
        vec![],
    );
    if let Some(s) = i.start {
        e = e.method("start", vec![num(s)]);
    }
    if let Some(n) = i.increment {
        e = e.method("increment", vec![num(n)]);
    }
    if let Some(n) = i.minvalue {
        e = e.method("minvalue", vec![num(n)]);
    }
    if let Some(n) = i.maxvalue {
        e = e.method("maxvalue", vec![num(n)]);
    }
    if i.cycle {
        e = e.method("cycle", vec![]);
    }
    if let Some(n) = i.cache {
        e = e.method("cache", vec![num(n)]);
    }
    e
}

/// The option calls shared by `Sequence` and `Serial` builders.
fn sequence_options(mut e: Expr, o: &SequenceOptions) -> Expr {
    if let Some(s) = o.start {
        e = e.method("start", vec![num(s)]);
    }
    if let Some(n) = o.increment {
        e = e.method("increment", vec![num(n)]);
    }
    if let Some(n) = o.minvalue {
        e = e.method("minvalue", vec![num(n)]);
    }
    if let Some(n) = o.maxvalue {
        e = e.method("maxvalue", vec![num(n)]);
    }
    if o.cycle {
        e = e.method("cycle", vec![]);
    }
    if let Some(n) = o.cache {
        e = e.method("cache", vec![num(n)]);
    }
    e
}

/// `Sequence::new("name").schema(..).data_type(..)..` (`bigint`, the default type, unsaid).
pub(super) fn sequence(s: &Sequence) -> Result<Expr, WriteError> {
    let mut e = Expr::call("Sequence::new", vec![str_(&s.name)]);
    if let Some(schema) = &s.schema {
        e = e.method("schema", vec![str_(schema)]);
    }
    if s.ty != Type::BigInt {
        e = e.method("data_type", vec![ty(&s.ty)?]);
    }
    e = sequence_options(e, &s.options);
    if let Some(o) = &s.owned_by {
        e = e.method("owned_by", vec![str_(&o.table), str_(&o.column)]);
    }
    if let Some(v) = s.last_value {
        e = e.method("last_value", vec![num(v)]);
    }
    Ok(e)
}

/// `Serial::new().name(..)..`.
pub(super) fn serial(s: &Serial) -> Expr {
    let mut e = Expr::call("Serial::new", vec![]);
    if let Some(name) = &s.name {
        e = e.method("name", vec![str_(name)]);
    }
    e = sequence_options(e, &s.options);
    if let Some(v) = s.last_value {
        e = e.method("last_value", vec![num(v)]);
    }
    e
}

pub(super) fn computed(c: &Computed) -> Expr {
    let ctor = if c.stored {
        "Computed::stored"
    } else {
        "Computed::virtual_"
    };
    Expr::call(ctor, vec![str_(&c.expr)])
}

pub(super) fn fk_action(a: FkAction) -> Expr {
    Expr::atom(match a {
        FkAction::NoAction => "FkAction::NoAction",
        FkAction::Restrict => "FkAction::Restrict",
        FkAction::Cascade => "FkAction::Cascade",
        FkAction::SetNull => "FkAction::SetNull",
        FkAction::SetDefault => "FkAction::SetDefault",
    })
}

pub(super) fn deferrable(d: Deferrable) -> Expr {
    Expr::atom(match d {
        Deferrable::InitiallyImmediate => "Deferrable::InitiallyImmediate",
        Deferrable::InitiallyDeferred => "Deferrable::InitiallyDeferred",
    })
}

/// The modifiers that follow a column's name and type, in the recorder's spelling; the
/// same for `t.column(..)` in a table builder and `Column::new(..)`.
pub(super) fn column_modifiers(mut e: Expr, c: &Column) -> Expr {
    if let Some(i) = &c.identity {
        // `.identity(..)` makes the column NOT NULL, as in SQL.
        e = e.method("identity", vec![identity(i)]);
        if c.nullable {
            e = e.method("nullable", vec![num(true)]);
        }
    } else if let Some(s) = &c.serial {
        // `.serial(..)` makes the column NOT NULL.
        e = e.method("serial", vec![serial(s)]);
    } else if !c.nullable {
        e = e.method("not_null", vec![]);
    }
    if let Some(d) = &c.server_default {
        e = e.method("server_default", vec![server_default(d)]);
    }
    if let Some(g) = &c.computed {
        e = e.method("computed", vec![computed(g)]);
    }
    if let Some(comment) = &c.comment {
        e = e.method("comment", vec![str_(comment)]);
    }
    if let Some(collation) = &c.collation {
        e = e.method("collation", vec![str_(collation)]);
    }
    if c.inherited {
        e = e.method("inherited", vec![]);
    }
    e
}

/// `.with("name", "value")` for each storage parameter: the same method on the table
/// builder, its keys and indexes, `Index`, `PrimaryKey`, `Unique` and the create ops.
pub(super) fn with_modifiers(mut e: Expr, with: &[(String, String)]) -> Expr {
    for (k, v) in with {
        e = e.method("with", vec![str_(k), str_(v)]);
    }
    e
}

/// `["name=value", ..]` (or `Vec::<String>::new()`): a `set_*_storage` argument.
pub(super) fn storage_list(with: &[(String, String)]) -> Expr {
    let items: Vec<String> = with.iter().map(|(k, v)| format!("{k}={v}")).collect();
    names(&items)
}

/// `Column::new("name", Type::..).not_null()..`.
pub(super) fn column(c: &Column) -> Result<Expr, WriteError> {
    let e = Expr::call("Column::new", vec![str_(&c.name), ty(&c.ty)?]);
    Ok(column_modifiers(e, c))
}

/// Whether an index is plain columns, so it can be written with a list of names.
pub(super) fn plain_columns(index: &Index) -> Option<Vec<String>> {
    index
        .elements
        .iter()
        .map(
            |e| match (&e.target, &e.collation, &e.opclass, &e.order, &e.nulls) {
                (IndexTarget::Column(c), None, None, None, None) => Some(c.clone()),
                _ => None,
            },
        )
        .collect()
}

fn index_element(e: &IndexElement) -> Expr {
    let mut x = match &e.target {
        IndexTarget::Column(c) => Expr::call("IndexElement::column", vec![str_(c)]),
        IndexTarget::Expr(sql) => Expr::call("IndexElement::expr", vec![str_(sql)]),
    };
    if let Some(c) = &e.collation {
        x = x.method("collate", vec![str_(c)]);
    }
    if let Some(op) = &e.opclass {
        x = x.method("opclass", vec![str_(op)]);
    }
    match e.order {
        Some(SortOrder::Asc) => x = x.method("asc", vec![]),
        Some(SortOrder::Desc) => x = x.method("desc", vec![]),
        None => {}
    }
    match e.nulls {
        Some(NullsOrder::First) => x = x.method("nulls_first", vec![]),
        Some(NullsOrder::Last) => x = x.method("nulls_last", vec![]),
        None => {}
    }
    x
}

/// `ExcludeElement::column("a", "=")`, `ExcludeElement::expr("..", "&&")`, or with element
/// options `ExcludeElement::new(IndexElement::..desc(), "=")`.
fn exclude_element(e: &ExcludeElement) -> Expr {
    let el = &e.element;
    let plain =
        el.collation.is_none() && el.opclass.is_none() && el.order.is_none() && el.nulls.is_none();
    match (&el.target, plain) {
        (IndexTarget::Column(c), true) => {
            Expr::call("ExcludeElement::column", vec![str_(c), str_(&e.operator)])
        }
        (IndexTarget::Expr(sql), true) => {
            Expr::call("ExcludeElement::expr", vec![str_(sql), str_(&e.operator)])
        }
        _ => Expr::call(
            "ExcludeElement::new",
            vec![index_element(el), str_(&e.operator)],
        ),
    }
}

/// `vec![ExcludeElement::..]`.
pub(super) fn exclude_elements(x: &Exclude) -> Expr {
    Expr::Array("vec!", x.elements.iter().map(exclude_element).collect())
}

/// An exclusion constraint's options: `.using(..)` (when not `gist`), `.include(..)`,
/// `.predicate(..)`, `.deferrable(..)`; the same methods on `Exclude` and on
/// `create_exclude_constraint`.
pub(super) fn exclude_modifiers(mut e: Expr, x: &Exclude) -> Expr {
    if x.using != "gist" {
        e = e.method("using", vec![str_(&x.using)]);
    }
    if !x.include.is_empty() {
        e = e.method("include", vec![names(&x.include)]);
    }
    if let Some(p) = &x.predicate {
        e = e.method("predicate", vec![str_(p)]);
    }
    if let Some(d) = x.deferrable {
        e = e.method("deferrable", vec![deferrable(d)]);
    }
    e
}

/// `Exclude::new("name", vec![..])..`. An exclusion constraint always has a name
/// (validation refuses one without); one read without is written with an empty name, which
/// the database refuses, naming it.
pub(super) fn exclude(x: &Exclude) -> Expr {
    let name = x.name.as_deref().unwrap_or_default();
    exclude_modifiers(
        Expr::call("Exclude::new", vec![str_(name), exclude_elements(x)]),
        x,
    )
}

/// `vec![IndexElement::..]`.
pub(super) fn index_elements(index: &Index) -> Expr {
    Expr::Array("vec!", index.elements.iter().map(index_element).collect())
}

/// The index modifiers other than its elements: `.unique()`, `.method(..)`,
/// `.include(..)`, `.predicate(..)`.
pub(super) fn index_modifiers(mut e: Expr, index: &Index) -> Expr {
    if index.unique {
        e = e.method("unique", vec![]);
    }
    if let Some(m) = &index.method {
        e = e.method("method", vec![str_(m)]);
    }
    if !index.include.is_empty() {
        e = e.method("include", vec![names(&index.include)]);
    }
    if index.nulls_not_distinct {
        e = e.method("nulls_not_distinct", vec![]);
    }
    if let Some(p) = &index.predicate {
        e = e.method("predicate", vec![str_(p)]);
    }
    with_modifiers(e, &index.with)
}

/// `Index::on_columns([..]).name(..)..` (or `.elements(vec![..])`).
pub(super) fn index(index: &Index) -> Expr {
    let mut e = match plain_columns(index) {
        Some(cols) => Expr::call("Index::on_columns", vec![names(&cols)]),
        None => Expr::call("Index::on", vec![index_elements(index)]),
    };
    if let Some(n) = &index.name {
        e = e.method("name", vec![name_value(n, index.conv)]);
    }
    index_modifiers(e, index)
}

/// The foreign key modifiers: `.name`, `.on_delete`, `.on_update`, `.deferrable`, `.match_type`,
/// `ref_schema` spelled as `ref_method` (the builder and the recorder differ).
pub(super) fn fk_modifiers(
    mut e: Expr,
    fk: &ForeignKey,
    ref_method: &str,
    with_name: bool,
) -> Expr {
    if with_name {
        if let Some(n) = &fk.name {
            e = e.method("name", vec![name_value(n, fk.conv)]);
        }
    }
    if let Some(a) = fk.on_delete {
        e = e.method("on_delete", vec![fk_action(a)]);
    }
    if let Some(a) = fk.on_update {
        e = e.method("on_update", vec![fk_action(a)]);
    }
    if let Some(d) = fk.deferrable {
        e = e.method("deferrable", vec![deferrable(d)]);
    }
    if let Some(m) = fk.match_type {
        e = e.method(
            "match_type",
            vec![Expr::atom(match m {
                FkMatch::Full => "FkMatch::Full",
                FkMatch::Partial => "FkMatch::Partial",
            })],
        );
    }
    if let Some(s) = &fk.ref_schema {
        e = e.method(ref_method, vec![str_(s)]);
    }
    e
}

fn named(e: Expr, name: &Option<String>, conv: bool) -> Expr {
    match name {
        Some(n) => e.method("name", vec![name_value(n, conv)]),
        None => e,
    }
}

/// A constraint or index name: `"name"` as the user wrote it, or `conv("name")` when the
/// naming convention built it (whole; each database shortens it to its own limit).
pub(super) fn name_value(name: &str, conv: bool) -> Expr {
    if conv {
        Expr::call("conv", vec![str_(name)])
    } else {
        str_(name)
    }
}

/// A unique constraint's options: `.deferrable(..)`, `.nulls_not_distinct()`; the same
/// methods on `Unique`, the table builder's `unique(..)` and `create_unique_constraint`.
pub(super) fn unique_modifiers(mut e: Expr, u: &Unique) -> Expr {
    if let Some(d) = u.deferrable {
        e = e.method("deferrable", vec![deferrable(d)]);
    }
    if u.nulls_not_distinct {
        e = e.method("nulls_not_distinct", vec![]);
    }
    with_modifiers(e, &u.with)
}

/// `Constraint::Unique(Unique::new([..]).name(..))` and the like.
pub(super) fn constraint(c: &Constraint) -> Expr {
    let (variant, inner) = match c {
        Constraint::PrimaryKey(PrimaryKey {
            name,
            conv,
            columns,
            with,
        }) => (
            "Constraint::PrimaryKey",
            with_modifiers(
                named(
                    Expr::call("PrimaryKey::new", vec![names(columns)]),
                    name,
                    *conv,
                ),
                with,
            ),
        ),
        Constraint::Unique(u) => (
            "Constraint::Unique",
            unique_modifiers(
                named(
                    Expr::call("Unique::new", vec![names(&u.columns)]),
                    &u.name,
                    u.conv,
                ),
                u,
            ),
        ),
        Constraint::Check(Check { name, conv, expr }) => (
            "Constraint::Check",
            named(Expr::call("Check::new", vec![str_(expr)]), name, *conv),
        ),
        Constraint::Exclude(x) => ("Constraint::Exclude", exclude(x)),
        Constraint::ForeignKey(fk) => (
            "Constraint::ForeignKey",
            fk_modifiers(
                Expr::call(
                    "ForeignKey::new",
                    vec![
                        names(&fk.columns),
                        str_(&fk.ref_table),
                        names(&fk.ref_columns),
                    ],
                ),
                fk,
                "ref_schema",
                true,
            ),
        ),
    };
    Expr::call(variant, vec![inner])
}

/// An entity as its constructor: `View::new("name", "SELECT ..")`, `Function::new(..)`,
/// `Trigger::new(table, name, ..)`, with `.in_schema(..)` and the declared `.after(..)`;
/// a materialized view with its `.index(..)`es, `Extension::new(name)` with its schema and
/// `.version(..)`, `SchemaComment::new(schema, comment)`; then `.only_on(DialectKind::..)`
/// for each database it is declared for, when not all.
pub(super) fn entity(e: &retort_core::Entity) -> Result<Expr, WriteError> {
    let mut x = entity_itself(e)?;
    for d in e.only_on() {
        x = x.method("only_on", vec![dialect_kind(*d)]);
    }
    Ok(x)
}

fn entity_itself(e: &retort_core::Entity) -> Result<Expr, WriteError> {
    use retort_core::Entity;
    let mut x = match e {
        Entity::View(v) => Expr::call("View::new", vec![str_(&v.name), str_(&v.definition)]),
        Entity::MaterializedView(v) => {
            let x = Expr::call(
                "MaterializedView::new",
                vec![str_(&v.name), str_(&v.definition)],
            );
            let mut x = if v.with_data {
                x
            } else {
                x.method("with_no_data", vec![])
            };
            for i in &v.indexes {
                let method = if i.unique { "unique_index" } else { "index" };
                x = x.method(method, vec![str_(&i.name), str_(&i.definition)]);
            }
            x
        }
        Entity::Extension(x) => {
            let mut out = Expr::call("Extension::new", vec![str_(&x.name)]);
            if let Some(s) = &x.schema {
                out = out.method("in_schema", vec![str_(s)]);
            }
            if let Some(v) = &x.version {
                out = out.method("version", vec![str_(v)]);
            }
            for a in &x.after {
                out = out.method("after", vec![str_(a)]);
            }
            return Ok(out);
        }
        Entity::SchemaComment(c) => {
            return Ok(Expr::call(
                "SchemaComment::new",
                vec![
                    str_(c.schema.as_deref().unwrap_or_default()),
                    str_(&c.comment),
                ],
            ))
        }
        Entity::Function(f) => Expr::call(
            if f.procedure {
                "Function::procedure"
            } else {
                "Function::new"
            },
            vec![str_(&f.name), str_(&f.arguments), str_(&f.definition)],
        ),
        Entity::Trigger(t) => Expr::call(
            "Trigger::new",
            vec![str_(&t.table), str_(&t.name), str_(&t.definition)],
        ),
        Entity::Policy(p) => Expr::call(
            "Policy::new",
            vec![str_(&p.table), str_(&p.name), str_(&p.definition)],
        ),
        Entity::Domain(x) => Expr::call("Domain::new", vec![str_(&x.name), str_(&x.definition)]),
        Entity::Aggregate(a) => Expr::call(
            "Aggregate::new",
            vec![str_(&a.name), str_(&a.arguments), str_(&a.definition)],
        ),
        Entity::Rule(r) => Expr::call(
            "Rule::new",
            vec![str_(&r.table), str_(&r.name), str_(&r.definition)],
        ),
        Entity::RowLevelSecurity(r) => {
            let x = Expr::call("RowLevelSecurity::new", vec![str_(&r.table)]);
            if r.force {
                x.method("forced", vec![])
            } else {
                x
            }
        }
        Entity::Grant(g) => {
            let x = match (g.on, &g.arguments) {
                (retort_core::GrantObject::Function, Some(args)) => Expr::call(
                    "Grant::on_function",
                    vec![str_(&g.object), str_(args), str_(&g.grantee)],
                ),
                (_, _) if g.column.is_some() => Expr::call(
                    "Grant::on_column",
                    vec![
                        str_(&g.object),
                        str_(g.column.as_deref().unwrap_or_default()),
                        str_(&g.privilege),
                        str_(&g.grantee),
                    ],
                ),
                (retort_core::GrantObject::Sequence, _) => Expr::call(
                    "Grant::on_sequence",
                    vec![str_(&g.object), str_(&g.privilege), str_(&g.grantee)],
                ),
                _ => Expr::call(
                    "Grant::on_table",
                    vec![str_(&g.object), str_(&g.privilege), str_(&g.grantee)],
                ),
            };
            if g.with_grant_option {
                x.method("with_grant_option", vec![])
            } else {
                x
            }
        }
        other => {
            return Err(WriteError::Unsupported {
                what: other.key().to_string(),
            })
        }
    };
    if let Some(s) = e.schema() {
        x = x.method("in_schema", vec![str_(s)]);
    }
    for a in e.after() {
        x = x.method("after", vec![str_(a)]);
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::string_literal;

    #[test]
    fn strings_are_valid_literals() {
        assert_eq!(string_literal("plain"), r#""plain""#);
        assert_eq!(string_literal("it's"), r#""it's""#);
        assert_eq!(string_literal(r#"say "hi""#), r##"r#"say "hi""#"##);
        assert_eq!(string_literal(r##"a"#b"##), r###"r##"a"#b"##"###);
        assert_eq!(string_literal("a\\d+"), r##"r#"a\d+"#"##);
        assert_eq!(string_literal("line\n\"two\""), r#""line\n\"two\"""#);
        assert_eq!(string_literal("tab\there\u{7}"), r#""tab\there\u{7}""#);
        assert_eq!(string_literal("café ☕"), "\"café ☕\"");
    }
}
