//! Rust names for database names: a struct a table (`PascalCase`, singular), a field a
//! column (`snake_case`), each made unique in its scope. The database's own name is kept in
//! the attribute (`table = ..`, `column = ..`), so a name here only has to be valid Rust.

use std::collections::HashSet;

/// Rust's reserved words (2021 edition, strict and reserved), which a field may not be named.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl", "in",
    "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self", "gen",
];

/// The words of a database name: split at anything not ASCII alphanumeric and at case
/// boundaries (`ArtistId` -> `artist`, `id`), lower-cased.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let snake = snake_case(part);
        out.extend(
            snake
                .split('_')
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase),
        );
    }
    out
}

pub(crate) use retort_core::snake_case;

/// A field name for a column or relationship: `snake_case`, a keyword suffixed with `_`, a
/// leading digit prefixed.
pub(crate) fn field_name(name: &str) -> String {
    let mut out = words(name).join("_");
    if out.is_empty() {
        out = "field".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "c_");
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// A type name (struct, enum, variant): `PascalCase` of the words.
pub(crate) fn type_name(name: &str) -> String {
    let mut out: String = words(name)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect();
    if out.is_empty() {
        out = "Unnamed".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// The singular of an English plural table name, by the common endings only (`films` ->
/// `film`, `categories` -> `category`, `addresses` -> `address`); anything else unchanged.
pub(crate) fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let cut = |n: usize| name[..name.len() - n].to_owned();
    if lower.ends_with("ies") && name.len() > 4 {
        cut(3) + if name.ends_with("IES") { "Y" } else { "y" }
    } else if ["sses", "xes", "ches", "shes", "zzes"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        cut(2)
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && name.len() > 3
    {
        cut(1)
    } else {
        name.to_owned()
    }
}

/// Names taken in one scope; [`Names::claim`] returns a free one, suffixing `_2`, `_3`, ...
#[derive(Debug, Default)]
pub(crate) struct Names {
    taken: HashSet<String>,
}

impl Names {
    /// Marks `name` taken, whatever it was.
    pub(crate) fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// `wanted` if free, else the first free `wanted_N` (one `_`: `self_` gives `self_2`).
    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_owned();
        let stem = match wanted.trim_end_matches('_') {
            "" => wanted,
            stem => stem,
        };
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{stem}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// [`Names::claim`] for a type name: `Film2`, not `Film_2`, which is not `PascalCase`.
    pub(crate) fn claim_type(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// Whether `name` is taken.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_rust_conventions() {
        assert_eq!(field_name("ArtistId"), "artist_id");
        assert_eq!(field_name("first name"), "first_name");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("2fa"), "c_2fa");
        assert_eq!(type_name("film_actor"), "FilmActor");
        assert_eq!(type_name("InvoiceLine"), "InvoiceLine");
        assert_eq!(type_name("mpaa-rating"), "MpaaRating");
        assert_eq!(type_name("NC-17"), "Nc17");
        assert_eq!(type_name("17"), "T17");
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("films"), "film");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("Genre"), "Genre");
    }

    #[test]
    fn claimed_names_are_unique() {
        let mut names = Names::default();
        assert_eq!(names.claim("film"), "film");
        assert_eq!(names.claim("film"), "film_2");
        assert!(names.has("film_2"));
        // A keyword's escape (`self` -> `self_`) taken twice (columns `self` and `Self`):
        // `self_2`, not `self__2`, which rustc warns is not snake case.
        assert_eq!(names.claim("self_"), "self_");
        assert_eq!(names.claim("self_"), "self_2");
    }
}
