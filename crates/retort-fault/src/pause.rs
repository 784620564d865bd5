//! [`PausingDriver`]: a driver that stops before its n-th statement, so a test can kill the
//! process at that exact point of a run.
//!
//! Every statement the runner sends (`BEGIN`, DDL, version and log rows, `COMMIT`) goes
//! through [`Driver::execute`]; reads and the lock do not, as they change nothing. Before
//! the n-th execute the driver prints `PAUSE n` on stdout and sleeps: the test reads the
//! line and sends SIGKILL, so the statement never runs. With [`Resume::Stdin`] it waits for
//! a line on stdin instead and then goes on, so a test can change the world under a paused
//! run (move the version row, end its lock session) and watch what the run does next.

use std::io::Write;
use std::time::Duration;

use retort_migrate::driver::{Driver, LockHolder, TextRows};
use retort_migrate::Backend;

pub struct PausingDriver<D> {
    inner: D,
    pause_at: Option<usize>,
    resume: Resume,
    executed: usize,
}

/// What ends a pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resume {
    /// Nothing: the test kills the process (a forgotten kill fails the test on time).
    #[default]
    Never,
    /// A line (or end of file) on stdin.
    Stdin,
}

impl<D: Driver> PausingDriver<D> {
    pub fn new(inner: D, pause_at: Option<usize>) -> Self {
        PausingDriver {
            inner,
            pause_at,
            resume: Resume::Never,
            executed: 0,
        }
    }

    pub fn with_resume(mut self, resume: Resume) -> Self {
        self.resume = resume;
        self
    }

    /// Counts one statement, pausing before it when it is the chosen one.
    async fn before_statement(&mut self, sql: &str) {
        self.executed += 1;
        if self.pause_at != Some(self.executed) {
            return;
        }
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "PAUSE {} {}", self.executed, sql.replace('\n', " "));
            let _ = out.flush();
        }
        match self.resume {
            // Long enough for any test to kill us; a test that forgets fails on time.
            Resume::Never => tokio::time::sleep(Duration::from_secs(120)).await,
            // Off the runtime's thread, so other tasks (a keep-alive) go on meanwhile.
            Resume::Stdin => {
                let _ = tokio::task::spawn_blocking(|| {
                    let mut line = String::new();
                    let _ = std::io::stdin().read_line(&mut line);
                })
                .await;
            }
        }
    }
}

impl<D> PausingDriver<D> {
    /// How many statements were sent so far (0 proves a run ran no SQL that writes).
    pub fn executed(&self) -> usize {
        self.executed
    }
}

impl<D: Driver> Driver for PausingDriver<D> {
    fn backend(&self) -> Backend {
        self.inner.backend()
    }
    fn transactional_ddl(&self) -> bool {
        self.inner.transactional_ddl()
    }
    fn begin_sql(&self) -> &'static str {
        self.inner.begin_sql()
    }
    async fn lock(&mut self, key: &str) -> Result<(), sqlx::Error> {
        self.inner.lock(key).await
    }
    async fn try_lock(&mut self, key: &str) -> Result<bool, sqlx::Error> {
        self.inner.try_lock(key).await
    }
    async fn lock_holder(&mut self, key: &str) -> Result<Option<LockHolder>, sqlx::Error> {
        self.inner.lock_holder(key).await
    }
    async fn unlock(&mut self) -> Result<(), sqlx::Error> {
        self.inner.unlock().await
    }
    async fn set_lock_wait(&mut self, wait: Duration) -> Result<(), sqlx::Error> {
        self.inner.set_lock_wait(wait).await
    }
    async fn lock_held(&mut self) -> Result<bool, sqlx::Error> {
        self.inner.lock_held().await
    }
    async fn default_schema(&mut self) -> Result<Option<String>, sqlx::Error> {
        self.inner.default_schema().await
    }
    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.before_statement(sql).await;
        self.inner.execute(sql).await
    }
    async fn execute_rows(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        self.before_statement(sql).await;
        self.inner.execute_rows(sql).await
    }
    async fn query_text(&mut self, sql: &str) -> Result<TextRows, sqlx::Error> {
        self.inner.query_text(sql).await
    }
    async fn table_exists(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> Result<bool, sqlx::Error> {
        self.inner.table_exists(schema, table).await
    }
    async fn close(self) -> Result<(), sqlx::Error> {
        self.inner.close().await
    }
}
