//! Index elements as written in `index(..)`: `columns("a", created_at(desc, nulls_last),
//! name(collate = "C", opclass = "text_pattern_ops"))` and `expr = "lower(name)"` or
//! `expr("lower(name)", desc)`. A column is a string literal or an identifier (keywords and
//! raw identifiers too), with its options in parentheses after it. An expression carries only
//! the expression: one that ends in `DESC` or holds `COLLATE` is refused here, at its span,
//! rather than failing in the database at upgrade.

use proc_macro2::TokenStream;
use quote::quote;
use retort_core::{index_expr_element_option, NullsOrder, SortOrder};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

use crate::attrs::{unknown_key, Entry, EntryValue, Errors, Seen};

pub(crate) const OPTION_KEYS: &[&str] = &[
    "desc",
    "asc",
    "nulls_first",
    "nulls_last",
    "collate",
    "opclass",
];

/// What follows the target of one element.
#[derive(Default)]
pub(crate) struct ElemOptions {
    pub order: Option<SortOrder>,
    pub nulls: Option<NullsOrder>,
    pub collation: Option<String>,
    pub opclass: Option<String>,
}

pub(crate) enum IndexElem {
    Column(LitStr, ElemOptions),
    Expr(String, ElemOptions),
}

impl IndexElem {
    pub fn column(&self) -> Option<&LitStr> {
        match self {
            IndexElem::Column(c, _) => Some(c),
            IndexElem::Expr(..) => None,
        }
    }

    /// `::retort::core::IndexElement::column("a").desc()...`
    pub fn to_tokens(&self) -> TokenStream {
        let (mut out, o) = match self {
            IndexElem::Column(c, o) => (quote!(::retort::core::IndexElement::column(#c)), o),
            IndexElem::Expr(sql, o) => (quote!(::retort::core::IndexElement::expr(#sql)), o),
        };
        if let Some(c) = &o.collation {
            out = quote!(#out.collate(#c));
        }
        if let Some(c) = &o.opclass {
            out = quote!(#out.opclass(#c));
        }
        match o.order {
            Some(SortOrder::Asc) => out = quote!(#out.asc()),
            Some(SortOrder::Desc) => out = quote!(#out.desc()),
            None => {}
        }
        match o.nulls {
            Some(NullsOrder::First) => out = quote!(#out.nulls_first()),
            Some(NullsOrder::Last) => out = quote!(#out.nulls_last()),
            None => {}
        }
        out
    }
}

/// `columns(..)`: string literals or identifiers, each with optional `(options)`.
pub(crate) fn parse_columns(entry: &Entry) -> syn::Result<Vec<IndexElem>> {
    let example = "columns(\"a\", created_at(desc, nulls_last), name(collate = \"C\"))";
    let EntryValue::List(tokens, span) = &entry.value else {
        return Err(syn::Error::new(
            entry.value_span(),
            format!("`columns` expects a list, as in `{example}`"),
        ));
    };
    let items = Punctuated::<RawElem, Token![,]>::parse_terminated.parse2(tokens.clone())?;
    if items.is_empty() {
        return Err(syn::Error::new(
            *span,
            format!("`columns` needs at least one column, as in `{example}`"),
        ));
    }
    let mut errors = Errors::default();
    let mut out = Vec::new();
    for item in items {
        let options = match item.options {
            Some(tokens) => errors.ok(parse_options(tokens)).unwrap_or_default(),
            None => ElemOptions::default(),
        };
        out.push(IndexElem::Column(item.name, options));
    }
    errors.finish().map(|_| out)
}

/// `expr = ".."` or `expr("..", desc, ..)`.
pub(crate) fn parse_expr(entry: &Entry) -> syn::Result<IndexElem> {
    let (sql, options) = match &entry.value {
        EntryValue::List(tokens, _) => {
            let (sql, rest) = (|input: ParseStream| {
                let sql: LitStr = input.parse()?;
                let rest = if input.is_empty() {
                    TokenStream::new()
                } else {
                    input.parse::<Token![,]>()?;
                    input.parse::<TokenStream>()?
                };
                Ok((sql, rest))
            })
            .parse2(tokens.clone())
            .map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "`expr(..)` expects the expression as a string, then its options, as in \
                     `expr(\"lower(name)\", desc)`",
                )
            })?;
            (sql, parse_options(rest)?)
        }
        _ => (entry.non_empty_string()?, ElemOptions::default()),
    };
    if sql.value().trim().is_empty() {
        return Err(syn::Error::new(sql.span(), "`expr` must not be empty"));
    }
    if let Some(clause) = index_expr_element_option(&sql.value()) {
        return Err(syn::Error::new(
            sql.span(),
            format!(
                "this index expression holds {clause}, which belongs to the element, not the \
                 expression: write the column with its options, as in \
                 `columns(created_at(desc, nulls_last), name(collate = \"C\", opclass = \"text_pattern_ops\"))`, \
                 or the expression alone with them, as in `expr(\"lower(name)\", desc)`"
            ),
        ));
    }
    Ok(IndexElem::Expr(sql.value(), options))
}

/// One item of `columns(..)` before its options are read.
struct RawElem {
    name: LitStr,
    options: Option<TokenStream>,
}

impl syn::parse::Parse for RawElem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name = if input.peek(LitStr) {
            input.parse::<LitStr>()?
        } else if input.peek(Ident::peek_any) {
            let ident = Ident::parse_any(input)?;
            LitStr::new(&ident.unraw().to_string(), ident.span())
        } else {
            return Err(input.error(
                "expected a column: a string or a name, with options in parentheses, as in \
                 `created_at(desc)`",
            ));
        };
        let options = if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            Some(content.parse()?)
        } else {
            None
        };
        Ok(RawElem { name, options })
    }
}

fn parse_options(tokens: TokenStream) -> syn::Result<ElemOptions> {
    let entries = Punctuated::<Entry, Token![,]>::parse_terminated.parse2(tokens)?;
    let mut errors = Errors::default();
    let mut seen = Seen::default();
    let mut o = ElemOptions::default();
    let mut order_at: Option<String> = None;
    let mut nulls_at: Option<String> = None;
    for e in &entries {
        if errors.ok(seen.first(e)).is_none() {
            continue;
        }
        let exclusive = |slot: &mut Option<String>| match slot {
            Some(prev) => Err(syn::Error::new(
                e.span(),
                format!("`{}` conflicts with `{prev}`: give one", e.name()),
            )),
            None => {
                *slot = Some(e.name());
                Ok(())
            }
        };
        let r = match e.name().as_str() {
            "desc" => exclusive(&mut order_at)
                .and_then(|_| e.flag())
                .map(|_| o.order = Some(SortOrder::Desc)),
            "asc" => exclusive(&mut order_at)
                .and_then(|_| e.flag())
                .map(|_| o.order = Some(SortOrder::Asc)),
            "nulls_first" => exclusive(&mut nulls_at)
                .and_then(|_| e.flag())
                .map(|_| o.nulls = Some(NullsOrder::First)),
            "nulls_last" => exclusive(&mut nulls_at)
                .and_then(|_| e.flag())
                .map(|_| o.nulls = Some(NullsOrder::Last)),
            "collate" => e.non_empty_string().map(|s| o.collation = Some(s.value())),
            "opclass" => e.non_empty_string().map(|s| o.opclass = Some(s.value())),
            _ => Err(unknown_key(e, "an index element", OPTION_KEYS)),
        };
        errors.ok(r);
    }
    errors.finish().map(|_| o)
}
