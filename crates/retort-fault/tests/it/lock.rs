//! A lock held by another session: the run waits its timeout, then fails naming the holder;
//! a lock whose session ends under a run: the run commits nothing more and says so.

use std::time::{Duration, Instant};

use retort_fault::{history, Variant, R3};
use retort_migrate::driver::Driver;
use retort_migrate::{AnyDriver, DatabaseUrl, Migrator};
use retort_testkit::db_test;

use crate::support::{
    assert_consistent, command, objects, repeat, reset, run, text, upgrade_killed_at, versions,
    Paused,
};

db_test!(a_held_lock_times_out_naming_the_holder, |db| {
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
        // The holder is this test process's session: `retort-<pid>`, with pid and time.
        let me = format!("retort-{}", std::process::id());
        assert!(stderr.contains(&me), "{stderr}");
        assert!(
            stderr.contains("pid ") && stderr.contains("since "),
            "{stderr}"
        );
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
});

db_test!(a_killed_holder_frees_the_lock, |db| {
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
});

db_test!(a_lost_lock_commits_nothing_more, [postgres], |db| {
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
        let after_check =
            sql == "COMMIT" || sql.contains("CONCURRENTLY") || previous.contains("CONCURRENTLY");
        previous = sql;
        if after_check {
            assert!(paused.resume().status.success(), "{context}");
            continue;
        }
        let versions_before = versions(db).await;
        let log_before = crate::support::log(db).await;
        // End the run's lock session, as an administrator, a proxy or idle_session_timeout would.
        let ended = db
            .query_strings(
                "SELECT CAST(pg_terminate_backend(pid) AS TEXT) FROM pg_catalog.pg_locks \
                 WHERE locktype = 'advisory' AND granted AND database = \
                 (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())",
            )
            .await
            .expect("ends the lock session");
        assert_eq!(ended, ["true"], "{context}: one lock session to end");
        let out = paused.resume();
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{context}: went on without its lock");
        assert!(
            stderr.contains("migration lock") && stderr.contains("was lost"),
            "{context}: {stderr}"
        );
        assert_eq!(versions(db).await, versions_before, "{context}: {stderr}");
        assert_eq!(
            crate::support::log(db).await,
            log_before,
            "{context}: {stderr}"
        );
        assert_consistent(db, &context).await;
        lost += 1;
        // The next run takes the lock and finishes.
        let out = run(db, &["upgrade", "head"], &[]);
        assert!(out.status.success(), "{context}: {}", text(&out.stderr));
        assert_eq!(versions(db).await, vec![R3], "{context}");
    }
    assert!(
        lost > total / 2,
        "{mode}: {lost} of {total} pause points exercised"
    );
}
