//! Typed access to one row of a catalog query, shared by every dialect's introspection.
//!
//! Catalog queries return every value as optional text (so any driver can fetch them), and
//! each dialect's introspection reads the rows through a [`RowReader`]: the width check, the
//! NULL and integer checks and the error wording ([`IntrospectError`], naming the query, the
//! object and the column) are written once here. What differs between databases stays with
//! the dialect: which columns name a row's object ([`CatalogQueryKind::object`]), and how
//! booleans, arrays and codes are spelled (inherent methods on `RowReader<'_, TheirQuery>`
//! in `postgres::introspect::rows` and `sqlite::introspect::rows`).

use crate::introspect::IntrospectError;

/// A dialect's set of catalog queries, as the row reader needs to know it.
pub(crate) trait CatalogQueryKind: Copy {
    /// The file the SQL comes from, for messages.
    fn file_name(self) -> &'static str;
    /// How many columns each row has.
    fn width(self) -> usize;
    /// A short description of a row's object for messages (`table.column`, ...).
    fn object(self, row: &[Option<String>]) -> String;
}

/// A row of a known query, checked for width, with typed accessors.
pub(crate) struct RowReader<'a, Q> {
    query: Q,
    row: &'a [Option<String>],
}

impl<'a, Q: CatalogQueryKind> RowReader<'a, Q> {
    pub(crate) fn new(query: Q, row: &'a [Option<String>]) -> Result<Self, IntrospectError> {
        if row.len() != query.width() {
            return Err(IntrospectError::RowWidth {
                query: query.file_name(),
                expected: query.width(),
                found: row.len(),
            });
        }
        Ok(Self { query, row })
    }

    pub(crate) fn query(&self) -> Q {
        self.query
    }

    /// The error for value `column` (`what`), saying what is wrong with it.
    pub(crate) fn bad(
        &self,
        column: usize,
        what: &'static str,
        problem: impl Into<String>,
    ) -> IntrospectError {
        IntrospectError::BadValue {
            query: self.query.file_name(),
            object: self.query.object(self.row),
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

    pub(crate) fn unexpected(
        &self,
        column: usize,
        what: &'static str,
        value: &str,
    ) -> IntrospectError {
        self.bad(column, what, format!("has the unknown value `{value}`"))
    }
}

/// The width a query file's column legend documents: each file lists its columns as
/// `--  N name` comment lines, so the largest `N` + 1. `None` without a legend. For each
/// dialect's test that the widths its readers expect match its files.
#[cfg(test)]
pub(crate) fn legend_width(sql: &str) -> Option<usize> {
    sql.lines()
        .filter_map(|l| l.strip_prefix("--"))
        .flat_map(|l| l.split_whitespace().filter_map(|w| w.parse::<usize>().ok()))
        .max()
        .map(|last| last + 1)
}
