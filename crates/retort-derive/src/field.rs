//! One struct field: a column, or a relationship when its type is `HasMany<T>`, `HasOne<T>`,
//! `BelongsTo<T>` or `ManyToMany<T>`. The field's type decides which attribute keys apply,
//! so a key of the other kind gets an error that says why it does not belong.

use retort_core::{Cascade, Deferrable, IdentityGeneration};
use syn::spanned::Spanned;
use syn::{Field, GenericArgument, Ident, LitStr, PathArguments, Type};

use crate::attrs::{retort_entries, unknown_key, unknown_key_or, Entry, Errors, LitValue, Seen};
use crate::constraint::{fk_action, fk_match, fk_target, ForeignKeyDef};
use crate::variant::{self, is_variant_key, parse_variant, VariantDef};

/// A column type given by attribute instead of the field's `ColumnType`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SqlType {
    /// A unit variant of `retort::core::Type`, by name (`Text`, `Jsonb`, `Uuid`, ...).
    Plain(&'static str),
    Timestamp {
        tz: bool,
    },
    Time {
        tz: bool,
    },
    Varchar(Option<u32>),
    Char(Option<u32>),
    Numeric(Option<u32>, Option<u32>),
    Custom(String),
}

/// Keys that set the column type, and the type a bare key means.
const TYPE_KEYS: &[(&str, SqlType)] = &[
    ("smallint", SqlType::Plain("SmallInt")),
    ("integer", SqlType::Plain("Integer")),
    ("bigint", SqlType::Plain("BigInt")),
    ("real", SqlType::Plain("Real")),
    ("double", SqlType::Plain("Double")),
    ("boolean", SqlType::Plain("Boolean")),
    ("text", SqlType::Plain("Text")),
    ("date", SqlType::Plain("Date")),
    ("interval", SqlType::Plain("Interval")),
    ("uuid", SqlType::Plain("Uuid")),
    ("json", SqlType::Plain("Json")),
    ("jsonb", SqlType::Plain("Jsonb")),
    ("binary", SqlType::Plain("Binary")),
    ("time", SqlType::Time { tz: false }),
    ("timetz", SqlType::Time { tz: true }),
    ("timestamp", SqlType::Timestamp { tz: false }),
    ("timestamptz", SqlType::Timestamp { tz: true }),
    ("varchar", SqlType::Varchar(None)),
    ("char", SqlType::Char(None)),
    ("numeric", SqlType::Numeric(None, None)),
    ("sql_type", SqlType::Custom(String::new())),
];

pub(crate) const COLUMN_KEYS: &[&str] = &[
    "primary_key",
    "identity",
    "identity_start",
    "identity_increment",
    "identity_minvalue",
    "identity_maxvalue",
    "identity_cycle",
    "identity_cache",
    "serial",
    "default_sequence",
    "column",
    "length",
    "nullable",
    "server_default",
    "default_value",
    "computed",
    "comment",
    "collation",
    "inherited",
    "foreign_key",
    "on_delete",
    "on_update",
    "deferrable",
    "initially_deferred",
    "match",
    "fk_name",
    "use_alter",
    "unique",
    "index",
    "postgres",
    "sqlite",
    "mysql",
];

pub(crate) fn type_keys() -> Vec<&'static str> {
    TYPE_KEYS.iter().map(|(k, _)| *k).collect()
}

pub(crate) const RELATIONSHIP_KEYS: &[&str] = &[
    "back_populates",
    "cascade",
    "foreign_keys",
    "passive_deletes",
    "secondary",
    "through",
];

/// A server-side default: an SQL expression, or a literal the dialect renders.
pub(crate) enum DefaultDef {
    Expr(String),
    Literal(LitValue),
}

pub(crate) struct IdentityDef {
    pub generation: IdentityGeneration,
    /// Sequence options in the order written: the `Identity` builder method and its value
    /// (`None` for `cycle`, which takes none).
    pub options: Vec<(&'static str, Option<i64>)>,
}

pub(crate) struct ColumnDef {
    pub ident: Ident,
    pub ty: Type,
    pub name: String,
    pub sql_type: Option<SqlType>,
    /// `length = n`: sizes the field's own text type, innermost element of a `Vec`
    /// (`LengthColumnType`), where `sql_type` replaces the type.
    pub length: Option<u32>,
    /// `nullable` given explicitly; otherwise the type decides (`Option<T>` is nullable).
    pub nullable: Option<bool>,
    pub primary_key: bool,
    pub identity: Option<IdentityDef>,
    /// `serial`: the column owns a sequence that gives its default (PostgreSQL `serial`).
    pub serial: bool,
    pub default: Option<DefaultDef>,
    pub computed: Option<String>,
    pub comment: Option<String>,
    pub foreign_key: Option<ForeignKeyDef>,
    pub unique: bool,
    pub index: bool,
    /// `postgres(..)` / `sqlite(..)`: another type or default on that dialect.
    pub variants: Vec<VariantDef>,
    /// `collation = "C"`.
    pub collation: Option<String>,
    /// `inherited`: only a parent table gives the column (PostgreSQL `INHERITS`).
    pub inherited: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelKind {
    HasMany,
    HasOne,
    BelongsTo,
    ManyToMany,
}

pub(crate) struct RelationshipDef {
    pub ident: Ident,
    pub kind: RelKind,
    /// The target model type, `T` of `HasMany<T>`.
    pub target: Type,
    pub back_populates: Option<String>,
    pub cascade: Option<Cascade>,
    /// `passive_deletes`: deleting the model leaves these rows to `ON DELETE`.
    pub passive_deletes: bool,
    /// `foreign_keys = "b_id"` / `foreign_keys("x", "y")`: the referencing columns of the
    /// foreign key to follow (SQLAlchemy's `foreign_keys=[..]`).
    pub foreign_keys: Vec<String>,
    pub secondary: Option<String>,
    /// `secondary = order_tags`: a function returning the association table (SQLAlchemy's
    /// `secondary=order_tags`, a `Table` with no model), which the runtime follows as it
    /// follows a `through` model's table.
    pub secondary_table: Option<syn::Path>,
    /// `through = OrderTag`: the association model of a `many_to_many`, which the runtime
    /// follows to load and write.
    pub through: Option<Type>,
    /// Declared as a field (`orders: HasMany<Order>`): the struct holds a marker, which the
    /// runtime fills with its default. Declared on the struct (`has_many(orders = Order)`),
    /// the struct holds nothing for it.
    pub on_field: bool,
}

// One short-lived value a field while parsing; boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum FieldDef {
    Column(ColumnDef),
    Relationship(RelationshipDef),
}

/// The relationship marker a type names by its last path segment, with its target type.
fn relationship_type(ty: &Type) -> Option<syn::Result<(RelKind, Type)>> {
    let Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    let kind = match seg.ident.to_string().as_str() {
        "HasMany" => RelKind::HasMany,
        "HasOne" => RelKind::HasOne,
        "BelongsTo" => RelKind::BelongsTo,
        "ManyToMany" => RelKind::ManyToMany,
        _ => return None,
    };
    let target = match &seg.arguments {
        PathArguments::AngleBracketed(a) if a.args.len() == 1 => match &a.args[0] {
            GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        },
        _ => None,
    };
    Some(target.map(|t| (kind, t)).ok_or_else(|| {
        syn::Error::new(
            seg.span(),
            format!(
                "`{0}` takes the target model type, as in `{0}<Order>`",
                seg.ident
            ),
        )
    }))
}

pub(crate) fn parse_field(field: &Field) -> syn::Result<FieldDef> {
    // Named fields only: the caller rejects tuple structs first.
    let ident = field
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new(field.span(), "expected a named field"))?;
    let entries = retort_entries(&field.attrs)?;
    match relationship_type(&field.ty) {
        Some(r) => {
            let (kind, target) = r?;
            parse_relationship(ident, kind, target, &entries).map(FieldDef::Relationship)
        }
        None => parse_column(ident, field.ty.clone(), &entries).map(FieldDef::Column),
    }
}

pub(crate) fn parse_relationship(
    ident: Ident,
    kind: RelKind,
    target: Type,
    entries: &[Entry],
) -> syn::Result<RelationshipDef> {
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut def = RelationshipDef {
        ident,
        kind,
        target,
        back_populates: None,
        cascade: None,
        passive_deletes: false,
        foreign_keys: Vec::new(),
        secondary: None,
        secondary_table: None,
        through: None,
        on_field: true,
    };
    let marker = format!("{kind:?}");
    // Where `secondary = "name"` was written, for the error when nothing else says what the
    // table's columns are.
    let mut secondary_name_span = None;
    for e in entries {
        if errors.ok(seen.first(e)).is_none() {
            continue;
        }
        let r = match e.name().as_str() {
            "back_populates" => e
                .non_empty_string()
                .map(|s| def.back_populates = Some(s.value())),
            "cascade" => e.string().and_then(|s| {
                let c = Cascade::parse(&s.value()).map_err(|word| {
                    syn::Error::new(
                        s.span(),
                        format!(
                            "unknown cascade option `{word}`; expected a comma-separated list of: {}",
                            Cascade::ALLOWED
                        ),
                    )
                })?;
                def.cascade = Some(c);
                Ok(())
            }),
            "passive_deletes" => e.flag_or_bool().map(|on| def.passive_deletes = on),
            "foreign_keys" if kind == RelKind::ManyToMany => Err(syn::Error::new(
                e.span(),
                "`foreign_keys` picks one of several foreign keys between two tables; a `many_to_many` follows \
                 its association table's one key to each side and takes none",
            )),
            "foreign_keys" => foreign_keys(e).map(|c| def.foreign_keys = c),
            "secondary" if kind == RelKind::ManyToMany => match &e.value {
                crate::attrs::EntryValue::Value(syn::Expr::Path(p)) if p.qself.is_none() => {
                    def.secondary_table = Some(p.path.clone());
                    Ok(())
                }
                _ => e.non_empty_string().map(|s| {
                    secondary_name_span = Some(e.value_span());
                    def.secondary = Some(s.value())
                }),
            },
            "through" if kind == RelKind::ManyToMany => match &e.value {
                crate::attrs::EntryValue::Value(syn::Expr::Path(p)) => {
                    def.through = Some(Type::Path(syn::TypePath {
                        qself: None,
                        path: p.path.clone(),
                    }));
                    Ok(())
                }
                _ => Err(syn::Error::new(
                    e.value_span(),
                    "`through` names the association model, as in `through = OrderTag`",
                )),
            },
            "through" => Err(syn::Error::new(
                e.span(),
                format!("`through` names the association model of a many-to-many relationship; this one is `{marker}<..>`"),
            )),
            "secondary" => Err(syn::Error::new(
                e.span(),
                format!("`secondary` names the association table of a `ManyToMany<T>` field; this field is `{marker}<..>`"),
            )),
            key if COLUMN_KEYS.contains(&key) || type_keys().contains(&key) => Err(syn::Error::new(
                e.span(),
                format!(
                    "`{key}` is for column fields, but `{}` is a relationship (`{marker}<..>`), which is not a column; \
                     relationship fields accept: {}",
                    def.ident,
                    RELATIONSHIP_KEYS.join(", ")
                ),
            )),
            _ => Err(unknown_key(e, "a relationship field", RELATIONSHIP_KEYS)),
        };
        errors.ok(r);
    }
    if let (Some(table), Some(through)) = (&def.secondary_table, &def.through) {
        let mut both = syn::Error::new(
            through.span(),
            "`through` names the association model, but `secondary` already names the association table's function: give one of them",
        );
        both.combine(syn::Error::new(table.span(), "the table's function"));
        errors.ok::<()>(Err(both));
    }
    if kind == RelKind::ManyToMany && def.secondary.is_none() && def.secondary_table.is_none() {
        errors.at(
            def.ident.span(),
            format!(
                "`ManyToMany<..>` field `{}` needs its association table: a function returning it (`secondary = table_fn`), \
                 or its name and model (`secondary = \"table\", through = TableModel`)",
                def.ident
            ),
        );
    }
    // The query runtime has no MetaData to look a table up by name in: with the name alone
    // it could not load or write the relationship, so the model would compile and then fail
    // at its first load. Said here instead, with the two forms that carry the columns.
    if let (Some(name), Some(span), None, None) = (
        &def.secondary,
        secondary_name_span,
        &def.secondary_table,
        &def.through,
    ) {
        let table = name.rsplit('.').next().unwrap_or(name);
        errors.at(
            span,
            format!(
                "`secondary = \"{name}\"` names the association table, but a name alone does not say its columns, \
                 and the query runtime has no MetaData to look them up in: name the function that returns its `Table` \
                 (`secondary = {table}`, as SQLAlchemy's `secondary={table}`), or add its model \
                 (`secondary = \"{name}\", through = {model}`)",
                model = upper_camel(table)
            ),
        );
    }
    errors.finish().map(|_| def)
}

/// Keys that only make sense on a foreign key.
const FK_OPTION_KEYS: &[&str] = &[
    "on_delete",
    "on_update",
    "deferrable",
    "initially_deferred",
    "match",
    "fk_name",
    "use_alter",
];

/// The error for a key a column does not take. A foreign key's options are offered as
/// "did you mean" only on a field with a `foreign_key`: elsewhere SQLAlchemy's column
/// keywords `onupdate`/`server_onupdate` mean something else (issue 13, item 5).
fn unknown_column_key(e: &Entry, has_foreign_key: bool) -> syn::Error {
    let name = e.name();
    if !has_foreign_key {
        let advice = match name.as_str() {
            "onupdate" => Some(
                "SQLAlchemy's `Column(onupdate=...)` is a value its ORM writes on UPDATE; a Retort model \
                 declares the schema only: set the value in your UPDATE statement (or keep it current \
                 with a trigger, through `op.execute` in a revision). `on_update` is a foreign key's \
                 ON UPDATE action, for a field with `foreign_key = \"table.column\"`",
            ),
            "server_onupdate" => Some(
                "SQLAlchemy's `server_onupdate` only tells its ORM that the database changes the value \
                 on UPDATE (a trigger does it); a Retort model has nothing to declare: create the \
                 trigger in a revision with `op.execute`",
            ),
            "ondelete" => Some(
                "`on_delete` is a foreign key's ON DELETE action: give the field \
                 `foreign_key = \"table.column\"` and `on_delete = \"CASCADE\"`",
            ),
            _ => None,
        };
        if let Some(advice) = advice {
            return syn::Error::new(
                e.span(),
                format!("unknown attribute `{name}` on a column field: {advice}"),
            );
        }
    }
    let offered: Vec<&str> = COLUMN_KEYS
        .iter()
        .copied()
        .filter(|k| has_foreign_key || !FK_OPTION_KEYS.contains(k))
        .collect();
    let mut error = unknown_key_or(
        e,
        "a column field",
        &offered,
        &type_keys(),
        "or one column type",
    );
    if !has_foreign_key {
        error = syn::Error::new(
            e.span(),
            format!(
                "{error}; with `foreign_key = \"table.column\"` also: {}",
                FK_OPTION_KEYS.join(", ")
            ),
        );
    }
    error
}

fn parse_column(ident: Ident, ty: Type, entries: &[Entry]) -> syn::Result<ColumnDef> {
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut def = ColumnDef {
        name: ident.unraw_string(),
        ident,
        ty,
        sql_type: None,
        length: None,
        nullable: None,
        primary_key: false,
        identity: None,
        serial: false,
        default: None,
        computed: None,
        comment: None,
        foreign_key: None,
        unique: false,
        index: false,
        variants: Vec::new(),
        collation: None,
        inherited: false,
    };
    let mut type_key: Option<&Entry> = None;
    let mut default_key: Option<&Entry> = None;
    let mut variants = Vec::new();
    // (builder method, value, the key's span) of each `identity_*` option.
    let mut id_opts: Vec<(&'static str, Option<i64>, proc_macro2::Span)> = Vec::new();
    let (mut on_delete, mut on_update, mut deferrable, mut fk_name) = (None, None, None, None);
    let mut match_type = None;
    let has_foreign_key = entries.iter().any(|e| e.name() == "foreign_key");
    for e in entries {
        if errors.ok(seen.first(e)).is_none() {
            continue;
        }
        let key = e.name();
        let r = match key.as_str() {
            "primary_key" => e.flag().map(|_| def.primary_key = true),
            "identity" => identity(e).map(|g| {
                def.identity = Some(IdentityDef {
                    generation: g,
                    options: Vec::new(),
                })
            }),
            "identity_start" => e.int().map(|n| id_opts.push(("start", Some(n), e.span()))),
            "identity_increment" => e.int().and_then(|n| {
                if n == 0 {
                    return Err(syn::Error::new(e.value_span(), "`identity_increment` must not be 0"));
                }
                id_opts.push(("increment", Some(n), e.span()));
                Ok(())
            }),
            "identity_minvalue" => e.int().map(|n| id_opts.push(("minvalue", Some(n), e.span()))),
            "identity_maxvalue" => e.int().map(|n| id_opts.push(("maxvalue", Some(n), e.span()))),
            "identity_cycle" => e.flag().map(|_| id_opts.push(("cycle", None, e.span()))),
            "identity_cache" => e.int().and_then(|n| {
                if n < 1 {
                    return Err(syn::Error::new(e.value_span(), "`identity_cache` must be at least 1"));
                }
                id_opts.push(("cache", Some(n), e.span()));
                Ok(())
            }),
            "serial" => e.flag().map(|_| def.serial = true),
            // `nextval` of a standalone sequence the model declares, as SQLAlchemy's
            // `server_default=Sequence('seq').next_value()`.
            "default_sequence" => one_of(&mut default_key, e, "a default")
                .and_then(|_| e.non_empty_string())
                .map(|s| {
                    // `schema.name` names a sequence in another schema; each part is quoted
                    // on its own where it needs it.
                    let v = s.value();
                    let (schema, name) = match v.split_once('.') {
                        Some((schema, name)) => (Some(schema), name),
                        None => (None, v.as_str()),
                    };
                    def.default = Some(DefaultDef::Expr(retort_core::nextval_sql(schema, name)))
                }),
            "column" => e.non_empty_string().map(|s| def.name = s.value()),
            "nullable" => e.flag_or_bool().map(|b| def.nullable = Some(b)),
            "server_default" | "default_value" => one_of(&mut default_key, e, "a default")
                .and_then(|_| default_def(e))
                .map(|d| def.default = Some(d)),
            k if is_variant_key(k) => parse_variant(e).map(|v| variants.push((v, e.span()))),
            "computed" => e.non_empty_string().map(|s| def.computed = Some(s.value())),
            "comment" => e.string().map(|s| def.comment = Some(s.value())),
            "collation" => e.non_empty_string().map(|s| def.collation = Some(s.value())),
            "inherited" => e.flag().map(|_| def.inherited = true),
            "foreign_key" => fk_target(e).map(|fk| def.foreign_key = Some(fk)),
            "on_delete" => fk_action(e).map(|a| on_delete = Some((a, e.span()))),
            "on_update" => fk_action(e).map(|a| on_update = Some((a, e.span()))),
            "deferrable" => e.flag().map(|_| {
                deferrable.get_or_insert((Deferrable::InitiallyImmediate, e.span()));
            }),
            "initially_deferred" => e
                .flag()
                .map(|_| deferrable = Some((Deferrable::InitiallyDeferred, e.span()))),
            "match" => fk_match(e).map(|m| match_type = Some((m, e.span()))),
            "fk_name" => e.non_empty_string().map(|s| fk_name = Some((s.value(), e.span()))),
            // SQLAlchemy's `use_alter`: unnecessary (cycles are broken automatically).
            "use_alter" => e.flag_or_bool().map(|_| ()),
            "unique" => e.flag().map(|_| def.unique = true),
            "index" => e.flag().map(|_| def.index = true),
            "length" => one_of(&mut type_key, e, "a column type")
                .and_then(|_| e.length())
                .map(|n| def.length = Some(n)),
            k if TYPE_KEYS.iter().any(|(t, _)| *t == k) => one_of(&mut type_key, e, "a column type")
                .and_then(|_| sql_type(e))
                .map(|t| def.sql_type = Some(t)),
            k if RELATIONSHIP_KEYS.contains(&k) => Err(syn::Error::new(
                e.span(),
                format!(
                    "`{k}` is for relationship fields (`HasMany<T>`, `HasOne<T>`, `BelongsTo<T>`, `ManyToMany<T>`), \
                     but `{}` is a column",
                    def.ident
                ),
            )),
            _ => Err(unknown_column_key(e, has_foreign_key)),
        };
        errors.ok(r);
    }
    match &mut def.identity {
        Some(id) => id.options = id_opts.into_iter().map(|(m, v, _)| (m, v)).collect(),
        None => {
            for (method, _, span) in id_opts {
                errors.at(span, format!("`identity_{method}` needs `identity = \"always\"` or `identity = \"by_default\"` on this field"));
            }
        }
    }
    if let Some(IdentityDef { options, .. }) = &def.identity {
        let value = |m: &str| options.iter().find(|o| o.0 == m).and_then(|o| o.1);
        if let (Some(min), Some(max)) = (value("minvalue"), value("maxvalue")) {
            if min >= max {
                errors.at(
                    def.ident.span(),
                    format!(
                        "`identity_minvalue` ({min}) must be less than `identity_maxvalue` ({max})"
                    ),
                );
            }
        }
    }
    match &mut def.foreign_key {
        Some(fk) => {
            fk.on_delete = on_delete.map(|a| a.0);
            fk.on_update = on_update.map(|a| a.0);
            fk.deferrable = deferrable.map(|d| d.0);
            fk.match_type = match_type.and_then(|m| m.0);
            fk.name = fk_name.map(|n| n.0);
        }
        // A malformed `foreign_key` was reported already; its options are not the problem.
        None if entries.iter().any(|e| e.name() == "foreign_key") => {}
        None => {
            for e in entries
                .iter()
                .filter(|e| FK_OPTION_KEYS.contains(&e.name().as_str()))
            {
                errors.at(
                    e.span(),
                    format!(
                        "`{}` belongs to a foreign key, but this field has none; add `foreign_key = \"table.column\"`",
                        e.name()
                    ),
                );
            }
        }
    }
    variant::check(def.default.is_some(), &variants, &mut errors);
    def.variants = variants.into_iter().map(|(v, _)| v).collect();
    conflicts(&def, entries, &mut errors);
    errors.finish().map(|_| def)
}

/// `server_default = "expr"` or `default_value = literal`.
pub(crate) fn default_def(e: &Entry) -> syn::Result<DefaultDef> {
    Ok(if e.name() == "server_default" {
        DefaultDef::Expr(e.non_empty_string()?.value())
    } else {
        DefaultDef::Literal(e.lit_value().unwrap_or_else(|| {
            Err(syn::Error::new(
                e.value_span(),
                "`default_value` expects a literal: a string, an integer, a decimal number or a boolean \
                 (for an SQL expression such as `now()` use `server_default`)",
            ))
        })?)
    })
}

pub(crate) fn is_type_key(key: &str) -> bool {
    TYPE_KEYS.iter().any(|(t, _)| *t == key)
}

/// Settings that cannot hold together, each reported once at the later-named key's span.
fn conflicts(def: &ColumnDef, entries: &[Entry], errors: &mut Errors) {
    let span_of = |key: &str| entries.iter().find(|e| e.name() == key).map(Entry::span);
    if def.serial {
        for k in [
            "identity",
            "server_default",
            "default_value",
            "default_sequence",
            "computed",
        ] {
            if let Some(span) = span_of(k) {
                errors.at(span, format!("`{k}` conflicts with `serial`: a serial column's value comes from the sequence it owns"));
            }
        }
        if def.nullable == Some(true) {
            if let Some(span) = span_of("nullable") {
                errors.at(
                    span,
                    "`nullable` conflicts with `serial`: a serial column is NOT NULL",
                );
            }
        }
    }
    let default_key = ["server_default", "default_value", "default_sequence"]
        .into_iter()
        .find(|k| span_of(k).is_some());
    if def.computed.is_some() {
        for k in default_key
            .into_iter()
            .chain(def.identity.as_ref().map(|_| "identity"))
        {
            if let Some(span) = span_of(k) {
                errors.at(span, format!("`{k}` conflicts with `computed`: a computed column's value is always its expression"));
            }
        }
    } else if let (Some(_), Some(k)) = (&def.identity, default_key) {
        if let Some(span) = span_of(k) {
            errors.at(
                span,
                format!(
                    "`{k}` conflicts with `identity`: the identity sequence supplies the value"
                ),
            );
        }
    }
    if def.nullable == Some(true) {
        if let (Some(k), Some(span)) = (
            ["primary_key", "identity"]
                .into_iter()
                .find(|k| span_of(k).is_some()),
            span_of("nullable"),
        ) {
            errors.at(
                span,
                format!("`nullable` contradicts `{k}`: such a column is always NOT NULL"),
            );
        }
    }
}

/// Records the first of a group of mutually exclusive keys; an error naming the earlier one.
fn one_of<'a>(slot: &mut Option<&'a Entry>, e: &'a Entry, what: &str) -> syn::Result<()> {
    if let Some(prev) = slot {
        return Err(syn::Error::new(
            e.span(),
            format!(
                "`{}` conflicts with `{}`: give {what} once",
                e.name(),
                prev.name()
            ),
        ));
    }
    *slot = Some(e);
    Ok(())
}

fn identity(e: &Entry) -> syn::Result<IdentityGeneration> {
    let s = e.string()?;
    match s
        .value()
        .trim()
        .to_ascii_lowercase()
        .replace(' ', "_")
        .as_str()
    {
        "always" => Ok(IdentityGeneration::Always),
        "by_default" => Ok(IdentityGeneration::ByDefault),
        other => Err(syn::Error::new(
            s.span(),
            format!("unknown identity kind \"{other}\"; expected \"always\" or \"by_default\""),
        )),
    }
}

pub(crate) fn sql_type(e: &Entry) -> syn::Result<SqlType> {
    use crate::attrs::EntryValue::Flag;
    let name = e.name();
    let base = TYPE_KEYS
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, t)| t.clone())
        .ok_or_else(|| syn::Error::new(e.span(), "not a column type"))?;
    let bare = matches!(e.value, Flag);
    Ok(match base {
        SqlType::Custom(_) => SqlType::Custom(e.non_empty_string()?.value()),
        SqlType::Varchar(_) if !bare => SqlType::Varchar(Some(e.length()?)),
        SqlType::Char(_) if !bare => SqlType::Char(Some(e.length()?)),
        SqlType::Numeric(..) if !bare => {
            let n = e.int_list(2)?;
            SqlType::Numeric(n.first().copied(), n.get(1).copied())
        }
        other => {
            e.flag().map_err(|_| {
                syn::Error::new(
                    e.value_span(),
                    format!("`{name}` takes no value; write just `{name}`"),
                )
            })?;
            other
        }
    })
}

trait UnrawString {
    fn unraw_string(&self) -> String;
}

impl UnrawString for Ident {
    fn unraw_string(&self) -> String {
        syn::ext::IdentExt::unraw(self).to_string()
    }
}

/// `foreign_keys = "a_id, b_id"` (split at each `,`) or `foreign_keys("a_id", "b_id")` (each
/// name as written, for a column whose name holds a `,`): column names, none empty.
fn foreign_keys(e: &Entry) -> syn::Result<Vec<String>> {
    let names: Vec<String> = match &e.value {
        crate::attrs::EntryValue::List(..) => e.string_list()?.iter().map(LitStr::value).collect(),
        _ => e
            .string()?
            .value()
            .split(',')
            .map(|c| c.trim().to_owned())
            .collect(),
    };
    if names.iter().any(|c| c.trim().is_empty()) {
        return Err(syn::Error::new(
            e.value_span(),
            "`foreign_keys` names the foreign key's referencing columns, as in `foreign_keys = \"b_id\"` or \
             `foreign_keys(\"x\", \"y\")`; a name is empty",
        ));
    }
    Ok(names)
}

/// `has_many(orders = Order, back_populates = "customer", cascade = "..")` on the struct: a
/// relationship named `orders` to model `Order`, with the options a relationship field takes.
/// The struct keeps no field for it, so building the model never fills one.
pub(crate) fn parse_struct_relationship(
    entry: &Entry,
    kind: RelKind,
) -> syn::Result<RelationshipDef> {
    let key = entry.name();
    let example = format!("{key}(orders = Order, back_populates = \"customer\")");
    let mut named = None;
    let mut options = Vec::new();
    for e in entry.nested(&example)? {
        match &e.value {
            crate::attrs::EntryValue::Value(syn::Expr::Path(p))
                if !RELATIONSHIP_KEYS.contains(&e.name().as_str()) =>
            {
                if named.is_some() {
                    return Err(syn::Error::new(
                        e.span(),
                        format!(
                            "`{key}(..)` declares one relationship; `{}` is a second name",
                            e.name()
                        ),
                    ));
                }
                let target = Type::Path(syn::TypePath {
                    qself: None,
                    path: p.path.clone(),
                });
                named = Some((e.key.clone(), target));
            }
            _ => options.push(e),
        }
    }
    let Some((ident, target)) = named else {
        return Err(syn::Error::new(
            entry.value_span(),
            format!("`{key}(..)` needs the relationship's name and target model first, as in `{example}`"),
        ));
    };
    let mut def = parse_relationship(ident, kind, target, &options)?;
    def.on_field = false;
    Ok(def)
}

/// `order_tags` -> `OrderTags`: a model name to suggest for a table.
fn upper_camel(table: &str) -> String {
    table
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
