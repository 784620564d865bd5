//! What a table has in a live database that Retort does not model and that `DROP TABLE`
//! removes with it without a word: triggers on both databases, and on PostgreSQL also
//! row-level security policies, rules and grants (on the table or one of its columns). A downgrade re-creates a dropped table from what
//! the schema knows, so these would not come back; autogenerate therefore refuses to drop
//! such a table, naming each (`retort_migrate::autogenerate::refuse_lost_objects`).
//!
//! Each database lists them with one catalog query read as text rows, turned into
//! [`TableDependent`]s here by pure functions: PostgreSQL with
//! [`postgres_table_dependents_sql`] (`queries/postgres/table_dependents.sql`), SQLite with
//! the rebuild's own [`SCHEMA_OBJECTS_SQL`](crate::sqlite::live::SCHEMA_OBJECTS_SQL).

use std::fmt;

/// A row of a catalog query, every value as text.
pub type TextRow = Vec<Option<String>>;

/// The file PostgreSQL's query comes from, for messages.
pub const POSTGRES_TABLE_DEPENDENTS_FILE: &str = "queries/postgres/table_dependents.sql";

/// One object that goes with its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDependent {
    /// The table's schema as introspection names it: `None` for the default one.
    pub schema: Option<String>,
    /// The table's name.
    pub table: String,
    /// `trigger`, `policy`, `rule` or `grant`.
    pub kind: String,
    /// The object's name; a grant's `PRIVILEGE to grantee` (`SELECT to app`), one on a
    /// column `PRIVILEGE (column) to grantee`.
    pub name: String,
}

impl fmt::Display for TableDependent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{} {} on table {s}.{}", self.kind, self.name, self.table),
            None => write!(f, "{} {} on table {}", self.kind, self.name, self.table),
        }
    }
}

/// PostgreSQL's query for the tables of `schemas`, the list written in as escaped literals
/// for a driver that runs text without parameters.
pub fn postgres_table_dependents_sql<S: AsRef<str>>(schemas: &[S]) -> String {
    crate::postgres::introspect::with_schema_list(
        include_str!("../queries/postgres/table_dependents.sql"),
        schemas,
    )
}

/// The rows of [`postgres_table_dependents_sql`]; tables of `default_schema` get no schema,
/// as introspection leaves it unset for them.
pub fn postgres_table_dependents(rows: &[TextRow], default_schema: &str) -> Vec<TableDependent> {
    rows.iter()
        .map(|row| {
            let field = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            let schema = field(0);
            TableDependent {
                schema: (schema != default_schema).then_some(schema),
                table: field(1),
                kind: field(2),
                name: field(3),
            }
        })
        .collect()
}

/// The triggers among the rows of SQLite's
/// [`SCHEMA_OBJECTS_SQL`](crate::sqlite::live::SCHEMA_OBJECTS_SQL) (type, name, table, text).
pub fn sqlite_table_dependents(rows: &[TextRow]) -> Vec<TableDependent> {
    rows.iter()
        .filter(|row| row.first().cloned().flatten().as_deref() == Some("trigger"))
        .map(|row| {
            let field = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            TableDependent {
                schema: None,
                table: field(2),
                kind: "trigger".into(),
                name: field(1),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[&str]) -> TextRow {
        values.iter().map(|v| Some(v.to_string())).collect()
    }

    #[test]
    fn rows_become_named_dependents() {
        let pg = postgres_table_dependents(
            &[
                row(&["public", "secrets", "trigger", "no_rename"]),
                row(&["audit", "log", "policy", "own_rows"]),
            ],
            "public",
        );
        assert_eq!(pg[0].to_string(), "trigger no_rename on table secrets");
        assert_eq!(pg[1].to_string(), "policy own_rows on table audit.log");
        let lite = sqlite_table_dependents(&[
            row(&["index", "ix_a", "a", "CREATE INDEX ix_a ON a (x)"]),
            row(&["trigger", "t_a", "a", "CREATE TRIGGER t_a .."]),
        ]);
        assert_eq!(lite.len(), 1);
        assert_eq!(lite[0].to_string(), "trigger t_a on table a");
    }

    #[test]
    fn schema_names_are_escaped() {
        let sql = postgres_table_dependents_sql(&["public", "it's"]);
        assert!(sql.contains("ARRAY[E'public', E'it''s']::text[]"));
        assert!(!sql.contains("$1::text[]"));
    }
}
