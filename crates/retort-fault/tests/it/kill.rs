//! SIGKILL before each statement of a three-revision upgrade in turn, in both modes.

use retort_fault::R3;
use retort_testkit::db_test;

use crate::support::{
    assert_consistent, objects, repeat, reset, run, text, upgrade_killed_at, versions,
};

async fn kill_at_every_point(db: &retort_testkit::TestDb, mode: &str) {
    let env = [("RETORT_FAULT_MODE", mode)];
    let mut points = 0;
    for n in 1.. {
        reset(db).await;
        let killed = upgrade_killed_at(db, n, &env);
        let context = format!("{mode}, killed before statement {n}");
        assert_consistent(db, &context).await;
        if !killed {
            break;
        }
        points += 1;
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
    // Every statement of the run (BEGIN, DDL, bookkeeping, COMMIT) was a kill point.
    assert!(points >= 15, "only {points} kill points");
}

db_test!(sigkill_at_every_statement_per_revision, |db| {
    for _ in 0..repeat() {
        kill_at_every_point(&db, "per-revision").await;
    }
    Ok(())
});

db_test!(sigkill_at_every_statement_all_in_one, |db| {
    for _ in 0..repeat() {
        kill_at_every_point(&db, "all").await;
    }
    Ok(())
});
