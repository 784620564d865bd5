//! Reading catalog rows: every value arrives as optional text (the queries cast everything to
//! text so any driver can fetch them), and this module turns it into typed values with errors
//! that name the query, the object and the column.

use super::{CatalogQuery, IntrospectError};

/// One row of a catalog query: every column as text, `None` for SQL NULL.
pub type Row = Vec<Option<String>>;

/// A row of a known query, checked for width, with typed accessors.
pub(crate) struct RowReader<'a> {
    query: CatalogQuery,
    row: &'a [Option<String>],
}

impl<'a> RowReader<'a> {
    pub(crate) fn new(
        query: CatalogQuery,
        row: &'a [Option<String>],
    ) -> Result<Self, IntrospectError> {
        if row.len() != query.width() {
            return Err(IntrospectError::RowWidth {
                query: query.file_name(),
                expected: query.width(),
                found: row.len(),
            });
        }
        Ok(Self { query, row })
    }

    /// A short description of the row's object for messages: its first non-null values.
    fn object(&self) -> String {
        self.row
            .iter()
            .take(3)
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(".")
    }

    fn bad(
        &self,
        column: usize,
        what: &'static str,
        problem: impl Into<String>,
    ) -> IntrospectError {
        IntrospectError::BadValue {
            query: self.query.file_name(),
            object: self.object(),
            column,
            what,
            problem: problem.into(),
        }
    }

    pub(crate) fn opt(&self, column: usize) -> Option<&'a str> {
        self.row[column].as_deref()
    }

    pub(crate) fn text(
        &self,
        column: usize,
        what: &'static str,
    ) -> Result<&'a str, IntrospectError> {
        self.opt(column)
            .ok_or_else(|| self.bad(column, what, "is NULL but is required"))
    }

    /// PostgreSQL's boolean text output (`true`/`false`; `t`/`f` from some drivers). NULL is false.
    pub(crate) fn flag(&self, column: usize, what: &'static str) -> Result<bool, IntrospectError> {
        match self.opt(column) {
            None | Some("false" | "f") => Ok(false),
            Some("true" | "t") => Ok(true),
            Some(other) => Err(self.bad(column, what, format!("is `{other}`, not a boolean"))),
        }
    }

    pub(crate) fn opt_int(
        &self,
        column: usize,
        what: &'static str,
    ) -> Result<Option<i64>, IntrospectError> {
        self.opt(column)
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| self.bad(column, what, format!("is `{v}`, not an integer")))
            })
            .transpose()
    }

    pub(crate) fn int(&self, column: usize, what: &'static str) -> Result<i64, IntrospectError> {
        self.opt_int(column, what)?
            .ok_or_else(|| self.bad(column, what, "is NULL but is required"))
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

    pub(crate) fn unexpected(
        &self,
        column: usize,
        what: &'static str,
        value: &str,
    ) -> IntrospectError {
        self.bad(column, what, format!("has the unknown value `{value}`"))
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
