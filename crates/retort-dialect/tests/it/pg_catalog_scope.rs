//! Reading the live schema reads the schemas the model names (and the connection's
//! default one), never the rest of the database (issue 16, item 2): tables, views,
//! functions and grants in a schema the model does not name add no row to any catalog
//! query, and the result is the same as on a database without them. Undeclared tables in
//! a schema that is read are still read (autogenerate proposes their drop, `check`
//! reports them).
//!
//! The backend talks to a real PostgreSQL through a [`Catalog`] that counts the rows each
//! query returns.

use retort_core::{Column, MetaData, Table, Type};
use retort_dialect::live_schema::CatalogFuture;
use retort_dialect::table_dependents::TextRow;
use retort_dialect::{BackendSupport, Catalog, CatalogError, PostgresBackend, SchemaRequest};
use retort_testkit::db_test;
use sqlx::{Connection, Executor, PgConnection, Row};

/// A session that counts the rows its queries return.
struct RowCount {
    conn: PgConnection,
    rows: usize,
}

impl Catalog for RowCount {
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
            let rows = sqlx::query(sql)
                .fetch_all(&mut self.conn)
                .await
                .map_err(|e| Box::new(e) as CatalogError)?;
            let rows = rows
                .iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| r.try_get::<Option<String>, _>(i))
                        .collect::<Result<TextRow, _>>()
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Box::new(e) as CatalogError)?;
            self.rows += rows.len();
            Ok(rows)
        })
    }
}

/// The DDL of a few tables, a view, a function, a trigger and a grant in `schema`.
fn objects(schema: &str, tables: usize) -> String {
    let mut sql = format!("CREATE SCHEMA {schema};\n");
    for i in 0..tables {
        let fk = if i > 0 {
            format!(", prev_id integer REFERENCES {schema}.t{} (id)", i - 1)
        } else {
            String::new()
        };
        sql.push_str(&format!(
            "CREATE TABLE {schema}.t{i} (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY{fk}, \
             code varchar(20) NOT NULL UNIQUE, tags text[], total numeric(10, 2) DEFAULT 0 CHECK (total >= 0));\n\
             CREATE INDEX t{i}_code_total ON {schema}.t{i} (code, total);\n\
             CREATE SEQUENCE {schema}.s{i};\n"
        ));
    }
    sql.push_str(&format!(
        "CREATE VIEW {schema}.v AS SELECT id FROM {schema}.t0;\n\
         CREATE FUNCTION {schema}.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\n\
         CREATE TRIGGER t0_touch BEFORE UPDATE ON {schema}.t0 FOR EACH ROW EXECUTE FUNCTION {schema}.touch();\n\
         GRANT SELECT ON {schema}.t0 TO PUBLIC;\n"
    ));
    sql
}

/// Reads the schema for `model`; the model as read and the rows the queries returned.
async fn read(
    url: &str,
    model: &MetaData,
) -> Result<(MetaData, usize), Box<dyn std::error::Error + Send + Sync>> {
    let mut catalog = RowCount {
        conn: PgConnection::connect(url).await?,
        rows: 0,
    };
    let live = PostgresBackend
        .read_schema(
            &mut catalog,
            SchemaRequest {
                model,
                include_schemas: None,
                exclude_tables: &[],
                default_schema: None,
                concurrency: Default::default(),
            },
        )
        .await?;
    catalog.conn.close().await?;
    Ok((live.metadata, catalog.rows))
}

db_test!(
    schemas_the_model_does_not_name_are_not_read,
    [postgres],
    |db| {
        // The model's schema: one declared table and one the model does not know.
        db.execute(&objects("app", 3)).await?;
        db.execute("CREATE TABLE app.stray (id integer PRIMARY KEY)")
            .await?;
        let mut model = MetaData::new();
        model.add_table(
            Table::new("t0")
                .schema("app")
                .column(Column::new("id", Type::Integer)),
        );
        let (before, rows_before) = read(db.url(), &model).await?;
        assert!(
            before.tables().iter().any(|t| t.name == "stray"),
            "a table of a schema the model names, which the model does not declare, must still be read"
        );

        // Much more in two schemas the model does not name.
        db.execute(&objects("tenant_a", 20)).await?;
        db.execute(&objects("tenant_b", 20)).await?;
        let (after, rows_after) = read(db.url(), &model).await?;
        assert_eq!(
            rows_after, rows_before,
            "rows read grew with schemas the model does not name"
        );
        assert_eq!(format!("{after:?}"), format!("{before:?}"));

        // The counting sees them once a model names one of them.
        let mut naming = model.clone();
        naming.add_table(
            Table::new("t0")
                .schema("tenant_a")
                .column(Column::new("id", Type::Integer)),
        );
        let (named, rows_named) = read(db.url(), &naming).await?;
        assert!(
            rows_named > rows_before + 20
                && named
                    .tables()
                    .iter()
                    .any(|t| t.schema.as_deref() == Some("tenant_a")),
            "naming tenant_a should read it: {rows_named} rows against {rows_before}"
        );
        Ok(())
    }
);
