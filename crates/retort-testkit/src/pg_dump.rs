//! Running PostgreSQL's client tools against a test database: `pg_dump --schema-only`,
//! and `psql -f` for tests of the `--sql` scripts.
//!
//! A binary is looked for in `RETORT_TEST_PG_BIN`, then `PATH`, then every
//! `/usr/lib/postgresql/<version>/bin` (newest first). pg_dump refuses servers newer
//! than itself, so each candidate is tried in turn until one succeeds. The password
//! travels in `PGPASSWORD`, never on the command line where `ps` would show it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::env::PG_BIN_VAR;
use crate::error::TestDbError;
use crate::redact::{redact_url, scrub};

/// `pg_dump --schema-only` of the database at `url`, as text.
pub fn pg_dump_schema(url: &str) -> Result<String, TestDbError> {
    let failed = |reason: String| TestDbError::PgDump {
        database: redact_url(url),
        reason: scrub(&reason, url),
    };
    let mut parsed = url::Url::parse(url).map_err(|e| failed(e.to_string()))?;
    let password = parsed.password().map(|p| {
        // `Url` keeps the password percent-encoded; libpq wants the real one.
        percent_decode(p)
    });
    if password.is_some() {
        let _ = parsed.set_password(None);
    }
    let candidates = candidates();
    if candidates.is_empty() {
        return Err(failed(
            "no pg_dump found in RETORT_TEST_PG_BIN, PATH or /usr/lib/postgresql/*/bin; \
             install PostgreSQL's client tools (e.g. apt-get install postgresql-client)"
                .to_owned(),
        ));
    }
    let mut errors = Vec::new();
    for binary in candidates {
        let mut command = Command::new(&binary);
        command
            .arg("--schema-only")
            .arg("--no-password")
            .arg(format!("--dbname={parsed}"));
        if let Some(password) = &password {
            command.env("PGPASSWORD", password);
        }
        match command.output() {
            Ok(output) if output.status.success() => {
                return String::from_utf8(output.stdout)
                    .map_err(|e| failed(format!("output is not UTF-8: {e}")));
            }
            Ok(output) => errors.push(format!(
                "{} exited with {}: {}",
                binary.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )),
            Err(e) => errors.push(format!("{} could not run: {e}", binary.display())),
        }
    }
    Err(failed(errors.join("; ")))
}

/// `psql -X -q -f file` on the database at `url`, with no `-v ON_ERROR_STOP`: the script
/// alone decides whether psql stops at an error. Returns psql's output (its exit status
/// included) for the test to judge; an error only when no psql could be run at all.
pub fn psql_file(url: &str, file: &Path) -> Result<std::process::Output, TestDbError> {
    let failed = |reason: String| TestDbError::Psql {
        database: redact_url(url),
        reason: scrub(&reason, url),
    };
    let mut parsed = url::Url::parse(url).map_err(|e| failed(e.to_string()))?;
    let password = parsed.password().map(percent_decode);
    if password.is_some() {
        let _ = parsed.set_password(None);
    }
    let Some(binary) = tool_candidates("psql").into_iter().next() else {
        return Err(failed(
            "no psql found in RETORT_TEST_PG_BIN, PATH or /usr/lib/postgresql/*/bin; \
             install PostgreSQL's client tools (e.g. apt-get install postgresql-client)"
                .to_owned(),
        ));
    };
    let mut command = Command::new(&binary);
    command
        .args(["-X", "-q", "--no-password", "-d"])
        .arg(parsed.as_str())
        .arg("-f")
        .arg(file);
    if let Some(password) = &password {
        command.env("PGPASSWORD", password);
    }
    command
        .output()
        .map_err(|e| failed(format!("{} could not run: {e}", binary.display())))
}

/// Every `pg_dump` worth trying, in order of preference, without duplicates.
pub fn candidates() -> Vec<PathBuf> {
    tool_candidates("pg_dump")
}

/// Every copy of PostgreSQL client tool `tool` worth trying, in order of preference.
fn tool_candidates(tool: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut push = |path: PathBuf| {
        if path.is_file() && !found.contains(&path) {
            found.push(path);
        }
    };
    if let Some(dir) = std::env::var_os(PG_BIN_VAR) {
        push(Path::new(&dir).join(tool));
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            push(dir.join(tool));
        }
    }
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin").join(tool)))
        })
        .collect();
    versioned.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    for (_, path) in versioned {
        push(path);
    }
    found
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
