//! Typed access to a row of a [`SqliteCatalogQuery`], with errors that name the query, the
//! object and the column (the same [`IntrospectError`]s as PostgreSQL's).

use super::{IntrospectError, SqliteCatalogQuery};

pub(super) struct RowReader<'a> {
    query: SqliteCatalogQuery,
    row: &'a [Option<String>],
}

impl<'a> RowReader<'a> {
    pub(super) fn new(
        query: SqliteCatalogQuery,
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

    pub(super) fn query(&self) -> SqliteCatalogQuery {
        self.query
    }

    /// The row's object for messages: the table, and the column, key or index name.
    fn object(&self) -> String {
        let second = match self.query {
            SqliteCatalogQuery::Columns => 3,
            SqliteCatalogQuery::ForeignKeys => 1,
            SqliteCatalogQuery::Indexes => 1,
        };
        [0, second]
            .iter()
            .filter_map(|&i| self.row[i].as_deref())
            .collect::<Vec<_>>()
            .join(".")
    }

    pub(super) fn bad(
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

    pub(super) fn opt(&self, column: usize) -> Option<&'a str> {
        self.row[column].as_deref()
    }

    pub(super) fn text(
        &self,
        column: usize,
        what: &'static str,
    ) -> Result<&'a str, IntrospectError> {
        self.opt(column)
            .ok_or_else(|| self.bad(column, what, "is NULL but is required"))
    }

    pub(super) fn int(&self, column: usize, what: &'static str) -> Result<i64, IntrospectError> {
        let v = self.text(column, what)?;
        v.trim()
            .parse::<i64>()
            .map_err(|_| self.bad(column, what, format!("is `{v}`, not an integer")))
    }

    /// SQLite's 0/1 flags.
    pub(super) fn flag(&self, column: usize, what: &'static str) -> Result<bool, IntrospectError> {
        match self.int(column, what)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.bad(column, what, format!("is `{other}`, not 0 or 1"))),
        }
    }
}
