//! `#[derive(DbEnum)]`: a fieldless Rust enum stored as a named database enum type. It
//! implements `DbEnum` (the type's definition) and `ColumnType` (a `Type::Enum` column that
//! brings its definition along, so `MetaData::with::<M>()` registers the type).

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident};

use crate::attrs::{retort_entries, snake_case, unknown_key, Errors, Seen};

pub(crate) struct EnumDef {
    pub ident: Ident,
    pub name: String,
    pub schema: Option<String>,
    pub values: Vec<String>,
}

/// The keys on a `DbEnum` enum, and on one of its variants.
pub(crate) const ENUM_KEYS: &[&str] = &["name", "schema"];
pub(crate) const ENUM_VALUE_KEYS: &[&str] = &["rename"];

pub(crate) fn parse_enum(input: &DeriveInput) -> syn::Result<EnumDef> {
    let mut errors = Errors::default();
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        errors.at(
            input.generics.span(),
            "#[derive(DbEnum)] does not support generic enums: a database enum type has a fixed set of values",
        );
    }
    let mut def = EnumDef {
        ident: input.ident.clone(),
        name: snake_case(&input.ident.to_string()),
        schema: None,
        values: Vec::new(),
    };
    let mut seen = Seen::default();
    for e in errors.ok(retort_entries(&input.attrs)).unwrap_or_default() {
        let r = seen.first(&e).and_then(|_| match e.name().as_str() {
            "name" => e.non_empty_string().map(|s| def.name = s.value()),
            "schema" => e.non_empty_string().map(|s| def.schema = Some(s.value())),
            _ => Err(unknown_key(&e, "a DbEnum enum", ENUM_KEYS)),
        });
        errors.ok(r);
    }
    let Data::Enum(data) = &input.data else {
        let span = match &input.data {
            Data::Struct(s) => s.struct_token.span(),
            Data::Union(u) => u.union_token.span(),
            Data::Enum(_) => input.ident.span(),
        };
        errors.at(
            span,
            "#[derive(DbEnum)] needs an enum whose variants have no fields; for a table use #[derive(Model)]",
        );
        return Err(errors
            .finish()
            .err()
            .unwrap_or_else(|| syn::Error::new(span, "expected an enum")));
    };
    if data.variants.is_empty() {
        errors.at(
            input.ident.span(),
            "#[derive(DbEnum)] needs at least one variant: a database enum type cannot be empty",
        );
    }
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            errors.at(
                v.fields.span(),
                format!(
                    "variant `{}` has fields; #[derive(DbEnum)] needs fieldless variants, each stored as one value",
                    v.ident
                ),
            );
        }
        let mut value = snake_case(&v.ident.to_string());
        let mut seen = Seen::default();
        for e in errors.ok(retort_entries(&v.attrs)).unwrap_or_default() {
            let r = seen.first(&e).and_then(|_| match e.name().as_str() {
                "rename" => e.non_empty_string().map(|s| value = s.value()),
                _ => Err(unknown_key(&e, "a DbEnum variant", ENUM_VALUE_KEYS)),
            });
            errors.ok(r);
        }
        if def.values.contains(&value) {
            errors.at(
                v.ident.span(),
                format!("variant `{}` has the value \"{value}\", which another variant has already; give it `#[retort(rename = \"...\")]`", v.ident),
            );
        }
        def.values.push(value);
    }
    errors.finish().map(|_| def)
}

pub(crate) fn expand_enum(def: &EnumDef) -> TokenStream {
    let ident = &def.ident;
    let name = &def.name;
    let values = &def.values;
    let schema = match &def.schema {
        Some(s) => quote!(::std::option::Option::Some(::std::string::String::from(#s))),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        #[automatically_derived]
        impl ::retort::core::DbEnum for #ident {
            fn enum_type() -> ::retort::core::EnumType {
                let mut enum_type = ::retort::core::EnumType::new(#name, [#(#values),*]);
                enum_type.schema = #schema;
                enum_type
            }
        }

        #[automatically_derived]
        impl ::retort::core::ColumnType for #ident {
            fn column_type() -> ::retort::core::Type {
                ::retort::core::Type::Enum(
                    <Self as ::retort::core::DbEnum>::enum_type().reference(),
                )
            }
            fn enum_types() -> ::std::vec::Vec<::retort::core::EnumType> {
                ::std::vec![<Self as ::retort::core::DbEnum>::enum_type()]
            }
        }
    }
}
