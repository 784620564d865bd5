//! SQLite table rebuilds rendered when they run, from the table as the database has it
//! then (inside the revision's transaction, after the statements before it), so that what
//! the revision history does not know (a column or index added by raw SQL, a trigger, a
//! view over the table) is carried over or the rebuild is refused naming it. The rows are
//! read here, through the driver; `retort_dialect::sqlite::live` turns them into SQL.

use retort_dialect::sqlite::introspect::SqliteCatalogQuery;
use retort_dialect::sqlite::live::{render_op_live, LiveCatalog, SCHEMA_OBJECTS_SQL};

use super::{MigrateError, Migrator};
use crate::driver::Driver;
use crate::render::{LiveRebuild, RenderError};

impl Migrator {
    /// The statements of `rebuild` for the database as it is now. A rebuild that would
    /// lose something is a render error (`on_refusal` makes it the run's error).
    pub(super) async fn render_live<D: Driver>(
        &self,
        driver: &mut D,
        rebuild: &LiveRebuild,
        on_refusal: impl FnOnce(RenderError) -> MigrateError,
    ) -> Result<Vec<String>, MigrateError> {
        let mut live = LiveCatalog::default();
        let read_error = |what: &str, source| MigrateError::Bookkeeping {
            what: format!(
                "reading the catalog ({what}) to rebuild table {}",
                rebuild.tables.join(", ")
            ),
            source,
        };
        // Nothing excluded: the rows are filtered to the rebuilt table and its neighbours.
        let none: [&str; 0] = [];
        for query in SqliteCatalogQuery::ALL {
            *live.tables.rows_mut(query) = driver
                .query_text(&query.sql_with_excluded(&none))
                .await
                .map_err(|e| read_error(query.file_name(), e))?;
        }
        live.objects = driver
            .query_text(SCHEMA_OBJECTS_SQL)
            .await
            .map_err(|e| read_error("queries/sqlite/schema_objects.sql", e))?;
        render_op_live(&retort_dialect::Sqlite, &rebuild.op, &rebuild.schema, &live).map_err(
            |source| {
                on_refusal(RenderError::Dialect {
                    op: rebuild.op.describe(),
                    source,
                })
            },
        )
    }
}
