//! A lock held by another session: the run waits its timeout, then fails naming the holder;
//! a lock whose session ends under a run: the run commits nothing more and says so.

use std::time::{Duration, Instant};

use retort_fault::{history, Variant, R3};
use retort_migrate::driver::Driver;
use retort_migrate::{AnyDriver, DatabaseUrl, Migrator};
use retort_testkit::{db_test, TestDialect};

use crate::support::{
    assert_consistent, assert_recorded, command, objects, repeat, reset, run, text,
    upgrade_killed_at, versions, Paused,
};

db_test!(
    a_held_lock_times_out_naming_the_holder,
    [postgres, sqlite, mysql],
    |db| {
        let migrator = Migrator::new(history(Variant::Good))?;
        let url = DatabaseUrl::parse(db.url())?;
        for round in 0..repeat() {
            let mut holder = AnyDriver::connect(&url).await?;
            let key = migrator.lock_key(&mut holder).await?;
            holder.lock(&key).await?;
            let started = Instant::now();
            let out = run(
                &db,
                &["upgrade", "head"],
                &[("RETORT_FAULT_LOCK_TIMEOUT_MS", "600")],
            );
            let waited = started.elapsed();
            let stderr = text(&out.stderr);
            assert!(
                !out.status.success(),
                "round {round}: ran under a held lock"
            );
            assert!(
                waited >= Duration::from_millis(600),
                "gave up after {waited:?}"
            );
            assert!(waited < Duration::from_secs(20), "waited {waited:?}");
            assert!(
                stderr.contains("another run holds the migration lock"),
                "{stderr}"
            );
            assert!(
                stderr.contains("pid ") && stderr.contains("since "),
                "{stderr}"
            );
            if db.dialect() == TestDialect::Mysql {
                // MariaDB names no application: the holder is the connection holding the
                // `GET_LOCK`, this test's own session on this database, by its id.
                let name = retort_migrate::driver::mysql::lock_name(&key);
                let id = db
                    .query_strings(&format!("SELECT CAST(IS_USED_LOCK('{name}') AS CHAR)"))
                    .await?;
                assert!(stderr.contains(&format!("pid {}", id[0])), "{stderr}");
                assert!(stderr.contains("user "), "{stderr}");
            } else {
                // The holder is this test process's session: `retort-<pid>`, with pid and time.
                let me = format!("retort-{}", std::process::id());
                assert!(stderr.contains(&me), "{stderr}");
            }
            assert_eq!(objects(&db).await, Vec::<String>::new(), "nothing ran");
            holder.close().await?;

            // Released: the same run now completes.
            let out = run(
                &db,
                &["upgrade", "head"],
                &[("RETORT_FAULT_LOCK_TIMEOUT_MS", "5000")],
            );
            assert!(out.status.success(), "{}", text(&out.stderr));
            assert_eq!(versions(&db).await, vec![R3]);
            crate::support::reset(&db).await;
        }
        Ok(())
    }
);

db_test!(
    a_killed_holder_frees_the_lock,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            crate::support::reset(&db).await;
            // Killed while holding the lock (it takes it before its first statement).
            assert!(upgrade_killed_at(&db, 1, &[]));
            let started = Instant::now();
            let out = run(
                &db,
                &["upgrade", "head"],
                &[("RETORT_FAULT_LOCK_TIMEOUT_MS", "5000")],
            );
            assert!(out.status.success(), "{}", text(&out.stderr));
            assert!(started.elapsed() < Duration::from_secs(5));
            assert_eq!(versions(&db).await, vec![R3]);
        }
        Ok(())
    }
);

// SQLite's lock is a file lock held by the process itself: nothing outside the process can
// end it while the process lives, so there is no lost lock to test there.
db_test!(a_lost_lock_commits_nothing_more, [postgres, mysql], |db| {
    for mode in ["per-revision", "all"] {
        lost_lock_at_every_statement(&db, mode).await;
    }
    Ok(())
});

/// Ends the lock session of a run paused before each of its statements in turn.
async fn lost_lock_at_every_statement(db: &retort_testkit::TestDb, mode: &str) {
    let mode_env = ("RETORT_FAULT_MODE", mode);
    // How many statements a whole run sends, to pause before each of them in turn.
    reset(db).await;
    let out = run(db, &["upgrade", "head"], &[mode_env]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let total: usize = text(&out.stdout)
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("DONE <steps> <statements>");
    let mut lost = 0;
    let mut previous = String::new();
    for n in 1..=total {
        let context = format!("{mode}: paused before statement {n}");
        reset(db).await;
        let n_text = n.to_string();
        let a = command(
            db,
            &["upgrade", "head"],
            &[("RETORT_FAULT_PAUSE_AT", &n_text), mode_env],
        );
        let paused = Paused::start(a)
            .unwrap_or_else(|out| panic!("{context}: did not pause: {}", text(&out.stderr)));
        // The lock is checked just before a COMMIT, a statement that runs outside a
        // transaction and the progress row after it, so a pause at one of those falls
        // after the check: that instant is the version table's compare-and-set's to cover
        // (`race`), not this test's.
        let sql = paused
            .line
            .splitn(3, ' ')
            .nth(2)
            .unwrap_or_default()
            .to_owned();
        // MariaDB: a migration statement commits itself, so the lock is checked just
        // before it; a pause at it falls after that check.
        let mysql = db.dialect() == TestDialect::Mysql;
        let migration_statement = ["f_one", "f_two", "f_three"]
            .iter()
            .any(|t| sql.contains(t));
        let after_check = sql == "COMMIT"
            || sql.contains("CONCURRENTLY")
            || previous.contains("CONCURRENTLY")
            || (mysql && migration_statement);
        previous = sql;
        if after_check {
            assert!(paused.resume().status.success(), "{context}");
            continue;
        }
        let versions_before = versions(db).await;
        let log_before = crate::support::log(db).await;
        let objects_before = objects(db).await;
        // End the run's lock session, as an administrator, a proxy or idle_session_timeout would.
        end_lock_session(db, &context).await;
        let out = paused.resume();
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{context}: went on without its lock");
        assert!(
            stderr.contains("migration lock") && stderr.contains("was lost"),
            "{context}: {stderr}"
        );
        assert_eq!(versions(db).await, versions_before, "{context}: {stderr}");
        assert_eq!(objects(db).await, objects_before, "{context}: {stderr}");
        let log_after = crate::support::log(db).await;
        if mysql && log_after.len() == log_before.len() + 1 {
            // A statement that ran before the lock was lost commits itself, and its
            // progress row with it (the session autocommits after DDL): a record of what
            // is done, never new work, which the objects above prove.
            let (extra, kept) = log_after.split_last().expect("a row");
            assert_eq!(kept, &log_before[..], "{context}: {stderr}");
            let (revision, progress) = extra.split_once(" upgrade:").expect("a progress row");
            let in_doubt = format!(
                "{revision} upgrade:{}?",
                progress.parse::<usize>().expect("N done") - 1
            );
            assert_eq!(log_before.last(), Some(&in_doubt), "{context}: {stderr}");
        } else {
            assert_eq!(log_after, log_before, "{context}: {stderr}");
        }
        // The next run takes the lock and finishes (on MariaDB, a revision the lost lock
        // stopped half-way is recorded so, and finished with --resume).
        let resume = if mysql {
            assert_recorded(db, &context).await.is_some()
        } else {
            assert_consistent(db, &context).await;
            false
        };
        lost += 1;
        let args: &[&str] = if resume {
            &["upgrade", "head", "--resume"]
        } else {
            &["upgrade", "head"]
        };
        let out = run(db, args, &[mode_env]);
        assert!(out.status.success(), "{context}: {}", text(&out.stderr));
        assert_eq!(versions(db).await, vec![R3], "{context}");
    }
    assert!(
        lost > total / 2,
        "{mode}: {lost} of {total} pause points exercised"
    );
}

/// Ends the session holding the run's migration lock, as a database administrator would.
async fn end_lock_session(db: &retort_testkit::TestDb, context: &str) {
    if db.dialect() == TestDialect::Mysql {
        let migrator = Migrator::new(history(Variant::Good)).expect("graph");
        let url = DatabaseUrl::parse(db.url()).expect("URL");
        let mut d = AnyDriver::connect(&url).await.expect("connects");
        let key = migrator.lock_key(&mut d).await.expect("lock key");
        d.close().await.expect("closes");
        let name = retort_migrate::driver::mysql::lock_name(&key);
        let id = db
            .query_strings(&format!("SELECT CAST(IS_USED_LOCK('{name}') AS CHAR)"))
            .await
            .expect("finds the lock session");
        assert_eq!(id.len(), 1, "{context}: one lock session to end");
        db.execute(&format!("KILL {}", id[0]))
            .await
            .expect("ends the lock session");
        return;
    }
    let ended = db
        .query_strings(
            "SELECT CAST(pg_terminate_backend(pid) AS TEXT) FROM pg_catalog.pg_locks \
             WHERE locktype = 'advisory' AND granted AND database = \
             (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())",
        )
        .await
        .expect("ends the lock session");
    assert_eq!(ended, ["true"], "{context}: one lock session to end");
}
