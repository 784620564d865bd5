//! Running the `retort-fault` binary, and reading what a database holds.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use retort_fault::{FAULT_TABLES, FAULT_VIEWS, R1, R2, R3};
use retort_testkit::{TestDb, TestDialect};

pub const BIN: &str = env!("CARGO_BIN_EXE_retort-fault");

/// The good history as the binary runs it on `db`'s database ([`retort_fault::history_on`]).
pub fn good(db: &TestDb) -> Vec<retort_migrate::Script> {
    let backend = match db.dialect() {
        TestDialect::Postgres => retort_migrate::Backend::Postgres,
        TestDialect::Mysql => retort_migrate::Backend::Mysql,
        _ => retort_migrate::Backend::Sqlite,
    };
    retort_fault::history_on(retort_fault::Variant::Good, backend)
}

/// How many times each scenario runs: `RETORT_FAULT_REPEAT`, else 20 under CI, else 2.
pub fn repeat() -> usize {
    if let Some(n) = std::env::var("RETORT_FAULT_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return n;
    }
    // The testkit's reading of CI (`CI=false` or `CI=0` is not CI), as for its strictness.
    if retort_testkit::env::flag("CI") {
        20
    } else {
        2
    }
}

pub fn command(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("RETORT_FAULT_URL", db.url())
        .env_remove("RETORT_FAULT_PAUSE_AT")
        .env_remove("RETORT_FAULT_HISTORY")
        .env_remove("RETORT_FAULT_MODE")
        .env_remove("RETORT_FAULT_LOCK_TIMEOUT_MS")
        .env_remove("RETORT_FAULT_RESUME")
        .env_remove("RETORT_FAULT_VERSION_SCHEMA");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs the binary to its end.
pub fn run(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Output {
    command(db, args, env)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `upgrade head` paused before statement `n` and SIGKILLs it there: `true` when it
/// was killed, `false` when the run finished before reaching `n`.
pub fn upgrade_killed_at(db: &TestDb, n: usize, env: &[(&str, &str)]) -> bool {
    let n = n.to_string();
    let mut all: Vec<(&str, &str)> = vec![("RETORT_FAULT_PAUSE_AT", &n)];
    all.extend_from_slice(env);
    let mut child = command(db, &["upgrade", "head"], &all)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns retort-fault");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    if first.starts_with("PAUSE") {
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("reaps the killed run");
        assert!(!status.success(), "a killed run cannot succeed");
        true
    } else {
        let out = child.wait_with_output().expect("waits");
        assert!(
            out.status.success() && first.starts_with("DONE"),
            "run without pause failed: {first}\n{}",
            text(&out.stderr)
        );
        false
    }
}

/// A run paused before a statement, waiting for [`Paused::resume`] (`RETORT_FAULT_RESUME=stdin`).
pub struct Paused {
    child: std::process::Child,
    /// The `PAUSE n <sql>` line.
    pub line: String,
}

impl Paused {
    /// Starts `cmd` (already given `RETORT_FAULT_PAUSE_AT`) and waits for its pause;
    /// `Err(output)` when it ended without pausing.
    pub fn start(mut cmd: Command) -> Result<Paused, Output> {
        let mut child = cmd
            .env("RETORT_FAULT_RESUME", "stdin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns retort-fault");
        let stdout = child.stdout.as_mut().expect("piped stdout");
        let mut line = String::new();
        // Byte by byte: a buffered reader would swallow what follows the line.
        let mut byte = [0u8; 1];
        while std::io::Read::read(stdout, &mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
            line.push(byte[0] as char);
        }
        if line.starts_with("PAUSE") {
            Ok(Paused { child, line })
        } else {
            let mut out = child.wait_with_output().expect("waits");
            let mut stdout = line.into_bytes();
            stdout.append(&mut out.stdout);
            out.stdout = stdout;
            Err(out)
        }
    }

    /// Lets the run go on, and waits for its end.
    pub fn resume(mut self) -> Output {
        let stdin = self.child.stdin.take().expect("piped stdin");
        drop(stdin); // end of file ends the pause
        let mut out = self.child.wait_with_output().expect("waits");
        let mut stdout = self.line.into_bytes();
        stdout.push(b'\n');
        stdout.append(&mut out.stdout);
        out.stdout = stdout;
        out
    }
}

/// The steps a finished run reports (`DONE <steps> <statements>`).
pub fn done_steps(out: &Output) -> Option<usize> {
    text(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("DONE "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
}

/// Makes commits on the test database skip the WAL flush (`synchronous_commit = off`, for
/// this database only): a killed *client* loses nothing the server acknowledged either
/// way, which is what the suite tests, and the suite runs several times faster.
pub async fn fast_commits(db: &TestDb) {
    if db.dialect() == TestDialect::Postgres {
        db.execute(&format!(
            "ALTER DATABASE \"{}\" SET synchronous_commit = off",
            db.name()
        ))
        .await
        .expect("sets synchronous_commit");
    }
}

/// Drops everything the histories and the runner create.
pub async fn reset(db: &TestDb) {
    for v in FAULT_VIEWS {
        db.execute(&format!("DROP VIEW IF EXISTS {v}"))
            .await
            .expect("drops");
    }
    for t in FAULT_TABLES.iter().chain(&["retort_version", "retort_log"]) {
        let cascade = if db.dialect() == TestDialect::Postgres {
            " CASCADE"
        } else {
            ""
        };
        db.execute(&format!("DROP TABLE IF EXISTS {t}{cascade}"))
            .await
            .expect("drops");
    }
}

/// The `f_*` tables and `ix_*` indexes, sorted.
pub async fn objects(db: &TestDb) -> Vec<String> {
    let sql = match db.dialect() {
        TestDialect::Postgres => {
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'f\\_%' \
             UNION ALL SELECT CAST(indexname AS TEXT) FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix\\_%' ORDER BY 1"
        }
        TestDialect::Mysql => {
            "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'f\\_%' \
             UNION ALL SELECT DISTINCT CAST(INDEX_NAME AS CHAR) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME LIKE 'ix\\_%'"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE (type = 'table' AND name LIKE 'f\\_%' ESCAPE '\\') \
             OR (type = 'index' AND name LIKE 'ix\\_%' ESCAPE '\\') ORDER BY name"
        }
    };
    let mut found = db.query_strings(sql).await.expect("lists objects");
    // Sorted here, byte by byte, as `expected_objects` is (a server's collation may not be).
    found.sort();
    found
}

pub async fn has_table(db: &TestDb, name: &str) -> bool {
    let sql = match db.dialect() {
        TestDialect::Postgres => format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM pg_tables WHERE schemaname = current_schema() AND tablename = '{name}'"
        ),
        TestDialect::Mysql => format!(
            "SELECT CAST(COUNT(*) AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{name}'"
        ),
        _ => format!("SELECT CAST(COUNT(*) AS TEXT) FROM sqlite_master WHERE type = 'table' AND name = '{name}'"),
    };
    db.query_strings(&sql).await.expect("reads the catalog") == ["1"]
}

pub async fn versions(db: &TestDb) -> Vec<String> {
    if !has_table(db, "retort_version").await {
        return Vec::new();
    }
    db.query_strings("SELECT version_num FROM retort_version ORDER BY 1")
        .await
        .expect("reads versions")
}

/// The log as `revision direction` lines, oldest first.
pub async fn log(db: &TestDb) -> Vec<String> {
    if !has_table(db, "retort_log").await {
        return Vec::new();
    }
    // MySQL's `||` is OR unless `PIPES_AS_CONCAT` is set.
    let sql = match db.dialect() {
        TestDialect::Mysql => "SELECT CONCAT(revision, ' ', direction) FROM retort_log ORDER BY id",
        _ => "SELECT revision || ' ' || direction FROM retort_log ORDER BY id",
    };
    db.query_strings(sql).await.expect("reads the log")
}

/// Asserts the database is consistent: the objects present are exactly those of the
/// revisions the version table records, plus the committed statements of an interrupted
/// revision as the log records them; and the log has one upgrade row per applied revision.
pub async fn assert_consistent(db: &TestDb, context: &str) {
    let versions = versions(db).await;
    let applied = match versions.as_slice() {
        [] => 0,
        [v] if v == R1 => 1,
        [v] if v == R2 => 2,
        [v] if v == R3 => 3,
        other => panic!("{context}: unexpected heads {other:?}"),
    };
    let log = log(db).await;
    let upgrades: Vec<&str> = log
        .iter()
        .filter_map(|l| l.strip_suffix(" upgrade"))
        .collect();
    assert_eq!(
        upgrades,
        [R1, R2, R3][..applied].to_vec(),
        "{context}: the log must record exactly the applied revisions: {log:?}"
    );
    let next = [R1, R2, R3].get(applied).copied();
    let partial = next
        .and_then(|next| {
            log.iter()
                .rev()
                .find(|l| l.starts_with(next))
                .and_then(|l| l.split_once(" upgrade:"))
                .map(|(_, n)| n.parse::<usize>().expect("a progress count"))
        })
        .unwrap_or(0);
    let found = objects(db).await;
    // Statement 2 of R2 is the concurrent index, outside any transaction: killed after it
    // ran but before its progress row, it is done though recorded as 1 statement; the
    // next run counts it done (see the runner's notes), which `kill` then checks.
    let in_flight = applied == 1 && partial == 1;
    assert!(
        found == retort_fault::expected_objects(applied, partial)
            || (in_flight && found == retort_fault::expected_objects(applied, partial + 1)),
        "{context}: found {found:?} with heads {versions:?}, log {log:?}"
    );
}

/// After a round of concurrent runs of `upgrade head` from base: `steps` (the DONE counts
/// added up) is three, the database is at R3, and the log shows each revision upgraded once.
pub async fn assert_each_revision_applied_once(db: &TestDb, steps: usize, round: usize) {
    assert_eq!(steps, 3, "round {round}: three steps in all");
    assert_eq!(versions(db).await, vec![retort_fault::R3]);
    let upgrades: Vec<String> = log(db)
        .await
        .into_iter()
        .filter(|l| l.ends_with(" upgrade"))
        .collect();
    assert_eq!(
        upgrades,
        [retort_fault::R1, retort_fault::R2, retort_fault::R3]
            .map(|r| format!("{r} upgrade"))
            .to_vec(),
        "round {round}"
    );
    assert_consistent(db, &format!("round {round}")).await;
}

/// A revision a database that commits DDL implicitly (MariaDB/MySQL) left half-done, as
/// its latest progress row records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial {
    pub revision: String,
    /// Statements of it certainly done.
    pub done: usize,
    /// The next statement was under way (`upgrade:N?`): the run ended between it and its
    /// progress row, so it may have run.
    pub in_doubt: bool,
}

/// MariaDB/MySQL: asserts the database holds an applied state (nothing half-done: `None`),
/// or one revision half-done *as recorded*: the objects present are those of the
/// revisions the version table records plus the statements the progress row counts (and,
/// when the next one is in doubt, perhaps that one too), and the log has one upgrade row
/// per applied revision.
pub async fn assert_recorded(db: &TestDb, context: &str) -> Option<Partial> {
    let versions = versions(db).await;
    let applied = match versions.as_slice() {
        [] => 0,
        [v] if v == R1 => 1,
        [v] if v == R2 => 2,
        [v] if v == R3 => 3,
        other => panic!("{context}: unexpected heads {other:?}"),
    };
    let log = log(db).await;
    let upgrades: Vec<&str> = log
        .iter()
        .filter_map(|l| l.strip_suffix(" upgrade"))
        .collect();
    assert_eq!(
        upgrades,
        [R1, R2, R3][..applied].to_vec(),
        "{context}: the log must record exactly the applied revisions: {log:?}"
    );
    let partial = [R1, R2, R3].get(applied).and_then(|next| {
        let latest = log.iter().rev().find(|l| l.starts_with(next))?;
        let (_, progress) = latest.split_once(" upgrade:")?;
        let (done, in_doubt) = match progress.strip_suffix('?') {
            Some(done) => (done, true),
            None => (progress, false),
        };
        Some(Partial {
            revision: (*next).to_owned(),
            done: done.parse().expect("a progress count"),
            in_doubt,
        })
    });
    let found = objects(db).await;
    let done = partial.as_ref().map_or(0, |p| p.done);
    let may_be_done = partial.as_ref().is_some_and(|p| p.in_doubt);
    assert!(
        found == retort_fault::expected_objects(applied, done)
            || (may_be_done && found == retort_fault::expected_objects(applied, done + 1)),
        "{context}: found {found:?} with heads {versions:?}, log {log:?}"
    );
    // A progress row that counts nothing and doubts nothing is no half-done revision.
    partial.filter(|p| p.done > 0 || p.in_doubt)
}
