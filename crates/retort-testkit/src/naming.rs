//! Names of test databases, `retort_test_<pid>_<counter>_<test name>`, and the marker that
//! says which run made one.
//!
//! The test name makes a leaked database easy to trace; pid plus a per-process counter
//! make it unique across parallel tests and processes. The name says nothing about who may
//! drop a database: on a shared server another person's run (another machine, another
//! container whose pids mean nothing here) makes names of the same shape. What a cleanup
//! goes by is the marker: the testkit records `COMMENT ON DATABASE .. IS '<marker>'` with the
//! run's id, the host and the pid when it creates a database, and drops a database it did
//! not just make only if its marker names this run ([`RUN_ID_VAR`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Prefix of every database the testkit creates; cleanup only ever touches these.
pub const DATABASE_PREFIX: &str = "retort_test_";

/// The run this process belongs to. `scripts/test.sh` sets it once for all the test
/// processes it starts (and drops what is left of that run when they are done); without
/// it, each process is a run of its own.
pub const RUN_ID_VAR: &str = "RETORT_TEST_RUN_ID";

/// Start of every marker, so a comment written by anything else never parses as one.
const MARKER_PREFIX: &str = "retort-testkit";

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

/// The pid encoded in a testkit database name, if `name` is one (for tracing a leak; it
/// decides nothing).
pub fn owner_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(DATABASE_PREFIX)?;
    rest.split('_').next()?.parse().ok()
}

/// This run's id: [`RUN_ID_VAR`], else one made for this process from the host, the pid
/// and the start time (unique in practice, never reused by a later process).
pub fn run_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| match std::env::var(RUN_ID_VAR) {
        Ok(id) if !id.trim().is_empty() => clean(id.trim()),
        _ => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            clean(&format!("{}-{}-{nanos}", host(), std::process::id()))
        }
    })
}

/// The marker recorded on a database this process creates.
pub fn marker() -> String {
    format!(
        "{MARKER_PREFIX} run={} host={} pid={}",
        run_id(),
        host(),
        std::process::id()
    )
}

/// What a marker says: the run, host and pid that created the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub run: String,
    pub host: String,
    pub pid: u32,
}

/// Reads a marker written by [`marker`]; `None` for any other text.
pub fn parse_marker(text: &str) -> Option<Marker> {
    let rest = text.strip_prefix(MARKER_PREFIX)?.strip_prefix(' ')?;
    let mut fields = rest.split(' ');
    let run = fields.next()?.strip_prefix("run=")?.to_owned();
    let host = fields.next()?.strip_prefix("host=")?.to_owned();
    let pid = fields.next()?.strip_prefix("pid=")?.parse().ok()?;
    (fields.next().is_none() && !run.is_empty()).then_some(Marker { run, host, pid })
}

/// Whether the database whose marker is `comment` was left behind by this run: created by
/// this run, on this host, by a process that no longer runs (a crashed or killed test
/// process). A database without a marker, or another run's, is never leaked to us.
/// Without `/proc` nothing counts as leaked (never drop a live test's database).
pub fn is_leaked_by_this_run(comment: Option<&str>) -> bool {
    let Some(m) = comment.and_then(parse_marker) else {
        return false;
    };
    let proc_root = std::path::Path::new("/proc");
    m.run == run_id()
        && m.host == host()
        && m.pid != std::process::id()
        && proc_root.join("self").exists()
        && !proc_root.join(m.pid.to_string()).exists()
}

/// This machine's name (`/proc/sys/kernel/hostname`, `HOSTNAME`), else `unknown`.
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| clean(h.trim()))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Letters, digits, `-`, `.` and `_` only: a marker field holds no space and no quote.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
