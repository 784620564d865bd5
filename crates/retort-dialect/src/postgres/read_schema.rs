//! PostgreSQL's side of reading a live schema: which schemas to read (the connection's
//! current one, those the model names that exist), the six catalog queries, the
//! dependents query, the twelve entity queries (`entity_catalog`, `extension_catalog`,
//! `access_catalog`, `object_catalog`), what views read among them and the table columns entities read
//! (`entity_columns`), all in one `REPEATABLE READ READ ONLY` snapshot with JIT off
//! ([`CATALOG_READ_SETTINGS`](super::CATALOG_READ_SETTINGS)), then the pure builder.
//!
//! On a large schema (`SchemaRequest::concurrency`) the queries run side by side on
//! several connections ([`Catalog::sibling`]): the catalog's own connection exports its
//! snapshot (`pg_export_snapshot()`) and every sibling imports it (`SET TRANSACTION
//! SNAPSHOT`) before its first query, so all of them see exactly one state of the database.
//! Each connection takes the next query, the costliest first (columns, indexes,
//! constraints); every row is still built into the schema as it arrives, from whichever
//! connection (`MetadataBuilder` takes the queries' rows in any order). A catalog that
//! opens no sibling (SQLite's and MySQL's drivers, tests' catalogs) or a server that
//! refuses the export reads them one after the other on one connection, as before.

use std::sync::Mutex;

use crate::live_schema::{
    execute, first_column, query, run_jobs, with_excluded, Catalog, CatalogJob, Concurrency,
    LiveSchema, ReadSchemaError, SchemaRequest,
};
use crate::table_dependents::{
    postgres_table_dependents, postgres_table_dependents_sql, TextRow,
    POSTGRES_TABLE_DEPENDENTS_FILE,
};

use retort_core::{Entity, MetaData};

use super::entity_catalog::{
    build_entities, build_entity_dependencies, entity_queries, EntityRows, DEPENDENCIES,
};
use super::entity_columns::{build_entity_columns, ENTITY_COLUMNS};
use super::extension_catalog::extension_is_read;
use super::introspect::with_schema_list;
use super::introspect::{CatalogQuery, IntrospectOptions, MetadataBuilder};

pub(super) async fn read_schema(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
) -> Result<LiveSchema, ReadSchemaError> {
    let model = request.model;
    let mut result = read_in_snapshot(catalog, request, request.concurrency).await;
    if let Ok(None) = result {
        // The server would not export the snapshot (the transaction is over): again, on
        // this connection alone.
        result = read_in_snapshot(catalog, request, Concurrency::SEQUENTIAL).await;
    }
    let Some(read) = result? else {
        return Err(ReadSchemaError::Catalog {
            query: "pg_export_snapshot()",
            source: "the snapshot was exported on a sequential read".into(),
        });
    };
    let (mut metadata, options, existing_schemas, table_dependents, entity_rows, dependency_rows) =
        read;
    let (dependency_rows, column_rows) = dependency_rows;
    for (_, e) in build_entities(&entity_rows, &options.default_schema) {
        // What is on the bookkeeping tables (the version table and its log) is theirs.
        let bookkeeping = match &e {
            Entity::Grant(g) if g.arguments.is_none() => options.exclude_tables.contains(&g.object),
            other => other
                .table()
                .is_some_and(|t| options.exclude_tables.contains(&t.to_owned())),
        };
        // Extensions are the database's, not a schema's: read like tables (those in the
        // schemas read) or because the model names them.
        let read = extension_is_read(&e, &options.schemas, model.entities());
        if !bookkeeping && read {
            metadata.entities_mut().push(e);
        }
    }
    let dependencies = build_entity_dependencies(&dependency_rows, &options.default_schema);
    let columns = build_entity_columns(&column_rows, &options.default_schema);
    Ok(
        LiveSchema::new(metadata, existing_schemas, table_dependents)
            .with_entity_dependencies(dependencies)
            .with_entity_columns(columns),
    )
}

type Read = (
    MetaData,
    IntrospectOptions,
    Vec<String>,
    Vec<crate::table_dependents::TableDependent>,
    EntityRows,
    // The entity dependencies' rows, then the entity columns' rows.
    (
        Vec<crate::table_dependents::TextRow>,
        Vec<crate::table_dependents::TextRow>,
    ),
);

/// The session's `current_schema()`: where an unqualified name is created (`public` when
/// the `search_path` names no schema that exists).
pub(crate) async fn current_schema(
    catalog: &mut dyn Catalog,
) -> Result<Option<String>, ReadSchemaError> {
    Ok(Some(
        first_column(query(catalog, "current_schema()", "SELECT current_schema()::text").await?)
            .into_iter()
            .next()
            .unwrap_or_else(|| "public".to_owned()),
    ))
}

/// One read in one `REPEATABLE READ READ ONLY` transaction, ended (rolled back) before
/// returning; `None` when the snapshot was to be shared and the server would not export it.
async fn read_in_snapshot(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
    concurrency: Concurrency,
) -> Result<Option<Read>, ReadSchemaError> {
    // One snapshot for every query, so rows of one query never name a table another
    // query did not see.
    execute(catalog, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let result = match execute(catalog, super::CATALOG_READ_SETTINGS).await {
        Ok(()) => rows(catalog, request, concurrency).await,
        Err(e) => Err(e),
    };
    // Read only: ending it either way changes nothing.
    let _ = catalog.execute("ROLLBACK").await;
    result
}

async fn rows(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
    concurrency: Concurrency,
) -> Result<Option<Read>, ReadSchemaError> {
    let default_schema = match request.default_schema {
        Some(s) => s.to_owned(),
        None => current_schema(catalog)
            .await?
            .unwrap_or_else(|| "public".to_owned()),
    };
    // Only the schemas the model (or include_schemas) names: whether each exists is all the
    // diff asks (to create the missing ones), and a database of a thousand tenant schemas
    // must not make every read list them all (issue 16, item 2).
    // The server's own schemas (`pg_catalog`, which a model's entity may name) are never
    // read as the model's. The default schema is asked about too (the diff knows it exists).
    let named = request.named_schemas();
    let mut asked = named.clone();
    asked.push(default_schema.clone());
    let existing_schemas = first_column(
        query(
            catalog,
            "pg_namespace",
            &with_schema_list(
                "SELECT nspname::text FROM pg_namespace WHERE nspname = ANY ($1::text[]) \
                 AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
                &asked,
            ),
        )
        .await?,
    );
    let mut schemas = vec![default_schema.clone()];
    for s in named {
        if !schemas.contains(&s) && existing_schemas.contains(&s) {
            schemas.push(s);
        }
    }
    let exclude = with_excluded(
        IntrospectOptions::default().exclude_tables,
        request.exclude_tables,
    );
    let options = IntrospectOptions::schemas(schemas.clone()).exclude_tables(exclude);
    let Some(mut siblings) = siblings(catalog, &schemas, concurrency).await? else {
        return Ok(None);
    };
    let read = run_queries(catalog, &mut siblings, &options).await;
    for sibling in &mut siblings {
        // Read only, and its connection ends here: nothing to keep or report.
        let _ = sibling.execute("ROLLBACK").await;
        let _ = sibling.close().await;
    }
    let (metadata, dependents, entity_rows, dependency_rows) = read?;
    let dependents = postgres_table_dependents(&dependents, &default_schema)
        .into_iter()
        .filter(|d| !options.exclude_tables.contains(&d.table))
        .collect();
    Ok(Some((
        metadata,
        options,
        existing_schemas,
        dependents,
        entity_rows,
        dependency_rows,
    )))
}

/// The metadata, the dependents' rows, the entities' rows, the dependencies' and entity
/// columns' rows.
type Queried = (
    MetaData,
    Vec<TextRow>,
    EntityRows,
    (Vec<TextRow>, Vec<TextRow>),
);

/// Runs every query of the read on `catalog` and its `siblings` (none: one after the other),
/// each row of the catalog queries built into the schema as it arrives.
async fn run_queries(
    catalog: &mut dyn Catalog,
    siblings: &mut [Box<dyn Catalog>],
    options: &IntrospectOptions,
) -> Result<Queried, ReadSchemaError> {
    let schemas = &options.schemas;
    let builder = Mutex::new(MetadataBuilder::new(options));
    let mut dependents = Vec::new();
    let mut entities: [Vec<TextRow>; 12] = Default::default();
    let mut dependency_rows = Vec::new();
    let mut column_rows = Vec::new();
    {
        let mut jobs = Vec::new();
        // The costliest first, so that the longest query starts at once and the small
        // ones fill in beside it (at 10,000 tables: columns 2.4 s, indexes 1.6 s,
        // constraints 1.2 s, dependents 0.3 s of the server's time, the rest under 0.2 s).
        let mut queries = CatalogQuery::ALL;
        queries.sort_by_key(|q| cost_rank(*q));
        let builder = &builder;
        let catalog_job = |q: CatalogQuery| {
            CatalogJob::each(q.file_name(), q.sql_with_schemas(schemas), move |row| {
                // One task polls every connection: the lock is never waited for.
                let mut b = builder.lock().unwrap_or_else(|e| e.into_inner());
                b.add_row(q, &row).map_err(ReadSchemaError::from)
            })
        };
        let (first, rest) = queries.split_at(3);
        jobs.extend(first.iter().map(|q| catalog_job(*q)));
        jobs.push(CatalogJob::collect(
            POSTGRES_TABLE_DEPENDENTS_FILE,
            postgres_table_dependents_sql(schemas),
            &mut dependents,
        ));
        jobs.extend(rest.iter().map(|q| catalog_job(*q)));
        for ((file, sql), rows) in entity_queries().into_iter().zip(entities.iter_mut()) {
            jobs.push(CatalogJob::collect(
                file,
                with_schema_list(sql, schemas),
                rows,
            ));
        }
        let (file, sql) = DEPENDENCIES;
        jobs.push(CatalogJob::collect(
            file,
            with_schema_list(sql, schemas),
            &mut dependency_rows,
        ));
        let (file, sql) = ENTITY_COLUMNS;
        jobs.push(CatalogJob::collect(
            file,
            with_schema_list(sql, schemas),
            &mut column_rows,
        ));
        let mut catalogs: Vec<&mut dyn Catalog> = vec![catalog];
        catalogs.extend(siblings.iter_mut().map(|s| &mut **s as &mut dyn Catalog));
        run_jobs(&mut catalogs, jobs).await?;
    }
    let metadata = builder
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .finish()?;
    Ok((
        metadata,
        dependents,
        EntityRows::from_results(entities),
        (dependency_rows, column_rows),
    ))
}

/// Where a catalog query goes in the read's order: the costly three first.
fn cost_rank(q: CatalogQuery) -> u8 {
    match q {
        CatalogQuery::Columns => 0,
        CatalogQuery::Indexes => 1,
        CatalogQuery::Constraints => 2,
        CatalogQuery::Sequences => 3,
        CatalogQuery::Enums => 4,
        CatalogQuery::Comments => 5,
    }
}

/// The tables of `schemas`, to tell whether a concurrent read pays.
const TABLE_COUNT: &str = "SELECT count(*)::text FROM pg_class c \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY ($1::text[])";

/// The connections beside `catalog` that read in its snapshot: none when `concurrency`
/// says one, or the schemas are smaller than it asks, or the catalog opens none; `None`
/// when the server refused to export the snapshot (the transaction is aborted then).
/// A sibling that cannot be opened or set up is left out: fewer connections, same answer.
async fn siblings(
    catalog: &mut dyn Catalog,
    schemas: &[String],
    concurrency: Concurrency,
) -> Result<Option<Vec<Box<dyn Catalog>>>, ReadSchemaError> {
    let wanted = concurrency.connections.saturating_sub(1);
    if wanted == 0 {
        return Ok(Some(Vec::new()));
    }
    if concurrency.from_tables > 0 {
        let tables = first_column(
            query(catalog, "pg_class", &with_schema_list(TABLE_COUNT, schemas)).await?,
        );
        let tables: usize = tables.first().and_then(|n| n.parse().ok()).unwrap_or(0);
        if tables < concurrency.from_tables {
            return Ok(Some(Vec::new()));
        }
    }
    let mut opened = Vec::new();
    while opened.len() < wanted {
        match catalog.sibling().await {
            Ok(Some(s)) => opened.push(s),
            // Cannot (not this driver), or could not (the server's connection limit): as
            // many as there are.
            Ok(None) | Err(_) => break,
        }
    }
    if opened.is_empty() {
        return Ok(Some(opened));
    }
    let exported = catalog
        .query("SELECT pg_export_snapshot(), current_setting('search_path')")
        .await;
    let row = match exported {
        Ok(rows) => rows.into_iter().next().unwrap_or_default(),
        Err(_) => {
            for s in &mut opened {
                let _ = s.close().await;
            }
            return Ok(None);
        }
    };
    let (Some(Some(snapshot)), Some(Some(search_path))) = (row.first(), row.get(1)) else {
        return Err(ReadSchemaError::Catalog {
            query: "pg_export_snapshot()",
            source: "the server returned no snapshot id".into(),
        });
    };
    // The snapshot first (nothing may run before it in the transaction), then what the
    // catalog's own transaction has: JIT off, and its search_path, which decides how
    // `format_type` and `pg_get_expr` qualify names.
    let setup = format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT {}; {}; \
         SELECT set_config('search_path', {}, true)",
        literal(snapshot),
        super::CATALOG_READ_SETTINGS,
        literal(search_path),
    );
    let mut ready = Vec::new();
    for mut s in opened {
        match s.execute(&setup).await {
            Ok(()) => ready.push(s),
            Err(_) => {
                let _ = s.execute("ROLLBACK").await;
                let _ = s.close().await;
            }
        }
    }
    Ok(Some(ready))
}

/// `text` as an escaped string literal.
fn literal(text: &str) -> String {
    format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}
