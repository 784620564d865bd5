//! Reading catalog rows: every value arrives as optional text (the queries cast everything to
//! text so any driver can fetch them), and this module turns it into typed values with errors
//! that name the query, the object and the column. The reader itself is shared with SQLite
//! (`crate::catalog_row`); what is PostgreSQL's own (its boolean, array and code spellings, and
//! which values name a row's object) is here.

use super::{CatalogQuery, IntrospectError};
use crate::catalog_row::CatalogQueryKind;

/// One row of a catalog query: every column as text, `None` for SQL NULL.
pub type Row = Vec<Option<String>>;

/// A row of a PostgreSQL catalog query: the shared reader (width, NULL and integer checks,
/// errors), with PostgreSQL's spellings of booleans, arrays and codes below.
pub(crate) type RowReader<'a> = crate::catalog_row::RowReader<'a, CatalogQuery>;

impl CatalogQueryKind for CatalogQuery {
    fn file_name(self) -> &'static str {
        CatalogQuery::file_name(self)
    }
    fn width(self) -> usize {
        CatalogQuery::width(self)
    }
    /// The row's first non-null values (every query starts with schema, table, name).
    fn object(self, row: &[Option<String>]) -> String {
        row.iter()
            .take(3)
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl<'a> RowReader<'a> {
    /// PostgreSQL's boolean text output (`true`/`false`; `t`/`f` from some drivers). NULL is false.
    pub(crate) fn flag(&self, column: usize, what: &'static str) -> Result<bool, IntrospectError> {
        match self.opt(column) {
            None | Some("false" | "f") => Ok(false),
            Some("true" | "t") => Ok(true),
            Some(other) => Err(self.bad(column, what, format!("is `{other}`, not a boolean"))),
        }
    }

    /// A text array in PostgreSQL's output syntax; NULL is the empty list.
    pub(crate) fn list(
        &self,
        column: usize,
        what: &'static str,
    ) -> Result<Vec<String>, IntrospectError> {
        match self.opt(column) {
            None => Ok(Vec::new()),
            Some(v) => parse_text_array(v)
                .ok_or_else(|| self.bad(column, what, format!("is `{v}`, not a text array"))),
        }
    }

    /// A single-character code (`contype`, `attidentity`, ...).
    pub(crate) fn code(
        &self,
        column: usize,
        what: &'static str,
    ) -> Result<Option<char>, IntrospectError> {
        match self.opt(column) {
            None => Ok(None),
            Some(v) => {
                let mut chars = v.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Ok(Some(c)),
                    _ => Err(self.bad(column, what, format!("is `{v}`, not a one-letter code"))),
                }
            }
        }
    }
}

/// Parses a one-dimensional text array as PostgreSQL prints it: `{a,"b c","d\"e"}`. Elements
/// are quoted when they contain special characters; an unquoted `NULL` is SQL NULL, which no
/// catalog name can be, so it is rejected. `None` on malformed input.
pub fn parse_text_array(s: &str) -> Option<Vec<String>> {
    let inner = s.strip_prefix('{')?.strip_suffix('}')?;
    let mut out = Vec::new();
    if inner.is_empty() {
        return Some(out);
    }
    let mut chars = inner.chars().peekable();
    loop {
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '\\' => item.push(chars.next()?),
                    '"' => break,
                    c => item.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                if matches!(c, '"' | '{' | '}' | '\\') {
                    return None;
                }
                item.push(c);
                chars.next();
            }
            if item.is_empty() || item.eq_ignore_ascii_case("NULL") {
                return None;
            }
        }
        out.push(item);
        match chars.next() {
            None => return Some(out),
            Some(',') => continue,
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_text_array;

    fn v(items: &[&str]) -> Option<Vec<String>> {
        Some(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn parses_plain_and_quoted_elements() {
        assert_eq!(parse_text_array("{}"), v(&[]));
        assert_eq!(parse_text_array("{a}"), v(&["a"]));
        assert_eq!(
            parse_text_array("{deal_id,note_no}"),
            v(&["deal_id", "note_no"])
        );
        assert_eq!(
            parse_text_array(r#"{"a b","c\"d","e,f","g\\h","NULL","","{x}"}"#),
            v(&["a b", "c\"d", "e,f", "g\\h", "NULL", "", "{x}"])
        );
    }

    #[test]
    fn rejects_malformed_arrays() {
        for bad in [
            "", "a,b", "{a", "{\"a}", "{a,,b}", "{NULL}", "{\"a\"b}", "{a,}",
        ] {
            assert_eq!(parse_text_array(bad), None, "{bad}");
        }
    }
}
