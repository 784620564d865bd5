//! SQLite's side of reading a live schema: the three catalog queries and the schema
//! objects (for triggers) in one deferred read transaction, then the pure builder.

use crate::live_schema::{
    execute, query, with_excluded, Catalog, LiveSchema, ReadSchemaError, SchemaRequest,
};
use crate::table_dependents::sqlite_table_dependents;

use super::introspect::{
    build_sqlite_metadata, SqliteCatalogQuery, SqliteCatalogRows, SqliteIntrospectOptions,
};
use super::live::SCHEMA_OBJECTS_SQL;

pub(super) async fn read_schema(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
) -> Result<LiveSchema, ReadSchemaError> {
    let options = SqliteIntrospectOptions {
        exclude_tables: with_excluded(
            SqliteIntrospectOptions::default().exclude_tables,
            request.exclude_tables,
        ),
    };
    // A deferred read transaction: one snapshot for the three queries, no write lock.
    execute(catalog, "BEGIN").await?;
    let result = rows(catalog, &options).await;
    let objects = query(
        catalog,
        "queries/sqlite/schema_objects.sql",
        SCHEMA_OBJECTS_SQL,
    )
    .await;
    // Read only: ending it either way changes nothing.
    let _ = catalog.execute("ROLLBACK").await;
    let mut metadata = build_sqlite_metadata(&result?, &options)?;
    let objects = objects?;
    metadata
        .entities_mut()
        .extend(super::entities::build_sqlite_entities(
            &objects,
            &options.exclude_tables,
        ));
    let table_dependents = sqlite_table_dependents(&objects)
        .into_iter()
        .filter(|d| metadata.get_table(None, &d.table).is_some())
        .collect();
    Ok(LiveSchema::new(metadata, Vec::new(), table_dependents))
}

async fn rows(
    catalog: &mut dyn Catalog,
    options: &SqliteIntrospectOptions,
) -> Result<SqliteCatalogRows, ReadSchemaError> {
    let mut rows = SqliteCatalogRows::default();
    for q in SqliteCatalogQuery::ALL {
        let sql = q.sql_with_excluded(&options.exclude_tables);
        *rows.rows_mut(q) = query(catalog, q.file_name(), &sql).await?;
    }
    Ok(rows)
}
