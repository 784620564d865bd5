//! The typed model of a `#[derive(Model)]` struct: its table-level attributes and its fields,
//! parsed with every problem reported as a spanned error, many at once where possible.

use retort_core::TableRef;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr};

use crate::attrs::{retort_entries, snake_case, unknown_key, Entry, EntryValue, Errors, Seen};
use crate::constraint::{
    parse_check, parse_foreign_key, parse_index, parse_key, parse_sequence, CheckDef,
    ForeignKeyDef, IndexDef, IndexElem, KeyDef, SequenceDef,
};
use crate::exclude::{parse_exclude, ExcludeDef};
use crate::field::{
    parse_field, parse_struct_relationship, ColumnDef, FieldDef, RelKind, RelationshipDef,
};

pub(crate) const STRUCT_KEYS: &[&str] = &[
    "table",
    "schema",
    "comment",
    "inherits",
    "with",
    "primary_key",
    "index",
    "unique",
    "check",
    "exclude",
    "foreign_key",
    "sequence",
    "has_many",
    "has_one",
    "belongs_to",
    "many_to_many",
];

pub(crate) struct ModelDef {
    pub ident: Ident,
    pub table: String,
    pub schema: Option<String>,
    pub comment: Option<String>,
    /// `inherits = "public.payment"` (repeatable, or comma-separated) or `inherits(table =
    /// "..", schema = "..")`: the parent tables.
    pub inherits: Vec<TableRef>,
    /// `with = "fillfactor=70"`: the table's storage parameters.
    pub with: Vec<(String, String)>,
    /// A composite primary key given on the struct (field-level `primary_key` otherwise).
    pub primary_key: Option<KeyDef>,
    pub indexes: Vec<IndexDef>,
    pub uniques: Vec<KeyDef>,
    pub checks: Vec<CheckDef>,
    pub excludes: Vec<ExcludeDef>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    /// `sequence(name = "..", ..)`: standalone sequences the model declares.
    pub sequences: Vec<SequenceDef>,
    pub columns: Vec<ColumnDef>,
    pub relationships: Vec<RelationshipDef>,
}

pub(crate) fn parse_model(input: &DeriveInput) -> syn::Result<ModelDef> {
    let mut errors = Errors::default();
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        errors.at(
            input.generics.span(),
            "#[derive(Model)] does not support generic structs: a model describes one table, so its field types must be concrete",
        );
    }
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Some(named),
            Fields::Unnamed(f) => {
                errors.at(
                    f.span(),
                    "#[derive(Model)] needs named fields (`struct T { id: i32 }`): each field's name is its column name",
                );
                None
            }
            Fields::Unit => {
                errors.at(
                    input.ident.span(),
                    "#[derive(Model)] needs a struct with named fields; a unit struct has no columns",
                );
                None
            }
        },
        Data::Enum(e) => {
            errors.at(
                e.enum_token.span(),
                "#[derive(Model)] needs a struct with named fields; for a database enum type use #[derive(DbEnum)]",
            );
            None
        }
        Data::Union(u) => {
            errors.at(
                u.union_token.span(),
                "#[derive(Model)] needs a struct with named fields, not a union",
            );
            None
        }
    };

    let mut def = ModelDef {
        ident: input.ident.clone(),
        table: snake_case(&input.ident.to_string()),
        schema: None,
        comment: None,
        inherits: Vec::new(),
        with: Vec::new(),
        primary_key: None,
        indexes: Vec::new(),
        uniques: Vec::new(),
        checks: Vec::new(),
        excludes: Vec::new(),
        foreign_keys: Vec::new(),
        sequences: Vec::new(),
        columns: Vec::new(),
        relationships: Vec::new(),
    };
    let mut seen = Seen::default();
    let mut pk_span = None;
    let mut relationships = Vec::new();
    let mut relationship = |e: &crate::attrs::Entry, kind| {
        parse_struct_relationship(e, kind).map(|r| relationships.push(r))
    };
    for e in errors.ok(retort_entries(&input.attrs)).unwrap_or_default() {
        let r = match e.name().as_str() {
            "table" => seen
                .first(&e)
                .and_then(|_| e.non_empty_string())
                .map(|s| def.table = s.value()),
            "schema" => seen
                .first(&e)
                .and_then(|_| e.non_empty_string())
                .map(|s| def.schema = Some(s.value())),
            "comment" => seen
                .first(&e)
                .and_then(|_| e.string())
                .map(|s| def.comment = Some(s.value())),
            "inherits" => parse_inherits(&e).map(|p| def.inherits.extend(p)),
            "with" => seen
                .first(&e)
                .and_then(|_| crate::constraint::storage_parameters(&e))
                .map(|w| def.with = w),
            "primary_key" => seen
                .first(&e)
                .and_then(|_| parse_key(&e, "primary_key"))
                .map(|k| {
                    pk_span = Some(e.span());
                    def.primary_key = Some(k);
                }),
            "index" => parse_index(&e).map(|i| def.indexes.push(i)),
            "unique" => parse_key(&e, "unique").map(|u| def.uniques.push(u)),
            "check" => parse_check(&e).map(|c| def.checks.push(c)),
            "exclude" => parse_exclude(&e).map(|x| def.excludes.push(x)),
            "foreign_key" => parse_foreign_key(&e).map(|f| def.foreign_keys.push(f)),
            "sequence" => parse_sequence(&e).map(|q| def.sequences.push(q)),
            "has_many" => relationship(&e, RelKind::HasMany),
            "has_one" => relationship(&e, RelKind::HasOne),
            "belongs_to" => relationship(&e, RelKind::BelongsTo),
            "many_to_many" => relationship(&e, RelKind::ManyToMany),
            _ => Err(unknown_key(&e, "a model struct", STRUCT_KEYS)),
        };
        errors.ok(r);
    }

    def.relationships = relationships;
    for field in named.into_iter().flat_map(|n| &n.named) {
        match errors.ok(parse_field(field)) {
            Some(FieldDef::Column(c)) => def.columns.push(c),
            Some(FieldDef::Relationship(r)) => def.relationships.push(r),
            None => {}
        }
    }
    if let Some(span) = pk_span {
        for c in def.columns.iter().filter(|c| c.primary_key) {
            errors.at(
                span,
                format!(
                    "the primary key is given twice: here and by `primary_key` on field `{}`; keep one",
                    c.ident
                ),
            );
        }
    }
    check_column_refs(&def, &mut errors);
    check_nullable_pk_columns(&def, &mut errors);
    errors.finish().map(|_| def)
}

/// `inherits = "sales.invoices, archive"`: parents as text, split at each `,`, then each at
/// its last `.`; or `inherits(table = "..", schema = "..")`: one parent, its names as they
/// are, for a name that holds a `.` or a `,` (what `models --from-db` writes then).
fn parse_inherits(e: &Entry) -> syn::Result<Vec<TableRef>> {
    if !matches!(e.value, EntryValue::List(..)) {
        let s = e.non_empty_string()?;
        return Ok(s
            .value()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(TableRef::parse)
            .collect());
    }
    let example = "inherits(table = \"payment\", schema = \"sales\")";
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let (mut table, mut schema) = (None, None);
    for n in e.nested(example)? {
        let r = seen.first(&n).and_then(|_| {
            let slot = match n.name().as_str() {
                "table" => &mut table,
                "schema" => &mut schema,
                _ => return Err(unknown_key(&n, "`inherits(..)`", &["table", "schema"])),
            };
            let s = n.string()?;
            if s.value().is_empty() {
                return Err(syn::Error::new(
                    s.span(),
                    format!("`{}` must not be empty", n.name()),
                ));
            }
            *slot = Some(s.value());
            Ok(())
        });
        errors.ok(r);
    }
    if !seen.contains("table") {
        errors.at(
            e.value_span(),
            format!("`inherits(..)` needs `table`, as in `{example}`"),
        );
    }
    errors.finish()?;
    Ok(vec![TableRef::new(
        schema.as_deref(),
        table.unwrap_or_default(),
    )])
}

/// `nullable` on a field that the struct's `primary_key(columns(..))` names: the key makes
/// it NOT NULL anyway, so the attribute would be silently overridden (the field-level
/// `primary_key` with `nullable` is rejected in `field.rs` for the same reason).
fn check_nullable_pk_columns(def: &ModelDef, errors: &mut Errors) {
    let Some(pk) = &def.primary_key else { return };
    for lit in &pk.columns {
        let name = lit.value();
        if let Some(c) = def
            .columns
            .iter()
            .find(|c| c.name == name && c.nullable == Some(true))
        {
            errors.at(
                lit.span(),
                format!(
                    "`nullable` on field `{}` contradicts the primary key: a primary key column is always NOT NULL",
                    c.ident
                ),
            );
        }
    }
}

/// Table-level constraints name columns by string; a name that is no column of this model is
/// a typo best caught here, at its own span.
fn check_column_refs(def: &ModelDef, errors: &mut Errors) {
    let names: Vec<&str> = def.columns.iter().map(|c| c.name.as_str()).collect();
    let mut refs: Vec<&LitStr> = Vec::new();
    refs.extend(def.primary_key.iter().flat_map(|k| &k.columns));
    refs.extend(def.uniques.iter().flat_map(|k| &k.columns));
    refs.extend(def.foreign_keys.iter().flat_map(|f| &f.columns));
    for ix in &def.indexes {
        refs.extend(ix.elements.iter().filter_map(IndexElem::column));
        refs.extend(&ix.include);
    }
    for x in &def.excludes {
        refs.extend(x.elements.iter().filter_map(|(e, _)| e.column()));
        refs.extend(&x.include);
    }
    for lit in refs {
        if !names.contains(&lit.value().as_str()) {
            errors.at(
                lit.span(),
                format!(
                    "`{}` is not a column of {}; its columns are: {}",
                    lit.value(),
                    def.ident,
                    names.join(", ")
                ),
            );
        }
    }
}
