//! PostgreSQL's side of reading a live schema: which schemas to read (the connection's
//! current one, those the model names that exist), the five catalog queries, the
//! dependents query and the six entity queries (`entity_catalog`, `extension_catalog`) in one `REPEATABLE READ READ ONLY` snapshot, then the pure builder.

use crate::live_schema::{
    execute, first_column, query, with_excluded, Catalog, LiveSchema, ReadSchemaError,
    SchemaRequest,
};
use crate::table_dependents::{
    postgres_table_dependents, postgres_table_dependents_sql, POSTGRES_TABLE_DEPENDENTS_FILE,
};

use retort_core::Entity;

use super::entity_catalog::{
    build_entities, build_entity_dependencies, read_entity_rows, EntityRows, DEPENDENCIES,
};
use super::extension_catalog::extension_is_read;
use super::introspect::with_schema_list;
use super::introspect::{build_metadata, CatalogQuery, CatalogRows, IntrospectOptions};

pub(super) async fn read_schema(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
) -> Result<LiveSchema, ReadSchemaError> {
    // One snapshot for every query, so rows of one query never name a table another
    // query did not see.
    execute(catalog, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let model = request.model;
    let result = rows(catalog, request).await;
    // Read only: ending it either way changes nothing.
    let _ = catalog.execute("ROLLBACK").await;
    let (rows, options, existing_schemas, table_dependents, entity_rows, dependency_rows) = result?;
    let mut metadata = build_metadata(&rows, &options)?;
    for (_, e) in build_entities(&entity_rows, &options.default_schema) {
        let bookkeeping =
            matches!(&e, Entity::Trigger(t) if options.exclude_tables.contains(&t.table));
        // Extensions are the database's, not a schema's: read like tables (those in the
        // schemas read) or because the model names them.
        let read = extension_is_read(&e, &options.schemas, model.entities());
        if !bookkeeping && read {
            metadata.entities_mut().push(e);
        }
    }
    let dependencies = build_entity_dependencies(&dependency_rows, &options.default_schema);
    Ok(
        LiveSchema::new(metadata, existing_schemas, table_dependents)
            .with_entity_dependencies(dependencies),
    )
}

type Read = (
    CatalogRows,
    IntrospectOptions,
    Vec<String>,
    Vec<crate::table_dependents::TableDependent>,
    EntityRows,
    Vec<crate::table_dependents::TextRow>,
);

async fn rows(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
) -> Result<Read, ReadSchemaError> {
    let default_schema =
        first_column(query(catalog, "current_schema()", "SELECT current_schema()::text").await?)
            .into_iter()
            .next()
            .unwrap_or_else(|| "public".to_owned());
    let existing_schemas = first_column(
        query(
            catalog,
            "pg_namespace",
            "SELECT nspname::text FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
        )
        .await?,
    );
    let mut schemas = vec![default_schema.clone()];
    for s in request.named_schemas() {
        if !schemas.contains(&s) && existing_schemas.contains(&s) {
            schemas.push(s);
        }
    }
    let exclude = with_excluded(
        IntrospectOptions::default().exclude_tables,
        request.exclude_tables,
    );
    let options = IntrospectOptions::schemas(schemas.clone()).exclude_tables(exclude);
    let mut rows = CatalogRows::default();
    for q in CatalogQuery::ALL {
        *rows.rows_mut(q) = query(catalog, q.file_name(), &q.sql_with_schemas(&schemas)).await?;
    }
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
    Ok((
        rows,
        options,
        existing_schemas,
        dependents,
        entity_rows,
        dependency_rows,
    ))
}
