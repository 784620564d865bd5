//! Reading a live database's schema through a [`Catalog`]: the one thing a backend needs
//! from a connection to introspect, and the types of what it gives back.
//!
//! A backend's [`read_schema`](crate::BackendSupport::read_schema) (and PostgreSQL's
//! [`canonicalise`](crate::BackendSupport::canonicalise)) sends its catalog SQL through a
//! [`Catalog`] and turns the text rows into a model with its pure builder. The catalog is
//! two calls, run a statement and read text rows, which the engine (`retort-migrate`)
//! implements over its driver: this crate stays free of any database driver or runtime,
//! and a backend's whole conversation with the server (which queries, in which snapshot,
//! the ones that depend on an earlier answer) is its own, in its own module. Tests can
//! answer it from hand-written rows.

use std::future::Future;
use std::pin::Pin;

use retort_core::MetaData;

use crate::introspect::IntrospectError;
use crate::table_dependents::{TableDependent, TextRow};

/// Why a statement or query failed, as the driver said it.
pub type CatalogError = Box<dyn std::error::Error + Send + Sync>;

/// What a [`Catalog`] call returns.
pub type CatalogFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, CatalogError>> + Send + 'a>>;

/// A connection as a backend's introspection sees it: statements and queries as text,
/// every value read back as text (catalog queries cast their columns to text).
pub trait Catalog: Send {
    /// Runs one statement (or a script), reading nothing back.
    fn execute<'a>(&'a mut self, sql: &'a str) -> CatalogFuture<'a, ()>;
    /// Runs a query whose columns are all text (or NULL).
    fn query<'a>(&'a mut self, sql: &'a str) -> CatalogFuture<'a, Vec<TextRow>>;

    /// Runs a query whose columns are all text (or NULL), handing each row to `each` as it
    /// arrives; `each` returning `false` stops the read (the rest is discarded). A catalog
    /// over a driver that streams holds one row at a time rather than the whole result (at
    /// 10,000 tables the columns query's rows were tens of megabytes); by default it reads
    /// them all first ([`Catalog::query`]).
    fn query_each<'a>(
        &'a mut self,
        sql: &'a str,
        each: &'a mut (dyn FnMut(TextRow) -> bool + Send),
    ) -> CatalogFuture<'a, ()> {
        Box::pin(async move {
            for row in self.query(sql).await? {
                if !each(row) {
                    break;
                }
            }
            Ok(())
        })
    }
}

/// What to read: the model (whose schemas are read with the default one), the schemas
/// `[autogenerate]` names, and the tables to leave out (the bookkeeping tables among them).
#[derive(Debug, Clone, Copy)]
pub struct SchemaRequest<'a> {
    /// The model: the schemas its tables and enum types name are read too.
    pub model: &'a MetaData,
    /// `[autogenerate] include_schemas`: more schemas to read; `None` reads only the default one and the model's.
    pub include_schemas: Option<&'a [String]>,
    /// Tables left out (the version and log tables, `exclude_tables`).
    pub exclude_tables: &'a [String],
    /// The connection's default schema when the caller has asked already
    /// ([`BackendSupport::default_schema`](crate::BackendSupport::default_schema)); `None`:
    /// the backend asks.
    pub default_schema: Option<&'a str>,
}

impl SchemaRequest<'_> {
    /// The schemas the model's tables and enum types live in, then those `include_schemas`
    /// names, each once, in that order.
    pub fn named_schemas(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let named = self
            .model
            .tables()
            .iter()
            .filter_map(|t| t.schema.clone())
            .chain(self.model.enums().iter().filter_map(|e| e.schema.clone()))
            .chain(
                self.model
                    .entities()
                    .iter()
                    .filter_map(|e| e.schema().map(str::to_owned)),
            )
            .chain(self.include_schemas.iter().copied().flatten().cloned());
        for s in named {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// A live schema as read.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LiveSchema {
    /// The tables, enum types and sequences read.
    pub metadata: MetaData,
    /// Schemas that exist although nothing in `metadata` names them.
    pub existing_schemas: Vec<String>,
    /// What the tables have that the model cannot say (triggers; policies, rules), only
    /// for tables that were read.
    pub table_dependents: Vec<TableDependent>,
    /// Dependencies among the entities of `metadata` the catalog records, as (dependent,
    /// dependency) keys (PostgreSQL: a view's rewrite rule on another view or a function).
    pub entity_dependencies: Vec<(retort_core::EntityKey, retort_core::EntityKey)>,
    /// The table columns the entities of `metadata` read, as the catalog records them
    /// (PostgreSQL: `pg_depend`), for the diff's drops and re-creates around a dropped or
    /// retyped column.
    pub entity_columns: Vec<retort_core::EntityColumn>,
}

impl LiveSchema {
    /// A live schema from its parts (the struct is `#[non_exhaustive]`).
    pub fn new(
        metadata: MetaData,
        existing_schemas: Vec<String>,
        table_dependents: Vec<TableDependent>,
    ) -> Self {
        LiveSchema {
            metadata,
            existing_schemas,
            table_dependents,
            entity_dependencies: Vec::new(),
            entity_columns: Vec::new(),
        }
    }

    /// The same, with the dependencies among its entities the catalog records.
    pub fn with_entity_dependencies(
        mut self,
        dependencies: Vec<(retort_core::EntityKey, retort_core::EntityKey)>,
    ) -> Self {
        self.entity_dependencies = dependencies;
        self
    }

    /// The same, with the table columns its entities read as the catalog records them.
    pub fn with_entity_columns(mut self, columns: Vec<retort_core::EntityColumn>) -> Self {
        self.entity_columns = columns;
        self
    }
}

/// Why a live schema could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadSchemaError {
    /// A catalog statement or query failed; `query` names it (its file, or the statement).
    #[error("reading the database catalog ({query}) failed: {source}")]
    Catalog {
        /// The query file, or the statement, that failed.
        query: &'static str,
        /// The driver's error.
        #[source]
        source: CatalogError,
    },
    /// The catalog rows could not be read into a schema.
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
}

/// Runs `sql` through `catalog`, a failure named by `what`.
pub async fn query(
    catalog: &mut dyn Catalog,
    what: &'static str,
    sql: &str,
) -> Result<Vec<TextRow>, ReadSchemaError> {
    catalog
        .query(sql)
        .await
        .map_err(|source| ReadSchemaError::Catalog {
            query: what,
            source,
        })
}

/// [`query`] a row at a time ([`Catalog::query_each`]): `each` reads a row, and its first
/// error stops the read and is returned.
pub async fn query_each<E>(
    catalog: &mut dyn Catalog,
    what: &'static str,
    sql: &str,
    mut each: impl FnMut(TextRow) -> Result<(), E> + Send,
) -> Result<(), ReadSchemaError>
where
    E: Into<ReadSchemaError> + Send,
{
    let mut failed: Option<E> = None;
    let mut read = |row: TextRow| match each(row) {
        Ok(()) => true,
        Err(e) => {
            failed = Some(e);
            false
        }
    };
    catalog
        .query_each(sql, &mut read)
        .await
        .map_err(|source| ReadSchemaError::Catalog {
            query: what,
            source,
        })?;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Runs the statement `sql` through `catalog`, a failure named by the statement itself.
pub async fn execute(catalog: &mut dyn Catalog, sql: &'static str) -> Result<(), ReadSchemaError> {
    catalog
        .execute(sql)
        .await
        .map_err(|source| ReadSchemaError::Catalog { query: sql, source })
}

/// The first value of every row.
pub fn first_column(rows: Vec<TextRow>) -> Vec<String> {
    rows.into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect()
}

/// `excluded` with `more` added, each once.
pub fn with_excluded(mut excluded: Vec<String>, more: &[String]) -> Vec<String> {
    for t in more {
        if !excluded.contains(t) {
            excluded.push(t.clone());
        }
    }
    excluded
}
