//! Roles for a test, on a PostgreSQL server that others share: roles are cluster-wide, so a
//! test that grants to roles creates its own, named to be unique to the test process
//! ([`test_role_name`]: the base name the test gives, then this process's id, as the
//! database names carry it), marked like its databases (`COMMENT ON ROLE`, see
//! `naming`), and drops exactly those: after its databases (which hold what was granted to
//! them), by [`TestRoles::close`], or by `Drop` when the test panics first. A role of any
//! other name, or one this set did not create, is never touched.

use sqlx::Executor;

use crate::error::TestDbError;
use crate::naming;
use crate::postgres::PgServer;
use crate::redact::scrub;

/// The role a test calls `base`, unique to this process: `<base>_<pid>`, the id written
/// with seven digits (Linux's largest has seven) so that text laid out around the name
/// (a written revision) is the same in every run. A test gives each role a base name of its
/// own (`c160_reader`), so tests of one process do not meet either.
pub fn test_role_name(base: &str) -> String {
    format!("{base}_{:07}", std::process::id())
}

/// Roles a test created (see the module notes); dropped by [`TestRoles::close`], or by
/// `Drop` if the test panics first.
#[derive(Debug)]
pub struct TestRoles {
    server: PgServer,
    names: Vec<String>,
    closed: bool,
}

impl TestRoles {
    /// Creates the roles `names` (as [`test_role_name`] gives them) on the test server,
    /// `NOLOGIN`, each with this run's marker. A name that already exists is an error (it is
    /// someone else's), and the roles made so far are dropped again.
    pub async fn create(names: &[String]) -> Result<TestRoles, TestDbError> {
        let server = PgServer::from_env()?;
        let mut roles = TestRoles {
            server,
            names: Vec::new(),
            closed: false,
        };
        for name in names {
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            let marker = naming::marker().replace('\'', "''");
            let made = roles
                .run(&format!("CREATE ROLE {quoted} NOLOGIN"))
                .await
                .map_err(|e| roles.failed("create", name, e));
            if let Err(e) = made {
                let _ = roles.drop_all().await;
                roles.closed = true;
                return Err(e);
            }
            roles.names.push(name.clone());
            if let Err(e) = roles
                .run(&format!("COMMENT ON ROLE {quoted} IS '{marker}'"))
                .await
            {
                let err = roles.failed("mark", name, e);
                let _ = roles.drop_all().await;
                roles.closed = true;
                return Err(err);
            }
        }
        Ok(roles)
    }

    /// The roles' names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Drops the roles (after the test's databases are gone: a role still granted
    /// something cannot be dropped).
    pub async fn close(mut self) -> Result<(), TestDbError> {
        self.closed = true;
        self.drop_all().await
    }

    async fn drop_all(&self) -> Result<(), TestDbError> {
        let mut first = None;
        for name in &self.names {
            let sql = format!("DROP ROLE IF EXISTS \"{}\"", name.replace('"', "\"\""));
            if let Err(e) = self.run(&sql).await {
                first.get_or_insert(self.failed("drop", name, e));
            }
        }
        first.map_or(Ok(()), Err)
    }

    async fn run(&self, sql: &str) -> Result<(), String> {
        let mut conn = self.server.connect().await.map_err(|e| e.to_string())?;
        let result = conn
            .execute(sql)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string());
        let _ = sqlx::Connection::close(conn).await;
        result
    }

    fn failed(&self, action: &'static str, name: &str, reason: String) -> TestDbError {
        TestDbError::Role {
            action,
            name: name.to_owned(),
            url: self.server.redacted_url(),
            reason: scrub(&reason, self.server.url()),
        }
    }
}

impl Drop for TestRoles {
    fn drop(&mut self) {
        if self.closed || self.names.is_empty() {
            return;
        }
        let roles = TestRoles {
            server: self.server.clone(),
            names: std::mem::take(&mut self.names),
            closed: true,
        };
        // As `TestDb`'s Drop: a runtime of its own on a thread, best effort.
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                let _ = runtime.block_on(roles.drop_all());
            }
        });
        let _ = dropper.join();
    }
}
