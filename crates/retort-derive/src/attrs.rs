//! The generic layer under every `#[retort(...)]` attribute: entries (`key`, `key = value`,
//! `key(...)`), typed accessors that turn a wrong shape into a spanned error saying what was
//! expected, duplicate detection, and an error accumulator.
//!
//! `syn::Meta` is not used because its path parser rejects keywords, and `where = "..."`
//! (an index predicate) reads better than any synonym.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Ident, Lit, LitBool, LitInt, LitStr, Token, UnOp};

/// One entry of a `#[retort(...)]` attribute.
pub(crate) struct Entry {
    pub key: Ident,
    pub value: EntryValue,
}

pub(crate) enum EntryValue {
    /// `key`
    Flag,
    /// `key = value`
    Value(Expr),
    /// `key(...)`: the tokens inside the parentheses, parsed by whoever knows their shape.
    List(TokenStream, Span),
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        let value = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            EntryValue::Value(input.parse()?)
        } else if input.peek(syn::token::Paren) {
            let content;
            let paren = syn::parenthesized!(content in input);
            EntryValue::List(content.parse()?, paren.span.join())
        } else {
            EntryValue::Flag
        };
        Ok(Entry { key, value })
    }
}

/// A literal value given as `key = value`, for literal defaults.
pub(crate) enum LitValue {
    Str(String),
    Int(i64),
    /// A decimal number kept as written (without any type suffix).
    Number(String),
    Bool(bool),
}

impl Entry {
    pub fn name(&self) -> String {
        self.key.unraw().to_string()
    }

    pub fn span(&self) -> Span {
        self.key.span()
    }

    /// The whole entry's span, for errors about the value.
    pub fn value_span(&self) -> Span {
        match &self.value {
            EntryValue::Flag => self.key.span(),
            EntryValue::Value(e) => e.span(),
            EntryValue::List(_, s) => *s,
        }
    }

    fn expected(&self, what: &str) -> syn::Error {
        syn::Error::new(
            self.value_span(),
            format!("`{}` expects {what}", self.name()),
        )
    }

    /// `key` with no value.
    pub fn flag(&self) -> syn::Result<()> {
        match self.value {
            EntryValue::Flag => Ok(()),
            _ => Err(self.expected(&format!("no value; write just `{}`", self.name()))),
        }
    }

    /// `key` (true) or `key = true|false`.
    pub fn flag_or_bool(&self) -> syn::Result<bool> {
        match &self.value {
            EntryValue::Flag => Ok(true),
            EntryValue::Value(Expr::Lit(ExprLit {
                lit: Lit::Bool(LitBool { value, .. }),
                ..
            })) => Ok(*value),
            _ => Err(self.expected(&format!(
                "no value or a boolean, as in `{0}` or `{0} = false`",
                self.name()
            ))),
        }
    }

    /// `key = "string"`.
    pub fn string(&self) -> syn::Result<LitStr> {
        match &self.value {
            EntryValue::Value(Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            })) => Ok(s.clone()),
            _ => Err(self.expected(&format!(
                "a string literal, as in `{} = \"...\"`",
                self.name()
            ))),
        }
    }

    /// `key = "string"`, rejecting an empty string.
    pub fn non_empty_string(&self) -> syn::Result<LitStr> {
        let s = self.string()?;
        if s.value().trim().is_empty() {
            return Err(syn::Error::new(
                s.span(),
                format!("`{}` must not be empty", self.name()),
            ));
        }
        Ok(s)
    }

    /// `key = 123` (a signed integer that fits in i64).
    pub fn int(&self) -> syn::Result<i64> {
        match self.lit_value() {
            Some(Ok(LitValue::Int(n))) => Ok(n),
            Some(Err(e)) => Err(e),
            _ => Err(self.expected(&format!("an integer literal, as in `{} = 1`", self.name()))),
        }
    }

    /// `key = 255` or `key(255)`: a positive length or precision.
    pub fn length(&self) -> syn::Result<u32> {
        let parse = |lit: &LitInt| -> syn::Result<u32> {
            lit.base10_parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| syn::Error::new(lit.span(), "expected a positive integer"))
        };
        match &self.value {
            EntryValue::Value(Expr::Lit(ExprLit {
                lit: Lit::Int(lit), ..
            })) => parse(lit),
            EntryValue::List(tokens, _) => {
                let lits = Punctuated::<LitInt, Token![,]>::parse_terminated
                    .parse2(tokens.clone())
                    .map_err(|_| self.expected("one positive integer"))?;
                match lits.len() {
                    1 => parse(&lits[0]),
                    _ => Err(self.expected(&format!(
                        "one positive integer, as in `{0} = 255` or `{0}(255)`",
                        self.name()
                    ))),
                }
            }
            _ => Err(self.expected(&format!(
                "a positive integer, as in `{0} = 255` or `{0}(255)`",
                self.name()
            ))),
        }
    }

    /// `key(1, 2)`: one to `max` positive integers (precision and scale).
    pub fn int_list(&self, max: usize) -> syn::Result<Vec<u32>> {
        let EntryValue::List(tokens, _) = &self.value else {
            return Err(self.expected(&format!(
                "integers in parentheses, as in `{}(10, 2)`",
                self.name()
            )));
        };
        let lits = Punctuated::<LitInt, Token![,]>::parse_terminated.parse2(tokens.clone())?;
        if lits.is_empty() || lits.len() > max {
            return Err(self.expected(&format!("1 to {max} integers in parentheses")));
        }
        lits.iter()
            .map(|l| l.base10_parse::<u32>())
            .collect::<syn::Result<_>>()
    }

    /// `key("a", "b")`: a non-empty list of strings.
    pub fn string_list(&self) -> syn::Result<Vec<LitStr>> {
        let example = format!("a list of strings, as in `{}(\"a\", \"b\")`", self.name());
        let EntryValue::List(tokens, _) = &self.value else {
            return Err(self.expected(&example));
        };
        let lits = Punctuated::<LitStr, Token![,]>::parse_terminated
            .parse2(tokens.clone())
            .map_err(|e| {
                syn::Error::new(e.span(), format!("`{}` expects {example}", self.name()))
            })?;
        if lits.is_empty() {
            return Err(self.expected(&example));
        }
        Ok(lits.into_iter().collect())
    }

    /// `key(a = 1, b, c("x"))`: nested entries.
    pub fn nested(&self, example: &str) -> syn::Result<Vec<Entry>> {
        let EntryValue::List(tokens, _) = &self.value else {
            return Err(self.expected(&format!("a list, as in `{example}`")));
        };
        Ok(Punctuated::<Entry, Token![,]>::parse_terminated
            .parse2(tokens.clone())?
            .into_iter()
            .collect())
    }

    /// `key = "text" | 5 | -5 | 9.99 | true`, or `None` when the value is not a literal.
    pub fn lit_value(&self) -> Option<syn::Result<LitValue>> {
        let EntryValue::Value(expr) = &self.value else {
            return None;
        };
        let (lit, negative) = match expr {
            Expr::Lit(ExprLit { lit, .. }) => (lit, false),
            Expr::Unary(ExprUnary {
                op: UnOp::Neg(_),
                expr,
                ..
            }) => match &**expr {
                Expr::Lit(ExprLit { lit, .. }) => (lit, true),
                _ => return None,
            },
            _ => return None,
        };
        let sign = if negative { "-" } else { "" };
        Some(match lit {
            Lit::Str(s) if !negative => Ok(LitValue::Str(s.value())),
            Lit::Bool(b) if !negative => Ok(LitValue::Bool(b.value)),
            Lit::Int(i) => format!("{sign}{}", i.base10_digits())
                .parse::<i64>()
                .map(LitValue::Int)
                .map_err(|_| syn::Error::new(i.span(), "integer does not fit in i64")),
            Lit::Float(f) => Ok(LitValue::Number(format!("{sign}{}", f.base10_digits()))),
            _ => return None,
        })
    }
}

/// All `retort(...)` entries of a list of attributes, in order.
pub(crate) fn retort_entries(attrs: &[Attribute]) -> syn::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("retort")) {
        let list = attr.meta.require_list()?;
        out.extend(list.parse_args_with(Punctuated::<Entry, Token![,]>::parse_terminated)?);
    }
    Ok(out)
}

/// Collects several errors so one compile reports every problem, not just the first.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, err: syn::Error) {
        match &mut self.0 {
            Some(e) => e.combine(err),
            None => self.0 = Some(err),
        }
    }
    pub fn at(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.push(syn::Error::new(span, msg));
    }
    /// Keeps the value, or records the error and returns `None`.
    pub fn ok<T>(&mut self, r: syn::Result<T>) -> Option<T> {
        r.map_err(|e| self.push(e)).ok()
    }
    pub fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// Remembers which keys were given once already, for "duplicate key" errors.
#[derive(Default)]
pub(crate) struct Seen(Vec<String>);

impl Seen {
    /// Records `entry`; an error when its key was already given.
    pub fn first(&mut self, entry: &Entry) -> syn::Result<()> {
        let name = entry.name();
        if self.0.contains(&name) {
            return Err(syn::Error::new(
                entry.span(),
                format!("duplicate `{name}`; give it once"),
            ));
        }
        self.0.push(name);
        Ok(())
    }
    pub fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|k| k == key)
    }
}

/// The error for a key nobody accepts here, listing the keys that are accepted.
pub(crate) fn unknown_key(entry: &Entry, place: &str, allowed: &[&str]) -> syn::Error {
    unknown_key_or(entry, place, allowed, &[], "")
}

/// [`unknown_key`] with a second group of allowed keys, listed apart under `other_label`.
pub(crate) fn unknown_key_or(
    entry: &Entry,
    place: &str,
    allowed: &[&str],
    other: &[&str],
    other_label: &str,
) -> syn::Error {
    let name = entry.name();
    let all: Vec<&str> = allowed.iter().chain(other).copied().collect();
    let hint = closest(&name, &all)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let mut msg = format!(
        "unknown attribute `{name}` on {place}{hint}; expected one of: {}",
        allowed.join(", ")
    );
    if !other.is_empty() {
        msg.push_str(&format!("; {other_label}: {}", other.join(", ")));
    }
    syn::Error::new(entry.span(), msg)
}

/// The allowed word nearest to `word`, when it is near enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(word, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4) && *d < a.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

pub(crate) use retort_core::snake_case;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_words_and_acronyms() {
        assert_eq!(snake_case("Customer"), "customer");
        assert_eq!(snake_case("OrderItem"), "order_item");
        assert_eq!(snake_case("HTTPLog"), "http_log");
        assert_eq!(snake_case("Order2Item"), "order2_item");
        assert_eq!(snake_case("Already_snake"), "already_snake");
    }

    #[test]
    fn closest_suggests_typos_only() {
        let allowed = ["primary_key", "foreign_key", "index"];
        assert_eq!(closest("primay_key", &allowed), Some("primary_key"));
        assert_eq!(closest("indx", &allowed), Some("index"));
        assert_eq!(closest("colour", &allowed), None);
    }
}
