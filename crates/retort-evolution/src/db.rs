//! [`Live`]: one test database seen the way the suite needs it, the same calls on every
//! dialect: create a model, autogenerate, run rendered ops (in a transaction, with
//! SQLite's foreign-key dance around rebuilds; on MariaDB/MySQL, whose DDL commits
//! implicitly, one statement after another on one session, as the runner does), dump the
//! schema.
//!
//! Autogenerate is `retort_migrate::autogenerate` itself (catalog read, comparison with the
//! dialect's equality), so the suite tests what `revision --autogenerate` and `check` run.

use retort_core::diff::Diff;
use retort_core::ops::Op;
use retort_core::MetaData;
use retort_dialect::sqlite::introspect::SqliteCatalogQuery;
use retort_dialect::sqlite::live::{self, LiveCatalog};
use retort_dialect::{sqlite as sqlite_dialect, Dialect, Mysql, Postgres, Sqlite};
use retort_migrate::autogenerate::{self, AutogenerateSettings, Source};
use retort_migrate::driver::Driver as _;
use retort_migrate::url::Backend;
use retort_migrate::{AnyDriver, Tables};
use retort_testkit::{BoxError, TestDb, TestDialect};
use sqlx::Connection as _;

use crate::dump;

/// A test database and the dialect that speaks to it.
pub struct Live<'a> {
    pub db: &'a TestDb,
    /// The PostgreSQL schemas read: `public`, then every schema either model names, so a
    /// schema the upgrade creates is still read after the downgrade.
    schemas: Vec<String>,
    /// The entities of either model: the suite builds databases with `create_all`, not a
    /// history, so it declares them under version control (`docs/entities.md`).
    versioned: Vec<retort_core::EntityKey>,
    /// The standalone sequences of either model, likewise, as (schema, name).
    versioned_sequences: Vec<(Option<String>, String)>,
}

impl<'a> Live<'a> {
    pub fn new(db: &'a TestDb, models: &[&MetaData]) -> Self {
        let mut schemas = vec!["public".to_string()];
        let versioned = models
            .iter()
            .flat_map(|m| m.entities().iter().map(|e| e.key()))
            .collect();
        let versioned_sequences = models
            .iter()
            .flat_map(|m| {
                m.sequences()
                    .iter()
                    .map(|s| (s.schema.clone(), s.name.clone()))
            })
            .collect();
        for model in models {
            let named = model
                .tables()
                .iter()
                .filter_map(|t| t.schema.clone())
                .chain(model.enums().iter().filter_map(|e| e.schema.clone()))
                .chain(
                    model
                        .entities()
                        .iter()
                        .filter_map(|e| e.schema().map(str::to_owned)),
                );
            for s in named {
                if !schemas.contains(&s) {
                    schemas.push(s);
                }
            }
        }
        Self {
            db,
            schemas,
            versioned,
            versioned_sequences,
        }
    }

    pub fn dialect(&self) -> &'static dyn Dialect {
        match self.db.dialect() {
            TestDialect::Postgres => &Postgres,
            TestDialect::Mysql => &Mysql,
            _ => &Sqlite,
        }
    }

    /// The engine's name for this database's backend.
    fn backend(&self) -> Backend {
        match self.db.dialect() {
            TestDialect::Postgres => Backend::Postgres,
            TestDialect::Mysql => Backend::Mysql,
            _ => Backend::Sqlite,
        }
    }

    /// A driver on this database, as the engine connects from an application's pool.
    pub(crate) async fn driver(&self) -> Result<AnyDriver, BoxError> {
        Ok(match self.db.dialect() {
            TestDialect::Postgres => AnyDriver::connect(self.db.pg_pool()).await?,
            TestDialect::Mysql => AnyDriver::connect(self.db.mysql_pool()).await?,
            _ => AnyDriver::connect(self.db.sqlite_pool()).await?,
        })
    }

    /// `create_all(model)`, run in one transaction. Like SQLAlchemy's, `create_all` makes
    /// no schemas, so on PostgreSQL those the model names are created first, as a user
    /// would before calling it.
    pub async fn create_all(&self, model: &MetaData) -> Result<(), BoxError> {
        let mut statements = Vec::new();
        if self.db.dialect() == TestDialect::Postgres {
            let named = model
                .tables()
                .iter()
                .filter_map(|t| t.schema.as_deref())
                .chain(model.enums().iter().filter_map(|e| e.schema.as_deref()))
                .chain(model.entities().iter().filter_map(|e| e.schema()));
            for schema in named {
                let create = format!(
                    "CREATE SCHEMA IF NOT EXISTS {}",
                    Postgres.quote_identifier(schema)?
                );
                if !statements.contains(&create) {
                    statements.push(create);
                }
            }
        }
        statements.extend(
            self.dialect()
                .create_all(model)
                .map_err(|e| format!("create_all failed to render: {e}"))?,
        );
        self.run_statements(&statements, false).await
    }

    /// Autogenerate as `revision --autogenerate` and `check` do it
    /// (`retort_migrate::autogenerate`): read the live catalog, compare with `model`.
    /// Returns the database schema the ops apply to, and the diff; an error where the diff
    /// drops a table with a trigger (`refuse_lost_objects`). On PostgreSQL every
    /// schema either model names is read, so one the downgrade should have dropped shows.
    pub async fn autogenerate(&self, model: &MetaData) -> Result<(MetaData, Diff), BoxError> {
        // The library call `revision --autogenerate` and `check` make: the model validated,
        // what the database cannot hold refused, the database at base (no history here),
        // read, compared, and a drop that would take a trigger along refused.
        let (mut driver, settings) = self.connect().await?;
        let migrator = retort_migrate::Migrator::new(Vec::new())?;
        let compared =
            autogenerate::compare_metadata(&mut driver, &migrator, model, &[], &settings, None)
                .await;
        let _ = driver.close().await;
        let compared = compared?;
        Ok((compared.current.metadata, compared.diff))
    }

    /// [`Live::autogenerate`] with a revision history: the database, made by
    /// `create_all(before)`, is stamped at a revision whose upgrade is what autogenerate
    /// writes for `before` against an empty database, as if that revision had made it; so
    /// autogenerate has the history a project has (what it replays, for what the database
    /// cannot hold: a dropped table's definition, `CurrentSchema::history`). Returns that
    /// history's replayed schema, what the runner renders the new revision against, and
    /// the diff.
    pub async fn autogenerate_after_history(
        &self,
        before: &MetaData,
        model: &MetaData,
    ) -> Result<(MetaData, Diff), BoxError> {
        let (mut driver, settings) = self.connect().await?;
        let first =
            autogenerate::compare_metadata_with_empty(before, driver.backend(), &settings, None)?;
        BEFORE_OPS.with(|ops| *ops.borrow_mut() = first.diff.ops);
        let migrator = retort_migrate::Migrator::new(vec![retort_migrate::Script {
            revision: retort_core::graph::Revision::new(BEFORE_REVISION).message("before"),
            upgrade: before_upgrade,
            downgrade: before_downgrade,
            path: "versions/c0ffee000001_before.rs",
            checksum: "0000000000000000000000000000000000000000000000000000000000000000",
        }])?;
        let compared = async {
            migrator.stamp(&mut driver, &["head"], false).await?;
            let heads = migrator.graph().heads();
            Ok::<_, BoxError>(
                autogenerate::compare_metadata(
                    &mut driver,
                    &migrator,
                    model,
                    &heads,
                    &settings,
                    None,
                )
                .await?,
            )
        }
        .await;
        let _ = driver.close().await;
        let compared = compared?;
        let history = compared
            .current
            .history
            .ok_or("the history of the before-model did not replay (see CurrentSchema::history)")?;
        Ok((history, compared.diff))
    }

    /// A connection to the case's database and the settings autogenerate reads it with (on
    /// PostgreSQL every schema either model names).
    async fn connect(&self) -> Result<(AnyDriver, AutogenerateSettings), BoxError> {
        let driver = self.driver().await?;
        let mut settings = AutogenerateSettings::default();
        if self.db.dialect() == TestDialect::Postgres {
            settings.include_schemas = Some(self.schemas.clone());
        }
        settings.versioned_entities.clone_from(&self.versioned);
        settings
            .versioned_sequences
            .clone_from(&self.versioned_sequences);
        Ok((driver, settings))
    }

    /// The live schema as introspection reads it (what a model reflected from the
    /// database holds), with no comparison.
    pub async fn reflect(&self) -> Result<MetaData, BoxError> {
        Ok(self.read_and_compare(&MetaData::new()).await?.0.metadata)
    }

    async fn read_and_compare(
        &self,
        model: &MetaData,
    ) -> Result<(autogenerate::CurrentSchema, Diff), BoxError> {
        let (mut driver, backend) = (self.driver().await?, self.backend());
        let mut settings = AutogenerateSettings::default();
        if backend == Backend::Postgres {
            settings.include_schemas = Some(self.schemas.clone());
        }
        let current =
            autogenerate::database_schema(&mut driver, &Tables::default(), model, &settings)
                .await?;
        let diff = autogenerate::compare(
            &current,
            model,
            &settings.diff_options(None),
            Source::Database(backend),
        );
        Ok((current, diff))
    }

    /// Render `ops` against `schema` (the schema before them, as the runner's replay of the
    /// history has it) and run them as one migration step would: one transaction, and on
    /// SQLite foreign keys off around a rebuild of a referenced table with
    /// `PRAGMA foreign_key_check` before the commit. A statement that must run outside a
    /// transaction (`Dialect::op_needs_autocommit`, such as PostgreSQL's
    /// `ALTER TYPE .. ADD VALUE`) commits what came before and runs on its own, as the
    /// runner does. On SQLite a rebuild is rendered as the runner renders it: from the
    /// table's catalog rows read inside the transaction just before it runs
    /// (`sqlite::live::render_op_live`), with `schema` as the history. Returns the
    /// statements run.
    pub async fn apply(&self, ops: &[Op], schema: &MetaData) -> Result<Vec<String>, BoxError> {
        // The names a naming convention builds, within the database's limit (the runner's
        // replay is made so).
        let mut schema = schema.clone();
        schema.set_max_identifier_length(self.dialect().max_identifier_length());
        let schema = &schema;
        if self.db.dialect() == TestDialect::Sqlite {
            return self.apply_sqlite(ops, schema).await;
        }
        let mut current = schema.clone();
        // Runs of statements, each flagged with whether it runs outside a transaction.
        let mut chunks: Vec<(bool, Vec<String>)> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let stmts = self
                .dialect()
                .render_op(op, &current)
                .map_err(|e| format!("rendering the ops failed: {e}"))?;
            op.apply(&mut current)
                .map_err(|e| format!("replaying op {} failed: {e}", i + 1))?;
            let alone = self.dialect().op_needs_autocommit(op);
            for s in stmts {
                match chunks.last_mut() {
                    Some((false, run)) if !alone => run.push(s),
                    _ => chunks.push((alone, vec![s])),
                }
            }
        }
        for (alone, statements) in &chunks {
            if *alone && self.db.dialect() == TestDialect::Postgres {
                for s in statements {
                    sqlx::raw_sql(s)
                        .execute(self.db.pg_pool())
                        .await
                        .map_err(|e| {
                            format!("statement failed outside a transaction: {s}\n  error: {e}")
                        })?;
                }
            } else {
                self.run_statements(statements, false).await?;
            }
        }
        Ok(chunks.into_iter().flat_map(|(_, s)| s).collect())
    }

    /// [`Live::apply`] on SQLite: each op rendered and run in turn inside one transaction,
    /// a rebuild from the catalog as the statements before it left it.
    async fn apply_sqlite(&self, ops: &[Op], schema: &MetaData) -> Result<Vec<String>, BoxError> {
        if let Some(op) = ops.iter().find(|op| Sqlite.op_needs_autocommit(op)) {
            return Err(format!(
                "the suite runs no op outside a transaction on SQLite: {}",
                op.describe()
            )
            .into());
        }
        let fk_off = Sqlite
            .needs_foreign_keys_off(ops, schema)
            .map_err(|e| format!("needs_foreign_keys_off failed: {e}"))?;
        let mut conn = self.db.sqlite_pool().acquire().await?;
        if fk_off {
            sqlx::raw_sql(sqlite_dialect::FOREIGN_KEYS_OFF)
                .execute(&mut *conn)
                .await?;
        }
        let mut run: Vec<String> = Vec::new();
        let outcome: Result<(), BoxError> = async {
            let mut tx = conn.begin().await?;
            let mut current = schema.clone();
            for (i, op) in ops.iter().enumerate() {
                let stmts = if live::rebuilt_tables(op, &current).is_empty() {
                    Sqlite.render_op(op, &current)
                } else {
                    let catalog = live_catalog(&mut tx).await?;
                    live::render_op_live(&Sqlite, op, &current, &catalog)
                }
                .map_err(|e| format!("rendering the ops failed: {e}"))?;
                op.apply(&mut current)
                    .map_err(|e| format!("replaying op {} failed: {e}", i + 1))?;
                for s in stmts {
                    sqlx::raw_sql(&s).execute(&mut *tx).await.map_err(|e| {
                        format!(
                            "statement failed on SQLite: {s}\n  error: {e}\n  statements before it:\n    {}",
                            run.join(";\n    ")
                        )
                    })?;
                    run.push(s);
                }
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
        Ok(run)
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
            // DDL commits implicitly here: no transaction could hold the statements
            // together, so they run one after another on one session, as the runner runs
            // them (which records its progress after each).
            TestDialect::Mysql => {
                let mut conn = self.db.mysql_pool().acquire().await?;
                for s in statements {
                    sqlx::raw_sql(s)
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| failed(s, e))?;
                }
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
    /// on SQLite, `SHOW CREATE TABLE` of every table on MariaDB/MySQL; with column order
    /// inside each table left out (see [`dump`]).
    pub async fn dump(&self) -> Result<String, BoxError> {
        Ok(match self.db.dialect() {
            TestDialect::Postgres => dump::normalise_pg(&self.db.pg_dump_schema().await?),
            TestDialect::Mysql => dump::normalise_mysql(&self.db.mysql_schema().await?),
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
}

/// The revision [`Live::autogenerate_after_history`] stamps: its upgrade replays the ops
/// put here (a script is a function, so they are handed over on the test's thread).
const BEFORE_REVISION: &str = "c0ffee000001";

thread_local! {
    static BEFORE_OPS: std::cell::RefCell<Vec<Op>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn before_upgrade(op: &mut retort_core::ops::Operations) {
    BEFORE_OPS.with(|ops| {
        for o in ops.borrow().iter() {
            op.push(o.clone());
        }
    });
}

fn before_downgrade(_: &mut retort_core::ops::Operations) {}

/// What the runner reads before a SQLite rebuild (`runner/live.rs`): every catalog query's
/// rows, nothing excluded, and the schema objects, each value as text.
async fn live_catalog(conn: &mut sqlx::SqliteConnection) -> Result<LiveCatalog, BoxError> {
    let mut catalog = LiveCatalog::default();
    let none: [&str; 0] = [];
    for query in SqliteCatalogQuery::ALL {
        *catalog.tables.rows_mut(query) = text_rows(conn, &query.sql_with_excluded(&none)).await?;
    }
    catalog.objects = text_rows(conn, live::SCHEMA_OBJECTS_SQL).await?;
    Ok(catalog)
}

async fn text_rows(
    conn: &mut sqlx::SqliteConnection,
    sql: &str,
) -> Result<Vec<Vec<Option<String>>>, BoxError> {
    use sqlx::Row as _;
    let rows = sqlx::query(sql).fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut values = Vec::with_capacity(row.len());
        for i in 0..row.len() {
            values.push(row.try_get::<Option<String>, _>(i)?);
        }
        out.push(values);
    }
    Ok(out)
}

/// The tables a SQLite rebuild in `statements` recreates (their `_retort_tmp_` copies).
pub fn rebuilt_tables(statements: &[String]) -> Vec<String> {
    let prefix = retort_dialect::sqlite::tmp_name("");
    let mut out: Vec<String> = Vec::new();
    for s in statements.iter().filter(|s| s.starts_with("CREATE TABLE")) {
        if let Some(at) = s.find(&prefix) {
            let name: String = s[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}
