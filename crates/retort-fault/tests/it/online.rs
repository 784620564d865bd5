//! The online-safe rewrites (`docs/online.md`) under SIGKILL, and the locks they take.
//!
//! R3 of the `online` history is `online_rewrite` of a check, a foreign key and a `SET NOT
//! NULL` on `f_two`, which holds rows: on PostgreSQL the constraints are added `NOT VALID`
//! and validated after a commit, and NOT NULL goes through a validated check. A run killed
//! before any of its statements must, run again, end with every constraint validated, the
//! column NOT NULL, the helper check gone and the rows there once; the downgrade takes all
//! of it back. On SQLite the same history is the plain form (rebuilds, no validation).

use std::time::{Duration, Instant};

use retort_fault::{R2, R3};
use retort_testkit::{db_test, TestDb, TestDialect};

use crate::support::{
    command, fast_commits, log, reset, run, text, upgrade_killed_at, versions, Paused,
};

const ONLINE: (&str, &str) = ("RETORT_FAULT_HISTORY", "online");

/// [`reset`], `f_two` first: its foreign key to `f_one` stops SQLite from dropping `f_one`.
async fn reset_online(db: &TestDb) {
    db.execute("DROP TABLE IF EXISTS f_two")
        .await
        .expect("drops f_two");
    reset(db).await;
}

/// How many statements a complete run of the online history sends.
async fn statements_of_a_run(db: &TestDb) -> usize {
    reset_online(db).await;
    let out = run(db, &["upgrade", "head"], &[ONLINE]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("DONE <steps> <statements>")
}

/// What R3 leaves on `f_two`: its rows, and on PostgreSQL each constraint with whether it is
/// validated, and whether `name` is NOT NULL.
async fn state(db: &TestDb) -> Vec<String> {
    let mut out = db
        .query_strings("SELECT CAST(id AS TEXT) || ':' || COALESCE(name, '-') || ':' || COALESCE(CAST(one_id AS TEXT), '-') FROM f_two ORDER BY id")
        .await
        .expect("reads f_two");
    if db.dialect() == TestDialect::Postgres {
        out.extend(
            db.query_strings(
                "SELECT conname || ' valid=' || CAST(convalidated AS TEXT) FROM pg_constraint \
                 WHERE conrelid = 'f_two'::regclass AND contype IN ('c', 'f') ORDER BY conname",
            )
            .await
            .expect("reads the constraints"),
        );
        out.extend(
            db.query_strings(
                "SELECT 'name not null=' || CAST(attnotnull AS TEXT) FROM pg_attribute \
                 WHERE attrelid = 'f_two'::regclass AND attname = 'name'",
            )
            .await
            .expect("reads the column"),
        );
    }
    out
}

fn upgraded(dialect: TestDialect) -> Vec<String> {
    let mut v = vec!["1:a:1".to_owned(), "2:b:1".to_owned()];
    if dialect == TestDialect::Postgres {
        v.extend([
            "ck_f_two_id_positive valid=true".to_owned(),
            "fk_f_two_one valid=true".to_owned(),
            "name not null=true".to_owned(),
        ]);
    }
    v
}

async fn assert_upgraded(db: &TestDb, context: &str) {
    assert_eq!(versions(db).await, vec![R3], "{context}");
    assert_eq!(state(db).await, upgraded(db.dialect()), "{context}");
    let upgrades = log(db)
        .await
        .into_iter()
        .filter(|l| l.ends_with(" upgrade"))
        .count();
    assert_eq!(upgrades, 3, "{context}: each revision recorded once");
}

async fn assert_downgraded(db: &TestDb, context: &str) {
    let out = run(db, &["downgrade", R2], &[ONLINE]);
    assert!(out.status.success(), "{context}: {}", text(&out.stderr));
    assert_eq!(versions(db).await, vec![R2], "{context}");
    // No rows, no one_id, no constraint but the primary key, `name` nullable again.
    let columns = match db.dialect() {
        TestDialect::Postgres => db
            .query_strings(
                "SELECT column_name || ' ' || is_nullable FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = 'f_two' ORDER BY ordinal_position",
            )
            .await
            .expect("reads the columns"),
        _ => db
            .query_strings("SELECT name || ' ' || CASE \"notnull\" WHEN 1 THEN 'NO' ELSE 'YES' END FROM pragma_table_info('f_two') ORDER BY cid")
            .await
            .expect("reads the columns"),
    };
    assert_eq!(columns, ["id NO", "name YES"], "{context}");
    assert_eq!(
        db.query_strings("SELECT CAST(COUNT(*) AS TEXT) FROM f_two")
            .await
            .expect("counts"),
        ["0"],
        "{context}"
    );
    if db.dialect() == TestDialect::Postgres {
        let constraints = db
            .query_strings(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'f_two'::regclass AND contype <> 'p'",
            )
            .await
            .expect("reads the constraints");
        assert!(constraints.is_empty(), "{context}: {constraints:?}");
    }
}

db_test!(
    online_rewrites_upgrade_and_downgrade,
    [postgres, sqlite],
    |db| {
        statements_of_a_run(&db).await;
        assert_upgraded(&db, "straight").await;
        if db.dialect() == TestDialect::Postgres {
            // The validations ran outside the revision's transaction: progress rows around them.
            let progress = log(&db)
                .await
                .into_iter()
                .filter(|l| l.starts_with(R3) && l.contains(" upgrade:"))
                .count();
            assert!(progress >= 3, "one progress row per commit point");
        }
        assert_downgraded(&db, "straight").await;
        Ok(())
    }
);

db_test!(
    online_rewrites_resume_after_a_kill_at_every_statement,
    [postgres, sqlite],
    |db| {
        fast_commits(&db).await;
        let points = statements_of_a_run(&db).await;
        for n in 1..=points {
            let context = format!("killed before statement {n} of {points}");
            reset_online(&db).await;
            assert!(
                upgrade_killed_at(&db, n, &[ONLINE]),
                "{context}: the run ended first"
            );
            let out = run(&db, &["upgrade", "head"], &[ONLINE]);
            assert!(out.status.success(), "{context}: {}", text(&out.stderr));
            assert_upgraded(&db, &context).await;
        }
        // The downgrade killed at every statement resumes too.
        reset_online(&db).await;
        statements_of_a_run(&db).await;
        let out = run(&db, &["downgrade", R2], &[ONLINE]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let down_points: usize = text(&out.stdout)
            .trim()
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("DONE <steps> <statements>");
        for n in 1..=down_points {
            let context = format!("downgrade killed before statement {n} of {down_points}");
            reset_online(&db).await;
            statements_of_a_run(&db).await;
            let n_text = n.to_string();
            let mut child = command(
                &db,
                &["downgrade", R2],
                &[ONLINE, ("RETORT_FAULT_PAUSE_AT", &n_text)],
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawns");
            let mut first = String::new();
            let mut byte = [0u8; 1];
            let stdout = child.stdout.as_mut().expect("piped");
            while std::io::Read::read(stdout, &mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
                first.push(byte[0] as char);
            }
            assert!(first.starts_with("PAUSE"), "{context}: {first}");
            child.kill().expect("SIGKILL");
            let _ = child.wait();
            assert_downgraded(&db, &context).await;
        }
        Ok(())
    }
);

// While the last `VALIDATE CONSTRAINT` runs, another session holds a write transaction open
// on `f_two` (ROW EXCLUSIVE): the validation, which takes SHARE UPDATE EXCLUSIVE, must not
// wait for it, and no stronger lock of the `ADD .. NOT VALID` may still be held by the run
// (it committed before validating). A plain `ADD CONSTRAINT` would wait here.
db_test!(
    online_validation_does_not_wait_for_writers,
    [postgres],
    |db| {
        let points = statements_of_a_run(&db).await;
        // The last VALIDATE of the run.
        let mut at = None;
        for n in (1..=points).rev() {
            reset_online(&db).await;
            let n_text = n.to_string();
            let cmd = command(
                &db,
                &["upgrade", "head"],
                &[ONLINE, ("RETORT_FAULT_PAUSE_AT", &n_text)],
            );
            let paused =
                Paused::start(cmd).unwrap_or_else(|out| panic!("no pause: {}", text(&out.stderr)));
            if paused.line.contains("VALIDATE CONSTRAINT") {
                at = Some(paused);
                break;
            }
            assert!(paused.resume().status.success());
        }
        let paused = at.expect("the run validates");
        // Paused before the VALIDATE: the run holds no lock on f_two.
        let held = db
        .query_strings(
            "SELECT mode FROM pg_locks WHERE relation = 'f_two'::regclass AND pid <> pg_backend_pid()",
        )
        .await
        .expect("reads pg_locks");
        assert!(held.is_empty(), "the ADD's lock is still held: {held:?}");
        // A writer with an open transaction.
        let mut writer = db.pg_pool().begin().await.expect("begins");
        sqlx::query("INSERT INTO f_two (id, name, one_id) VALUES (3, 'c', 1)")
            .execute(&mut *writer)
            .await
            .expect("writes");
        let run = std::thread::spawn(move || paused.resume());
        let start = Instant::now();
        let mut seen = Vec::new();
        while !run.is_finished() && start.elapsed() < Duration::from_secs(20) {
            for m in db
                .query_strings(
                    "SELECT mode || ' granted=' || CAST(granted AS TEXT) FROM pg_locks \
                 WHERE relation = 'f_two'::regclass AND pid <> pg_backend_pid()",
                )
                .await
                .expect("reads pg_locks")
            {
                if !seen.contains(&m) {
                    seen.push(m);
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let finished = run.is_finished();
        writer.rollback().await.expect("rolls back");
        let out = run.join().expect("joins");
        assert!(
            finished,
            "the run waited for the writer's ROW EXCLUSIVE lock; locks seen on f_two: {seen:?}"
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            seen.iter().all(|m| m.ends_with("granted=true")),
            "a lock on f_two was waited for: {seen:?}"
        );
        assert_upgraded(&db, "validated beside a writer").await;
        Ok(())
    }
);
