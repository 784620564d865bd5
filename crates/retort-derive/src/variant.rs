//! Per-dialect variants on a column field, SQLAlchemy's `with_variant`:
//!
//! ```text
//! #[retort(server_default = "gen_random_uuid()", sqlite(no_server_default))]
//! pub id: uuid::Uuid,
//! #[retort(jsonb, sqlite(sql_type = "TEXT"))]
//! pub body: String,
//! #[retort(server_default = "now()", sqlite(server_default = "CURRENT_TIMESTAMP"))]
//! pub created: chrono::DateTime<chrono::Utc>,
//! ```
//!
//! `postgres(..)`, `sqlite(..)` and `mysql(..)` (MySQL and MariaDB) take a column type (any type key: `text`,
//! `sql_type = ".."`, ...) and a default (`server_default`, `default_value` or
//! `no_server_default`); what they leave out is the field's own. The expansion is
//! `Type::with_variant` / `ServerDefault::with_variant`, so the table carries every
//! dialect's choice and each database picks its own.

use proc_macro2::TokenStream;
use quote::quote;
use retort_core::DialectKind;

use crate::attrs::{unknown_key_or, Entry, Errors, Seen};
use crate::field::{default_def, is_type_key, sql_type, type_keys, DefaultDef, SqlType};

/// The keys that open a variant, and the dialect each means.
pub(crate) const VARIANT_KEYS: &[(&str, DialectKind)] = &[
    ("postgres", DialectKind::Postgres),
    ("sqlite", DialectKind::Sqlite),
    ("mysql", DialectKind::Mysql),
];

/// The defaults a variant may give (besides a type key).
pub(crate) const KEYS: &[&str] = &["server_default", "default_value", "no_server_default"];

pub(crate) struct VariantDef {
    pub dialect: DialectKind,
    pub sql_type: Option<SqlType>,
    /// `Some(None)`: no default on this dialect.
    pub default: Option<Option<DefaultDef>>,
}

pub(crate) fn is_variant_key(key: &str) -> bool {
    VARIANT_KEYS.iter().any(|(k, _)| *k == key)
}

/// `sqlite(text, no_server_default)`.
pub(crate) fn parse_variant(e: &Entry) -> syn::Result<VariantDef> {
    let name = e.name();
    let dialect = VARIANT_KEYS
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, d)| *d)
        .ok_or_else(|| syn::Error::new(e.span(), "not a dialect"))?;
    let example = format!("{name}(sql_type = \"TEXT\", server_default = \"...\")");
    let entries = e.nested(&example)?;
    let mut def = VariantDef {
        dialect,
        sql_type: None,
        default: None,
    };
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let (mut type_key, mut default_key): (Option<String>, Option<String>) = (None, None);
    for inner in &entries {
        if errors.ok(seen.first(inner)).is_none() {
            continue;
        }
        let key = inner.name();
        let once = |slot: &mut Option<String>, what: &str| match slot {
            Some(prev) => Err(syn::Error::new(
                inner.span(),
                format!("`{key}` conflicts with `{prev}`: give {what} once in `{name}(..)`"),
            )),
            None => {
                *slot = Some(key.clone());
                Ok(())
            }
        };
        let r = match key.as_str() {
            "server_default" | "default_value" => once(&mut default_key, "a default")
                .and_then(|_| default_def(inner))
                .map(|d| def.default = Some(Some(d))),
            "no_server_default" => once(&mut default_key, "a default")
                .and_then(|_| inner.flag())
                .map(|_| def.default = Some(None)),
            k if is_type_key(k) => once(&mut type_key, "a column type")
                .and_then(|_| sql_type(inner))
                .map(|t| def.sql_type = Some(t)),
            _ => Err(unknown_key_or(
                inner,
                &format!("`{name}(..)`"),
                KEYS,
                &type_keys(),
                "or one column type",
            )),
        };
        errors.ok(r);
    }
    if entries.is_empty() {
        errors.at(
            e.value_span(),
            format!("`{name}(..)` is empty: give this dialect a column type or a default, as in `{example}`"),
        );
    }
    errors.finish().map(|_| def)
}

fn dialect(d: DialectKind) -> TokenStream {
    match d {
        DialectKind::Sqlite => quote!(::retort::core::DialectKind::Sqlite),
        DialectKind::Mysql => quote!(::retort::core::DialectKind::Mysql),
        _ => quote!(::retort::core::DialectKind::Postgres),
    }
}

/// `ty.with_variant(..)` for each variant that gives a type.
pub(crate) fn type_with_variants(
    ty: TokenStream,
    variants: &[VariantDef],
    expand_type: impl Fn(&SqlType) -> TokenStream,
) -> TokenStream {
    variants.iter().fold(ty, |ty, v| match &v.sql_type {
        Some(t) => {
            let (d, t) = (dialect(v.dialect), expand_type(t));
            quote!(#ty.with_variant(#d, #t))
        }
        None => ty,
    })
}

/// The default with each variant's, or `None` when neither the field nor a variant has one.
pub(crate) fn default_with_variants(
    base: Option<TokenStream>,
    variants: &[VariantDef],
    expand_default: impl Fn(&DefaultDef) -> TokenStream,
) -> Option<TokenStream> {
    if !variants.iter().any(|v| v.default.is_some()) {
        return base;
    }
    let start = base.unwrap_or_else(|| {
        quote!(::retort::core::ServerDefault::Variant {
            base: ::std::option::Option::None,
            variants: ::std::vec::Vec::new(),
        })
    });
    Some(variants.iter().fold(start, |acc, v| match &v.default {
        Some(d) => {
            let dk = dialect(v.dialect);
            let d = match d {
                Some(d) => {
                    let d = expand_default(d);
                    quote!(::std::option::Option::Some(#d))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(#acc.with_variant(#dk, #d))
        }
        None => acc,
    }))
}

/// `no_server_default` with nothing to remove is a mistake worth saying.
pub(crate) fn check(
    has_default: bool,
    variants: &[(VariantDef, proc_macro2::Span)],
    errors: &mut Errors,
) {
    for (v, span) in variants {
        if matches!(v.default, Some(None)) && !has_default {
            errors.at(
                *span,
                format!(
                    "`no_server_default` in `{}(..)` removes the field's default, but the field has none; \
                     drop it, or give the field a `server_default`",
                    v.dialect.as_str()
                ),
            );
        }
    }
}
