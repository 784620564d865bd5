//! A column type change by add-copy-swap (`docs/online.md`) killed mid-backfill.
//!
//! R3 of the `swap` history fills `f_two` with `SWAP_ROWS` rows and changes `qty` from
//! integer to bigint (`qty * 10`), the backfill in batches of `SWAP_BATCH`. The run is
//! killed (the process SIGKILLed, its backend terminated) once some batches have committed;
//! writes then land on the table (the trigger must keep the copy in step); the next run must
//! resume after the last committed batch (rows copied before the kill are not written
//! again), and end with every row there once, converted, the column NOT NULL with its
//! default, and nothing of the swap left behind. The downgrade swaps back.

use std::time::{Duration, Instant};

use retort_fault::{R2, R3, SWAP_BATCH, SWAP_ROWS};
use retort_testkit::{db_test, TestDb};

use crate::support::{command, fast_commits, reset, run, text, versions};

const SWAP: (&str, &str) = ("RETORT_FAULT_HISTORY", "swap");
const PROGRESS: &str = "f_two_qty__retort_backfill";

async fn one(db: &TestDb, sql: &str) -> String {
    db.query_strings(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The last key the backfill committed, if its progress table exists.
async fn progress(db: &TestDb) -> Option<i64> {
    let exists = one(
        db,
        &format!("SELECT CAST(to_regclass('{PROGRESS}') IS NOT NULL AS TEXT)"),
    )
    .await;
    if exists != "true" {
        return None;
    }
    db.query_strings(&format!("SELECT last_key FROM {PROGRESS}"))
        .await
        .ok()?
        .into_iter()
        .next()?
        .parse()
        .ok()
}

/// What the swap leaves: `qty`'s type, nullability and default, and what is left of the
/// swap's machinery (copy or old columns, trigger, function, progress table, helper check).
async fn column(db: &TestDb) -> Vec<String> {
    let mut out = db
        .query_strings(
            "SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '-') \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'f_two' \
             AND column_name LIKE 'qty%' ORDER BY column_name",
        )
        .await
        .expect("reads the columns");
    out.extend(
        db.query_strings(
            "SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = 'f_two'::regclass AND NOT tgisinternal \
             UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE proname LIKE '%retort_sync' \
             UNION ALL SELECT 'table ' || relname FROM pg_class WHERE relname LIKE '%retort_backfill' \
             UNION ALL SELECT 'check ' || conname FROM pg_constraint WHERE conrelid = 'f_two'::regclass AND contype = 'c'",
        )
        .await
        .expect("reads the leftovers"),
    );
    out
}

db_test!(
    swap_killed_mid_backfill_resumes_after_the_last_batch,
    [postgres],
    |db| {
        fast_commits(&db).await;
        db.execute("DROP TABLE IF EXISTS f_two")
            .await
            .expect("drops f_two");
        reset(&db).await;
        let out = run(&db, &["upgrade", R2], &[SWAP]);
        assert!(out.status.success(), "{}", text(&out.stderr));

        let mut child = command(&db, &["upgrade", "head"], &[SWAP])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        // Wait for some batches to commit, well before the end.
        let start = Instant::now();
        let killed_at = loop {
            if let Some(k) = progress(&db).await {
                if k >= 10 * i64::from(SWAP_BATCH) {
                    break k;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no backfill progress in 60 s"
            );
            assert!(
                child.try_wait().expect("polls").is_none(),
                "the run ended before the kill"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        // The server would finish the DO block for a dead client: end its session as a crash would.
        db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'DO $retort$%'",
    )
    .await
    .expect("terminates the backfill");
        tokio::time::sleep(Duration::from_millis(200)).await;
        let after_kill = progress(&db)
            .await
            .expect("the progress table survives the kill");
        assert!(
            after_kill >= killed_at,
            "progress went back: {after_kill} < {killed_at}"
        );
        assert!(
            after_kill < SWAP_ROWS as i64,
            "the backfill finished before the kill ({after_kill}): not a mid-backfill kill"
        );
        assert_eq!(
            versions(&db).await,
            vec![R2],
            "R3 is not recorded as applied"
        );
        // Rows copied before the kill: their row version must survive the resume.
        let xmin_before = one(&db, "SELECT CAST(xmin AS TEXT) FROM f_two WHERE id = 1").await;
        // Writes between the kill and the resume: the trigger keeps the copy in step.
        db.execute("UPDATE f_two SET qty = 7 WHERE id = 2")
            .await
            .expect("updates a copied row");
        db.execute(&format!("UPDATE f_two SET qty = 8 WHERE id = {SWAP_ROWS}"))
            .await
            .expect("updates a row not yet copied");
        db.execute(&format!(
            "INSERT INTO f_two (id, name, qty) VALUES ({}, 'new', 5)",
            SWAP_ROWS + 1
        ))
        .await
        .expect("inserts");

        let out = run(&db, &["upgrade", "head"], &[SWAP]);
        assert!(out.status.success(), "resume: {}", text(&out.stderr));
        assert_eq!(versions(&db).await, vec![R3]);
        assert_eq!(
            one(&db, "SELECT CAST(xmin AS TEXT) FROM f_two WHERE id = 1").await,
            xmin_before,
            "a row copied before the kill was copied again: the backfill started over"
        );
        assert_eq!(
            column(&db).await,
            ["qty bigint NO 0"],
            "qty is bigint, NOT NULL, default 0, and nothing of the swap is left"
        );
        let wrong = one(
            &db,
            &format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM f_two WHERE qty IS DISTINCT FROM CASE id \
             WHEN 2 THEN 70 WHEN {SWAP_ROWS} THEN 80 WHEN {} THEN 50 ELSE id * 10 END",
                SWAP_ROWS + 1
            ),
        )
        .await;
        assert_eq!(wrong, "0", "rows not converted");
        assert_eq!(
            one(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM f_two").await,
            (SWAP_ROWS + 1).to_string(),
            "no row lost or doubled"
        );
        // A new row takes the default, in the new type.
        db.execute(&format!(
            "INSERT INTO f_two (id, name) VALUES ({}, 'd')",
            SWAP_ROWS + 2
        ))
        .await
        .expect("inserts with the default");

        // The downgrade is the swap back.
        let out = run(&db, &["downgrade", R2], &[SWAP]);
        assert!(out.status.success(), "downgrade: {}", text(&out.stderr));
        assert_eq!(versions(&db).await, vec![R2]);
        Ok(())
    }
);

db_test!(swap_upgrade_and_downgrade_round_trip, [postgres], |db| {
    fast_commits(&db).await;
    db.execute("DROP TABLE IF EXISTS f_two")
        .await
        .expect("drops f_two");
    reset(&db).await;
    let out = run(&db, &["upgrade", "head"], &[SWAP]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(column(&db).await, ["qty bigint NO 0"]);
    let progress_rows = crate::support::log(&db)
        .await
        .into_iter()
        .filter(|l| l.starts_with(R3) && l.contains(" upgrade:"))
        .count();
    assert!(
        progress_rows >= 2,
        "the backfill ran outside the transaction"
    );
    // Back to integer, values divided by ten, through the swap back (the reverse ops).
    let out = run(&db, &["downgrade", R2], &[SWAP]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(versions(&db).await, vec![R2]);
    Ok(())
});
