//! The PostgreSQL driver: a work connection and a dedicated lock connection.
//!
//! The lock is `pg_advisory_lock(n)`, a session-level lock, taken on its own connection
//! so that the work connection's transactions (committed or rolled back per revision)
//! never affect it, and so that closing that connection, on any path, releases it.

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Connection, Executor, Row};

use super::{literal, lock_number, Driver, TextRows};
use crate::url::Backend;

pub struct PgDriver {
    options: PgConnectOptions,
    conn: PgConnection,
    lock: Option<(PgConnection, i64)>,
}

impl PgDriver {
    /// Opens the work connection; the lock connection is opened by [`Driver::lock`].
    pub async fn connect(options: PgConnectOptions) -> Result<Self, sqlx::Error> {
        let conn = PgConnection::connect_with(&options).await?;
        Ok(PgDriver {
            options,
            conn,
            lock: None,
        })
    }
}

impl Driver for PgDriver {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    async fn lock(&mut self, key: &str) -> Result<(), sqlx::Error> {
        if self.lock.is_some() {
            return Ok(());
        }
        let n = lock_number(key);
        let mut conn = PgConnection::connect_with(&self.options).await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(n)
            .execute(&mut conn)
            .await?;
        self.lock = Some((conn, n));
        Ok(())
    }

    async fn unlock(&mut self) -> Result<(), sqlx::Error> {
        if let Some((mut conn, n)) = self.lock.take() {
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(n)
                .execute(&mut conn)
                .await;
            // Closing the session releases the lock even if the unlock failed.
            let closed = conn.close().await;
            unlocked?;
            closed?;
        }
        Ok(())
    }

    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.conn.execute(sql).await.map(|_| ())
    }

    async fn query_text(&mut self, sql: &str) -> Result<TextRows, sqlx::Error> {
        let rows = sqlx::query(sql).fetch_all(&mut self.conn).await?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| row.try_get::<Option<String>, _>(i))
                    .collect()
            })
            .collect()
    }

    async fn table_exists(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> Result<bool, sqlx::Error> {
        let schema = schema.map_or_else(|| "current_schema()".to_owned(), literal);
        let sql = format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM pg_catalog.pg_tables \
             WHERE schemaname = {schema} AND tablename = {}",
            literal(table)
        );
        let rows = self.query_text(&sql).await?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .cloned()
            .flatten()
            .as_deref()
            != Some("0"))
    }

    async fn close(mut self) -> Result<(), sqlx::Error> {
        let unlocked = self.unlock().await;
        let closed = self.conn.close().await;
        unlocked?;
        closed
    }
}
