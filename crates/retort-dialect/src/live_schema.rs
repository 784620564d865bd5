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

    /// Opens another catalog on a connection of its own to the same database, for a read
    /// that runs its queries side by side (PostgreSQL's, each connection in one exported
    /// snapshot). `None` (the default) when this catalog cannot: the read then runs every
    /// query on this one, one after the other, as SQLite's and MySQL's always do. The
    /// sibling holds no lock and shares no transaction with this catalog: the backend's
    /// read makes it see what this one sees, or does not use it.
    fn sibling<'a>(&'a mut self) -> CatalogFuture<'a, Option<Box<dyn Catalog>>> {
        Box::pin(async { Ok(None) })
    }

    /// Closes this catalog's connection, for a sibling once its read is done (dropped
    /// instead, the connection ends without a goodbye). The default does nothing.
    fn close<'a>(&'a mut self) -> CatalogFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
}

/// One query of a read run by [`run_jobs`]: its rows are handed to `each` as they arrive,
/// and `each`'s first error stops the query and the read.
pub struct CatalogJob<'a> {
    /// The query file, for a failure.
    pub what: &'static str,
    /// The SQL.
    pub sql: String,
    /// What reads each row.
    pub each: Box<dyn FnMut(TextRow) -> Result<(), ReadSchemaError> + Send + 'a>,
}

impl<'a> CatalogJob<'a> {
    /// A job whose rows are read by `each`.
    pub fn each(
        what: &'static str,
        sql: String,
        each: impl FnMut(TextRow) -> Result<(), ReadSchemaError> + Send + 'a,
    ) -> Self {
        CatalogJob {
            what,
            sql,
            each: Box::new(each),
        }
    }

    /// A job whose rows are all kept in `into`.
    pub fn collect(what: &'static str, sql: String, into: &'a mut Vec<TextRow>) -> Self {
        Self::each(what, sql, move |row| {
            into.push(row);
            Ok(())
        })
    }
}

/// Runs `jobs` over `catalogs`: each catalog runs one query at a time, the next one in
/// `jobs`' order (so the costliest first) going to the first catalog that is free. With one
/// catalog that is the queries one after the other. The queries run side by side on one
/// task (no thread: the server does the work in parallel, the client reads each
/// connection's rows as they come); after a failure no new query starts, the ones running
/// finish, and the first failure is returned.
pub async fn run_jobs(
    catalogs: &mut [&mut dyn Catalog],
    jobs: Vec<CatalogJob<'_>>,
) -> Result<(), ReadSchemaError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Mutex;

    if catalogs.is_empty() && !jobs.is_empty() {
        return Err(ReadSchemaError::Catalog {
            query: jobs[0].what,
            source: "no catalog connection to run the query on".into(),
        });
    }
    let queue = Mutex::new(jobs.into_iter());
    let failed = AtomicBool::new(false);
    let mut workers: Vec<Worker<'_>> = Vec::new();
    for catalog in catalogs.iter_mut() {
        let (queue, failed) = (&queue, &failed);
        workers.push(Box::pin(async move {
            loop {
                if failed.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                let Some(job) = next else {
                    return Ok(());
                };
                let CatalogJob { what, sql, each } = job;
                if let Err(e) = query_each(&mut **catalog, what, &sql, each).await {
                    failed.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }));
    }
    join_all(workers).await
}

/// One catalog's part of [`run_jobs`].
type Worker<'a> = Pin<Box<dyn Future<Output = Result<(), ReadSchemaError>> + Send + 'a>>;

/// Polls every future until all are done; the first error (in `futures`' order) is the result.
async fn join_all(mut futures: Vec<Worker<'_>>) -> Result<(), ReadSchemaError> {
    let mut results: Vec<Option<Result<(), ReadSchemaError>>> =
        futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in futures.iter_mut().zip(results.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(r) => *slot = Some(r),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    results.into_iter().flatten().collect()
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
    /// Whether the read may run its queries side by side on more connections.
    pub concurrency: Concurrency,
}

/// How many connections a live read may run its catalog queries on side by side, and from
/// how large a schema. Only where the backend can keep them in one snapshot (PostgreSQL's
/// exported snapshot) and the catalog can open them ([`Catalog::sibling`]); otherwise the
/// queries run one after the other on the catalog's own connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concurrency {
    /// At most this many connections, the catalog's own among them (1: one after the other).
    pub connections: usize,
    /// Only once the schemas read hold at least this many tables: below it the queries are
    /// over before the connections have paid for their opening.
    pub from_tables: usize,
}

impl Concurrency {
    /// Every query on the catalog's own connection, one after the other.
    pub const SEQUENTIAL: Concurrency = Concurrency {
        connections: 1,
        from_tables: usize::MAX,
    };

    /// `connections` connections whatever the schema's size (tests of the concurrent read).
    pub fn always(connections: usize) -> Self {
        Concurrency {
            connections,
            from_tables: 0,
        }
    }
}

impl Default for Concurrency {
    /// Three connections from 500 tables. At 10,000 tables PostgreSQL spent seconds on the
    /// columns, indexes and constraints queries (`bench/README.md`, issue 16), one after
    /// the other on one connection; side by side their time is about the longest one's.
    fn default() -> Self {
        Concurrency {
            connections: 3,
            from_tables: 500,
        }
    }
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
