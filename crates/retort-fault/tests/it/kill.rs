//! SIGKILL before each statement of a three-revision upgrade in turn, in both modes.
//!
//! A full run sends about 25 statements, each a kill point needing two processes and a
//! consistency check, so the points are shared out over four databases checked in
//! parallel (the work is latency-bound, not CPU-bound).

use retort_fault::R3;
use retort_testkit::{db_test, TestDb};

use crate::support::{
    assert_consistent, fast_commits, objects, repeat, reset, run, text, upgrade_killed_at, versions,
};

const WORKERS: usize = 4;

/// How many statements a complete run sends (each one a kill point).
async fn statements_of_a_run(db: &TestDb, env: &[(&str, &str)]) -> usize {
    reset(db).await;
    let out = run(db, &["upgrade", "head"], env);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    stdout
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("DONE <steps> <statements>: {stdout}"))
}

async fn kill_at(db: &TestDb, n: usize, mode: &str) {
    let env = [("RETORT_FAULT_MODE", mode)];
    reset(db).await;
    let context = format!("{mode}, killed before statement {n}");
    assert!(
        upgrade_killed_at(db, n, &env),
        "{context}: the run ended first"
    );
    assert_consistent(db, &context).await;
    // The next run completes from wherever the killed one stopped.
    let out = run(db, &["upgrade", "head"], &env);
    assert!(out.status.success(), "{context}: {}", text(&out.stderr));
    assert_eq!(versions(db).await, vec![R3], "{context}");
    assert_eq!(
        objects(db).await,
        retort_fault::expected_objects(3, 0),
        "{context}"
    );
    assert_consistent(db, &context).await;
}

async fn kill_at_every_point(db: &TestDb, mode: &'static str) {
    fast_commits(db).await;
    let points = statements_of_a_run(db, &[("RETORT_FAULT_MODE", mode)]).await;
    // Every statement (BEGIN, DDL, bookkeeping, COMMIT) is a kill point.
    assert!(points >= 15, "only {points} statements in a run");
    let dialect = db.dialect();
    let name = db.name().to_owned();
    std::thread::scope(|s| {
        for w in 0..WORKERS {
            let name = &name;
            s.spawn(move || {
                retort_testkit::block_on(async move {
                    let db = TestDb::new(dialect, &format!("{name}_w{w}")).await;
                    fast_commits(&db).await;
                    for _ in 0..repeat() {
                        for n in (1..=points).filter(|n| n % WORKERS == w) {
                            kill_at(&db, n, mode).await;
                        }
                    }
                    db.close().await.expect("drops the worker database");
                })
            });
        }
    });
    // Past the last statement there is nothing to kill: the run completes.
    reset(db).await;
    assert!(!upgrade_killed_at(
        db,
        points + 1,
        &[("RETORT_FAULT_MODE", mode)]
    ));
    assert_consistent(db, "unkilled").await;
}

db_test!(sigkill_at_every_statement_per_revision, |db| {
    kill_at_every_point(&db, "per-revision").await;
    Ok(())
});

db_test!(sigkill_at_every_statement_all_in_one, |db| {
    kill_at_every_point(&db, "all").await;
    Ok(())
});
