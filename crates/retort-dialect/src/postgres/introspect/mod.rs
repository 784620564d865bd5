//! PostgreSQL catalog introspection into a [`MetaData`](retort_core::MetaData).
//!
//! The work is split so that no database is needed to test it:
//!
//! * the catalog SQL lives in `queries/postgres/*.sql`, one query per catalog kind
//!   ([`CatalogQuery`]), each reading every table of the requested schemas at once, so the
//!   number of queries is fixed whatever the number of tables. PostgreSQL does the formatting
//!   (`format_type`, `pg_get_expr`, `pg_get_indexdef`) and every value is cast to text, so a
//!   driver only has to bind the schema list as `$1` (a `text[]`), or run
//!   [`CatalogQuery::sql_with_schemas`] without parameters, and fetch each row as
//!   `Vec<Option<String>>`;
//! * [`build_metadata`] turns the rows ([`CatalogRows`]) into a [`MetaData`](retort_core::MetaData): a pure function,
//!   unit-tested with hand-written rows.
//!
//! Run the queries in one transaction (`REPEATABLE READ`, read only) so they see one snapshot;
//! rows that refer to a table the columns query did not return are reported as an error.
//!
//! Conventions of the result, chosen so that it compares directly with a model:
//! tables, enum types and enum references in [`IntrospectOptions::default_schema`] carry no
//! schema, and so do foreign-key targets there (an unqualified target means the default schema,
//! whatever the referring table's); values
//! that are PostgreSQL's defaults read back as `None` (`NO ACTION`, identity `START 1 INCREMENT
//! 1`, the `btree` method, ascending order, default opclasses). Constraints and indexes always
//! carry their database names. Server defaults keep PostgreSQL's text. Exclusion constraints,
//! and the indexes behind them, are not modelled and are left out.
//!
//! Sequences (`queries/postgres/sequences.sql`): a column whose default is `nextval` of the
//! sequence it owns, of its own integer type, reads back as a serial column
//! ([`retort_core::Serial`], options kept where they differ from the defaults, the default
//! left out); every other sequence (used by a default but not owned, owned by a column that
//! does not use it, used by nothing) is a standalone sequence of the metadata. Identity
//! columns' sequences are the identity's and are not read. Each sequence carries its last
//! value, for a re-created one to continue from.
//!
//! Comparing with a model: [`PgCompare`] is the diff's PostgreSQL equality, built on
//! [`canonical_pg_type`] (`char` reads back as `char(1)`, `numeric(p)` as `numeric(p,0)`) and
//! [`server_default_key`] / [`normalize_default_sql`] (the casts PostgreSQL adds to literals
//! are dropped; [`server_default_key_for`] reads a lone string literal as a boolean or number
//! column's type reads it).
//!
//! Portable histories: [`undecorated`] offers spellings of a printed expression without the
//! casts and parentheses PostgreSQL adds, for live autogenerate to have the server confirm
//! (an op's old value is then one SQLite can run too).

mod build;
mod compare;
mod defaults;
mod indexes;
mod rows;
mod sequences;
#[cfg(test)]
mod tests;
mod types;
mod undecorate;

pub use build::{build_metadata, MetadataBuilder};
pub use compare::PgCompare;
pub use defaults::{
    literal_default, normalize_default_sql, server_default_key, server_default_key_for,
};
pub use rows::{parse_text_array, Row};
pub use types::{canonical_pg_type, parse_pg_type};
pub use undecorate::undecorated;

/// One catalog query. [`CatalogQuery::ALL`] is the full set a driver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CatalogQuery {
    /// Tables with their comments, and their columns (one row per column).
    Columns,
    /// Primary key, foreign key, unique and check constraints (one row per constraint).
    Constraints,
    /// Indexes (one row per index column).
    Indexes,
    /// Enum types (one row per type).
    Enums,
    /// Sequences, with the column owning each (one row per sequence).
    Sequences,
    /// Comments on tables and their columns (one row per comment), and tables' storage
    /// parameters and parents (one row per table that has any).
    Comments,
}

/// `sql` with the schema list written in place of its `$1::text[]` parameter, for a driver
/// that runs text without parameters. Names are escaped (`E'...'`), so any schema name is safe.
pub(crate) fn with_schema_list<S: AsRef<str>>(sql: &str, schemas: &[S]) -> String {
    let list: Vec<String> = schemas
        .iter()
        .map(|s| {
            format!(
                "E'{}'",
                s.as_ref().replace('\\', "\\\\").replace('\'', "''")
            )
        })
        .collect();
    sql.replace("$1::text[]", &format!("ARRAY[{}]::text[]", list.join(", ")))
}

impl CatalogQuery {
    /// Every query, in the order a driver runs them.
    pub const ALL: [CatalogQuery; 6] = [
        CatalogQuery::Columns,
        CatalogQuery::Constraints,
        CatalogQuery::Indexes,
        CatalogQuery::Enums,
        CatalogQuery::Sequences,
        CatalogQuery::Comments,
    ];

    /// The SQL text. Its only parameter, `$1`, is the schema list as a `text[]`
    /// ([`IntrospectOptions::schemas`]).
    pub fn sql(self) -> &'static str {
        match self {
            CatalogQuery::Columns => include_str!("../../../queries/postgres/columns.sql"),
            CatalogQuery::Constraints => include_str!("../../../queries/postgres/constraints.sql"),
            CatalogQuery::Indexes => include_str!("../../../queries/postgres/indexes.sql"),
            CatalogQuery::Enums => include_str!("../../../queries/postgres/enums.sql"),
            CatalogQuery::Sequences => include_str!("../../../queries/postgres/sequences.sql"),
            CatalogQuery::Comments => include_str!("../../../queries/postgres/comments.sql"),
        }
    }

    /// The SQL with the schema list written in place of `$1`, for a driver that runs text
    /// without parameters. Names are escaped (`E'...'`), so any schema name is safe.
    pub fn sql_with_schemas<S: AsRef<str>>(self, schemas: &[S]) -> String {
        with_schema_list(self.sql(), schemas)
    }

    /// The file the SQL comes from, for messages.
    pub fn file_name(self) -> &'static str {
        match self {
            CatalogQuery::Columns => "queries/postgres/columns.sql",
            CatalogQuery::Constraints => "queries/postgres/constraints.sql",
            CatalogQuery::Indexes => "queries/postgres/indexes.sql",
            CatalogQuery::Enums => "queries/postgres/enums.sql",
            CatalogQuery::Sequences => "queries/postgres/sequences.sql",
            CatalogQuery::Comments => "queries/postgres/comments.sql",
        }
    }

    /// How many columns each row has.
    pub fn width(self) -> usize {
        match self {
            CatalogQuery::Columns => 29,
            CatalogQuery::Constraints => 16,
            CatalogQuery::Indexes => 20,
            CatalogQuery::Enums => 3,
            CatalogQuery::Sequences => 13,
            CatalogQuery::Comments => 7,
        }
    }
}

/// The rows of every catalog query, as the driver fetched them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogRows {
    /// Rows of [`CatalogQuery::Columns`].
    pub columns: Vec<Row>,
    /// Rows of [`CatalogQuery::Constraints`].
    pub constraints: Vec<Row>,
    /// Rows of [`CatalogQuery::Indexes`].
    pub indexes: Vec<Row>,
    /// Rows of [`CatalogQuery::Enums`].
    pub enums: Vec<Row>,
    /// Rows of [`CatalogQuery::Sequences`].
    pub sequences: Vec<Row>,
    /// Rows of [`CatalogQuery::Comments`].
    pub comments: Vec<Row>,
}

impl CatalogRows {
    /// Where a driver puts the rows of `query`.
    pub fn rows_mut(&mut self, query: CatalogQuery) -> &mut Vec<Row> {
        match query {
            CatalogQuery::Columns => &mut self.columns,
            CatalogQuery::Constraints => &mut self.constraints,
            CatalogQuery::Indexes => &mut self.indexes,
            CatalogQuery::Enums => &mut self.enums,
            CatalogQuery::Sequences => &mut self.sequences,
            CatalogQuery::Comments => &mut self.comments,
        }
    }
    /// The rows of `query`.
    pub fn rows(&self, query: CatalogQuery) -> &[Row] {
        match query {
            CatalogQuery::Columns => &self.columns,
            CatalogQuery::Constraints => &self.constraints,
            CatalogQuery::Indexes => &self.indexes,
            CatalogQuery::Enums => &self.enums,
            CatalogQuery::Sequences => &self.sequences,
            CatalogQuery::Comments => &self.comments,
        }
    }
}

/// What to read and how to present it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrospectOptions {
    /// The schemas to read (`$1` of every query).
    pub schemas: Vec<String>,
    /// Objects in this schema carry no schema in the result, as a model's do.
    pub default_schema: String,
    /// Table names (in any schema) left out: the migration tool's own bookkeeping tables.
    pub exclude_tables: Vec<String>,
}

impl Default for IntrospectOptions {
    /// Schema `public`, leaving out `retort_version`, `retort_log` and `alembic_version`.
    fn default() -> Self {
        Self {
            schemas: vec!["public".into()],
            default_schema: "public".into(),
            exclude_tables: default_excluded_tables(),
        }
    }
}

/// The tables introspection leaves out unless told otherwise, on every database: the
/// migration tools' own bookkeeping (Retort's version and log tables, Alembic's version
/// table), which no model describes.
pub(crate) fn default_excluded_tables() -> Vec<String> {
    ["retort_version", "retort_log", "alembic_version"]
        .into_iter()
        .map(String::from)
        .collect()
}

impl IntrospectOptions {
    /// Reads these schemas; the first is the default schema.
    pub fn schemas<I>(schemas: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let schemas: Vec<String> = schemas.into_iter().map(Into::into).collect();
        Self {
            default_schema: schemas.first().cloned().unwrap_or_else(|| "public".into()),
            schemas,
            ..Self::default()
        }
    }
    /// Tables not to read (the version and log tables by default).
    pub fn exclude_tables<I>(mut self, tables: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.exclude_tables = tables.into_iter().map(Into::into).collect();
        self
    }
    pub(crate) fn is_excluded(&self, table: &str) -> bool {
        self.exclude_tables.iter().any(|t| t == table)
    }
    /// `None` for the default schema, else the schema's name.
    pub(crate) fn local_schema(&self, schema: &str) -> Option<String> {
        (schema != self.default_schema).then(|| schema.to_string())
    }
}

#[cfg(test)]
mod query_tests {
    use super::CatalogQuery;

    #[test]
    fn every_query_takes_the_schema_list_as_its_only_parameter() {
        for q in CatalogQuery::ALL {
            assert_eq!(
                q.sql().matches("$1::text[]").count(),
                1,
                "{}",
                q.file_name()
            );
            assert!(!q.sql().contains("$2"), "{}", q.file_name());
            let inline = q.sql_with_schemas(&["public", "o'k\\x"]);
            let mut code = inline.lines().filter(|l| !l.trim_start().starts_with("--"));
            assert!(!code.any(|l| l.contains('$')), "{}", q.file_name());
            assert!(
                inline.contains(r"ARRAY[E'public', E'o''k\\x']::text[]"),
                "{inline}"
            );
        }
    }

    #[test]
    fn declared_widths_match_the_column_legends_of_the_files() {
        for q in CatalogQuery::ALL {
            let width = crate::catalog_row::legend_width(q.sql()).expect("a column legend");
            assert_eq!(width, q.width(), "{}", q.file_name());
        }
    }
}

/// Catalog rows that cannot be read into the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntrospectError {
    /// A row had another number of values than the query selects.
    #[error("catalog query {query} returned a row of {found} values where {expected} were expected; the driver must return every column of the query, in order")]
    RowWidth {
        /// The query file.
        query: &'static str,
        /// The number of values the query selects.
        expected: usize,
        /// The number the row had.
        found: usize,
    },
    /// A value could not be read (not a number, an unknown code).
    #[error("catalog query {query}, row for {object}: value {column} ({what}) {problem}")]
    BadValue {
        /// The query file.
        query: &'static str,
        /// The table, constraint or index the row is about.
        object: String,
        /// The value's position in the row, from 0.
        column: usize,
        /// What the value should be.
        what: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// A row named a table the columns query did not return.
    #[error("catalog query {query} returned {what} of table `{table}`, which the columns query did not return; run all catalog queries in one REPEATABLE READ transaction so they see the same tables")]
    UnknownTable {
        /// The query file.
        query: &'static str,
        /// What the row is (`index ix_x`, `constraint fk_y`).
        what: String,
        /// The table it named.
        table: String,
    },
}
