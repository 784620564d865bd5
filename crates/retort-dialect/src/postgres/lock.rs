//! PostgreSQL's migration lock: a session-level advisory lock on the key's 64-bit number.
//! A bigint advisory lock shows in `pg_locks` as classid = its high 32 bits, objid = its
//! low 32 bits, objsubid = 1; that is how the holder is found.

use crate::session::{lock_number, LockStatements, LockWait};

/// [`LockStatements`] of PostgreSQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresLock;

/// The lock's `pg_locks` classid and objid.
fn parts(key: &str) -> (i64, i64) {
    let n = lock_number(key) as u64;
    ((n >> 32) as i64, (n & 0xffff_ffff) as i64)
}

impl LockStatements for PostgresLock {
    fn session_setup(&self) -> Vec<String> {
        // Exempt the idle lock session from `idle_session_timeout`; servers before 14 do
        // not know the setting and do not need it.
        vec!["SELECT set_config('idle_session_timeout', '0', false) \
              FROM pg_catalog.pg_settings WHERE name = 'idle_session_timeout'"
            .to_owned()]
    }

    fn acquire(&self, key: &str, wait: LockWait) -> String {
        let n = lock_number(key);
        match wait {
            LockWait::Try => {
                format!("SELECT CAST(CAST(pg_try_advisory_lock({n}) AS INTEGER) AS TEXT)")
            }
            LockWait::Block => format!("SELECT '1' FROM (SELECT pg_advisory_lock({n})) AS taken"),
        }
    }

    fn release(&self, key: &str) -> String {
        format!("SELECT pg_advisory_unlock({})", lock_number(key))
    }

    fn holder(&self, key: &str) -> String {
        let (hi, lo) = parts(key);
        include_str!("../../queries/postgres/lock_holder.sql")
            .replace("$1", &hi.to_string())
            .replace("$2", &lo.to_string())
    }

    fn held_here(&self, key: &str) -> String {
        let (hi, lo) = parts(key);
        format!(
            "SELECT CAST(CAST(EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' \
             AND pid = pg_backend_pid() AND granted AND classid = CAST({hi} AS OID) \
             AND objid = CAST({lo} AS OID) AND objsubid = 1) AS INTEGER) AS TEXT)"
        )
    }
}
