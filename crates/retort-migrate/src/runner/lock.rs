//! Taking the migration lock with a bounded wait, and setting up the migration session.
//!
//! The runner polls [`Driver::try_lock`] with exponential backoff (10 ms doubling to
//! 500 ms) until [`Timeouts::lock_wait`](crate::Timeouts) has passed, then asks
//! [`Driver::lock_holder`] who holds it, so the error names the session (pid, application
//! name, since when). Polling, rather than a blocking `pg_advisory_lock` with the server's
//! `lock_timeout`, keeps the wait bounded the same way on every database, and a killed
//! holder's lock is released with its session, so the next poll takes it.

use std::time::{Duration, Instant};

use super::{MigrateError, Migrator};
use crate::driver::Driver;

const FIRST_BACKOFF: Duration = Duration::from_millis(10);
const MAX_BACKOFF: Duration = Duration::from_millis(500);

impl Migrator {
    /// Takes the migration lock, waiting at most the lock timeout.
    pub(super) async fn lock<D: Driver>(&self, driver: &mut D) -> Result<(), MigrateError> {
        let key = self.lock_key(driver).await?;
        let started = Instant::now();
        let mut backoff = FIRST_BACKOFF;
        loop {
            let taken = driver
                .try_lock(&key)
                .await
                .map_err(|source| MigrateError::Lock { source })?;
            if taken {
                return self.session_setup(driver).await;
            }
            let waited = started.elapsed();
            if waited >= self.timeouts.lock_wait {
                let holder = driver.lock_holder(&key).await.ok().flatten();
                return Err(MigrateError::LockTimeout {
                    key,
                    waited,
                    holder,
                });
            }
            let left = self.timeouts.lock_wait - waited;
            tokio::time::sleep(backoff.min(left)).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// The migration session's timeouts. The wait for a lock on the database itself
    /// ([`Driver::set_lock_wait`]: SQLite's busy timeout, otherwise sqlx's fixed 5 s) is the
    /// lock timeout, so a run told to wait ten minutes for the migration lock does not give
    /// up after 5 s on the file's own. PostgreSQL: `statement_timeout` and `lock_timeout`,
    /// when configured (otherwise the server's or role's settings stand).
    async fn session_setup<D: Driver>(&self, driver: &mut D) -> Result<(), MigrateError> {
        if let Err(source) = driver.set_lock_wait(self.timeouts.lock_wait).await {
            let _ = driver.unlock().await;
            return Err(MigrateError::Bookkeeping {
                what: "setting the wait for the database's own locks (busy timeout)".into(),
                source,
            });
        }
        let settings = crate::backends::support(driver.backend())
            .session_settings(self.timeouts.statement, self.timeouts.ddl_lock);
        for sql in settings {
            if let Err(e) = self
                .bookkeeping(driver, &sql, "configuring the session")
                .await
            {
                let _ = driver.unlock().await;
                return Err(e);
            }
        }
        Ok(())
    }
}

/// Whether `e` is PostgreSQL's "lock not available" (SQLSTATE 55P03), which a statement
/// gets when its `lock_timeout` runs out, or MySQL's "lock wait timeout exceeded" (1205),
/// when its `lock_wait_timeout` does.
pub(super) fn is_lock_timeout(e: &sqlx::Error) -> bool {
    let Some(d) = e.as_database_error() else {
        return false;
    };
    if d.code().is_some_and(|c| c == "55P03") {
        return true;
    }
    #[cfg(feature = "mysql")]
    if let Some(m) = d.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return m.number() == 1205;
    }
    false
}

/// Whether `e` is a missing privilege: SQLSTATE 42501 (PostgreSQL); MySQL's error numbers
/// for a database, table, column or global privilege denied (its SQLSTATE, 42000, is
/// shared with syntax errors).
pub(super) fn is_privilege_error(e: &sqlx::Error) -> bool {
    let Some(d) = e.as_database_error() else {
        return false;
    };
    if d.code().is_some_and(|c| c == "42501") {
        return true;
    }
    #[cfg(feature = "mysql")]
    if let Some(m) = d.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        // ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR,
        // ER_COLUMNACCESS_DENIED_ERROR, ER_SPECIFIC_ACCESS_DENIED_ERROR.
        return matches!(m.number(), 1044 | 1142 | 1143 | 1227);
    }
    false
}
