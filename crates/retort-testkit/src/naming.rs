//! Names of test databases: `retort_test_<pid>_<counter>_<test name>`.
//!
//! The test name makes a leaked database easy to trace; pid plus a per-process counter
//! make it unique across parallel tests and processes; the pid also lets a later run tell
//! a leaked database (its process is gone) from one that a concurrent run still uses.

use std::sync::atomic::{AtomicU64, Ordering};

/// Prefix of every database the testkit creates; cleanup only ever touches these.
pub const DATABASE_PREFIX: &str = "retort_test_";

/// PostgreSQL truncates identifiers to 63 bytes; stay within that.
const MAX_NAME_LEN: usize = 63;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh database name for `test_name`, unique within this machine's live processes.
pub fn unique_database_name(test_name: &str) -> String {
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed);
    let head = format!("{DATABASE_PREFIX}{}_{counter}_", std::process::id());
    let sanitized = sanitize(test_name);
    let room = MAX_NAME_LEN.saturating_sub(head.len());
    // Keep the tail: the last path segments (the test function) say the most.
    let tail = &sanitized[sanitized.len().saturating_sub(room)..];
    format!("{head}{}", tail.trim_start_matches('_'))
}

/// Lower-case ASCII letters, digits and single underscores: safe unquoted everywhere.
pub fn sanitize(test_name: &str) -> String {
    let mut out = String::with_capacity(test_name.len());
    for ch in test_name.chars() {
        let ch = if ch.is_ascii_alphanumeric() {
            ch.to_ascii_lowercase()
        } else {
            '_'
        };
        if !(ch == '_' && (out.is_empty() || out.ends_with('_'))) {
            out.push(ch);
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// The pid encoded in a testkit database name, if `name` is one.
pub fn owner_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(DATABASE_PREFIX)?;
    rest.split('_').next()?.parse().ok()
}

/// Whether `name` is a testkit database whose creating process no longer runs on this
/// machine. Without `/proc` nothing is considered leaked (never drop a live test's db).
pub fn is_leaked(name: &str) -> bool {
    let Some(pid) = owner_pid(name) else {
        return false;
    };
    let proc_root = std::path::Path::new("/proc");
    proc_root.join("self").exists() && !proc_root.join(pid.to_string()).exists()
}
