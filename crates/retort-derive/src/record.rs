//! Code generation for the query runtime: `impl ::retort::core::record::Record` (columns,
//! row to and from values, the key) and one typed column handle a field, an associated
//! constant named as the field (`Order::customer_id`), with the field's visibility.
//!
//! Values go through `::retort::core::record::via`'s autoref probe, so a field type the
//! runtime cannot bind still compiles (the model stays a schema declaration) and is refused
//! at run time naming the field.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Visibility};

use crate::field::{ColumnDef, RelKind};
use crate::model::ModelDef;

pub(crate) fn expand_record(def: &ModelDef, vis_of: &dyn Fn(&Ident) -> Visibility) -> TokenStream {
    let ident = &def.ident;
    let in_pk = |c: &ColumnDef| {
        c.primary_key
            || def
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns.iter().any(|l| l.value() == c.name))
    };
    // Key columns in key order: the struct's `primary_key(columns(..))` order, else fields'.
    let key_columns: Vec<&ColumnDef> = match &def.primary_key {
        Some(pk) => pk
            .columns
            .iter()
            .filter_map(|l| def.columns.iter().find(|c| c.name == l.value()))
            .collect(),
        None => def.columns.iter().filter(|c| c.primary_key).collect(),
    };

    let probe = |c: &ColumnDef| {
        let ty = &c.ty;
        quote_spanned!(ty.span()=> (&&&::retort::core::record::via::Probe::<#ty>::new()))
    };
    let infos = def.columns.iter().map(|c| {
        let name = &c.name;
        let field = c.ident.to_string();
        let field = field.trim_start_matches("r#");
        let pk = in_pk(c);
        let computed = c.computed.is_some();
        let server_filled = c.identity.is_some()
            || c.serial
            || c.default.is_some()
            || c.variants
                .iter()
                .any(|v| matches!(v.default, Some(Some(_))))
            || computed;
        let p = probe(c);
        quote! {
            ::retort::core::record::ColumnInfo {
                name: #name,
                field: #field,
                kind: #p.kind(),
                primary_key: #pk,
                server_filled: #server_filled,
                computed: #computed,
            }
        }
    });
    let to_values = def.columns.iter().map(|c| {
        let f = &c.ident;
        let field = c.ident.to_string();
        let field = field.trim_start_matches("r#");
        let p = probe(c);
        quote!(#p.to_value(#field, &self.#f)?)
    });
    let value_at = def.columns.iter().enumerate().map(|(i, c)| {
        let f = &c.ident;
        let field = c.ident.to_string();
        let field = field.trim_start_matches("r#");
        let p = probe(c);
        quote!(#i => #p.to_value(#field, &self.#f))
    });
    let from_fields = def.columns.iter().map(|c| {
        let f = &c.ident;
        let field = c.ident.to_string();
        let field = field.trim_start_matches("r#");
        let p = probe(c);
        quote! {
            #f: #p.read_value(#field, values.next().ok_or_else(|| ::retort::core::record::ValueError {
                field: #field,
                problem: ::std::string::String::from("the row has fewer columns than the model"),
            })?)?
        }
    });
    // Each field decoded from the row's next column, in field order (a struct literal's
    // fields are evaluated as written).
    let row_fields = def.columns.iter().map(|c| {
        let f = &c.ident;
        let field = c.ident.to_string();
        let field = field.trim_start_matches("r#");
        let p = probe(c);
        quote!(#f: #p.read_row(#field, row)?)
    });
    let rel_fields = def
        .relationships
        .iter()
        .filter(|r| r.on_field)
        .map(|r| {
            let f = &r.ident;
            quote!(#f: ::std::default::Default::default())
        })
        .collect::<Vec<_>>();
    let (key_ty, key_values) = match key_columns.as_slice() {
        [] => (quote!(()), quote!(::std::vec::Vec::new())),
        [c] => {
            let ty = &c.ty;
            let field = c.ident.to_string();
            let p = probe(c);
            (
                quote!(#ty),
                quote!(::std::vec![#p.to_value(#field, &key).expect("a key the runtime can bind")]),
            )
        }
        cs => {
            let tys = cs.iter().map(|c| &c.ty);
            let names: Vec<Ident> = (0..cs.len())
                .map(|i| quote::format_ident!("__k{}", i))
                .collect();
            let values = cs.iter().zip(&names).map(|(c, n)| {
                let field = c.ident.to_string();
                let p = probe(c);
                quote!(#p.to_value(#field, &#n).expect("a key the runtime can bind"))
            });
            (
                quote!((#(#tys),*)),
                quote!({ let (#(#names),*) = key; ::std::vec![#(#values),*] }),
            )
        }
    };
    let handles = def.columns.iter().map(|c| {
        let f = &c.ident;
        let ty = &c.ty;
        let name = &c.name;
        let vis = vis_of(f);
        let doc = format!("The column `{name}`, for typed filters and ordering.");
        quote! {
            #[doc = #doc]
            #[allow(non_upper_case_globals, dead_code)]
            #vis const #f: ::retort::core::record::Col<#ident, #ty> =
                ::retort::core::record::Col::new(#name);
        }
    });
    let n = def.columns.len();
    let relations = def.relationships.iter().map(|r| {
        let name = r.ident.to_string();
        let name = name.trim_start_matches("r#");
        let target = &r.target;
        let through = match (&r.through, &r.secondary_table) {
            (Some(t), _) => quote_spanned!(t.span()=> ::std::option::Option::Some(<#t as ::retort::core::Model>::table)),
            (None, Some(f)) => quote_spanned!(f.span()=> ::std::option::Option::Some(#f as fn() -> ::retort::core::Table)),
            (None, None) => quote!(::std::option::Option::None),
        };
        quote_spanned! {target.span()=>
            ::retort::core::record::RelationInfo {
                field: #name,
                target_model: <#target as ::retort::core::Model>::MODEL_NAME,
                target_table: <#target as ::retort::core::Model>::table,
                target_columns: <#target as ::retort::core::record::Record>::columns,
                target_relations: <#target as ::retort::core::record::Record>::relations,
                through: #through,
            }
        }
    });
    // Without relationships the trait's default (none) stands.
    let relations_fn = if def.relationships.is_empty() {
        quote!()
    } else {
        quote! {
            fn relations() -> &'static [::retort::core::record::RelationInfo] {
                static RELATIONS: ::std::sync::OnceLock<::std::vec::Vec<::retort::core::record::RelationInfo>> =
                    ::std::sync::OnceLock::new();
                RELATIONS.get_or_init(|| ::std::vec![#(#relations),*])
            }
        }
    };
    let rel_handles = def.relationships.iter().map(|r| {
        let f = &r.ident;
        let name = f.to_string();
        let name = name.trim_start_matches("r#");
        let target = &r.target;
        let vis = vis_of(f);
        let card = match r.kind {
            RelKind::HasMany | RelKind::ManyToMany => quote!(::retort::core::record::Many),
            RelKind::HasOne | RelKind::BelongsTo => quote!(::retort::core::record::One),
        };
        let doc = format!("The relationship `{name}`, to load and write through (`retort::orm`).");
        quote! {
            #[doc = #doc]
            #[allow(non_upper_case_globals, dead_code)]
            #vis const #f: ::retort::core::record::Rel<#ident, #target, #card> =
                ::retort::core::record::Rel::new(#name);
        }
    });

    quote! {
        #[automatically_derived]
        impl ::retort::core::record::Record for #ident {
            type Key = #key_ty;
            fn columns() -> &'static [::retort::core::record::ColumnInfo] {
                static COLUMNS: ::std::sync::OnceLock<::std::vec::Vec<::retort::core::record::ColumnInfo>> =
                    ::std::sync::OnceLock::new();
                COLUMNS.get_or_init(|| {
                    #[allow(unused_imports)]
                    use ::retort::core::record::via::{Supported as _, Unsupported as _};
                    ::std::vec![#(#infos),*]
                })
            }

            fn to_values(&self) -> ::std::result::Result<
                ::std::vec::Vec<::retort::core::record::Value>,
                ::retort::core::record::ValueError,
            > {
                #[allow(unused_imports)]
                use ::retort::core::record::via::{Supported as _, Unsupported as _};
                ::std::result::Result::Ok(::std::vec![#(#to_values),*])
            }

            fn value_at(&self, column: usize) -> ::std::result::Result<
                ::retort::core::record::Value,
                ::retort::core::record::ValueError,
            > {
                #[allow(unused_imports)]
                use ::retort::core::record::via::{Supported as _, Unsupported as _};
                match column {
                    #(#value_at,)*
                    _ => ::std::result::Result::Err(::retort::core::record::ValueError {
                        field: "",
                        problem: ::std::format!("the model has {} columns, not {}", #n, column + 1),
                    }),
                }
            }

            fn from_values(values: ::std::vec::Vec<::retort::core::record::Value>) -> ::std::result::Result<
                Self,
                ::retort::core::record::ValueError,
            > {
                #[allow(unused_imports)]
                use ::retort::core::record::via::{Supported as _, Unsupported as _};
                if values.len() != #n {
                    return ::std::result::Result::Err(::retort::core::record::ValueError {
                        field: "",
                        problem: ::std::format!("the row has {} columns, the model {}", values.len(), #n),
                    });
                }
                #[allow(unused_mut)]
                let mut values = values.into_iter();
                ::std::result::Result::Ok(Self {
                    #(#from_fields,)*
                    #(#rel_fields,)*
                })
            }

            #[allow(unused_variables)]
            fn from_row(row: &mut dyn ::retort::core::record::RowReader) -> ::std::result::Result<
                Self,
                ::retort::core::record::ValueError,
            > {
                #[allow(unused_imports)]
                use ::retort::core::record::via::{Supported as _, Unsupported as _};
                ::std::result::Result::Ok(Self {
                    #(#row_fields,)*
                    #(#rel_fields,)*
                })
            }

            fn key_values(key: Self::Key) -> ::std::vec::Vec<::retort::core::record::Value> {
                #[allow(unused_imports)]
                use ::retort::core::record::via::{Supported as _, Unsupported as _};
                #key_values
            }

            #relations_fn
        }

        #[automatically_derived]
        impl #ident {
            #(#handles)*
            #(#rel_handles)*
        }
    }
}
