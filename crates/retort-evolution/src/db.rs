//! [`Live`]: one test database seen the way the suite needs it, the same calls on every
//! dialect: create a model, introspect, diff, run rendered ops (in a transaction, with
//! SQLite's foreign-key dance around rebuilds), dump the schema.
//!
//! Introspection runs the dialect crate's catalog queries the way a driver does (one read
//! snapshot, every value as text) and builds the `MetaData` with its pure functions; the
//! comparison is `retort_core::diff::diff_with` with the dialect's equality: `PgCompare`
//! on PostgreSQL, exact equality against `normalise_model_for_sqlite(model)` on SQLite
//! (the model as SQLite gives it back, which is what the SQLite introspection promises).

use retort_core::diff::{diff_with, Diff, DiffOptions, ExactCompare};
use retort_core::ops::Op;
use retort_core::MetaData;
use retort_dialect::introspect::{
    build_metadata, CatalogQuery, CatalogRows, IntrospectOptions, PgCompare,
};
use retort_dialect::sqlite::introspect::{
    build_sqlite_metadata, normalise_model_for_sqlite, SqliteCatalogQuery, SqliteCatalogRows,
    SqliteIntrospectOptions,
};
use retort_dialect::{sqlite as sqlite_dialect, Dialect, Postgres, Sqlite};
use retort_testkit::{BoxError, TestDb, TestDialect};
use sqlx::{Connection as _, Row as _};

use crate::dump;

/// A test database and the dialect that speaks to it.
pub struct Live<'a> {
    pub db: &'a TestDb,
    /// The PostgreSQL schemas read: `public`, then every schema either model names, so a
    /// schema the upgrade creates is still read after the downgrade.
    schemas: Vec<String>,
}

impl<'a> Live<'a> {
    pub fn new(db: &'a TestDb, models: &[&MetaData]) -> Self {
        let mut schemas = vec!["public".to_string()];
        for model in models {
            let named = model
                .tables()
                .iter()
                .filter_map(|t| t.schema.clone())
                .chain(model.enums().iter().filter_map(|e| e.schema.clone()));
            for s in named {
                if !schemas.contains(&s) {
                    schemas.push(s);
                }
            }
        }
        Self { db, schemas }
    }

    pub fn dialect(&self) -> &'static dyn Dialect {
        match self.db.dialect() {
            TestDialect::Postgres => &Postgres,
            _ => &Sqlite,
        }
    }

    /// `create_all(model)`, run in one transaction.
    pub async fn create_all(&self, model: &MetaData) -> Result<(), BoxError> {
        let statements = self
            .dialect()
            .create_all(model)
            .map_err(|e| format!("create_all failed to render: {e}"))?;
        self.run_statements(&statements, false).await
    }

    /// The database's schema, read back.
    pub async fn introspect(&self) -> Result<MetaData, BoxError> {
        match self.db.dialect() {
            TestDialect::Postgres => {
                let options = IntrospectOptions::schemas(self.schemas.clone());
                let pool = self.db.pg_pool();
                let mut tx = pool.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await?;
                let mut catalog = CatalogRows::default();
                for query in CatalogQuery::ALL {
                    let rows = sqlx::query(query.sql())
                        .bind(&options.schemas)
                        .fetch_all(&mut *tx)
                        .await?;
                    for row in rows {
                        let values = (0..row.len())
                            .map(|i| row.try_get::<Option<String>, _>(i))
                            .collect::<Result<Vec<_>, _>>()?;
                        catalog.rows_mut(query).push(values);
                    }
                }
                tx.commit().await?;
                Ok(build_metadata(&catalog, &options)?)
            }
            _ => {
                let options = SqliteIntrospectOptions::default();
                let pool = self.db.sqlite_pool();
                let mut tx = pool.begin().await?;
                let mut catalog = SqliteCatalogRows::default();
                for query in SqliteCatalogQuery::ALL {
                    let rows = sqlx::query(query.sql())
                        .bind(options.excluded_json())
                        .fetch_all(&mut *tx)
                        .await?;
                    for row in rows {
                        let values = (0..row.len())
                            .map(|i| row.try_get::<Option<String>, _>(i))
                            .collect::<Result<Vec<_>, _>>()?;
                        catalog.rows_mut(query).push(values);
                    }
                }
                tx.commit().await?;
                Ok(build_sqlite_metadata(&catalog, &options)?)
            }
        }
    }

    /// Autogenerate: introspect and compare with `model`. Returns the database schema the
    /// ops apply to, and the diff.
    pub async fn autogenerate(&self, model: &MetaData) -> Result<(MetaData, Diff), BoxError> {
        let db_schema = self.introspect().await?;
        let diff = match self.db.dialect() {
            TestDialect::Postgres => {
                let options = DiffOptions {
                    existing_schemas: self.existing_pg_schemas().await?,
                    ..DiffOptions::default()
                };
                diff_with(&db_schema, model, &options, &PgCompare)
            }
            _ => diff_with(
                &db_schema,
                &normalise_model_for_sqlite(model),
                &DiffOptions::default(),
                &ExactCompare,
            ),
        };
        Ok((db_schema, diff))
    }

    /// Render `ops` against `schema` (the schema before them) and run them as one migration
    /// step would: one transaction, and on SQLite foreign keys off around a rebuild of a
    /// referenced table with `PRAGMA foreign_key_check` before the commit.
    pub async fn apply(&self, ops: &[Op], schema: &MetaData) -> Result<(), BoxError> {
        if let Some(op) = ops.iter().find(|op| self.dialect().op_needs_autocommit(op)) {
            return Err(format!(
                "op `{}` must run outside a transaction; the suite has no such case",
                op.describe()
            )
            .into());
        }
        let statements = self
            .dialect()
            .render_ops(ops, schema)
            .map_err(|e| format!("rendering the ops failed: {e}"))?;
        let fk_off = self.db.dialect() == TestDialect::Sqlite
            && Sqlite
                .needs_foreign_keys_off(ops, schema)
                .map_err(|e| format!("needs_foreign_keys_off failed: {e}"))?;
        self.run_statements(&statements, fk_off).await
    }

    /// Run `statements` in one transaction on one connection.
    pub async fn run_statements(
        &self,
        statements: &[String],
        fk_off: bool,
    ) -> Result<(), BoxError> {
        let failed = |s: &str, e: sqlx::Error| -> BoxError {
            format!(
                "statement failed on {}: {s}\n  error: {e}\n  all statements:\n    {}",
                self.db.dialect().name(),
                statements.join(";\n    ")
            )
            .into()
        };
        match self.db.dialect() {
            TestDialect::Postgres => {
                let mut tx = self.db.pg_pool().begin().await?;
                for s in statements {
                    sqlx::raw_sql(s)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| failed(s, e))?;
                }
                tx.commit().await?;
            }
            _ => {
                let mut conn = self.db.sqlite_pool().acquire().await?;
                if fk_off {
                    sqlx::raw_sql(sqlite_dialect::FOREIGN_KEYS_OFF)
                        .execute(&mut *conn)
                        .await?;
                }
                let outcome: Result<(), BoxError> = async {
                    let mut tx = conn.begin().await?;
                    for s in statements {
                        sqlx::raw_sql(s)
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| failed(s, e))?;
                    }
                    let broken = sqlx::query(sqlite_dialect::FOREIGN_KEY_CHECK)
                        .fetch_all(&mut *tx)
                        .await?;
                    if !broken.is_empty() {
                        return Err(format!(
                            "PRAGMA foreign_key_check found {} broken reference(s) before COMMIT",
                            broken.len()
                        )
                        .into());
                    }
                    tx.commit().await?;
                    Ok(())
                }
                .await;
                if fk_off {
                    sqlx::raw_sql(sqlite_dialect::FOREIGN_KEYS_ON)
                        .execute(&mut *conn)
                        .await?;
                }
                outcome?;
            }
        }
        Ok(())
    }

    /// The schema as a normalised dump: `pg_dump -s` on PostgreSQL, `sqlite_master`'s SQL
    /// on SQLite; with column order inside each table left out (see [`dump`]).
    pub async fn dump(&self) -> Result<String, BoxError> {
        Ok(match self.db.dialect() {
            TestDialect::Postgres => dump::normalise_pg(&self.db.pg_dump_schema().await?),
            _ => dump::normalise_sqlite(&self.db.sqlite_schema().await?),
        })
    }

    /// `PRAGMA foreign_key_check` over the whole SQLite database: the broken references.
    pub async fn foreign_key_check(&self) -> Result<Vec<String>, BoxError> {
        if self.db.dialect() != TestDialect::Sqlite {
            return Ok(Vec::new());
        }
        Ok(self
            .db
            .query_strings("SELECT \"table\" || ' rowid ' || coalesce(rowid, 'null') || ' -> ' || parent FROM pragma_foreign_key_check")
            .await?)
    }

    /// Which of the schemas read exist in the database (PostgreSQL).
    async fn existing_pg_schemas(&self) -> Result<Vec<String>, BoxError> {
        let mut existing = Vec::new();
        for s in &self.schemas {
            let found = sqlx::query("SELECT 1 FROM pg_namespace WHERE nspname = $1")
                .bind(s)
                .fetch_optional(self.db.pg_pool())
                .await?;
            if found.is_some() {
                existing.push(s.clone());
            }
        }
        Ok(existing)
    }
}
