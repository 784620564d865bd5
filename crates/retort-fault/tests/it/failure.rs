//! A revision failing half-way, under each transaction mode, and interrupted concurrent
//! index builds: what survives is exactly what the mode promises.

use retort_fault::{expected_objects, R1, R2, R3};
use retort_testkit::{db_test, TestDialect};

use crate::support::{
    assert_consistent, assert_recorded, log, objects, repeat, reset, run, text, versions, Partial,
};

fn fails(db: &retort_testkit::TestDb, env: &[(&str, &str)]) -> String {
    let out = run(db, &["upgrade", "head"], env);
    assert!(!out.status.success(), "expected a failure");
    text(&out.stderr)
}

db_test!(
    last_revision_fails_per_revision,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            reset(&db).await;
            let err = fails(&db, &[("RETORT_FAULT_HISTORY", "fail-last")]);
            if db.dialect() == TestDialect::Mysql {
                mysql_fails_half_way(&db, &err).await?;
                continue;
            }
            assert!(
                err.contains("revision f00003 (versions/f00003_three.rs)"),
                "{err}"
            );
            assert!(
                err.contains("statement 2 of 2") && err.contains("INSERT INTO no_such_table"),
                "{err}"
            );
            // R1 and R2 committed, R3 rolled back whole.
            assert_eq!(versions(&db).await, vec![R2]);
            assert_eq!(objects(&db).await, expected_objects(2, 0));
            assert_consistent(&db, "fail-last, per revision").await;
        }
        Ok(())
    }
);

db_test!(
    last_revision_fails_all_in_one,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            reset(&db).await;
            let env = [
                ("RETORT_FAULT_HISTORY", "fail-last"),
                ("RETORT_FAULT_MODE", "all"),
            ];
            let err = fails(&db, &env);
            assert!(
                err.contains("f00003") && err.contains("INSERT INTO no_such_table"),
                "{err}"
            );
            match db.dialect() {
                TestDialect::Postgres => {
                    // R2's concurrent index forced a commit: R1 and R2's first two statements
                    // stay (recorded as progress); the rest was rolled back, and the error says so.
                    assert!(err.contains("forced a commit"), "{err}");
                    assert!(
                        err.contains("upgrade f00001 (versions/f00001_one.rs) stay committed"),
                        "{err}"
                    );
                    assert!(!err.contains("whole run was rolled back"), "{err}");
                    assert_eq!(versions(&db).await, vec![R1]);
                    assert_eq!(objects(&db).await, expected_objects(1, 2));
                }
                TestDialect::Mysql => {
                    // Every DDL statement committed itself: R1 and R2 are recorded (R3's
                    // CREATE TABLE committed R2's version row), R3's first statement stays and
                    // its progress row says so; never "the whole run was rolled back".
                    assert!(!err.contains("whole run was rolled back"), "{err}");
                    assert!(err.contains("--resume"), "{err}");
                    assert_eq!(versions(&db).await, vec![R2]);
                    assert_eq!(objects(&db).await, expected_objects(2, 1));
                    assert_eq!(
                        assert_recorded(&db, "fail-last, all in one").await,
                        Some(Partial {
                            revision: R3.to_owned(),
                            done: 1,
                            in_doubt: false
                        })
                    );
                    // The good file differs: refused, naming the revision and how far it got.
                    let out = run(&db, &["upgrade", "head"], &[("RETORT_FAULT_MODE", "all")]);
                    let refused = text(&out.stderr);
                    assert!(
                        !out.status.success()
                            && refused.contains("interrupted after 1 statement(s)")
                            && refused.contains("file changed"),
                        "{refused}"
                    );
                    // Put right by hand, the failing file resumes at its second statement.
                    db.execute("CREATE TABLE no_such_table (id INTEGER)")
                        .await?;
                    let env = [
                        ("RETORT_FAULT_HISTORY", "fail-last"),
                        ("RETORT_FAULT_MODE", "all"),
                    ];
                    let out = run(&db, &["upgrade", "head", "--resume"], &env);
                    assert!(out.status.success(), "{}", text(&out.stderr));
                    assert_eq!(versions(&db).await, vec![R3]);
                    db.execute("DROP TABLE no_such_table").await?;
                    continue;
                }
                _ => {
                    assert!(err.contains("whole run was rolled back"), "{err}");
                    assert_eq!(versions(&db).await, Vec::<String>::new());
                    assert_eq!(objects(&db).await, Vec::<String>::new());
                    assert_eq!(log(&db).await, Vec::<String>::new());
                }
            }
            assert_consistent(&db, "fail-last, all in one").await;
            // The good files finish the job (resuming R2 on PostgreSQL).
            let out = run(&db, &["upgrade", "head"], &[("RETORT_FAULT_MODE", "all")]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            assert_eq!(versions(&db).await, vec![R3]);
            assert_consistent(&db, "after the good run").await;
        }
        Ok(())
    }
);

db_test!(
    failure_after_a_concurrent_index_resumes_or_refuses,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            reset(&db).await;
            let env = [("RETORT_FAULT_HISTORY", "fail-after-concurrent")];
            let err = fails(&db, &env);
            assert!(
                err.contains("revision f00002") && err.contains("statement 3 of 3"),
                "{err}"
            );
            assert_eq!(versions(&db).await, vec![R1]);
            match db.dialect() {
                TestDialect::Postgres => {
                    assert!(err.contains("first 2 statement(s) stay committed"), "{err}");
                    assert_eq!(objects(&db).await, expected_objects(1, 2));
                    // The same file: resumes at statement 3 and fails there again.
                    let again = fails(&db, &env);
                    assert!(again.contains("statement 3 of 3"), "{again}");
                    // A changed file: refused, naming the revision and how far it got.
                    let refused = fails(&db, &[]);
                    assert!(
                        refused.contains("f00002")
                            && refused.contains("interrupted after 2 statement(s)")
                            && refused.contains("file changed"),
                        "{refused}"
                    );
                    // `repair` forgets the progress; with its work undone by hand, the
                    // changed file runs from its start.
                    let migrator = retort_migrate::Migrator::new(retort_fault::history(
                        retort_fault::Variant::Good,
                    ))?;
                    let url = retort_migrate::DatabaseUrl::parse(db.url())?;
                    let mut d = retort_migrate::AnyDriver::connect(&url).await?;
                    let repaired = migrator.repair(&mut d).await?;
                    assert!(
                        matches!(
                            &repaired[..],
                            [retort_migrate::IntegrityProblem::Interrupted { done: 2, .. }]
                        ),
                        "{repaired:?}"
                    );
                    retort_migrate::driver::Driver::close(d).await?;
                    db.execute("DROP TABLE f_two").await?;
                    let out = run(&db, &["upgrade", "head"], &[]);
                    assert!(out.status.success(), "{}", text(&out.stderr));
                    assert_eq!(versions(&db).await, vec![R3]);
                    reset(&db).await;
                    continue;
                }
                TestDialect::Mysql => {
                    // No CONCURRENTLY on MariaDB (a plain build), but every statement commits
                    // itself: R2's first two stay, recorded, and the next run refuses until
                    // told to resume, naming the statement.
                    assert!(err.contains("first 2 statement(s) stay committed"), "{err}");
                    assert_eq!(objects(&db).await, expected_objects(1, 2));
                    let again = fails(&db, &env);
                    assert!(
                        again.contains("before statement 3")
                            && again.contains("INSERT INTO no_such_table")
                            && again.contains("upgrade --resume"),
                        "{again}"
                    );
                    // Resumed with the same file: statement 3 again, failing again.
                    let out = run(&db, &["upgrade", "head", "--resume"], &env);
                    let resumed = text(&out.stderr);
                    assert!(
                        !out.status.success() && resumed.contains("statement 3 of 3"),
                        "{resumed}"
                    );
                    assert_eq!(objects(&db).await, expected_objects(1, 2));
                    // A changed file: refused, naming the revision and how far it got.
                    let refused = fails(&db, &[]);
                    assert!(
                        refused.contains("f00002")
                            && refused.contains("interrupted after 2 statement(s)")
                            && refused.contains("file changed"),
                        "{refused}"
                    );
                    // Undone by hand and its progress forgotten, the changed file runs whole.
                    let migrator = retort_migrate::Migrator::new(retort_fault::history_on(
                        retort_fault::Variant::Good,
                        retort_migrate::Backend::Mysql,
                    ))?;
                    let url = retort_migrate::DatabaseUrl::parse(db.url())?;
                    let mut d = retort_migrate::AnyDriver::connect(&url).await?;
                    let repaired = migrator.repair(&mut d).await?;
                    assert!(
                        matches!(
                            &repaired[..],
                            [retort_migrate::IntegrityProblem::Interrupted { done: 2, .. }]
                        ),
                        "{repaired:?}"
                    );
                    retort_migrate::driver::Driver::close(d).await?;
                    db.execute("DROP TABLE f_two").await?;
                    let out = run(&db, &["upgrade", "head"], &[]);
                    assert!(out.status.success(), "{}", text(&out.stderr));
                    assert_eq!(versions(&db).await, vec![R3]);
                    assert_eq!(objects(&db).await, expected_objects(3, 0));
                    reset(&db).await;
                    continue;
                }
                _ => assert_eq!(objects(&db).await, expected_objects(1, 0)),
            }
            assert_consistent(&db, "fail-after-concurrent").await;
        }
        Ok(())
    }
);

// Not on MariaDB/MySQL: it has no CONCURRENTLY (the dialect refuses it) and no INVALID
// indexes; a failed unique index build there leaves nothing, and a revision failing
// half-way is `last_revision_fails_per_revision::mysql`'s case.
db_test!(
    invalid_index_from_a_failed_concurrent_build_is_detected,
    |db| {
        for _ in 0..repeat() {
            reset(&db).await;
            let env = [("RETORT_FAULT_HISTORY", "unique-concurrent")];
            let err = fails(&db, &env);
            assert!(err.contains("revision f00002"), "{err}");
            assert_eq!(versions(&db).await, vec![R1]);
            if db.dialect() == TestDialect::Postgres {
                assert!(
                    err.contains("INVALID index(es)") && err.contains("ix_f_two_name"),
                    "{err}"
                );
                // The re-run refuses before running anything, naming the index.
                let refused = fails(&db, &env);
                assert!(
                    refused.contains("INVALID")
                        && refused.contains("ix_f_two_name")
                        && refused.contains("f00002"),
                    "{refused}"
                );
                // Fixed by hand (the index dropped, the duplicate removed), it resumes at the
                // index build and completes.
                db.execute("DROP INDEX ix_f_two_name").await?;
                db.execute("DELETE FROM f_two WHERE id = 2").await?;
                let out = run(&db, &["upgrade", "head"], &env);
                assert!(out.status.success(), "{}", text(&out.stderr));
                assert_eq!(versions(&db).await, vec![R3]);
                let rows = db.query_strings("SELECT name FROM f_two").await?;
                assert_eq!(
                    rows,
                    vec!["dup"],
                    "R2's committed statements did not run twice"
                );
            } else {
                // SQLite builds it inside the revision's transaction: all of R2 rolled back.
                assert!(err.contains("UNIQUE"), "{err}");
                assert_eq!(objects(&db).await, expected_objects(1, 0));
            }
        }
        Ok(())
    }
);

/// MariaDB: R3 (fail-last) stopped at its second statement with its first committed and
/// recorded; the next run refuses naming the statement; put right, `--resume` finishes it.
async fn mysql_fails_half_way(
    db: &retort_testkit::TestDb,
    err: &str,
) -> Result<(), retort_testkit::BoxError> {
    let env = [("RETORT_FAULT_HISTORY", "fail-last")];
    assert!(
        err.contains("revision f00003 (versions/f00003_three.rs)")
            && err.contains("statement 2 of 2")
            && err.contains("INSERT INTO no_such_table")
            && err.contains("first 1 statement(s) stay committed")
            && err.contains("--resume"),
        "{err}"
    );
    assert_eq!(versions(db).await, vec![R2]);
    assert_eq!(objects(db).await, expected_objects(2, 1));
    let partial = Partial {
        revision: R3.to_owned(),
        done: 1,
        in_doubt: false,
    };
    assert_eq!(
        assert_recorded(db, "fail-last").await,
        Some(partial.clone())
    );
    let refused = fails(db, &env);
    assert!(
        refused.contains("before statement 2")
            && refused.contains("INSERT INTO no_such_table VALUES (1)")
            && refused.contains("upgrade --resume")
            && refused.contains("repair"),
        "{refused}"
    );
    assert_eq!(assert_recorded(db, "refused").await, Some(partial));
    db.execute("CREATE TABLE no_such_table (id INTEGER)")
        .await?;
    let out = run(db, &["upgrade", "head", "--resume"], &env);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(versions(db).await, vec![R3]);
    assert_eq!(assert_recorded(db, "resumed").await, None);
    db.execute("DROP TABLE no_such_table").await?;
    Ok(())
}

#[test]
fn offline_sql_records_the_same_progress_rows() {
    let migrator =
        retort_migrate::Migrator::new(retort_fault::history(retort_fault::Variant::Good))
            .expect("graph");
    let sql = migrator
        .offline_upgrade(retort_migrate::Backend::Postgres, "head")
        .expect("offline SQL");
    let at = |needle: &str| {
        sql.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in:\n{sql}"))
    };
    let before = at("'f00002', 'upgrade:1'");
    let index = at("COMMIT;\n\nCREATE INDEX CONCURRENTLY ix_f_two_name");
    let after = at("'f00002', 'upgrade:2'");
    assert!(before < index && index < after, "{sql}");
}
