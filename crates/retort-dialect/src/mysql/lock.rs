//! MySQL's and MariaDB's migration lock: `GET_LOCK` on a name made of the key's number
//! (`retort-` and 16 hex digits: MySQL allows 64 characters). The lock session raises its
//! `wait_timeout` to a year so the server does not end it while it idles through a long run.

use super::text_literal;
use crate::session::{lock_number, LockStatements, LockWait};

/// [`LockStatements`] of MySQL and MariaDB.
#[derive(Debug, Clone, Copy, Default)]
pub struct MysqlLock;

/// The longest `wait_timeout` MySQL accepts on every platform (one year, in seconds).
pub const LOCK_SESSION_WAIT_TIMEOUT: u32 = 31_536_000;

/// The lock's name for `key`.
pub fn lock_name(key: &str) -> String {
    format!("retort-{:016x}", lock_number(key) as u64)
}

impl LockStatements for MysqlLock {
    fn session_setup(&self) -> Vec<String> {
        vec![format!(
            "SET SESSION wait_timeout = {LOCK_SESSION_WAIT_TIMEOUT}"
        )]
    }

    fn acquire(&self, key: &str, wait: LockWait) -> String {
        // MariaDB answers NULL to a negative ("for ever") timeout: block for an hour at a
        // time, and the driver asks again while it answers 0.
        let secs = match wait {
            LockWait::Try => 0,
            LockWait::Block => 3600,
        };
        format!(
            "SELECT CAST(GET_LOCK({}, {secs}) AS CHAR)",
            text_literal(&lock_name(key))
        )
    }

    fn release(&self, key: &str) -> String {
        format!("DO RELEASE_LOCK({})", text_literal(&lock_name(key)))
    }

    fn holder(&self, key: &str) -> String {
        include_str!("../../queries/mysql/lock_holder.sql")
            .replace(":lock_name", &text_literal(&lock_name(key)))
    }

    fn held_here(&self, key: &str) -> String {
        format!(
            "SELECT CAST(IS_USED_LOCK({}) = CONNECTION_ID() AS CHAR)",
            text_literal(&lock_name(key))
        )
    }
}
