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
        let progress: Vec<_> = log.iter().map(|e| e.progress).collect();
        assert_eq!(
            progress,
            [
                Some((LogDirection::Upgrade, 1)),
                Some((LogDirection::Upgrade, 2))
            ]
        );

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
