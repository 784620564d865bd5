//! PostgreSQL's side of reading a live schema: which schemas to read (the connection's
//! current one, those the model names that exist), the five catalog queries, the
//! dependents query, the six entity queries (`entity_catalog`, `extension_catalog`), what
//! views read among them and the table columns entities read (`entity_columns`) in one
//! `REPEATABLE READ READ ONLY` snapshot with JIT off
//! ([`CATALOG_READ_SETTINGS`](super::CATALOG_READ_SETTINGS)), then the pure builder.

use crate::live_schema::{
    execute, first_column, query, query_each, with_excluded, Catalog, LiveSchema, ReadSchemaError,
    SchemaRequest,
};
use crate::table_dependents::{
    postgres_table_dependents, postgres_table_dependents_sql, POSTGRES_TABLE_DEPENDENTS_FILE,
};

use retort_core::{Entity, MetaData};

use super::entity_catalog::{
    build_entities, build_entity_dependencies, read_entity_rows, EntityRows, DEPENDENCIES,
};
use super::entity_columns::{build_entity_columns, ENTITY_COLUMNS};
use super::extension_catalog::extension_is_read;
use super::introspect::with_schema_list;
use super::introspect::{CatalogQuery, IntrospectOptions, MetadataBuilder};

pub(super) async fn read_schema(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
) -> Result<LiveSchema, ReadSchemaError> {
    // One snapshot for every query, so rows of one query never name a table another
    // query did not see.
    execute(catalog, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let model = request.model;
    let result = match execute(catalog, super::CATALOG_READ_SETTINGS).await {
        Ok(()) => rows(catalog, request).await,
        Err(e) => Err(e),
    };
    // Read only: ending it either way changes nothing.
    let _ = catalog.execute("ROLLBACK").await;
    let (mut metadata, options, existing_schemas, table_dependents, entity_rows, dependency_rows) =
        result?;
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

async fn rows(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
) -> Result<Read, ReadSchemaError> {
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
    // Each row is read into the schema as it comes and dropped once read, not the queries'
    // rows all held until the last has answered.
    let mut builder = MetadataBuilder::new(&options);
    for q in CatalogQuery::ALL {
        query_each(
            catalog,
            q.file_name(),
            &q.sql_with_schemas(&schemas),
            |row| builder.add_row(q, &row),
        )
        .await?;
    }
    let metadata = builder.finish()?;
    let dependents = query(
        catalog,
        POSTGRES_TABLE_DEPENDENTS_FILE,
        &postgres_table_dependents_sql(&schemas),
    )
    .await?;
    let dependents = postgres_table_dependents(&dependents, &default_schema)
        .into_iter()
        .filter(|d| !options.exclude_tables.contains(&d.table))
        .collect();
    let entity_rows = read_entity_rows(catalog, &schemas).await?;
    let (file, sql) = DEPENDENCIES;
    let dependency_rows = query(catalog, file, &with_schema_list(sql, &schemas)).await?;
    let (file, sql) = ENTITY_COLUMNS;
    let column_rows = query(catalog, file, &with_schema_list(sql, &schemas)).await?;
    Ok((
        metadata,
        options,
        existing_schemas,
        dependents,
        entity_rows,
        (dependency_rows, column_rows),
    ))
}
