//! Typed access to a row of a [`SqliteCatalogQuery`], with errors that name the query, the
//! object and the column (the same [`IntrospectError`]s as PostgreSQL's). The reader itself is
//! shared with PostgreSQL (`crate::catalog_row`); what is SQLite's own (its 0/1 flags, and which
//! values name a row's object) is here.

use super::{IntrospectError, SqliteCatalogQuery};
use crate::catalog_row::CatalogQueryKind;

/// A row of an SQLite catalog query.
pub(super) type RowReader<'a> = crate::catalog_row::RowReader<'a, SqliteCatalogQuery>;

impl CatalogQueryKind for SqliteCatalogQuery {
    fn file_name(self) -> &'static str {
        SqliteCatalogQuery::file_name(self)
    }
    fn width(self) -> usize {
        SqliteCatalogQuery::width(self)
    }
    /// The table, and the column, key or index name.
    fn object(self, row: &[Option<String>]) -> String {
        let second = match self {
            SqliteCatalogQuery::Columns => 3,
            SqliteCatalogQuery::ForeignKeys => 1,
            SqliteCatalogQuery::Indexes => 1,
        };
        [0, second]
            .iter()
            .filter_map(|&i| row[i].as_deref())
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl<'a> RowReader<'a> {
    /// SQLite's 0/1 flags.
    pub(super) fn flag(&self, column: usize, what: &'static str) -> Result<bool, IntrospectError> {
        match self.int(column, what)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.bad(column, what, format!("is `{other}`, not 0 or 1"))),
        }
    }
}
