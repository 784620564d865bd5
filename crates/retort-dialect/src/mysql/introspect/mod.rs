//! MySQL/MariaDB catalog introspection into a [`MetaData`](retort_core::MetaData), from
//! `information_schema`.
//!
//! * Five queries (`queries/mysql/*.sql`, [`MysqlCatalogQuery`]) read every base table of
//!   the current database (`DATABASE()`) at once: columns (with their table's comment and
//!   collation), constraints, key columns, checks, indexes; a fixed number whatever the
//!   number of tables. They take no parameter and cast every value to text
//!   (`CAST(.. AS CHAR)`), so a driver fetches each row as `Vec<Option<String>>`. The
//!   checks query differs between the two servers (MariaDB's `CHECK_CONSTRAINTS` names the
//!   table, MySQL 8's does not): [`MysqlCatalogQuery::sql`] takes the [`Flavour`], which
//!   `SELECT VERSION()` tells ([`Flavour::from_version`]). Run them in one
//!   `REPEATABLE READ` read-only transaction.
//! * [`build_mysql_metadata`] turns the rows into a [`MetaData`](retort_core::MetaData): a
//!   pure function.
//!
//! Conventions of the result, so that it compares with [`super::as_stored`] of a model:
//!
//! * tables carry no schema (the database is the schema), ordered by name; columns by
//!   position; constraints and indexes by name, with their database names. The primary key
//!   has no name (MySQL's is always `PRIMARY`).
//! * types: `tinyint(1)` is `Boolean`, `int`/`smallint`/`bigint` (signed) their integer
//!   types whatever the display width, `decimal(p,s)` `Numeric`, `varchar(n)`/`char(n)`,
//!   `text`, `blob`, `date`, `float`/`double`, `json` (and MariaDB's `longtext` with its
//!   column check `json_valid(..)`, which is then not a check) `Json`, `datetime(6)` and
//!   `time(6)` `Timestamp`/`Time` without a time zone; anything else (unsigned integers,
//!   `enum(..)`, `timestamp`, other precisions) is `Type::Custom` of the catalog's text.
//! * defaults: literals as [`retort_core::Literal`]s (MariaDB quotes text defaults, MySQL 8
//!   marks expressions `DEFAULT_GENERATED`), expressions as the server prints them, `NULL`
//!   as no default.
//! * `AUTO_INCREMENT` is an identity (by default: MySQL has one kind).
//! * a column's collation only when it differs from its table's (the charset defaults are
//!   not differences).
//! * `NO ACTION` is no referential action; the index InnoDB makes for a foreign key (named
//!   after the key, or after its first column, on exactly its columns) is left out; a
//!   unique key is a unique constraint unless it has a descending column.
//! * refused with an error naming the index: prefix lengths and expressions in indexes,
//!   which the model cannot say (nothing is left out silently).

mod build;

pub use build::build_mysql_metadata;

pub use crate::introspect::{IntrospectError, Row};

/// Which server: they differ in a few catalog details (see the module notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Flavour {
    /// MariaDB: `information_schema.CHECK_CONSTRAINTS` names the table; text defaults are quoted.
    #[default]
    MariaDb,
    /// MySQL 8: checks are found through `TABLE_CONSTRAINTS`; text defaults are bare.
    Mysql,
}

impl Flavour {
    /// The flavour a `SELECT VERSION()` answer names (`10.11.6-MariaDB-..` or `8.0.36`).
    pub fn from_version(version: &str) -> Self {
        if version.to_ascii_lowercase().contains("mariadb") {
            Flavour::MariaDb
        } else {
            Flavour::Mysql
        }
    }
}

/// One catalog query. [`MysqlCatalogQuery::ALL`] is the full set a driver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MysqlCatalogQuery {
    /// Columns of every base table, with the table's comment and collation.
    Columns,
    /// Primary keys, unique constraints and foreign keys (one row per constraint).
    Constraints,
    /// Their columns (one row per column).
    KeyColumns,
    /// Check constraints (one row per check).
    Checks,
    /// Indexes (one row per index column).
    Indexes,
}

impl MysqlCatalogQuery {
    /// Every query, in the order a driver runs them.
    pub const ALL: [MysqlCatalogQuery; 5] = [
        MysqlCatalogQuery::Columns,
        MysqlCatalogQuery::Constraints,
        MysqlCatalogQuery::KeyColumns,
        MysqlCatalogQuery::Checks,
        MysqlCatalogQuery::Indexes,
    ];

    /// The SQL text for `flavour`; no parameters.
    pub fn sql(self, flavour: Flavour) -> &'static str {
        match self {
            MysqlCatalogQuery::Columns => include_str!("../../../queries/mysql/columns.sql"),
            MysqlCatalogQuery::Constraints => {
                include_str!("../../../queries/mysql/constraints.sql")
            }
            MysqlCatalogQuery::KeyColumns => {
                include_str!("../../../queries/mysql/key_columns.sql")
            }
            MysqlCatalogQuery::Checks => match flavour {
                Flavour::MariaDb => include_str!("../../../queries/mysql/checks.sql"),
                Flavour::Mysql => include_str!("../../../queries/mysql/checks_mysql.sql"),
            },
            MysqlCatalogQuery::Indexes => include_str!("../../../queries/mysql/indexes.sql"),
        }
    }

    /// The file the SQL comes from, for messages (MariaDB's checks query for checks).
    pub fn file_name(self) -> &'static str {
        match self {
            MysqlCatalogQuery::Columns => "queries/mysql/columns.sql",
            MysqlCatalogQuery::Constraints => "queries/mysql/constraints.sql",
            MysqlCatalogQuery::KeyColumns => "queries/mysql/key_columns.sql",
            MysqlCatalogQuery::Checks => "queries/mysql/checks.sql",
            MysqlCatalogQuery::Indexes => "queries/mysql/indexes.sql",
        }
    }

    /// How many columns each row has.
    pub fn width(self) -> usize {
        match self {
            MysqlCatalogQuery::Columns => 17,
            MysqlCatalogQuery::Constraints => 5,
            MysqlCatalogQuery::KeyColumns => 8,
            MysqlCatalogQuery::Checks => 3,
            MysqlCatalogQuery::Indexes => 8,
        }
    }
}

impl crate::catalog_row::CatalogQueryKind for MysqlCatalogQuery {
    fn file_name(self) -> &'static str {
        MysqlCatalogQuery::file_name(self)
    }
    fn width(self) -> usize {
        MysqlCatalogQuery::width(self)
    }
    /// `table.name` (every query starts with the table and the column, key or index).
    fn object(self, row: &[Option<String>]) -> String {
        row.iter()
            .take(2)
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The rows of every catalog query, as the driver fetched them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MysqlCatalogRows {
    /// Rows of [`MysqlCatalogQuery::Columns`].
    pub columns: Vec<Row>,
    /// Rows of [`MysqlCatalogQuery::Constraints`].
    pub constraints: Vec<Row>,
    /// Rows of [`MysqlCatalogQuery::KeyColumns`].
    pub key_columns: Vec<Row>,
    /// Rows of [`MysqlCatalogQuery::Checks`].
    pub checks: Vec<Row>,
    /// Rows of [`MysqlCatalogQuery::Indexes`].
    pub indexes: Vec<Row>,
}

impl MysqlCatalogRows {
    /// Where a driver puts the rows of `query`.
    pub fn rows_mut(&mut self, query: MysqlCatalogQuery) -> &mut Vec<Row> {
        match query {
            MysqlCatalogQuery::Columns => &mut self.columns,
            MysqlCatalogQuery::Constraints => &mut self.constraints,
            MysqlCatalogQuery::KeyColumns => &mut self.key_columns,
            MysqlCatalogQuery::Checks => &mut self.checks,
            MysqlCatalogQuery::Indexes => &mut self.indexes,
        }
    }
}

/// What to read and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysqlIntrospectOptions {
    /// The server the rows come from.
    pub flavour: Flavour,
    /// Table names left out: the migration tools' bookkeeping tables by default.
    pub exclude_tables: Vec<String>,
}

impl Default for MysqlIntrospectOptions {
    /// MariaDB, leaving out `retort_version`, `retort_log` and `alembic_version`.
    fn default() -> Self {
        Self {
            flavour: Flavour::MariaDb,
            exclude_tables: crate::postgres::introspect::default_excluded_tables(),
        }
    }
}

impl MysqlIntrospectOptions {
    /// Which server's catalog the rows come from.
    pub fn flavour(mut self, flavour: Flavour) -> Self {
        self.flavour = flavour;
        self
    }
    pub(crate) fn is_excluded(&self, table: &str) -> bool {
        self.exclude_tables.iter().any(|t| t == table)
    }
}

#[cfg(test)]
mod tests;
