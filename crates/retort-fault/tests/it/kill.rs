//! SIGKILL before each statement of a three-revision upgrade in turn, in both modes.
//!
//! PostgreSQL and SQLite: every kill point leaves one of the applied states (a revision is
//! one transaction, or resumes by itself after a statement outside one). MariaDB/MySQL
//! commit every DDL statement on their own, so a kill can leave a revision half-applied;
//! there the contract is that it is *recorded*: the log's progress rows say how many of
//! its statements are done (and which one was under way, when a kill fell between a
//! statement and its progress row), the next run refuses naming the statement, and
//! `--resume` finishes it with the schema a straight upgrade gives (`kill_at_mysql`).
//!
//! A full run sends about 25 statements, each a kill point needing two processes and a
//! consistency check, so the points are shared out over four databases checked in
//! parallel (the work is latency-bound, not CPU-bound).

use retort_fault::{R1, R2, R3};
use retort_testkit::{db_test, TestDb, TestDialect};

use crate::support::{
    assert_consistent, assert_recorded, fast_commits, log, objects, repeat, reset, run, text,
    upgrade_killed_at, versions,
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

/// MariaDB/MySQL: killed before statement `n`, the database holds an applied state or a
/// recorded partial one; the next plain run refuses naming the statement, `--resume`
/// reaches head, and the schema and rows equal a straight upgrade's (`straight`).
/// Returns whether the kill left a statement in doubt (between it and its progress row).
async fn kill_at_mysql(db: &TestDb, n: usize, mode: &str, straight: &[String]) -> bool {
    let env = [("RETORT_FAULT_MODE", mode)];
    reset(db).await;
    let context = format!("{mode}, killed before statement {n}");
    assert!(
        upgrade_killed_at(db, n, &env),
        "{context}: the run ended first"
    );
    let partial = assert_recorded(db, &context).await;
    let in_doubt = partial.as_ref().is_some_and(|p| p.in_doubt);
    let out = run(db, &["upgrade", "head"], &env);
    let stderr = text(&out.stderr);
    match partial {
        None => assert!(out.status.success(), "{context}: {stderr}"),
        Some(p) => {
            // Refused, naming the revision, the statement and the way on; nothing changed.
            assert!(!out.status.success(), "{context}: went on by itself");
            // The statement it stopped before, or that every statement ran.
            let statement = format!("statement {}", p.done + 1);
            assert!(
                stderr.contains(&p.revision)
                    && (stderr.contains(&statement)
                        || stderr.contains("all of its statements ran"))
                    && stderr.contains("--resume"),
                "{context}: {stderr}"
            );
            if p.in_doubt {
                assert!(stderr.contains("may have run"), "{context}: {stderr}");
            }
            assert_eq!(assert_recorded(db, &context).await, Some(p), "{context}");
            let out = run(db, &["upgrade", "head", "--resume"], &env);
            assert!(
                out.status.success(),
                "{context}: --resume failed: {}",
                text(&out.stderr)
            );
        }
    }
    assert_eq!(versions(db).await, vec![R3], "{context}");
    assert_eq!(
        objects(db).await,
        retort_fault::expected_objects(3, 0),
        "{context}"
    );
    assert_eq!(
        db.mysql_schema().await.expect("reads the schema"),
        straight,
        "{context}: the schema differs from a straight upgrade's"
    );
    // No statement ran twice: each INSERT's row is there once.
    for table in ["f_one", "f_three"] {
        let rows = db
            .query_strings(&format!("SELECT CAST(COUNT(*) AS CHAR) FROM {table}"))
            .await
            .expect("counts");
        assert_eq!(rows, ["1"], "{context}: rows of {table}");
    }
    let upgrades: Vec<String> = log(db)
        .await
        .into_iter()
        .filter(|l| l.ends_with(" upgrade"))
        .collect();
    assert_eq!(
        upgrades,
        [R1, R2, R3].map(|r| format!("{r} upgrade")).to_vec(),
        "{context}"
    );
    assert_eq!(assert_recorded(db, &context).await, None, "{context}");
    in_doubt
}

async fn kill_at_every_point(db: &TestDb, mode: &'static str) {
    fast_commits(db).await;
    let points = statements_of_a_run(db, &[("RETORT_FAULT_MODE", mode)]).await;
    let mysql = db.dialect() == TestDialect::Mysql;
    // Every statement (BEGIN, DDL, bookkeeping, COMMIT) is a kill point.
    assert!(points >= 15, "only {points} statements in a run");
    let dialect = db.dialect();
    let name = db.name().to_owned();
    let in_doubt = std::sync::atomic::AtomicUsize::new(0);
    // MariaDB's DDL is slow (each statement commits and syncs), and every kill point there
    // is two runs and a schema read: a quarter of the rounds (5 under CI) keeps both modes
    // to about four minutes of the CI run; every point is still killed in each round.
    let rounds = if mysql {
        (repeat() / 4).max(1)
    } else {
        repeat()
    };
    std::thread::scope(|s| {
        for w in 0..WORKERS {
            let name = &name;
            let in_doubt = &in_doubt;
            s.spawn(move || {
                retort_testkit::block_on(async move {
                    let db = TestDb::new(dialect, &format!("{name}_w{w}")).await;
                    fast_commits(&db).await;
                    // The schema a straight upgrade gives, for MariaDB's resumed runs.
                    let straight = if mysql {
                        statements_of_a_run(&db, &[("RETORT_FAULT_MODE", mode)]).await;
                        db.mysql_schema().await.expect("reads the schema")
                    } else {
                        Vec::new()
                    };
                    for _ in 0..rounds {
                        for n in (1..=points).filter(|n| n % WORKERS == w) {
                            if mysql {
                                if kill_at_mysql(&db, n, mode, &straight).await {
                                    in_doubt.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                }
                            } else {
                                kill_at(&db, n, mode).await;
                            }
                        }
                    }
                    db.close().await.expect("drops the worker database");
                })
            });
        }
    });
    if mysql {
        // The window between each DDL statement (f_one, f_two, its index, f_two_b,
        // f_three) and its progress row was hit, and resumed through the catalog.
        assert!(
            in_doubt.into_inner() >= 5 * rounds,
            "too few kill points fell between a statement and its progress row"
        );
    }
    // Past the last statement there is nothing to kill: the run completes.
    reset(db).await;
    assert!(!upgrade_killed_at(
        db,
        points + 1,
        &[("RETORT_FAULT_MODE", mode)]
    ));
    if mysql {
        assert_eq!(assert_recorded(db, "unkilled").await, None);
    } else {
        assert_consistent(db, "unkilled").await;
    }
}

db_test!(
    sigkill_at_every_statement_per_revision,
    [postgres, sqlite, mysql],
    |db| {
        kill_at_every_point(&db, "per-revision").await;
        Ok(())
    }
);

db_test!(
    sigkill_at_every_statement_all_in_one,
    [postgres, sqlite, mysql],
    |db| {
        kill_at_every_point(&db, "all").await;
        Ok(())
    }
);
