//! The runtime's errors, and constraint violations mapped to the model's fields.
//!
//! A violation is told by sqlx's [`sqlx::error::ErrorKind`] (PostgreSQL's SQLSTATE 23505,
//! 23503, 23502, 23514; SQLite's extended codes 2067/1555, 787, 1299, 275; MariaDB's error
//! numbers 1062, 1451/1452, 1048, 4025), then placed: on PostgreSQL by the constraint's name
//! (the model's, else the default names PostgreSQL gives unnamed constraints) and the column
//! it reports; on SQLite by the columns or name its message lists; on MariaDB by the key,
//! column or constraint its message names (an unnamed unique key is named after its first
//! column). The model's table ([`retort_core::Model::table`]) turns columns into fields.

use std::fmt;

use retort_core::record::{Record, ValueError};
use retort_core::Table;
use sqlx::error::ErrorKind;

/// What went wrong in a query.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A unique, foreign-key, not-null or check constraint refused the statement.
    #[error("{0}")]
    Violation(Box<Violation>),
    /// A value did not fit its field, or the field's type cannot be read or written yet.
    #[error("{model}: {source}")]
    Value {
        /// The model.
        model: &'static str,
        /// What did not fit.
        source: ValueError,
    },
    /// `save`, `delete` or `get` on a model without a primary key.
    #[error("{model} has no primary key: `{what}` needs one")]
    NoPrimaryKey {
        /// The model.
        model: &'static str,
        /// The call.
        what: &'static str,
    },
    /// `save` found no row with the model's key.
    #[error("{model}: no row with this primary key to update")]
    NotFound {
        /// The model.
        model: &'static str,
    },
    /// The URL names no backend this build has (`postgres://`, `sqlite:`).
    #[error(
        "no backend for this URL (scheme `{scheme}`): the runtime serves postgres://, sqlite: and mysql:// (MariaDB)"
    )]
    UnsupportedUrl {
        /// The URL's scheme.
        scheme: String,
    },
    /// A relationship the runtime cannot follow, or a write its cascade does not allow.
    #[error("{model}.{relationship}: {problem}")]
    Relationship {
        /// The model declaring it.
        model: &'static str,
        /// The relationship's name.
        relationship: &'static str,
        /// What is wrong, and what to do.
        problem: String,
    },
    /// A parent was deleted through a relationship without the `delete` cascade, so its
    /// children's foreign key is to be set to `NULL` (SQLAlchemy's default,
    /// `passive_deletes=False`), but that column is `NOT NULL`. Nothing was written (the
    /// transaction rolled back, when it was the runtime's own).
    #[error(
        "{model}.{relationship}: deleting a {model} sets its {child} rows' `{column}` to NULL \
         (the relationship has no `delete` cascade), but `{column}` is NOT NULL; declare \
         `cascade = \"all\"` (or `\"delete\"`) to delete them with it, or delete them first"
    )]
    ForeignKeyNotNull {
        /// The parent model, declaring the relationship.
        model: &'static str,
        /// The relationship's name.
        relationship: &'static str,
        /// The child model.
        child: &'static str,
        /// The child's foreign-key column.
        column: String,
    },
    /// A table or column name the dialect refuses to quote.
    #[error("{0}")]
    Name(#[from] retort_dialect::DialectError),
    /// Anything else the driver reports.
    #[error(transparent)]
    Database(sqlx::Error),
}

/// Which constraint was violated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A unique constraint or the primary key.
    Unique,
    /// A foreign key.
    ForeignKey,
    /// `NOT NULL`.
    NotNull,
    /// A check constraint.
    Check,
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ViolationKind::Unique => "unique",
            ViolationKind::ForeignKey => "foreign-key",
            ViolationKind::NotNull => "not-null",
            ViolationKind::Check => "check",
        })
    }
}

/// A constraint violation, placed on the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Which kind of constraint.
    pub kind: ViolationKind,
    /// The model the statement was about.
    pub model: &'static str,
    /// The constraint's name, when the database says it or the model names it.
    pub constraint: Option<String>,
    /// The model's fields the constraint covers (empty when the database does not say).
    pub fields: Vec<&'static str>,
    /// The database's message.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} violation on {}", self.kind, self.model)?;
        if !self.fields.is_empty() {
            write!(f, ".{}", self.fields.join(", "))?;
        }
        if let Some(c) = &self.constraint {
            write!(f, " (constraint `{c}`)")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl Error {
    /// The violation, when this is one.
    pub fn violation(&self) -> Option<&Violation> {
        match self {
            Error::Violation(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn value<M: Record>(source: ValueError) -> Self {
        Error::Value {
            model: M::MODEL_NAME,
            source,
        }
    }

    /// `err` from a statement about `M`: a violation placed on `M`'s fields, else as it is.
    pub(crate) fn from_sqlx<M: Record>(err: sqlx::Error) -> Self {
        Error::from_sqlx_on(err, M::MODEL_NAME, &M::table(), M::columns())
    }

    /// `err` from a statement about the model `model` (its table and columns): what
    /// [`Error::from_sqlx`] does, for the models a cascade reaches without their types.
    pub(crate) fn from_sqlx_on(
        err: sqlx::Error,
        model: &'static str,
        table: &Table,
        model_columns: &[retort_core::record::ColumnInfo],
    ) -> Self {
        let sqlx::Error::Database(db) = &err else {
            return Error::Database(err);
        };
        let kind = match db.kind() {
            ErrorKind::UniqueViolation => ViolationKind::Unique,
            ErrorKind::ForeignKeyViolation => ViolationKind::ForeignKey,
            ErrorKind::NotNullViolation => ViolationKind::NotNull,
            ErrorKind::CheckViolation => ViolationKind::Check,
            _ => return Error::Database(err),
        };
        let message = db.message().to_string();
        let (constraint, columns) = match pg_column(&**db) {
            // PostgreSQL: the constraint's name (and the column, for NOT NULL).
            Some(column) => (
                db.constraint().map(str::to_string),
                column.into_iter().collect(),
            ),
            None if is_mysql(&**db) => mysql_detail(kind, &message, table),
            None => sqlite_detail(kind, &message, table),
        };
        let (constraint, columns) = place(kind, constraint, columns, table);
        let fields = columns
            .iter()
            .filter_map(|c| model_columns.iter().find(|i| i.name == c).map(|i| i.field))
            .collect();
        Error::Violation(Box::new(Violation {
            kind,
            model,
            constraint,
            fields,
            message,
        }))
    }
}

/// `Some(column)` when the error is PostgreSQL's (its column, for NOT NULL), `None` otherwise.
#[allow(unused_variables)]
fn pg_column(db: &dyn sqlx::error::DatabaseError) -> Option<Option<String>> {
    #[cfg(feature = "postgres")]
    if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        return Some(pg.column().map(str::to_string));
    }
    None
}

/// Whether the error is MariaDB's or MySQL's.
#[allow(unused_variables)]
fn is_mysql(db: &dyn sqlx::error::DatabaseError) -> bool {
    #[cfg(feature = "mysql")]
    if db
        .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
        .is_some()
    {
        return true;
    }
    false
}

/// MariaDB's and MySQL's messages: `Duplicate entry '..' for key 'name'` (the index, named
/// after its first column when the model gave it no name; MySQL 8 puts the table before
/// it), `Column 'c' cannot be null`, `.. CONSTRAINT `name` FOREIGN KEY (`a`) REFERENCES ..`,
/// and for a check `CONSTRAINT `name` failed for ..` (MariaDB) or `Check constraint 'name'
/// is violated.` (MySQL).
fn mysql_detail(
    kind: ViolationKind,
    message: &str,
    table: &Table,
) -> (Option<String>, Vec<String>) {
    // The text between `open` and `close` after `after`.
    let between = |after: &str, open: char, close: char| -> Option<String> {
        let (_, rest) = message.split_once(after)?;
        let rest = rest.strip_prefix(open)?;
        rest.split_once(close).map(|(n, _)| n.to_string())
    };
    match kind {
        ViolationKind::Unique => {
            let Some((_, key)) = message.rsplit_once(" for key '") else {
                return (None, Vec::new());
            };
            let key = key.trim_end_matches('\'');
            let key = key.rsplit_once('.').map_or(key, |(_, k)| k).to_string();
            if key == "PRIMARY" {
                return table.primary_key.as_ref().map_or((None, Vec::new()), |pk| {
                    (pk.name.clone(), pk.columns.clone())
                });
            }
            let unnamed = table
                .uniques
                .iter()
                .find(|u| u.name.is_none() && u.columns.first() == Some(&key));
            match unnamed {
                Some(u) => (None, u.columns.clone()),
                None => (Some(key), Vec::new()),
            }
        }
        ViolationKind::NotNull => (None, between("Column ", '\'', '\'').into_iter().collect()),
        ViolationKind::ForeignKey => {
            let name = between("CONSTRAINT ", '`', '`');
            let columns = between("FOREIGN KEY ", '(', ')')
                .map(|cols| {
                    cols.split(',')
                        .map(|c| c.trim().trim_matches('`').to_string())
                        .collect()
                })
                .unwrap_or_default();
            (name, columns)
        }
        ViolationKind::Check => (
            between("CONSTRAINT ", '`', '`').or_else(|| between("Check constraint ", '\'', '\'')),
            Vec::new(),
        ),
    }
}

/// SQLite's message: `UNIQUE constraint failed: t.a, t.b`, `NOT NULL constraint failed: t.a`,
/// `CHECK constraint failed: name`, `FOREIGN KEY constraint failed`.
fn sqlite_detail(
    kind: ViolationKind,
    message: &str,
    table: &Table,
) -> (Option<String>, Vec<String>) {
    let detail = message.split_once("failed: ").map(|(_, d)| d.trim());
    match (kind, detail) {
        (ViolationKind::Check, Some(name)) => (Some(name.to_string()), Vec::new()),
        (ViolationKind::Unique | ViolationKind::NotNull, Some(cols)) => (
            None,
            cols.split(", ")
                .map(|c| c.rsplit_once('.').map_or(c, |(_, c)| c).to_string())
                .collect(),
        ),
        // SQLite does not say which foreign key: the table's only one, if it has one.
        (ViolationKind::ForeignKey, _) if table.foreign_keys.len() == 1 => {
            let fk = &table.foreign_keys[0];
            (fk.name.clone(), fk.columns.clone())
        }
        _ => (None, Vec::new()),
    }
}

/// The constraint's name and columns from what the database said, with the model's help:
/// a named constraint of the model, or the name PostgreSQL gives an unnamed one
/// (`<table>_<columns>_key`, `_pkey`, `_fkey`, `_check`).
fn place(
    kind: ViolationKind,
    name: Option<String>,
    columns: Vec<String>,
    table: &Table,
) -> (Option<String>, Vec<String>) {
    let t = &table.name;
    let default_name = |cols: &[String], suffix: &str| format!("{t}_{}_{suffix}", cols.join("_"));
    let mut candidates: Vec<(Option<String>, String, Vec<String>)> = Vec::new();
    match kind {
        ViolationKind::Unique => {
            if let Some(pk) = &table.primary_key {
                candidates.push((pk.name.clone(), format!("{t}_pkey"), pk.columns.clone()));
            }
            for u in &table.uniques {
                candidates.push((
                    u.name.clone(),
                    default_name(&u.columns, "key"),
                    u.columns.clone(),
                ));
            }
        }
        ViolationKind::ForeignKey => {
            for fk in &table.foreign_keys {
                candidates.push((
                    fk.name.clone(),
                    default_name(&fk.columns, "fkey"),
                    fk.columns.clone(),
                ));
            }
        }
        ViolationKind::Check => {
            for ck in &table.checks {
                let col: Vec<String> = table
                    .columns
                    .iter()
                    .filter(|c| ck.expr.contains(c.name.as_str()))
                    .map(|c| c.name.clone())
                    .collect();
                candidates.push((ck.name.clone(), default_name(&col, "check"), col));
            }
        }
        ViolationKind::NotNull => return (name, columns),
    }
    let found = candidates
        .into_iter()
        .find(|(declared, default, cols)| match &name {
            Some(n) => {
                declared.as_deref() == Some(n.as_str()) || (declared.is_none() && default == n)
            }
            None => !columns.is_empty() && *cols == columns,
        });
    match found {
        Some((declared, _, cols)) => (name.or(declared), cols),
        None => (name, columns),
    }
}
