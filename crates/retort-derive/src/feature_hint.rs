//! Which trait a field's type is resolved through: `ColumnType`, or, for a type that looks
//! like one of an optional crate, the `retort_core::feature_hints` trait whose compile error
//! names the Cargo feature that maps it (see that module).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{GenericArgument, PathArguments, Type};

/// How to resolve `ty`: the type to name and the trait to name it through. For
/// `Option<T>` of a type that looks like an optional crate's, `T` itself, so that the error
/// is about `T` and its feature (rustc reports the innermost missing impl, which would be
/// plain `ColumnType`); the caller then knows the column is nullable.
pub(crate) fn resolve_through(ty: &Type) -> (Type, TokenStream, bool) {
    if let Some(inner) = option_inner(ty) {
        if feature_of(inner).is_some() {
            return (inner.clone(), column_type_trait(inner), true);
        }
    }
    (ty.clone(), column_type_trait(ty), false)
}

fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(a) => match a.args.first() {
            Some(GenericArgument::Type(inner)) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// The path of the trait to resolve `ty` through.
fn column_type_trait(ty: &Type) -> TokenStream {
    match feature_of(ty) {
        Some("chrono") => quote!(::retort::core::feature_hints::NeedsChrono),
        Some("uuid") => quote!(::retort::core::feature_hints::NeedsUuid),
        Some("json") => quote!(::retort::core::feature_hints::NeedsJson),
        Some("decimal") => quote!(::retort::core::feature_hints::NeedsDecimal),
        _ => quote!(::retort::core::ColumnType),
    }
}

/// The feature a type (or `Option` of it) seems to need, by the names in its path.
fn feature_of(ty: &Type) -> Option<&'static str> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident == "Option" {
        if let PathArguments::AngleBracketed(a) = &last.arguments {
            if let Some(GenericArgument::Type(inner)) = a.args.first() {
                return feature_of(inner);
            }
        }
        return None;
    }
    let names: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let has = |n: &str| names.iter().any(|s| s == n);
    let last = last.ident.to_string();
    if has("chrono")
        || [
            "NaiveDate",
            "NaiveTime",
            "NaiveDateTime",
            "DateTime",
            "TimeDelta",
        ]
        .contains(&last.as_str())
    {
        Some("chrono")
    } else if has("uuid") || last == "Uuid" {
        Some("uuid")
    } else if has("serde_json") {
        Some("json")
    } else if has("rust_decimal") || last == "Decimal" {
        Some("decimal")
    } else {
        None
    }
}
