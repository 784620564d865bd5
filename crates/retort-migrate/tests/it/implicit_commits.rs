//! A database that commits DDL implicitly (MariaDB/MySQL): a revision failing half-way stays
//! marked with how far it got, the next run refuses naming the statement, and resuming is
//! explicit; the `GET_LOCK` lock names its holder when a run times out waiting for it.

use std::time::Duration;

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_migrate::driver::Driver;
use retort_migrate::{LogDirection, MigrateError, Migrator, Script, Timeouts};
use retort_testkit::db_test;

use crate::fixtures::{driver, history, tables, versions, R1};

fn up_half(op: &mut Operations) {
    op.execute("CREATE TABLE t_a (id INTEGER PRIMARY KEY)");
    op.execute("CREATE TABLE t_b (id INTEGER PRIMARY KEY)");
    op.execute("INSERT INTO t_missing (id) VALUES (1)");
    op.execute("CREATE TABLE t_c (id INTEGER PRIMARY KEY)");
}
fn down_half(op: &mut Operations) {
    op.execute("DROP TABLE t_c");
    op.execute("DROP TABLE t_b");
    op.execute("DROP TABLE t_a");
}

fn half_history() -> Vec<Script> {
    vec![Script {
        revision: Revision::new(R1).message("half"),
        upgrade: up_half,
        downgrade: down_half,
        path: "versions/aaa111_half.rs",
        checksum: "1111111111111111111111111111111111111111111111111111111111111111",
    }]
}

db_test!(
    a_half_done_revision_is_refused_until_resumed,
    [mysql],
    |db| {
        let migrator = Migrator::new(half_history())?;
        let mut d = driver(&db).await;
        assert!(!d.transactional_ddl());

        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        let MigrateError::Step {
            index,
            progress,
            resume_explicit,
            ..
        } = &err
        else {
            panic!("expected a failed step, got {err}");
        };
        assert_eq!((*index, *progress, *resume_explicit), (3, Some(2), true));
        let msg = err.to_string();
        assert!(msg.contains("INSERT INTO t_missing"), "{msg}");
        assert!(msg.contains("--resume"), "{msg}");
        // The first two statements stay: MySQL committed them.
        assert_eq!(
            tables(&db).await,
            ["retort_log", "retort_version", "t_a", "t_b"]
        );
        assert_eq!(versions(&db).await, Vec::<String>::new());
        let log = migrator.log(&mut d).await?;
        // Each statement: its intent row (`upgrade:N?`, made durable by a DDL statement's
        // own commit), then its progress row; the refused INSERT rolled its intent row
        // back, and `upgrade:2` says for certain that it did not run.
        let progress: Vec<_> = log
            .iter()
            .map(|e| (e.progress.map(|(_, n)| n), e.in_doubt))
            .collect();
        assert_eq!(
            progress,
            [
                (Some(0), true),
                (Some(1), false),
                (Some(1), true),
                (Some(2), false),
                (Some(2), false)
            ]
        );
        assert!(log
            .iter()
            .all(|e| e.progress.map(|(d, _)| d) == Some(LogDirection::Upgrade)));

        // The next run refuses, naming the statement it stopped before.
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        let MigrateError::Interrupted {
            done,
            implicit_commits,
            ..
        } = &err
        else {
            panic!("expected a refusal, got {err}");
        };
        assert_eq!((*done, *implicit_commits), (2, true));
        let msg = err.to_string();
        assert!(msg.contains("before statement 3"), "{msg}");
        assert!(
            msg.contains("INSERT INTO t_missing (id) VALUES (1)"),
            "{msg}"
        );
        assert!(msg.contains("upgrade --resume"), "{msg}");
        assert!(msg.contains("repair"), "{msg}");
        assert_eq!(
            tables(&db).await,
            ["retort_log", "retort_version", "t_a", "t_b"]
        );

        // Put the cause right, then resume: it goes on from statement 3, not from the start
        // (statement 1 again would fail: t_a exists).
        db.execute("CREATE TABLE t_missing (id INTEGER PRIMARY KEY)")
            .await?;
        let report = migrator.with_resume(true).upgrade(&mut d, "head").await?;
        assert_eq!(report.steps.len(), 1);
        assert_eq!(versions(&db).await, vec![R1]);
        assert_eq!(
            db.query_strings("SELECT CAST(COUNT(*) AS CHAR) FROM t_missing")
                .await?,
            ["1"]
        );
        let migrator = Migrator::new(half_history())?;
        migrator.downgrade(&mut d, "base").await?;
        assert_eq!(
            tables(&db).await,
            ["retort_log", "retort_version", "t_missing"]
        );
        d.close().await?;
        Ok(())
    }
);

db_test!(
    repair_forgets_the_progress_of_a_half_done_revision,
    [mysql],
    |db| {
        let migrator = Migrator::new(half_history())?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await.unwrap_err();
        // Undo by hand what it committed, forget its progress: it runs again from its start.
        db.execute("DROP TABLE t_b").await?;
        db.execute("DROP TABLE t_a").await?;
        db.execute("CREATE TABLE t_missing (id INTEGER PRIMARY KEY)")
            .await?;
        let repaired = migrator.repair(&mut d).await?;
        assert_eq!(repaired.len(), 1, "{repaired:?}");
        let report = migrator.upgrade(&mut d, "head").await?;
        assert_eq!(report.steps.len(), 1);
        assert_eq!(versions(&db).await, vec![R1]);
        d.close().await?;
        Ok(())
    }
);

db_test!(
    a_run_that_times_out_on_the_lock_names_its_holder,
    [mysql],
    |db| {
        let migrator = Migrator::new(history())?;
        let mut holder = driver(&db).await;
        let key = migrator.lock_key(&mut holder).await?;
        holder.lock(&key).await?;
        assert!(holder.lock_held().await?);
        let mut runner = driver(&db).await;
        let impatient = Migrator::new(history())?
            .with_timeouts(Timeouts::default().with_lock_wait(Duration::from_millis(300)));
        let err = impatient.upgrade(&mut runner, "head").await.unwrap_err();
        let MigrateError::LockTimeout { holder: who, .. } = &err else {
            panic!("expected a lock timeout, got {err}");
        };
        let who = who.clone().expect("the holder is named");
        assert!(who.pid.is_some(), "{who:?}");
        // Nothing ran while the lock was held elsewhere.
        assert_eq!(tables(&db).await, Vec::<String>::new());
        holder.unlock().await?;
        assert!(!holder.lock_held().await?);
        assert_eq!(impatient.upgrade(&mut runner, "head").await?.steps.len(), 3);
        holder.close().await?;
        runner.close().await?;
        Ok(())
    }
);

fn up_three(op: &mut Operations) {
    op.execute("CREATE TABLE t_a (id INTEGER PRIMARY KEY)");
    op.execute("ALTER TABLE t_a ADD COLUMN extra INTEGER");
    op.execute("CREATE TABLE t_c (id INTEGER PRIMARY KEY)");
}
fn up_unreadable(op: &mut Operations) {
    op.execute("CREATE TABLE t_a (id INTEGER PRIMARY KEY, p INTEGER)");
    op.execute("CREATE TABLE t_p (id INTEGER PRIMARY KEY)");
    // An unnamed key: nothing the catalog could be asked about by name.
    op.execute("ALTER TABLE t_a ADD FOREIGN KEY (p) REFERENCES t_p (id)");
    op.execute("CREATE TABLE t_c (id INTEGER PRIMARY KEY)");
}

const SUM: &str = "2222222222222222222222222222222222222222222222222222222222222222";

fn one(upgrade: fn(&mut Operations)) -> Vec<Script> {
    vec![Script {
        revision: Revision::new(R1).message("doubt"),
        upgrade,
        downgrade: down_half,
        path: "versions/aaa111_doubt.rs",
        checksum: SUM,
    }]
}

/// The log as a run killed between statement `done + 1` and its progress row leaves it:
/// the first `done` statements recorded, the next one's intent row last.
async fn killed_during(db: &retort_testkit::TestDb, migrator: &Migrator, done: usize) {
    let mut d = driver(db).await;
    migrator
        .ensure_version(&mut d)
        .await
        .expect("bookkeeping tables");
    d.close().await.expect("closes");
    for n in 0..done {
        db.execute(&format!(
            "INSERT INTO retort_log (revision, direction, checksum) VALUES ('{R1}', 'upgrade:{n}?', '{SUM}'), ('{R1}', 'upgrade:{}', '{SUM}')",
            n + 1
        ))
        .await
        .expect("writes progress");
    }
    db.execute(&format!(
        "INSERT INTO retort_log (revision, direction, checksum) VALUES ('{R1}', 'upgrade:{done}?', '{SUM}')"
    ))
    .await
    .expect("writes the intent row");
}

db_test!(
    a_statement_in_doubt_is_asked_of_the_catalog_on_resume,
    [mysql],
    |db| {
        // Killed during `ALTER TABLE t_a ADD COLUMN extra`, once after it took effect and
        // once before: resume skips it in the first case (running it again would fail,
        // "Duplicate column name") and runs it in the second.
        for took_effect in [true, false] {
            for t in ["t_c", "t_a", "retort_version", "retort_log"] {
                db.execute(&format!("DROP TABLE IF EXISTS {t}")).await?;
            }
            let migrator = Migrator::new(one(up_three))?;
            killed_during(&db, &migrator, 1).await;
            db.execute("CREATE TABLE t_a (id INTEGER PRIMARY KEY)")
                .await?;
            if took_effect {
                db.execute("ALTER TABLE t_a ADD COLUMN extra INTEGER")
                    .await?;
            }
            let mut d = driver(&db).await;
            // A plain run refuses, naming the statement in doubt and what resume asks.
            let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
            let msg = err.to_string();
            assert!(
                matches!(
                    err,
                    MigrateError::Interrupted {
                        done: 1,
                        implicit_commits: true,
                        ..
                    }
                ),
                "{msg}"
            );
            assert!(
                msg.contains("during statement 2")
                    && msg.contains("may have run")
                    && msg.contains("ALTER TABLE t_a ADD COLUMN extra INTEGER")
                    && msg.contains("column t_a.extra exists")
                    && msg.contains("upgrade --resume"),
                "{msg}"
            );
            let report = migrator.with_resume(true).upgrade(&mut d, "head").await?;
            assert_eq!(report.steps.len(), 1, "took effect: {took_effect}");
            assert_eq!(versions(&db).await, vec![R1]);
            let columns = db
                .query_strings(
                    "SELECT CAST(COLUMN_NAME AS CHAR) FROM information_schema.COLUMNS \
                     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't_a' ORDER BY 1",
                )
                .await?;
            assert_eq!(columns, ["extra", "id"], "took effect: {took_effect}");
            assert_eq!(
                tables(&db).await,
                ["retort_log", "retort_version", "t_a", "t_c"]
            );
            d.close().await?;
        }
        Ok(())
    }
);

db_test!(
    a_statement_in_doubt_the_catalog_cannot_answer_is_refused_with_what_to_record,
    [mysql],
    |db| {
        let migrator = Migrator::new(one(up_unreadable))?;
        killed_during(&db, &migrator, 2).await;
        db.execute("CREATE TABLE t_a (id INTEGER PRIMARY KEY, p INTEGER)")
            .await?;
        db.execute("CREATE TABLE t_p (id INTEGER PRIMARY KEY)")
            .await?;
        db.execute("ALTER TABLE t_a ADD FOREIGN KEY (p) REFERENCES t_p (id)")
            .await?;
        let mut d = driver(&db).await;
        // Refused with and without --resume: Retort will not guess.
        let resuming = Migrator::new(one(up_unreadable))?.with_resume(true);
        for m in [&migrator, &resuming] {
            let msg = m.upgrade(&mut d, "head").await.unwrap_err().to_string();
            let ran = format!(
                "INSERT INTO retort_log (revision, direction, checksum, duration_ms) VALUES ('{R1}', 'upgrade:3', '{SUM}', NULL)"
            );
            let not_ran = format!(
                "INSERT INTO retort_log (revision, direction, checksum, duration_ms) VALUES ('{R1}', 'upgrade:2', '{SUM}', NULL)"
            );
            assert!(
                msg.contains("during statement 3")
                    && msg.contains("ADD FOREIGN KEY (p)")
                    && msg.contains("cannot tell")
                    && msg.contains(&ran)
                    && msg.contains(&not_ran),
                "{msg}"
            );
        }
        assert_eq!(versions(&db).await, Vec::<String>::new());
        // The user looked: it ran. Recorded so, resume goes on after it.
        db.execute(&format!(
            "INSERT INTO retort_log (revision, direction, checksum, duration_ms) VALUES ('{R1}', 'upgrade:3', '{SUM}', NULL)"
        ))
        .await?;
        let report = resuming.upgrade(&mut d, "head").await?;
        assert_eq!(report.steps.len(), 1);
        assert_eq!(versions(&db).await, vec![R1]);
        assert_eq!(
            tables(&db).await,
            ["retort_log", "retort_version", "t_a", "t_c", "t_p"]
        );
        d.close().await?;
        Ok(())
    }
);

fn up_first_fails(op: &mut Operations) {
    op.execute("CREATE TABLE t_missing_first (id INTEGER PRIMARY KEY) REFERENCES_NOTHING");
    op.execute("CREATE TABLE t_c (id INTEGER PRIMARY KEY)");
}

db_test!(
    a_refused_first_statement_leaves_nothing_to_resume,
    [mysql],
    |db| {
        // The server refuses the first statement (a syntax error): nothing of the revision
        // ran, the log says so for certain, and neither the next run nor `repair` treats
        // it as half-done.
        let migrator = Migrator::new(one(up_first_fails))?;
        let mut d = driver(&db).await;
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        assert!(matches!(err, MigrateError::Step { index: 1, .. }), "{err}");
        let log = migrator.log(&mut d).await?;
        let last = log.last().expect("a progress row");
        assert_eq!(
            (last.progress, last.in_doubt),
            (Some((LogDirection::Upgrade, 0)), false),
            "{log:?}"
        );
        assert!(migrator.repair(&mut d).await?.is_empty());
        // The next run starts it again and fails the same way, not "interrupted".
        let again = migrator.upgrade(&mut d, "head").await.unwrap_err();
        assert!(
            matches!(again, MigrateError::Step { index: 1, .. }),
            "{again}"
        );
        assert_eq!(tables(&db).await, ["retort_log", "retort_version"]);
        d.close().await?;
        Ok(())
    }
);
