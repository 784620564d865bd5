//! SQLite catalog introspection into a [`MetaData`](retort_core::MetaData), at parity with the PostgreSQL one
//! ([`crate::introspect`]) for what SQLite can express.
//!
//! * Three queries (`queries/sqlite/*.sql`, [`SqliteCatalogQuery`]) read every table at once
//!   by joining `sqlite_schema` with the table-valued pragmas (`pragma_table_xinfo`,
//!   `pragma_foreign_key_list`, `pragma_index_list` + `pragma_index_xinfo`), so the number of
//!   queries is fixed whatever the number of tables. Every value is text, and the rows are the
//!   PostgreSQL introspection's [`Row`]s; the only parameter, `?1`, is the list of excluded
//!   table names as a JSON array ([`excluded_tables_json`]), or
//!   [`SqliteCatalogQuery::sql_with_excluded`] writes it in for drivers without parameters.
//!   Run the three in one read transaction so they see one schema.
//! * [`build_sqlite_metadata`] turns the rows into a [`MetaData`](retort_core::MetaData): a pure function. What the
//!   pragmas do not say is read from the `CREATE TABLE` / `CREATE INDEX` text that
//!   `sqlite_schema` keeps (a small tokenizer, `lexer`, and a lenient parser, `schema_sql`):
//!   constraint names, CHECK expressions, generated-column expressions, `AUTOINCREMENT`,
//!   `DEFERRABLE`, index expressions and predicates.
//!
//! Conventions of the result (compare it with [`normalise_model_for_sqlite`] applied to the
//! model, which maps a model to exactly what SQLite gives back):
//!
//! * tables carry no schema (the `main` database; attached databases are not read), no
//!   comments, and are ordered by name; columns by position; foreign keys, unique
//!   constraints and checks in the order the `CREATE TABLE` text declares them; indexes by
//!   name.
//! * types are read back by [`parse_sqlite_type`] (the inverse of the dialect's rendering):
//!   a `Uuid` reads back as `CHAR(36)`, a `Json` as `TEXT`. An enum column, stored as a
//!   `VARCHAR(n)` with a check named after the type (`CONSTRAINT e CHECK (col IN (..))`),
//!   reads back as `Type::enumeration(e)`, and the enum type `e` with the check's values is
//!   in the result (`crate::sqlite::raise_enums`; the earlier unnamed check is read so only
//!   with the model's help, `crate::sqlite::adopt_unnamed_enum_checks`).
//! * defaults through [`parse_sqlite_default`]: literals as [`retort_core::Literal`]s,
//!   anything else as the expression's text without SQLite's parentheses; "now" is
//!   `CURRENT_TIMESTAMP`, the only spelling SQLite has.
//! * the identity: a column that is the whole primary key, declared `INTEGER` and
//!   `AUTOINCREMENT`, is [`retort_core::Identity::always`] (SQLite has no "by default"
//!   and no start or increment). An `INTEGER PRIMARY KEY` without `AUTOINCREMENT` is a
//!   plain key: SQLite may reuse its values, so it is not an identity.
//! * generated columns: `hidden` 3 is stored, 2 virtual; the expression as written.
//! * constraint and index names as declared; SQLite names nothing itself (its
//!   `sqlite_autoindex_*` are not names of constraints), so an unnamed constraint has none.
//!   `NO ACTION` reads back as `None`; collations of index columns are not modelled.
//! * virtual tables (and so the FTS shadow tables' owners) are left out, as are SQLite's own
//!   tables, Retort's `_retort_tmp_*` rebuild tables and [`SqliteIntrospectOptions`]'s list.

mod build;
pub(crate) mod lexer;
mod normalise;
mod rows;
mod schema_sql;
#[cfg(test)]
mod tests;
mod values;

pub use build::build_sqlite_metadata;
pub use lexer::strip_outer_parens;
pub use normalise::normalise_model_for_sqlite;
pub(crate) use normalise::normalise_table;
pub use values::{parse_sqlite_default, parse_sqlite_type};

pub use crate::introspect::{IntrospectError, Row};

/// One SQLite catalog query. [`SqliteCatalogQuery::ALL`] is the full set a driver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SqliteCatalogQuery {
    /// Tables with their `CREATE TABLE` text, and their columns (one row per column).
    Columns,
    /// Foreign keys (one row per key column).
    ForeignKeys,
    /// Indexes, including those behind UNIQUE and PRIMARY KEY (one row per key column).
    Indexes,
}

impl SqliteCatalogQuery {
    /// Every query, in the order a driver runs them.
    pub const ALL: [SqliteCatalogQuery; 3] = [
        SqliteCatalogQuery::Columns,
        SqliteCatalogQuery::ForeignKeys,
        SqliteCatalogQuery::Indexes,
    ];

    /// The SQL text. Its only parameter, `?1`, is [`excluded_tables_json`].
    pub fn sql(self) -> &'static str {
        match self {
            SqliteCatalogQuery::Columns => include_str!("../../../queries/sqlite/columns.sql"),
            SqliteCatalogQuery::ForeignKeys => {
                include_str!("../../../queries/sqlite/foreign_keys.sql")
            }
            SqliteCatalogQuery::Indexes => include_str!("../../../queries/sqlite/indexes.sql"),
        }
    }

    /// The SQL with the excluded names written in place of `?1`, for a driver that runs
    /// text without parameters. Names are string literals, so any name is safe.
    pub fn sql_with_excluded<S: AsRef<str>>(self, excluded: &[S]) -> String {
        let list: Vec<String> = excluded
            .iter()
            .map(|s| format!("'{}'", s.as_ref().replace('\'', "''")))
            .collect();
        self.sql().replace(
            "(SELECT value FROM json_each(?1))",
            &format!("({})", list.join(", ")),
        )
    }

    /// The file the SQL comes from, for messages.
    pub fn file_name(self) -> &'static str {
        match self {
            SqliteCatalogQuery::Columns => "queries/sqlite/columns.sql",
            SqliteCatalogQuery::ForeignKeys => "queries/sqlite/foreign_keys.sql",
            SqliteCatalogQuery::Indexes => "queries/sqlite/indexes.sql",
        }
    }

    /// How many columns each row has.
    pub fn width(self) -> usize {
        match self {
            SqliteCatalogQuery::Columns => 9,
            SqliteCatalogQuery::ForeignKeys => 8,
            SqliteCatalogQuery::Indexes => 11,
        }
    }
}

/// `?1` of every query: the excluded table names as a JSON array of strings.
pub fn excluded_tables_json<S: AsRef<str>>(excluded: &[S]) -> String {
    let items: Vec<String> = excluded
        .iter()
        .map(|s| {
            let mut out = String::from('"');
            for c in s.as_ref().chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// The rows of every SQLite catalog query, as the driver fetched them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SqliteCatalogRows {
    /// Rows of [`SqliteCatalogQuery::Columns`].
    pub columns: Vec<Row>,
    /// Rows of [`SqliteCatalogQuery::ForeignKeys`].
    pub foreign_keys: Vec<Row>,
    /// Rows of [`SqliteCatalogQuery::Indexes`].
    pub indexes: Vec<Row>,
}

impl SqliteCatalogRows {
    /// Where a driver puts the rows of `query`.
    pub fn rows_mut(&mut self, query: SqliteCatalogQuery) -> &mut Vec<Row> {
        match query {
            SqliteCatalogQuery::Columns => &mut self.columns,
            SqliteCatalogQuery::ForeignKeys => &mut self.foreign_keys,
            SqliteCatalogQuery::Indexes => &mut self.indexes,
        }
    }
    /// The rows of `query`.
    pub fn rows(&self, query: SqliteCatalogQuery) -> &[Row] {
        match query {
            SqliteCatalogQuery::Columns => &self.columns,
            SqliteCatalogQuery::ForeignKeys => &self.foreign_keys,
            SqliteCatalogQuery::Indexes => &self.indexes,
        }
    }
}

/// What to leave out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteIntrospectOptions {
    /// Table names left out (`?1` of every query, and checked again in
    /// [`build_sqlite_metadata`]): the migration tool's own bookkeeping tables.
    pub exclude_tables: Vec<String>,
}

impl Default for SqliteIntrospectOptions {
    /// Leaves out `retort_version`, `retort_log` and `alembic_version`.
    fn default() -> Self {
        Self {
            exclude_tables: crate::introspect::default_excluded_tables(),
        }
    }
}

impl SqliteIntrospectOptions {
    /// Tables not to read (the version and log tables by default).
    pub fn exclude_tables<I>(mut self, tables: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.exclude_tables = tables.into_iter().map(Into::into).collect();
        self
    }
    /// `?1` of every query for these options.
    pub fn excluded_json(&self) -> String {
        excluded_tables_json(&self.exclude_tables)
    }
    /// Whether a table is left out: listed, SQLite's own, or a rebuild's temporary table.
    pub fn is_excluded(&self, table: &str) -> bool {
        let lower = table.to_ascii_lowercase();
        lower.starts_with("sqlite_")
            || table.starts_with(super::tmp_name("").as_str())
            || self.exclude_tables.iter().any(|t| t == table)
    }
}

/// Whether `sql` names `name` as a word or quoted name (ASCII case-insensitive, as SQLite
/// matches names), outside string literals and comments. Text that cannot be tokenized is
/// taken to name it: the caller then does the careful thing.
pub(crate) fn names(sql: &str, name: &str) -> bool {
    match lexer::tokenize(sql) {
        Ok(tokens) => tokens.iter().any(|t| match &t.kind {
            lexer::Kind::Word(w) | lexer::Kind::Quoted(w) => w.eq_ignore_ascii_case(name),
            _ => false,
        }),
        Err(_) => true,
    }
}

/// The clauses of a `CREATE TABLE` text that Retort's model does not carry, so a table
/// rebuilt from the model would lose them: `COLLATE` of a key (a column's is modelled), conflict
/// clauses (`ON CONFLICT`), and the table options `WITHOUT ROWID` and `STRICT`. Inside a
/// `CHECK`, `DEFAULT` or generated-column expression they are part of an expression the
/// model keeps as written, so they do not count.
pub(crate) fn unmodelled_clauses(sql: &str) -> Vec<&'static str> {
    let Ok(tokens) = lexer::tokenize(sql) else {
        return vec!["text that cannot be read"];
    };
    // The tokens outside the expressions the model keeps verbatim.
    let mut outside = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let keeps_expression = ["CHECK", "DEFAULT", "AS"].iter().any(|k| tokens[i].is(k));
        if keeps_expression
            && tokens
                .get(i + 1)
                .is_some_and(|t| t.kind == lexer::Kind::Open)
        {
            i = lexer::matching_close(&tokens, i + 1).map_or(tokens.len(), |c| c + 1);
            continue;
        }
        outside.push(&tokens[i]);
        i += 1;
    }
    let mut out = Vec::new();
    // A column's own `COLLATE` is the model's (`Column::collation`, read back from this
    // text); any other (of a key's column) is not. The parser takes one per column
    // definition, so more `COLLATE`s than columns with a collation means a key has one.
    let collates = outside.iter().filter(|t| t.is("COLLATE")).count();
    let column_collations = schema_sql::parse_create_table(sql).map_or(0, |t| {
        t.columns.iter().filter(|c| c.collation.is_some()).count()
    });
    if collates > column_collations {
        out.push("COLLATE");
    }
    if outside.iter().any(|t| t.is("CONFLICT")) {
        out.push("ON CONFLICT");
    }
    let options = tokens
        .iter()
        .position(|t| t.kind == lexer::Kind::Open)
        .and_then(|open| lexer::matching_close(&tokens, open))
        .map_or(&tokens[..0], |close| &tokens[close + 1..]);
    if options.iter().any(|t| t.is("WITHOUT")) {
        out.push("WITHOUT ROWID");
    }
    if options.iter().any(|t| t.is("STRICT")) {
        out.push("STRICT");
    }
    out
}
