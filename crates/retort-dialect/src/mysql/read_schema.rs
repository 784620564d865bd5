//! MySQL's and MariaDB's side of reading a live schema: which server it is (`VERSION()`,
//! for the checks query), the current database, the five catalog queries, the
//! table dependents, the views and the triggers in one read-only transaction, then the pure builder.

use crate::live_schema::{
    execute, first_column, query, with_excluded, Catalog, LiveSchema, ReadSchemaError,
    SchemaRequest,
};
use crate::table_dependents::{postgres_table_dependents, TextRow};

use super::backend::MYSQL_TABLE_DEPENDENTS_FILE;
use super::introspect::{
    build_mysql_metadata, Flavour, MysqlCatalogQuery, MysqlCatalogRows, MysqlIntrospectOptions,
};

pub(super) async fn read_schema(
    catalog: &mut dyn Catalog,
    request: SchemaRequest<'_>,
) -> Result<LiveSchema, ReadSchemaError> {
    let first = |rows| first_column(rows).into_iter().next().unwrap_or_default();
    let version = first(query(catalog, "VERSION()", "SELECT VERSION()").await?);
    let database = first(query(catalog, "DATABASE()", "SELECT DATABASE()").await?);
    let defaults = MysqlIntrospectOptions::default();
    let options = MysqlIntrospectOptions {
        flavour: Flavour::from_version(&version),
        exclude_tables: with_excluded(defaults.exclude_tables, request.exclude_tables),
    };
    // The catalog of MySQL is not versioned as table rows are, but one read-only
    // transaction at least keeps DDL of this session out of the way.
    execute(catalog, "START TRANSACTION READ ONLY").await?;
    let result = rows(catalog, options.flavour).await;
    // Read only: ending it either way changes nothing.
    let _ = catalog.execute("ROLLBACK").await;
    let (rows, dependents, views, triggers) = result?;
    let mut metadata = build_mysql_metadata(&rows, &options)?;
    metadata
        .entities_mut()
        .extend(super::entities::build_mysql_entities(
            &views,
            &triggers,
            &database,
            &options.exclude_tables,
        ));
    let table_dependents = postgres_table_dependents(&dependents, &database)
        .into_iter()
        .filter(|d| metadata.get_table(None, &d.table).is_some())
        .collect();
    Ok(LiveSchema::new(metadata, Vec::new(), table_dependents))
}

/// The catalog rows, the table dependents', the views' and the triggers'.
type Rows = (MysqlCatalogRows, Vec<TextRow>, Vec<TextRow>, Vec<TextRow>);

async fn rows(catalog: &mut dyn Catalog, flavour: Flavour) -> Result<Rows, ReadSchemaError> {
    let mut rows = MysqlCatalogRows::default();
    for q in MysqlCatalogQuery::ALL {
        *rows.rows_mut(q) = query(catalog, q.file_name(), q.sql(flavour)).await?;
    }
    let dependents = query(
        catalog,
        MYSQL_TABLE_DEPENDENTS_FILE,
        include_str!("../../queries/mysql/table_dependents.sql"),
    )
    .await?;
    let (file, sql) = super::entities::VIEWS;
    let views = query(catalog, file, sql).await?;
    let (file, sql) = super::entities::TRIGGERS;
    let triggers = query(catalog, file, sql).await?;
    Ok((rows, dependents, views, triggers))
}
