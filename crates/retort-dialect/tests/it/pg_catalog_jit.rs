//! Every catalog query PostgreSQL's backend sends (reading the schema, spelling the model's
//! entities, spelling its expressions in scratch tables) runs with JIT off, in the
//! transaction that sends it only: on a 1,000-table schema the planner over-estimates
//! `queries/postgres/indexes.sql` past `jit_above_cost`, and compiling it took most of a
//! `check` (bench/README.md).
//!
//! The backend talks to a real PostgreSQL through a [`Catalog`] that asks the same session
//! `SHOW jit` before passing each query on, so the test sees the setting each query ran
//! under. The session starts with `SET jit = on`, whatever the server's default, so a
//! missing `SET LOCAL` shows as `on`; afterwards the session's own `on` must stand.

use retort_core::{Entity, Function, MetaData, Trigger, View};
use retort_dialect::live_schema::CatalogFuture;
use retort_dialect::table_dependents::TextRow;
use retort_dialect::{BackendSupport, Catalog, CatalogError, PostgresBackend, SchemaRequest};
use retort_testkit::db_test;
use sqlx::{Connection, Executor, PgConnection, Row};

/// A session that reports, for each query it runs, the `jit` setting it ran under.
struct JitWatch {
    conn: PgConnection,
    /// (the first line of a query reading a table, `SHOW jit` just before it)
    seen: Vec<(String, String)>,
}

impl JitWatch {
    async fn show_jit(&mut self) -> Result<String, sqlx::Error> {
        sqlx::query("SHOW jit")
            .fetch_one(&mut self.conn)
            .await?
            .try_get(0)
    }

    /// The queries seen since the last call, each with its setting.
    fn take(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.seen)
    }
}

fn first_line(sql: &str) -> String {
    sql.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("--"))
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect()
}

impl Catalog for JitWatch {
    fn execute<'a>(&'a mut self, sql: &'a str) -> CatalogFuture<'a, ()> {
        Box::pin(async move {
            self.conn
                .execute(sql)
                .await
                .map(|_| ())
                .map_err(|e| Box::new(e) as CatalogError)
        })
    }

    fn query<'a>(&'a mut self, sql: &'a str) -> CatalogFuture<'a, Vec<TextRow>> {
        Box::pin(async move {
            let jit = self
                .show_jit()
                .await
                .map_err(|e| Box::new(e) as CatalogError)?;
            // A query reading no table (`SELECT current_schema()`, sent before a
            // transaction begins) plans nothing worth compiling: not counted.
            if sql.to_ascii_uppercase().contains("FROM") {
                self.seen.push((first_line(sql), jit));
            }
            let rows = sqlx::query(sql)
                .fetch_all(&mut self.conn)
                .await
                .map_err(|e| Box::new(e) as CatalogError)?;
            rows.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| r.try_get::<Option<String>, _>(i))
                        .collect::<Result<TextRow, _>>()
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Box::new(e) as CatalogError)
        })
    }
}

/// Every query seen ran with JIT off; there were at least `at_least` of them.
fn all_off(what: &str, seen: &[(String, String)], at_least: usize) {
    assert!(
        seen.len() >= at_least,
        "{what}: expected at least {at_least} catalog queries, saw {}: {seen:#?}",
        seen.len()
    );
    let on: Vec<_> = seen.iter().filter(|(_, jit)| jit != "off").collect();
    assert!(on.is_empty(), "{what}: queries run with JIT on: {on:#?}");
}

db_test!(
    catalog_reads_run_with_jit_off_and_leave_the_session_setting,
    [postgres],
    |db| {
        db.execute(
            "CREATE TABLE items (id integer PRIMARY KEY, status varchar(10) CHECK (lower(status) <> 'x'), \
             total integer NOT NULL, updated_at timestamptz);
             CREATE INDEX items_total ON items (total, id);
             CREATE VIEW item_totals AS SELECT id, total FROM items;
             CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
             CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();",
        )
        .await?;
        let mut watch = JitWatch {
            conn: PgConnection::connect(db.url()).await?,
            seen: Vec::new(),
        };
        watch.conn.execute("SET jit = on").await?;
        let backend = PostgresBackend;

        // Reading the schema: the catalog queries of tables (indexes.sql among them), the
        // dependents, the entities.
        let empty = MetaData::new();
        let live = backend
            .read_schema(
                &mut watch,
                SchemaRequest {
                    model: &empty,
                    include_schemas: None,
                    exclude_tables: &[],
                    default_schema: None,
                    concurrency: Default::default(),
                },
            )
            .await?;
        let seen = watch.take();
        all_off("read_schema", &seen, 9);
        assert!(
            seen.iter()
                .any(|(q, _)| q.starts_with("SELECT n.nspname::text"))
                && live.metadata.tables().iter().any(|t| t.name == "items")
                && live
                    .metadata
                    .entities()
                    .iter()
                    .filter(|e| matches!(
                        e,
                        Entity::View(_) | Entity::Function(_) | Entity::Trigger(_)
                    ))
                    .count()
                    == 3,
            "read_schema did not read what the database has: {seen:#?}"
        );
        assert_eq!(watch.show_jit().await?, "on", "read_schema");

        // Spelling the model's entities: written otherwise than the server prints them, so
        // all are created in the rolled-back transaction and read back.
        let mut model = live.metadata.clone();
        *model.entities_mut() = vec![
            Entity::from(View::new("item_totals", "SELECT id, total FROM items")),
            Function::new(
                "touch",
                "",
                "RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$",
            )
            .into(),
            Trigger::new(
                "items",
                "items_touch",
                "BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch()",
            )
            .into(),
        ];
        let spelled = backend
            .spell_entities(&mut watch, &live.metadata, &model)
            .await?;
        assert_eq!(spelled.entities.len(), 3, "{spelled:#?}");
        assert!(spelled.malformed.is_empty(), "{spelled:#?}");
        all_off("spell_entities", &watch.take(), 3);
        assert_eq!(watch.show_jit().await?, "on", "spell_entities");

        // Spelling the model's expressions in scratch tables: the check as written differs
        // from the server's `(lower((status)::text) <> 'x'::text)`.
        let items = model
            .tables_mut()
            .iter_mut()
            .find(|t| t.name == "items")
            .expect("items read");
        items.checks[0].expr = "lower(status) <> 'x'".into();
        backend
            .canonicalise(&mut watch, &live.metadata, &model)
            .await?;
        // The scratch table's columns, constraints and indexes read back (none if the
        // check had compared equal as written).
        all_off("canonicalise", &watch.take(), 3);
        assert_eq!(watch.show_jit().await?, "on", "canonicalise");
        watch.conn.close().await?;
        Ok(())
    }
);
