//! [`LockStatements`]: the migration lock as SQL, and the lock's name for a key.
//!
//! PostgreSQL's advisory locks and MySQL's `GET_LOCK` are named locks owned by a database
//! session: the driver (in `retort-migrate`) opens a session of its own for the lock, sends
//! these statements on it and reads text back, so that closing the session, on any path,
//! releases the lock. The statements live here, with the rest of what a database does
//! differently; the driver knows connections only. SQLite has no such lock (its driver
//! locks a side file with `BEGIN IMMEDIATE`), so its backend has none.
//!
//! Every statement answers in text (`1`/`0`, or the holder's row), so that a driver reads
//! it the same way on every backend.

/// How long [`LockStatements::acquire`] waits for another session's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockWait {
    /// Ask once and answer at once.
    Try,
    /// Wait as long as the server lets one statement wait (the runner polls [`LockWait::Try`]
    /// when it wants a bounded wait).
    Block,
}

/// The statements of a migration lock owned by a database session.
pub trait LockStatements: Send + Sync {
    /// Sent once on a new lock session before [`LockStatements::acquire`]: keeps the
    /// server from ending the session while it idles through a long run. Each statement
    /// must succeed on every supported server version.
    fn session_setup(&self) -> Vec<String>;

    /// One row, one value: `1` when this session now holds the lock `key`, `0` when
    /// another session holds it (after the wait).
    fn acquire(&self, key: &str, wait: LockWait) -> String;

    /// Releases the lock `key` held by this session (ending the session releases it too).
    fn release(&self, key: &str) -> String;

    /// At most one row, the session holding the lock `key`: its id, its name (application
    /// or user), since when, its client address; each text or NULL.
    fn holder(&self, key: &str) -> String;

    /// One value, sent on the lock session itself: `1` while it still holds the lock `key`
    /// (a session that has ended fails the statement instead).
    fn held_here(&self, key: &str) -> String;
}

/// The lock's number for `key` (the version table's qualified name): FNV-1a, stable across
/// releases and processes, so that every run on a database contends for the same lock.
pub fn lock_number(key: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// `'text'` with quotes doubled.
pub(crate) fn text_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn lock_number_is_stable_and_distinct() {
        // The number is part of the contract between releases: two versions of Retort
        // migrating one database must take the same lock.
        assert_eq!(
            super::lock_number("retort_version"),
            -2_011_280_986_446_695_508
        );
        assert_ne!(
            super::lock_number("retort_version"),
            super::lock_number("other_version")
        );
    }
}
