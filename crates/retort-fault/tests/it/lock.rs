//! A lock held by another session: the run waits its timeout, then fails naming the holder.

use std::time::{Duration, Instant};

use retort_fault::{history, Variant, R3};
use retort_migrate::driver::Driver;
use retort_migrate::{AnyDriver, DatabaseUrl, Migrator};
use retort_testkit::db_test;

use crate::support::{objects, repeat, run, text, upgrade_killed_at, versions};

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
