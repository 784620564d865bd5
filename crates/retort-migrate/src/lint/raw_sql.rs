//! Raw SQL (`op.execute`) is opaque to the replay, but a few statements are dangerous
//! whatever surrounds them. This is a scan of words, not a parser: comments, string
//! literals and dollar-quoted bodies (a function's `BEGIN .. END`) are blanked first, then
//! each statement's leading words are matched.

use super::classify::{Candidate, Check};
use super::rules::Rule;
use crate::Backend;

/// Adds the raw-SQL candidates of `sql`.
pub(crate) fn scan(
    backend: Backend,
    sql: &str,
    outside_transaction: bool,
    out: &mut Vec<Candidate>,
) {
    let pg = backend == Backend::Postgres;
    for statement in blank(sql).split(';') {
        let raw_words: Vec<&str> = statement
            .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let words: Vec<String> = raw_words.iter().map(|w| w.to_ascii_uppercase()).collect();
        if words.is_empty() {
            continue;
        }
        let has = |w: &str| words.iter().any(|x| x == w);
        let first = words[0].as_str();
        let second = words.get(1).map(String::as_str).unwrap_or("");
        let short: String = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let short = if short.len() > 80 {
            format!("{}...", &short[..short.floor_char_boundary_compat(77)])
        } else {
            short
        };
        let candidate = |rule: Rule, check: Check| Candidate {
            rule,
            object: "op.execute".to_owned(),
            detail: format!("runs `{short}`"),
            check,
            offline: true,
        };
        match (first, second) {
            ("BEGIN" | "COMMIT" | "ROLLBACK" | "END" | "START", _)
                if first != "START" || second == "TRANSACTION" =>
            {
                out.push(candidate(Rule::TransactionNesting, Check::Always));
            }
            ("DROP", "DATABASE") => out.push(candidate(Rule::BanDropDatabase, Check::Always)),
            ("TRUNCATE", _) if pg && has("CASCADE") => {
                out.push(candidate(Rule::BanTruncateCascade, Check::Always));
            }
            ("CREATE" | "DROP" | "REINDEX", _)
                if pg && has("CONCURRENTLY") && !outside_transaction =>
            {
                out.push(candidate(Rule::ConcurrentIndexInTransaction, Check::Always));
            }
            ("CREATE", "INDEX" | "UNIQUE") if pg && has("INDEX") && !has("CONCURRENTLY") => {
                let table = after(&words, &raw_words, "ON");
                if let Some(t) = table {
                    out.push(candidate(
                        Rule::RequireConcurrentIndexCreation,
                        Check::TableLarge(t),
                    ));
                }
            }
            ("ALTER", "TABLE")
                if pg
                    && has("ADD")
                    && (has("CHECK") || has("FOREIGN"))
                    && !statement.to_ascii_uppercase().contains("NOT VALID") =>
            {
                if let Some(t) = after(&words, &raw_words, "TABLE") {
                    out.push(candidate(
                        Rule::ConstraintMissingNotValid,
                        Check::TableLarge(t),
                    ));
                }
            }
            _ => {}
        }
    }
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}
impl FloorBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// The table named after keyword `kw` (skipping `ONLY`, `IF EXISTS`), unquoted, with its
/// schema when qualified.
fn after(words: &[String], raw_words: &[&str], kw: &str) -> Option<(Option<String>, String)> {
    let i = words.iter().position(|w| w == kw)?;
    let j = (i + 1..words.len())
        .find(|&j| !matches!(words[j].as_str(), "ONLY" | "IF" | "NOT" | "EXISTS"))?;
    let raw = raw_words[j];
    let unquote = |s: &str| {
        if s.starts_with('"') && s.ends_with('"') && s.len() >= 2 {
            s[1..s.len() - 1].replace("\"\"", "\"")
        } else {
            s.to_ascii_lowercase()
        }
    };
    match raw.split_once('.') {
        Some((s, t)) => Some((Some(unquote(s)), unquote(t))),
        None => Some((None, unquote(raw))),
    }
}

/// `sql` with comments, string literals and dollar-quoted bodies blanked out.
fn blank(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("--") {
            let end = rest.find('\n').unwrap_or(rest.len());
            rest = &rest[end..];
            out.push(' ');
        } else if rest.starts_with("/*") {
            let end = rest[2..].find("*/").map_or(rest.len(), |e| e + 4);
            rest = &rest[end..];
            out.push(' ');
        } else if c == '\'' {
            let mut i = 1;
            let bytes = rest.as_bytes();
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            rest = &rest[i.min(rest.len())..];
            out.push_str("''");
        } else if c == '$' {
            // `$tag$ .. $tag$` (or `$$ .. $$`); a `$1` parameter is kept.
            let tag_end = rest[1..].find('$').map(|e| e + 2);
            match tag_end {
                Some(e)
                    if rest[1..e - 1]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_')
                        && !rest[1..e - 1].starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    let tag = &rest[..e];
                    let body_end = rest[e..]
                        .find(tag)
                        .map_or(rest.len(), |b| e + b + tag.len());
                    rest = &rest[body_end..];
                    out.push_str("''");
                }
                _ => {
                    out.push('$');
                    rest = &rest[1..];
                }
            }
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(sql: &str, outside: bool) -> Vec<&'static str> {
        let mut out = Vec::new();
        scan(Backend::Postgres, sql, outside, &mut out);
        out.iter().map(|c| c.rule.id()).collect()
    }

    #[test]
    fn function_bodies_and_strings_are_not_statements() {
        let f =
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql";
        assert!(rules(f, false).is_empty());
        assert!(rules("INSERT INTO t VALUES ('BEGIN; DROP DATABASE x')", false).is_empty());
        assert_eq!(
            rules("COMMIT; BEGIN", false),
            ["transaction-nesting", "transaction-nesting"]
        );
    }

    #[test]
    fn concurrent_and_not_valid_forms_are_recognised() {
        assert_eq!(
            rules("CREATE INDEX CONCURRENTLY i ON t (a)", false),
            ["concurrent-index-in-transaction"]
        );
        assert!(rules("CREATE INDEX CONCURRENTLY i ON t (a)", true).is_empty());
        assert_eq!(
            rules("create index i on \"T\" (a)", false),
            ["require-concurrent-index-creation"]
        );
        assert_eq!(
            rules("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)", false),
            ["constraint-missing-not-valid"]
        );
        assert!(rules(
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID",
            false
        )
        .is_empty());
        assert_eq!(
            rules("TRUNCATE a, b CASCADE", false),
            ["ban-truncate-cascade"]
        );
    }
}
