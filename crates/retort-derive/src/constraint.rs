//! Table-level constraints and indexes as written on the struct: `primary_key(..)`,
//! `unique(..)`, `index(..)`, `check(..)` and composite `foreign_key(..)`. Column names are
//! kept as string literals so a name that is not a column can be reported at its own span.

use retort_core::{Deferrable, FkAction, FkMatch, ForeignKey};
use syn::LitStr;

use crate::attrs::{unknown_key, Entry, EntryValue, Errors, Seen};
pub(crate) use crate::index_element::IndexElem;
use crate::index_element::{parse_columns, parse_expr};

/// `primary_key(columns(..), name = "..")` and `unique(columns(..), name = "..")`.
pub(crate) struct KeyDef {
    pub name: Option<String>,
    pub columns: Vec<LitStr>,
    /// `unique(.., deferrable)` / `initially_deferred`.
    pub deferrable: Option<Deferrable>,
    /// `unique(.., nulls_not_distinct)`.
    pub nulls_not_distinct: bool,
    /// `with = "fillfactor=100"`: the storage parameters of the key's index.
    pub with: Vec<(String, String)>,
}

pub(crate) struct IndexDef {
    pub name: Option<String>,
    pub unique: bool,
    pub elements: Vec<IndexElem>,
    pub method: Option<String>,
    pub include: Vec<LitStr>,
    pub predicate: Option<String>,
    /// `index(.., unique, nulls_not_distinct)`.
    pub nulls_not_distinct: bool,
    /// `with = "fillfactor=90"`.
    pub with: Vec<(String, String)>,
}

pub(crate) struct CheckDef {
    pub name: Option<String>,
    pub expr: String,
}

/// A foreign key, from a field's `foreign_key = "table.column"` (or `foreign_key(table = ..,
/// column = ..)`) or the struct's composite `foreign_key(columns(..), references =
/// "table(a, b)")` (or `references(table = .., columns(..))`).
pub(crate) struct ForeignKeyDef {
    pub name: Option<String>,
    /// Local columns; literals only for the composite form (a field's column is its own).
    pub columns: Vec<LitStr>,
    pub ref_schema: Option<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
    pub deferrable: Option<Deferrable>,
    /// `match = "full"` (SQLAlchemy's `match=`); `None` is `MATCH SIMPLE`.
    pub match_type: Option<FkMatch>,
}

pub(crate) const FK_ACTIONS: &str =
    "\"cascade\", \"set null\", \"set default\", \"restrict\", \"no action\"";

/// `on_delete = ".."` / `on_update = ".."`.
pub(crate) fn fk_action(entry: &Entry) -> syn::Result<FkAction> {
    let s = entry.string()?;
    FkAction::parse(&s.value()).ok_or_else(|| {
        syn::Error::new(
            s.span(),
            format!(
                "unknown `{}` action \"{}\"; expected one of: {FK_ACTIONS}",
                entry.name(),
                s.value()
            ),
        )
    })
}

/// `match = "full"` (or `"partial"`, or `"simple"`, the default: `None`).
pub(crate) fn fk_match(entry: &Entry) -> syn::Result<Option<FkMatch>> {
    let s = entry.string()?;
    FkMatch::parse(&s.value()).ok_or_else(|| {
        syn::Error::new(
            s.span(),
            format!(
                "unknown `match` type \"{}\"; expected one of: \"full\", \"partial\", \"simple\"",
                s.value()
            ),
        )
    })
}

/// The structured field form, for a target whose names hold a `.` (which the text form
/// splits at).
const FIELD_TARGET_EXAMPLE: &str =
    "foreign_key(table = \"customers\", schema = \"sales\", column = \"id\")";
/// The structured `references(..)`, for names that hold a `.`, `,` or `(`.
const REFERENCES_EXAMPLE: &str =
    "references(table = \"orders\", schema = \"sales\", columns(\"id\", \"tenant\"))";

/// A field's `foreign_key = "table.column"` or `"schema.table.column"`, split at each `.`;
/// or `foreign_key(table = "..", schema = "..", column = "..")`, its names as they are (what
/// `models --from-db` writes for a name that holds a `.`).
pub(crate) fn fk_target(entry: &Entry) -> syn::Result<ForeignKeyDef> {
    let (ref_schema, ref_table, ref_columns) = if matches!(entry.value, EntryValue::List(..)) {
        structured_target(entry, "column", FIELD_TARGET_EXAMPLE)?
    } else {
        let s = entry.string()?;
        let (schema, table, column) = ForeignKey::parse_target(&s.value()).ok_or_else(|| {
            syn::Error::new(
                s.span(),
                format!(
                    "foreign key target \"{}\" must be \"table.column\" or \"schema.table.column\" (for a name that holds a `.`: `{FIELD_TARGET_EXAMPLE}`)",
                    s.value()
                ),
            )
        })?;
        (schema, table, vec![column])
    };
    Ok(ForeignKeyDef {
        name: None,
        columns: Vec::new(),
        ref_schema,
        ref_table,
        ref_columns,
        on_delete: None,
        on_update: None,
        deferrable: None,
        match_type: None,
    })
}

/// A foreign key's target with its names apart: `table = "..", schema = "..", column =
/// ".."` (`columns_key` "column", a field's `foreign_key(..)`) or `.., columns("..", ..)`
/// (the struct's `references(..)`). Each name is taken as written; `schema` is optional (the
/// default schema).
fn structured_target(
    entry: &Entry,
    columns_key: &str,
    example: &str,
) -> syn::Result<(Option<String>, String, Vec<String>)> {
    let place = format!("`{}(..)`", entry.name());
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let (mut table, mut schema, mut columns) = (None, None, Vec::new());
    for n in entry.nested(example)? {
        let key = n.name();
        let r = seen.first(&n).and_then(|_| {
            let non_empty = |s: LitStr| {
                if s.value().is_empty() {
                    return Err(syn::Error::new(
                        s.span(),
                        format!("`{key}` must not be empty"),
                    ));
                }
                Ok(s.value())
            };
            match key.as_str() {
                "table" => table = Some(non_empty(n.string()?)?),
                "schema" => schema = Some(non_empty(n.string()?)?),
                "column" if columns_key == "column" => columns = vec![non_empty(n.string()?)?],
                "columns" if columns_key == "columns" => {
                    columns = n
                        .string_list()?
                        .into_iter()
                        .map(non_empty)
                        .collect::<syn::Result<_>>()?
                }
                // A field's foreign key options are the field's own keys.
                "on_delete" | "on_update" | "deferrable" | "initially_deferred" | "match"
                | "fk_name"
                    if columns_key == "column" =>
                {
                    return Err(syn::Error::new(
                        n.span(),
                        format!(
                            "`{key}` goes beside `foreign_key(..)` on the field, not inside it, as in `#[retort({FIELD_TARGET_EXAMPLE}, on_delete = \"cascade\")]`"
                        ),
                    ))
                }
                _ => return Err(unknown_key(&n, &place, &["table", "schema", columns_key])),
            }
            Ok(())
        });
        errors.ok(r);
    }
    for key in ["table", columns_key] {
        if !seen.contains(key) {
            errors.at(
                entry.value_span(),
                format!("{place} needs `{key}`, as in `{example}`"),
            );
        }
    }
    errors.finish()?;
    Ok((schema, table.unwrap_or_default(), columns))
}

/// `"table(a, b)"` or `"schema.table(a, b)"`.
fn parse_references(s: &str) -> Option<(Option<String>, String, Vec<String>)> {
    let (target, rest) = s.trim().split_once('(')?;
    let cols = rest.trim().strip_suffix(')')?;
    let ref_columns: Vec<String> = cols.split(',').map(|c| c.trim().to_string()).collect();
    if ref_columns
        .iter()
        .any(|c| c.is_empty() || c.contains(['(', ')', '.']))
    {
        return None;
    }
    let parts: Vec<&str> = target.trim().split('.').collect();
    let (schema, table) = match parts.as_slice() {
        [t] => (None, *t),
        [s, t] if !s.is_empty() => (Some(s.to_string()), *t),
        _ => return None,
    };
    (!table.is_empty()).then(|| (schema, table.to_string(), ref_columns))
}

fn opt_name(seen: &mut Seen, e: &Entry, slot: &mut Option<String>) -> syn::Result<()> {
    seen.first(e)?;
    *slot = Some(e.non_empty_string()?.value());
    Ok(())
}

/// The keys of `unique(..)`, `primary_key(..)`, `index(..)`, `check(..)` and
/// `foreign_key(..)` on a struct.
pub(crate) const UNIQUE_KEYS: &[&str] = &[
    "columns",
    "name",
    "deferrable",
    "initially_deferred",
    "nulls_not_distinct",
    "with",
];
pub(crate) const PRIMARY_KEY_KEYS: &[&str] = &["columns", "name", "with"];
pub(crate) const INDEX_KEYS: &[&str] = &[
    "columns",
    "expr",
    "name",
    "unique",
    "method",
    "include",
    "where",
    "nulls_not_distinct",
    "with",
];
pub(crate) const CHECK_KEYS: &[&str] = &["expr", "name"];
pub(crate) const FOREIGN_KEY_KEYS: &[&str] = &[
    "columns",
    "references",
    "on_delete",
    "on_update",
    "name",
    "deferrable",
    "initially_deferred",
    "match",
    "use_alter",
];

pub(crate) fn parse_key(entry: &Entry, what: &str) -> syn::Result<KeyDef> {
    let example = format!("{what}(columns(\"a\", \"b\"), name = \"...\")");
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut def = KeyDef {
        name: None,
        columns: Vec::new(),
        deferrable: None,
        nulls_not_distinct: false,
        with: Vec::new(),
    };
    let keys = if what == "unique" {
        UNIQUE_KEYS
    } else {
        PRIMARY_KEY_KEYS
    };
    for e in entry.nested(&example)? {
        let r = match e.name().as_str() {
            "columns" => seen.first(&e).and_then(|_| {
                def.columns = e.string_list()?;
                Ok(())
            }),
            "name" => opt_name(&mut seen, &e, &mut def.name),
            "with" => seen
                .first(&e)
                .and_then(|_| storage_parameters(&e))
                .map(|w| def.with = w),
            "deferrable" if what == "unique" => seen.first(&e).and_then(|_| e.flag()).map(|_| {
                def.deferrable.get_or_insert(Deferrable::InitiallyImmediate);
            }),
            "initially_deferred" if what == "unique" => seen
                .first(&e)
                .and_then(|_| e.flag())
                .map(|_| def.deferrable = Some(Deferrable::InitiallyDeferred)),
            "nulls_not_distinct" if what == "unique" => seen
                .first(&e)
                .and_then(|_| e.flag())
                .map(|_| def.nulls_not_distinct = true),
            _ => Err(unknown_key(&e, &format!("`{what}(..)`"), keys)),
        };
        errors.ok(r);
    }
    if def.columns.is_empty() {
        errors.at(
            entry.span(),
            format!("`{what}` needs its columns, as in `{example}`"),
        );
    }
    errors.finish().map(|_| def)
}

pub(crate) fn parse_index(entry: &Entry) -> syn::Result<IndexDef> {
    let example = "index(columns(\"a\", created_at(desc)), name = \"...\")";
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut def = IndexDef {
        name: None,
        unique: false,
        elements: Vec::new(),
        method: None,
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        with: Vec::new(),
    };
    let mut tried = false;
    for e in entry.nested(example)? {
        let r = match e.name().as_str() {
            // `columns(..)` and `expr = ".."` may both repeat; elements keep their written order.
            "columns" => {
                tried = true;
                parse_columns(&e).map(|cols| def.elements.extend(cols))
            }
            "expr" => {
                tried = true;
                parse_expr(&e).map(|x| def.elements.push(x))
            }
            "name" => opt_name(&mut seen, &e, &mut def.name),
            "unique" => seen
                .first(&e)
                .and_then(|_| e.flag())
                .map(|_| def.unique = true),
            "method" => opt_name(&mut seen, &e, &mut def.method),
            "include" => seen
                .first(&e)
                .and_then(|_| e.string_list())
                .map(|c| def.include = c),
            "where" => opt_name(&mut seen, &e, &mut def.predicate),
            "with" => seen
                .first(&e)
                .and_then(|_| storage_parameters(&e))
                .map(|w| def.with = w),
            "nulls_not_distinct" => seen
                .first(&e)
                .and_then(|_| e.flag())
                .map(|_| def.nulls_not_distinct = true),
            _ => Err(unknown_key(&e, "`index(..)`", INDEX_KEYS)),
        };
        errors.ok(r);
    }
    // A `columns` or `expr` that was given but wrong was reported already.
    if def.elements.is_empty() && !tried {
        errors.at(
            entry.span(),
            "an index needs `columns(\"a\", ..)` or `expr = \"...\"` (or both)",
        );
    }
    errors.finish().map(|_| def)
}

pub(crate) fn parse_check(entry: &Entry) -> syn::Result<CheckDef> {
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut expr = None;
    let mut name = None;
    for e in entry.nested("check(expr = \"price > 0\", name = \"...\")")? {
        let r = match e.name().as_str() {
            "expr" => opt_name(&mut seen, &e, &mut expr),
            "name" => opt_name(&mut seen, &e, &mut name),
            _ => Err(unknown_key(&e, "`check(..)`", CHECK_KEYS)),
        };
        errors.ok(r);
    }
    if expr.is_none() {
        errors.at(
            entry.span(),
            "`check` needs its condition, as in `check(expr = \"price > 0\")`",
        );
    }
    errors.finish()?;
    Ok(CheckDef {
        name,
        expr: expr.unwrap_or_default(),
    })
}

/// `sequence(name = "order_no_seq", data_type = "integer", start = 1000, ..)`: a standalone
/// sequence (SQLAlchemy's `Sequence` in the metadata).
pub(crate) struct SequenceDef {
    pub name: String,
    /// `SmallInt`, `Integer` or `BigInt` (the `Type` variant); `None`: bigint.
    pub data_type: Option<&'static str>,
    /// Builder calls in the order written (`None` for `cycle`).
    pub options: Vec<(&'static str, Option<i64>)>,
}

/// The keys of `sequence(..)` on a struct.
pub(crate) const SEQUENCE_KEYS: &[&str] = &[
    "name",
    "data_type",
    "start",
    "increment",
    "minvalue",
    "maxvalue",
    "cycle",
    "cache",
];

pub(crate) fn parse_sequence(entry: &Entry) -> syn::Result<SequenceDef> {
    const KEYS: &[&str] = SEQUENCE_KEYS;
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut name = None;
    let mut def = SequenceDef {
        name: String::new(),
        data_type: None,
        options: Vec::new(),
    };
    for e in entry.nested("sequence(name = \"order_no_seq\", start = 1000)")? {
        if errors.ok(seen.first(&e)).is_none() {
            continue;
        }
        let key = e.name();
        let r = match key.as_str() {
            "name" => e.non_empty_string().map(|s| name = Some(s.value())),
            "data_type" => e.non_empty_string().and_then(|s| {
                def.data_type = Some(match s.value().to_ascii_lowercase().as_str() {
                    "smallint" => "SmallInt",
                    "integer" => "Integer",
                    "bigint" => "BigInt",
                    other => {
                        return Err(syn::Error::new(
                            s.span(),
                            format!("a sequence is \"smallint\", \"integer\" or \"bigint\", not \"{other}\""),
                        ))
                    }
                });
                Ok(())
            }),
            "start" => e.int().map(|n| def.options.push(("start", Some(n)))),
            "increment" => e.int().and_then(|n| {
                if n == 0 {
                    return Err(syn::Error::new(e.value_span(), "`increment` must not be 0"));
                }
                def.options.push(("increment", Some(n)));
                Ok(())
            }),
            "minvalue" => e.int().map(|n| def.options.push(("minvalue", Some(n)))),
            "maxvalue" => e.int().map(|n| def.options.push(("maxvalue", Some(n)))),
            "cycle" => e.flag().map(|_| def.options.push(("cycle", None))),
            "cache" => e.int().and_then(|n| {
                if n < 1 {
                    return Err(syn::Error::new(e.value_span(), "`cache` must be at least 1"));
                }
                def.options.push(("cache", Some(n)));
                Ok(())
            }),
            _ => Err(unknown_key(&e, "`sequence(..)`", KEYS)),
        };
        errors.ok(r);
    }
    match name {
        Some(n) => def.name = n,
        None => errors.at(
            entry.span(),
            "`sequence` needs its name, as in `sequence(name = \"order_no_seq\")`",
        ),
    }
    errors.finish()?;
    Ok(def)
}

pub(crate) fn parse_foreign_key(entry: &Entry) -> syn::Result<ForeignKeyDef> {
    let example = "foreign_key(columns(\"a\", \"b\"), references = \"table(a, b)\")";
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut columns = Vec::new();
    let mut target = None;
    let mut fk_name = None;
    let (mut on_delete, mut on_update, mut deferrable) = (None, None, None);
    let mut match_type = None;
    for e in entry.nested(example)? {
        seen_or(&mut errors, &mut seen, &e);
        let r = match e.name().as_str() {
            "columns" => e.string_list().map(|c| columns = c),
            "references" if matches!(e.value, EntryValue::List(..)) => {
                structured_target(&e, "columns", REFERENCES_EXAMPLE).map(|t| target = Some(t))
            }
            "references" => e.string().and_then(|s| {
                target = Some(parse_references(&s.value()).ok_or_else(|| {
                    syn::Error::new(
                        s.span(),
                        format!(
                            "`references` must be \"table(a, b)\" or \"schema.table(a, b)\", not \"{}\" (for names that hold a `.`, `,` or `(`: `{REFERENCES_EXAMPLE}`)",
                            s.value()
                        ),
                    )
                })?);
                Ok(())
            }),
            "on_delete" => fk_action(&e).map(|a| on_delete = Some(a)),
            "on_update" => fk_action(&e).map(|a| on_update = Some(a)),
            "name" => e.non_empty_string().map(|s| fk_name = Some(s.value())),
            "deferrable" => e.flag().map(|_| {
                deferrable.get_or_insert(Deferrable::InitiallyImmediate);
            }),
            "initially_deferred" => e
                .flag()
                .map(|_| deferrable = Some(Deferrable::InitiallyDeferred)),
            "match" => fk_match(&e).map(|m| match_type = m),
            // SQLAlchemy's `use_alter`: accepted so models port as written, and needed for
            // nothing, since `create_all` adds the keys that close a cycle afterwards anyway.
            "use_alter" => e.flag_or_bool().map(|_| ()),
            _ => Err(unknown_key(&e, "`foreign_key(..)`", FOREIGN_KEY_KEYS)),
        };
        errors.ok(r);
    }
    match &target {
        // A malformed `references` was reported already.
        None if seen.contains("references") => {}
        None => errors.at(
            entry.span(),
            format!("`foreign_key` needs `references`, as in `{example}`"),
        ),
        Some((_, _, refs)) if !columns.is_empty() && refs.len() != columns.len() => errors.at(
            entry.span(),
            format!(
                "`foreign_key` has {} column(s) but `references` names {}; they must pair up",
                columns.len(),
                refs.len()
            ),
        ),
        Some(_) => {}
    }
    if columns.is_empty() {
        errors.at(
            entry.span(),
            format!("`foreign_key` needs `columns(..)`, as in `{example}`"),
        );
    }
    errors.finish()?;
    let (ref_schema, ref_table, ref_columns) = target.unwrap_or_default();
    Ok(ForeignKeyDef {
        name: fk_name,
        columns,
        ref_schema,
        ref_table,
        ref_columns,
        on_delete,
        on_update,
        deferrable,
        match_type,
    })
}

fn seen_or(errors: &mut Errors, seen: &mut Seen, e: &Entry) {
    errors.ok(seen.first(e));
}

/// `with = "fillfactor=90, autovacuum_enabled=false"`: storage parameters (PostgreSQL), each
/// `name=value`, as `reloptions` lists them; a name without `=` is refused at its span.
pub(crate) fn storage_parameters(e: &Entry) -> syn::Result<Vec<(String, String)>> {
    let lit = e.non_empty_string()?;
    let mut out = Vec::new();
    for item in lit.value().split(',').map(str::trim) {
        match item.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                out.push((k.trim().to_owned(), v.trim().to_owned()))
            }
            _ => {
                return Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "`{item}` is not a storage parameter: write each as `name=value`, separated by commas (`with = \"fillfactor=90, autovacuum_enabled=false\"`)"
                    ),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::parse_references;

    #[test]
    fn references_accept_table_and_schema_forms() {
        assert_eq!(
            parse_references("orders(id, tenant)"),
            Some((None, "orders".into(), vec!["id".into(), "tenant".into()]))
        );
        assert_eq!(
            parse_references("shop.orders(id)"),
            Some((Some("shop".into()), "orders".into(), vec!["id".into()]))
        );
        assert_eq!(parse_references("orders.id"), None);
        assert_eq!(parse_references("orders()"), None);
        assert_eq!(parse_references("a.b.c(id)"), None);
    }
}
