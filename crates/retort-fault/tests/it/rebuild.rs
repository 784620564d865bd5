//! SIGKILL before each statement of a history whose last revision rebuilds a SQLite table
//! that raw SQL gave a column (with rows), an index, a trigger and a view: at every point
//! the database holds either the table before the rebuild or after it, each with all of
//! them, and the next run completes with nothing lost.

use retort_fault::{R2, R3};
use retort_testkit::{db_test, TestDb};

use crate::support::{reset, run, text, upgrade_killed_at, versions};

async fn strings(db: &TestDb, sql: &str) -> Vec<String> {
    db.query_strings(sql).await.expect(sql)
}

/// Everything revision R2 made is there, with `qty` of type `qty_type`.
async fn all_there(db: &TestDb, qty_type: &str, context: &str) {
    assert_eq!(
        strings(
            db,
            "SELECT type FROM pragma_table_info('f_rb') WHERE name = 'qty'"
        )
        .await,
        vec![qty_type],
        "{context}"
    );
    assert_eq!(
        strings(db, "SELECT legacy FROM f_rb_view ORDER BY id").await,
        vec!["keep 1", "keep 2"],
        "{context}: the raw column's rows, through the view"
    );
    assert_eq!(
        strings(
            db,
            "SELECT type || ' ' || name FROM sqlite_schema \
             WHERE name IN ('ix_f_rb_legacy', 'f_rb_audit', 'f_rb_view') ORDER BY name"
        )
        .await,
        vec![
            "trigger f_rb_audit",
            "view f_rb_view",
            "index ix_f_rb_legacy"
        ],
        "{context}"
    );
}

async fn after_a_kill(db: &TestDb, context: &str) {
    let applied = versions(db).await;
    match applied.last().map(String::as_str) {
        Some(R3) => all_there(db, "BIGINT", context).await,
        Some(R2) => all_there(db, "INTEGER", context).await,
        // R2 is one transaction: before it commits, none of it is there.
        _ => assert!(
            strings(
                db,
                "SELECT name FROM sqlite_schema WHERE name LIKE 'f\\_rb%' ESCAPE '\\'"
            )
            .await
            .is_empty(),
            "{context}: {applied:?}"
        ),
    }
}

// SQLite only: the table rebuild is SQLite's way to alter; PostgreSQL and MySQL alter in
// place (and MySQL's kill points are `kill::*::mysql`'s).
db_test!(
    sigkill_at_every_statement_of_a_live_rebuild_loses_nothing,
    [sqlite],
    |db| {
        for mode in ["per-revision", "all"] {
            let env = [
                ("RETORT_FAULT_HISTORY", "sqlite-rebuild"),
                ("RETORT_FAULT_MODE", mode),
            ];
            reset(&db).await;
            let out = run(&db, &["upgrade", "head"], &env);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let points: usize = text(&out.stdout)
                .trim()
                .rsplit(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("DONE <steps> <statements>");
            all_there(&db, "BIGINT", mode).await;
            for n in 1..=points {
                let context = format!("{mode}, killed before statement {n} of {points}");
                reset(&db).await;
                assert!(upgrade_killed_at(&db, n, &env), "{context}: ran to the end");
                after_a_kill(&db, &context).await;
                let out = run(&db, &["upgrade", "head"], &env);
                assert!(out.status.success(), "{context}: {}", text(&out.stderr));
                assert_eq!(versions(&db).await, vec![R3], "{context}");
                all_there(&db, "BIGINT", &context).await;
            }
        }
        // And the trigger still fires on the rebuilt table.
        db.execute("INSERT INTO f_rb (id, qty) VALUES (3, 1)")
            .await?;
        assert_eq!(
            strings(&db, "SELECT msg FROM f_rb_log").await,
            vec!["inserted 3"]
        );
        Ok(())
    }
);
