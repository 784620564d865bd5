//! The PostgreSQL lock session: the connection holding the run's advisory lock, kept
//! alive while the run works on its other connection.
//!
//! The session would otherwise sit idle for the whole run, and an idle session is what
//! servers and proxies end: `idle_session_timeout` (PostgreSQL 14+, turned off for this
//! session with `SET`), a pooler's or load balancer's idle timeout (which no `SET`
//! reaches). So a task sends a ping every [`KEEPALIVE`] while the lock is held. The task
//! holds only a weak reference: dropping the session (on any path, the run's future
//! cancelled included) drops the connection, which closes it and releases the lock, and
//! the task is aborted as well.

use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::postgres::PgConnection;
use sqlx::Connection;
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

/// How often an idle lock session is pinged: well under the idle timeouts of common
/// proxies and load balancers (minutes).
pub(super) const KEEPALIVE: Duration = Duration::from_secs(30);

pub(super) struct LockSession {
    /// `None` only once [`LockSession::stop`] took it.
    conn: Option<Arc<Mutex<PgConnection>>>,
    /// The lock's key (see [`retort_dialect::LockStatements`]).
    pub(super) key: String,
    pinger: Option<JoinHandle<()>>,
}

impl LockSession {
    /// Takes over `conn`, which holds the lock `key` (its session set up by the lock's
    /// `session_setup`, which exempts it from `idle_session_timeout`), and starts pinging it
    /// every `every`.
    pub(super) fn start(conn: PgConnection, key: String, every: Duration) -> LockSession {
        let conn = Arc::new(Mutex::new(conn));
        let pinger = tokio::spawn(ping(Arc::downgrade(&conn), every));
        LockSession {
            conn: Some(conn),
            key,
            pinger: Some(pinger),
        }
    }

    /// The session's connection, for a query (the keep-alive waits meanwhile).
    pub(super) async fn conn(&self) -> Option<tokio::sync::MutexGuard<'_, PgConnection>> {
        match &self.conn {
            Some(conn) => Some(conn.lock().await),
            None => None,
        }
    }

    /// Stops pinging and hands back the connection, to unlock and close it.
    pub(super) async fn stop(mut self) -> Option<PgConnection> {
        if let Some(pinger) = self.pinger.take() {
            pinger.abort();
            // Wait for the task to be gone, so that this is the connection's last owner.
            let _ = pinger.await;
        }
        let conn = self.conn.take()?;
        Arc::try_unwrap(conn).ok().map(Mutex::into_inner)
    }
}

impl Drop for LockSession {
    fn drop(&mut self) {
        if let Some(pinger) = self.pinger.take() {
            pinger.abort();
        }
    }
}

async fn ping(conn: Weak<Mutex<PgConnection>>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let Some(conn) = conn.upgrade() else {
            return;
        };
        let mut conn = conn.lock().await;
        // A failed ping means the session is gone: the runner's check before its next
        // commit finds that out and stops the run; nothing more to do here.
        if conn.ping().await.is_err() {
            return;
        }
    }
}
