//! `create_all` and `drop_all`: a whole [`MetaData`] as an ordered list of statements.
//!
//! Order on the way up: extensions (what follows may use them), enum types, standalone
//! sequences, domains (PostgreSQL: columns are of them), tables in foreign-key order (each
//! with its serial columns' sequences before it and their owner set after it) (see
//! [`retort_core::sort_tables`]), the foreign keys that close a cycle
//! (`ALTER TABLE .. ADD CONSTRAINT`), then indexes, then comments. On the way down: the
//! cycle's foreign keys first, tables in reverse order, then domains, sequences and enum
//! types, extensions last. Indexes and comments go with their tables; the other entities come
//! after the tables and go before them.

use std::borrow::Cow;

use retort_core::{sort_tables, EnumRef, MetaData, Table, TableOrder, Type};

use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

/// `md` with the names its naming convention built shortened to the dialect's limit (a
/// copy only when that changes anything), so what is created is what autogenerate expects.
///
/// Only the shortened names matter to its callers (rendering, comparing, listing long
/// names), not the convention's own limit: a model whose names all fit is borrowed as it
/// is (at 10,000 tables a copy was a whole model's memory, and `check` made three).
pub fn within_name_limit<'a, D: Dialect + ?Sized>(d: &D, md: &'a MetaData) -> Cow<'a, MetaData> {
    match d.max_identifier_length() {
        Some(max)
            if md.naming().max_length() != Some(max)
                && md
                    .tables()
                    .iter()
                    .any(|t| t.conv_names().any(|n| n.len() > max)) =>
        {
            Cow::Owned(md.clone().with_max_identifier_length(Some(max)))
        }
        _ => Cow::Borrowed(md),
    }
}

/// Validates `md`, `d`'s form of `given`, unless `validated` says `given` is and that form
/// is `given` itself (no variant chosen, no name shortened): one model, validated once.
pub(crate) fn validate_form(md: &MetaData, given: &MetaData, validated: bool) -> Result<()> {
    if !(validated && std::ptr::eq(md, given)) {
        md.validate()?;
    }
    Ok(())
}

/// See the module notes. The metadata is validated first, unless `validated` says the
/// caller did (and the dialect's form of it is the same model).
pub fn create_all<D: Dialect + ?Sized>(
    d: &D,
    given: &MetaData,
    validated: bool,
) -> Result<Vec<String>> {
    let md = &*given.for_dialect(d.kind());
    let md = &*within_name_limit(d, md);
    validate_form(md, given, validated)?;
    let order = sort_tables(md);
    let tables: Vec<Cow<'_, Table>> = md
        .tables()
        .iter()
        .map(|t| with_enum_schemas(md, t))
        .collect();
    let mut out = Vec::new();
    out.extend(create_entities_where(d, md, Phase::Extensions)?);
    if d.supports_enum_types() {
        for e in md.enums() {
            out.push(d.create_enum_type(e)?);
        }
    }
    for s in md.sequences() {
        out.extend(d.create_sequence(s)?);
    }
    out.extend(create_entities_where(d, md, Phase::Domains)?);
    for &i in &order.tables {
        let t = &tables[i];
        let mut after = Vec::new();
        for c in t.columns.iter().filter(|c| c.serial.is_some()) {
            let (b, a) = d.serial_column(TableName::of(t), c, true)?;
            out.extend(b);
            after.extend(a);
        }
        out.push(d.create_table(&without_deferred_keys(t, i, &order))?);
        out.extend(after);
    }
    for &(i, k) in &order.deferred_foreign_keys {
        let t = &tables[i];
        out.push(d.add_foreign_key(TableName::of(t), &t.foreign_keys[k])?);
    }
    for &i in &order.tables {
        let t = &tables[i];
        for index in &t.indexes {
            out.push(d.create_index(TableName::of(t), index)?);
        }
    }
    for &i in &order.tables {
        let t = &tables[i];
        if let Some(comment) = &t.comment {
            out.push(d.comment_on_table(TableName::of(t), Some(comment))?);
        }
        for c in &t.columns {
            if let Some(comment) = &c.comment {
                out.push(d.comment_on_column(TableName::of(t), &c.name, Some(comment))?);
            }
        }
    }
    out.extend(create_entities_where(d, md, Phase::Others)?);
    Ok(out)
}

/// See the module notes. The metadata is validated first.
pub fn drop_all<D: Dialect + ?Sized>(d: &D, md: &MetaData) -> Result<Vec<String>> {
    let md = &*md.for_dialect(d.kind());
    let md = &*within_name_limit(d, md);
    md.validate()?;
    let order = sort_tables(md);
    let mut out = drop_entities_where(d, md, Phase::Others)?;
    for &(i, k) in &order.deferred_foreign_keys {
        let t = &md.tables()[i];
        let name = d.foreign_key_name(TableName::of(t), &t.foreign_keys[k])?;
        out.push(d.drop_constraint(TableName::of(t), &name)?);
    }
    for &i in order.tables.iter().rev() {
        out.push(d.drop_table(TableName::of(&md.tables()[i]))?);
    }
    out.extend(drop_entities_where(d, md, Phase::Domains)?);
    for s in md.sequences().iter().rev() {
        out.push(d.drop_sequence(s.schema.as_deref(), &s.name)?);
    }
    if d.supports_enum_types() {
        for e in md.enums().iter().rev() {
            out.push(d.drop_enum_type(&e.reference())?);
        }
    }
    out.extend(drop_entities_where(d, md, Phase::Extensions)?);
    Ok(out)
}

fn without_deferred_keys<'a>(table: &'a Table, i: usize, order: &TableOrder) -> Cow<'a, Table> {
    if !order.deferred_foreign_keys.iter().any(|&(t, _)| t == i) {
        return Cow::Borrowed(table);
    }
    let mut t = table.clone();
    t.foreign_keys = table
        .foreign_keys
        .iter()
        .enumerate()
        .filter(|&(k, _)| !order.is_deferred(i, k))
        .map(|(_, fk)| fk.clone())
        .collect();
    Cow::Owned(t)
}

/// A column's enum type may name no schema; it means the enum defined in the metadata
/// (looked up as validation does: the table's schema first), whose schema the DDL must
/// spell out, or the type would be looked up on the search path.
fn with_enum_schemas<'a>(md: &MetaData, table: &'a Table) -> Cow<'a, Table> {
    let resolve = |r: &EnumRef| -> Option<Option<String>> {
        if r.schema.is_some() {
            return None;
        }
        let found = md
            .get_enum(table.schema.as_deref(), &r.name)
            .or_else(|| md.get_enum(None, &r.name))?;
        found.schema.clone().map(Some)
    };
    let needs = |ty: &Type| innermost_enum(ty).and_then(resolve).is_some();
    if !table.columns.iter().any(|c| needs(&c.ty)) {
        return Cow::Borrowed(table);
    }
    let mut t = table.clone();
    for c in &mut t.columns {
        set_enum_schema(&mut c.ty, &resolve);
    }
    Cow::Owned(t)
}

fn set_enum_schema(ty: &mut Type, resolve: &dyn Fn(&EnumRef) -> Option<Option<String>>) {
    match ty {
        Type::Array(inner) => set_enum_schema(inner, resolve),
        Type::Enum(r) => {
            if let Some(schema) = resolve(r) {
                r.schema = schema;
            }
        }
        _ => {}
    }
}

fn innermost_enum(mut ty: &Type) -> Option<&EnumRef> {
    while let Type::Array(inner) = ty {
        ty = inner;
    }
    match ty {
        Type::Enum(r) => Some(r),
        _ => None,
    }
}

/// The model's entities (views, functions, triggers...), after its tables, in dependency
/// order (`retort_core::sort_entities`); an entity without a schema is in the default one.
/// Extensions first, then domains.
pub fn create_entities<D: Dialect + ?Sized>(d: &D, md: &MetaData) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for phase in [Phase::Extensions, Phase::Domains, Phase::Others] {
        out.extend(create_entities_where(d, md, phase)?);
    }
    Ok(out)
}

/// Where an entity goes among the tables: extensions before everything, domains just
/// before the tables (after enum types and sequences), the others after them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Extensions,
    Domains,
    Others,
}

fn phase(e: &retort_core::Entity) -> Phase {
    match e {
        retort_core::Entity::Extension(_) => Phase::Extensions,
        retort_core::Entity::Domain(_) => Phase::Domains,
        _ => Phase::Others,
    }
}

/// The entities of [`create_entities`] in `wanted`.
fn create_entities_where<D: Dialect + ?Sized>(
    d: &D,
    md: &MetaData,
    wanted: Phase,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for i in retort_core::sort_entities(md.entities()) {
        if phase(&md.entities()[i]) != wanted {
            continue;
        }
        let mut e = md.entities()[i].clone();
        if e.schema().is_none() {
            *e.schema_mut() = md.default_schema().map(str::to_owned);
        }
        out.extend(d.create_entity(&e)?);
    }
    Ok(out)
}

/// [`create_entities`] undone: each entity dropped, dependents first, domains then
/// extensions last.
pub fn drop_entities<D: Dialect + ?Sized>(d: &D, md: &MetaData) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for phase in [Phase::Others, Phase::Domains, Phase::Extensions] {
        out.extend(drop_entities_where(d, md, phase)?);
    }
    Ok(out)
}

/// The entities of [`drop_entities`] in `wanted`.
fn drop_entities_where<D: Dialect + ?Sized>(
    d: &D,
    md: &MetaData,
    wanted: Phase,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for i in retort_core::sort_entities(md.entities()).into_iter().rev() {
        if phase(&md.entities()[i]) != wanted {
            continue;
        }
        let mut key = md.entities()[i].key();
        if key.schema.is_none() {
            key.schema = md.default_schema().map(str::to_owned);
        }
        out.extend(d.drop_entity(&key)?);
    }
    Ok(out)
}
