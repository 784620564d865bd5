//! `exclude(..)` on the struct: a PostgreSQL exclusion constraint, spelled after SQLAlchemy's
//! `ExcludeConstraint((col, "&&"), .., using=, where=, name=, deferrable=, initially=)`:
//!
//! ```text
//! exclude(name = "no_overlap", using = "gist",
//!         element(column = "room_id", op = "="),
//!         element(expr = "tstzrange(starts_at, ends_at)", op = "&&"),
//!         where = "NOT cancelled", include("id"), deferrable, initially_deferred)
//! ```
//!
//! `name` is required (no naming convention names an exclusion constraint, and a migration
//! must know the name to drop it); `using` defaults to `gist`. An element is a `column` or an
//! `expr` with its `op`, and optionally `opclass`, `collate`, `desc`/`asc` and
//! `nulls_first`/`nulls_last`, as an index element has them.

use proc_macro2::TokenStream;
use quote::quote;
use retort_core::{index_expr_element_option, Deferrable, NullsOrder, SortOrder};
use syn::LitStr;

use crate::attrs::{unknown_key, Entry, Errors, Seen};
use crate::index_element::{ElemOptions, IndexElem};

pub(crate) const KEYS: &[&str] = &[
    "name",
    "using",
    "element",
    "where",
    "include",
    "deferrable",
    "initially_deferred",
];
pub(crate) const ELEMENT_KEYS: &[&str] = &[
    "column",
    "expr",
    "op",
    "opclass",
    "collate",
    "desc",
    "asc",
    "nulls_first",
    "nulls_last",
];
const EXAMPLE: &str = "exclude(name = \"no_overlap\", element(expr = \"tstzrange(starts_at, ends_at)\", op = \"&&\"))";
const ELEMENT_EXAMPLE: &str = "element(column = \"room_id\", op = \"=\")";

pub(crate) struct ExcludeDef {
    pub name: String,
    pub using: String,
    pub elements: Vec<(IndexElem, String)>,
    pub include: Vec<LitStr>,
    pub predicate: Option<String>,
    pub deferrable: Option<Deferrable>,
}

pub(crate) fn parse_exclude(entry: &Entry) -> syn::Result<ExcludeDef> {
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut name = None;
    let mut def = ExcludeDef {
        name: String::new(),
        using: "gist".into(),
        elements: Vec::new(),
        include: Vec::new(),
        predicate: None,
        deferrable: None,
    };
    let mut tried = false;
    for e in entry.nested(EXAMPLE)? {
        let r = match e.name().as_str() {
            "name" => seen
                .first(&e)
                .and_then(|_| e.non_empty_string())
                .map(|s| name = Some(s.value())),
            "using" => seen
                .first(&e)
                .and_then(|_| e.non_empty_string())
                .map(|s| def.using = s.value()),
            "element" => {
                tried = true;
                parse_element(&e).map(|x| def.elements.push(x))
            }
            "where" => seen
                .first(&e)
                .and_then(|_| e.non_empty_string())
                .map(|s| def.predicate = Some(s.value())),
            "include" => seen
                .first(&e)
                .and_then(|_| e.string_list())
                .map(|c| def.include = c),
            "deferrable" => seen.first(&e).and_then(|_| e.flag()).map(|_| {
                def.deferrable.get_or_insert(Deferrable::InitiallyImmediate);
            }),
            "initially_deferred" => seen
                .first(&e)
                .and_then(|_| e.flag())
                .map(|_| def.deferrable = Some(Deferrable::InitiallyDeferred)),
            _ => Err(unknown_key(&e, "`exclude(..)`", KEYS)),
        };
        errors.ok(r);
    }
    match name {
        Some(n) => def.name = n,
        None => errors.at(
            entry.span(),
            format!(
                "`exclude` needs a `name`: no naming convention names an exclusion constraint, \
                 and a migration drops it by name; as in `{EXAMPLE}`"
            ),
        ),
    }
    // An `element` that was given but wrong was reported already.
    if def.elements.is_empty() && !tried {
        errors.at(
            entry.span(),
            format!("`exclude` needs at least one `{ELEMENT_EXAMPLE}`"),
        );
    }
    errors.finish().map(|_| def)
}

/// `element(column = "a" | expr = "..", op = "..", options..)`.
fn parse_element(entry: &Entry) -> syn::Result<(IndexElem, String)> {
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut target: Option<(bool, LitStr)> = None;
    let mut op = None;
    let mut o = ElemOptions::default();
    // A target or operator that was given but wrong is reported at its own span only.
    let mut given = (false, false);
    for e in entry.nested(ELEMENT_EXAMPLE)? {
        match e.name().as_str() {
            "column" | "expr" => given.0 = true,
            "op" => given.1 = true,
            _ => {}
        }
        if errors.ok(seen.first(&e)).is_none() {
            continue;
        }
        let r = match e.name().as_str() {
            "column" | "expr" if target.is_some() => Err(syn::Error::new(
                e.span(),
                "an element is one `column` or one `expr`; give another `element(..)` for the next",
            )),
            "column" => e
                .non_empty_string()
                .map(|s| target = Some((false, s))),
            "expr" => e.non_empty_string().and_then(|s| {
                if let Some(clause) = index_expr_element_option(&s.value()) {
                    return Err(syn::Error::new(
                        s.span(),
                        format!(
                            "this expression holds {clause}, which belongs to the element: \
                             write it as an option, as in `element(expr = \"..\", op = \"&&\", desc)`"
                        ),
                    ));
                }
                target = Some((true, s));
                Ok(())
            }),
            "op" => e.non_empty_string().map(|s| op = Some(s.value())),
            "opclass" => e.non_empty_string().map(|s| o.opclass = Some(s.value())),
            "collate" => e.non_empty_string().map(|s| o.collation = Some(s.value())),
            "desc" | "asc" if o.order.is_some() => Err(syn::Error::new(
                e.span(),
                "give one of `asc` and `desc`",
            )),
            "desc" => e.flag().map(|_| o.order = Some(SortOrder::Desc)),
            "asc" => e.flag().map(|_| o.order = Some(SortOrder::Asc)),
            "nulls_first" | "nulls_last" if o.nulls.is_some() => Err(syn::Error::new(
                e.span(),
                "give one of `nulls_first` and `nulls_last`",
            )),
            "nulls_first" => e.flag().map(|_| o.nulls = Some(NullsOrder::First)),
            "nulls_last" => e.flag().map(|_| o.nulls = Some(NullsOrder::Last)),
            _ => Err(unknown_key(&e, "an `exclude` element", ELEMENT_KEYS)),
        };
        errors.ok(r);
    }
    let (Some((is_expr, target)), Some(op)) = (target, op) else {
        if given == (true, true) {
            return errors.finish().and_then(|_| {
                Err(syn::Error::new(
                    entry.span(),
                    "this element is not complete",
                ))
            });
        }
        let mut err = syn::Error::new(
            entry.span(),
            format!(
                "an `exclude` element needs a `column` (or `expr`) and its `op`, as in \
                 `{ELEMENT_EXAMPLE}`"
            ),
        );
        if let Err(more) = errors.finish() {
            err.combine(more);
        }
        return Err(err);
    };
    errors.finish()?;
    let elem = if is_expr {
        IndexElem::Expr(target.value(), o)
    } else {
        IndexElem::Column(target, o)
    };
    Ok((elem, op))
}

/// `table.excludes.push(::retort::core::Exclude { .. })`.
pub(crate) fn to_tokens(x: &ExcludeDef) -> TokenStream {
    let name = &x.name;
    let using = &x.using;
    let elements = x.elements.iter().map(|(e, op)| {
        let e = e.to_tokens();
        quote!(::retort::core::ExcludeElement::new(#e, #op))
    });
    let include = x.include.iter().map(LitStr::value);
    let predicate = match &x.predicate {
        Some(p) => quote!(::std::option::Option::Some(::std::string::String::from(#p))),
        None => quote!(::std::option::Option::None),
    };
    let deferrable = match x.deferrable {
        Some(Deferrable::InitiallyImmediate) => {
            quote!(::std::option::Option::Some(
                ::retort::core::Deferrable::InitiallyImmediate
            ))
        }
        Some(Deferrable::InitiallyDeferred) => {
            quote!(::std::option::Option::Some(
                ::retort::core::Deferrable::InitiallyDeferred
            ))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        table.excludes.push(::retort::core::Exclude {
            name: ::std::option::Option::Some(::std::string::String::from(#name)),
            using: ::std::string::String::from(#using),
            elements: ::std::vec![#(#elements),*],
            include: ::std::vec![#(::std::string::String::from(#include)),*],
            predicate: #predicate,
            deferrable: #deferrable,
        });
    }
}
