//! PostgreSQL's live read on several connections (`SchemaRequest::concurrency`): the
//! catalog's own connection exports its snapshot and each sibling connection imports it, so
//! the queries run side by side and still see one state of the database.
//!
//! The backend talks to a real PostgreSQL through a [`Catalog`] that opens real sibling
//! connections to the same database and logs, for every query, which connection ran it and
//! the `jit` setting it ran under; it can also run DDL from another session right after the
//! snapshot is exported.

use std::sync::{Arc, Mutex};

use retort_core::MetaData;
use retort_dialect::live_schema::CatalogFuture;
use retort_dialect::table_dependents::TextRow;
use retort_dialect::{
    BackendSupport, Catalog, CatalogError, Concurrency, PostgresBackend, SchemaRequest,
};
use retort_testkit::db_test;
use sqlx::{Connection, Executor, PgConnection, Row};

/// What every connection of one read saw: (connection number, first line of the query,
/// `jit` just before it).
type Log = Arc<Mutex<Vec<(usize, String, String)>>>;

/// A PostgreSQL session as a catalog, able to open siblings on the same database.
struct Session {
    url: String,
    conn: PgConnection,
    number: usize,
    opened: Arc<Mutex<usize>>,
    /// How many siblings the read closed.
    closed: Arc<Mutex<usize>>,
    log: Log,
    /// Run from a session of its own right after `pg_export_snapshot()` answers.
    after_export: Option<String>,
}

impl Session {
    async fn open(url: &str, after_export: Option<String>) -> Result<Self, sqlx::Error> {
        Ok(Session {
            url: url.to_owned(),
            conn: PgConnection::connect(url).await?,
            number: 0,
            opened: Arc::new(Mutex::new(0)),
            closed: Arc::default(),
            log: Arc::default(),
            after_export,
        })
    }

    /// The connections that ran a query, each once.
    fn connections_used(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self
            .log
            .lock()
            .unwrap()
            .iter()
            .map(|(n, _, _)| *n)
            .collect();
        used.sort();
        used.dedup();
        used
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

fn boxed(e: sqlx::Error) -> CatalogError {
    Box::new(e)
}

impl Catalog for Session {
    fn execute<'a>(&'a mut self, sql: &'a str) -> CatalogFuture<'a, ()> {
        Box::pin(async move { self.conn.execute(sql).await.map(|_| ()).map_err(boxed) })
    }

    fn query<'a>(&'a mut self, sql: &'a str) -> CatalogFuture<'a, Vec<TextRow>> {
        Box::pin(async move {
            let jit: String = sqlx::query("SHOW jit")
                .fetch_one(&mut self.conn)
                .await
                .and_then(|r| r.try_get(0))
                .map_err(boxed)?;
            self.log
                .lock()
                .unwrap()
                .push((self.number, first_line(sql), jit));
            let rows = sqlx::query(sql)
                .fetch_all(&mut self.conn)
                .await
                .map_err(boxed)?;
            let rows = rows
                .iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| r.try_get::<Option<String>, _>(i))
                        .collect::<Result<TextRow, _>>()
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(boxed)?;
            if sql.contains("pg_export_snapshot()") {
                if let Some(ddl) = self.after_export.take() {
                    let mut other = PgConnection::connect(&self.url).await.map_err(boxed)?;
                    other.execute(ddl.as_str()).await.map_err(boxed)?;
                    other.close().await.map_err(boxed)?;
                }
            }
            Ok(rows)
        })
    }

    fn sibling<'a>(&'a mut self) -> CatalogFuture<'a, Option<Box<dyn Catalog>>> {
        Box::pin(async move {
            let number = {
                let mut opened = self.opened.lock().unwrap();
                *opened += 1;
                *opened
            };
            Ok(Some(Box::new(Session {
                url: self.url.clone(),
                conn: PgConnection::connect(&self.url).await.map_err(boxed)?,
                number,
                opened: self.opened.clone(),
                closed: self.closed.clone(),
                log: self.log.clone(),
                after_export: None,
            }) as Box<dyn Catalog>))
        })
    }

    fn close<'a>(&'a mut self) -> CatalogFuture<'a, ()> {
        Box::pin(async move {
            *self.closed.lock().unwrap() += 1;
            Ok(())
        })
    }
}

/// Two schemas of related tables (foreign keys across them, identity and serial columns,
/// defaults, checks, uniques, indexes, an enum, comments), a view, a function, a trigger,
/// a policy and a grant: something in every catalog query.
fn schema() -> String {
    let mut sql = String::from(
        "CREATE SCHEMA app; CREATE SCHEMA audit;
         CREATE TYPE app.mood AS ENUM ('ok', 'meh');
         CREATE SEQUENCE app.loose START 5;",
    );
    for i in 0..12 {
        let schema = if i % 3 == 0 { "audit" } else { "app" };
        let fk = if i > 0 {
            let prev = if (i - 1) % 3 == 0 { "audit" } else { "app" };
            format!(
                ", prev_id integer REFERENCES {prev}.t{} (id) ON DELETE CASCADE",
                i - 1
            )
        } else {
            String::new()
        };
        sql.push_str(&format!(
            "CREATE TABLE {schema}.t{i} (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY{fk}, \
             code varchar(20) NOT NULL UNIQUE, serial_no serial, mood app.mood DEFAULT 'ok', \
             tags text[], total numeric(10, 2) DEFAULT 0 CHECK (total >= 0), \
             created timestamptz DEFAULT now(), note text COLLATE \"C\");
             CREATE INDEX t{i}_code_total ON {schema}.t{i} (code, total DESC) WHERE total > 0;
             COMMENT ON TABLE {schema}.t{i} IS 'table {i}';
             COMMENT ON COLUMN {schema}.t{i}.code IS 'code of {i}';\n"
        ));
    }
    sql.push_str(
        "CREATE VIEW app.v AS SELECT id, code FROM audit.t0;
         CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
         CREATE TRIGGER t1_touch BEFORE UPDATE ON app.t1 FOR EACH ROW EXECUTE FUNCTION app.touch();
         ALTER TABLE app.t2 ENABLE ROW LEVEL SECURITY;
         CREATE POLICY own ON app.t2 USING (total > 0);
         GRANT SELECT ON app.t1 TO PUBLIC;",
    );
    sql
}

/// The tables of `app` and `audit`, read with `concurrency`.
async fn read(
    session: &mut Session,
    concurrency: Concurrency,
) -> Result<retort_dialect::LiveSchema, Box<dyn std::error::Error + Send + Sync>> {
    let include = ["app".to_owned(), "audit".to_owned()];
    let empty = MetaData::new();
    Ok(PostgresBackend
        .read_schema(
            session,
            SchemaRequest {
                model: &empty,
                include_schemas: Some(&include),
                exclude_tables: &[],
                default_schema: None,
                concurrency,
            },
        )
        .await?)
}

db_test!(
    a_read_on_three_connections_is_the_read_on_one,
    [postgres],
    |db| {
        db.execute(&schema()).await?;
        let mut one = Session::open(db.url(), None).await?;
        let sequential = read(&mut one, Concurrency::SEQUENTIAL).await?;
        assert_eq!(
            one.connections_used(),
            [0],
            "the sequential read opened siblings"
        );
        assert_eq!(sequential.metadata.tables().len(), 12);

        let mut three = Session::open(db.url(), None).await?;
        let concurrent = read(&mut three, Concurrency::always(3)).await?;
        assert_eq!(
            three.connections_used(),
            [0, 1, 2],
            "every connection ran queries: {:#?}",
            three.log.lock().unwrap()
        );
        assert_eq!(*three.closed.lock().unwrap(), 2, "both siblings closed");
        assert_eq!(concurrent.metadata, sequential.metadata);
        assert_eq!(concurrent.existing_schemas, sequential.existing_schemas);
        assert_eq!(concurrent.table_dependents, sequential.table_dependents);
        assert_eq!(
            concurrent.entity_dependencies,
            sequential.entity_dependencies
        );
        assert_eq!(concurrent.entity_columns, sequential.entity_columns);
        assert!(
            concurrent.metadata.entities().len() >= 5,
            "{:#?}",
            concurrent.metadata.entities()
        );
        // JIT off on the siblings too (their transactions set it as the first one does).
        let jit_on: Vec<_> = three
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, _, jit)| jit != "off")
            .cloned()
            .collect();
        assert!(jit_on.is_empty(), "queries run with JIT on: {jit_on:#?}");

        // Below `from_tables` (12 tables here), no sibling is opened.
        let mut small = Session::open(db.url(), None).await?;
        let below = read(
            &mut small,
            Concurrency {
                connections: 3,
                from_tables: 13,
            },
        )
        .await?;
        assert_eq!(small.connections_used(), [0]);
        assert_eq!(below.metadata, sequential.metadata);
        for s in [one, three, small] {
            s.conn.close().await?;
        }
        Ok(())
    }
);

db_test!(
    siblings_see_the_snapshot_the_first_connection_exported,
    [postgres],
    |db| {
        db.execute(&schema()).await?;
        // Made by another session once the snapshot is exported, before any sibling
        // begins: a new table with its key, an index and a unique constraint on tables
        // read, a new enum and sequence. Siblings that took snapshots of their own would
        // see them (the constraints and indexes queries run there).
        let late = "CREATE TABLE app.late (id integer PRIMARY KEY, code text UNIQUE);
                    CREATE INDEX late_ix ON app.t1 (note);
                    ALTER TABLE app.t2 ADD CONSTRAINT late_uq UNIQUE (note);
                    CREATE TYPE app.late_mood AS ENUM ('x');
                    CREATE SEQUENCE app.late_seq;"
            .to_owned();
        let mut before = Session::open(db.url(), None).await?;
        let expected = read(&mut before, Concurrency::SEQUENTIAL).await?;
        let mut session = Session::open(db.url(), Some(late)).await?;
        let read_then = read(&mut session, Concurrency::always(3)).await?;
        assert!(
            session.after_export.is_none(),
            "no snapshot was exported: {:#?}",
            session.log.lock().unwrap()
        );
        assert_eq!(session.connections_used(), [0, 1, 2]);
        assert_eq!(read_then.metadata, expected.metadata);

        // The changes were made: the next read sees every one of them.
        let mut after = Session::open(db.url(), None).await?;
        let now = read(&mut after, Concurrency::always(3)).await?.metadata;
        assert!(now.get_table(Some("app"), "late").is_some());
        let t1 = now.get_table(Some("app"), "t1").expect("app.t1");
        assert!(t1
            .indexes
            .iter()
            .any(|i| i.name.as_deref() == Some("late_ix")));
        let t2 = now.get_table(Some("app"), "t2").expect("app.t2");
        assert!(t2
            .uniques
            .iter()
            .any(|u| u.name.as_deref() == Some("late_uq")));
        assert!(now.enums().iter().any(|e| e.name == "late_mood"));
        assert!(now.sequences().iter().any(|s| s.name == "late_seq"));
        for s in [before, session, after] {
            s.conn.close().await?;
        }
        Ok(())
    }
);
