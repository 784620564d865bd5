//! Edited, deleted and inserted-below revisions are refused before any SQL runs; `repair`
//! accepts the current files and logs it.

use retort_core::graph::Revision;
use retort_fault::{PausingDriver, R1, R2, R3};
use retort_migrate::driver::Driver;
use retort_migrate::{AnyDriver, DatabaseUrl, IntegrityProblem, MigrateError, Migrator, Script};
use retort_testkit::db_test;

use crate::support::{good, objects, repeat, reset, versions};

async fn driver(db: &retort_testkit::TestDb) -> PausingDriver<AnyDriver> {
    let url = DatabaseUrl::parse(db.url()).expect("URL");
    PausingDriver::new(AnyDriver::connect(&url).await.expect("connects"), None)
}

/// Runs `upgrade head` with `scripts` and asserts it was refused with no statement sent.
async fn refused(db: &retort_testkit::TestDb, scripts: Vec<Script>) -> Vec<IntegrityProblem> {
    let migrator = Migrator::new(scripts).expect("a valid graph");
    let mut d = driver(db).await;
    let before = objects(db).await;
    let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
    assert_eq!(d.executed(), 0, "no SQL may run: {err}");
    assert_eq!(objects(db).await, before);
    let down = migrator.downgrade(&mut d, "base").await.unwrap_err();
    assert_eq!(d.executed(), 0, "no SQL may run: {down}");
    d.close().await.expect("closes");
    let msg = err.to_string();
    assert!(
        msg.contains("nothing was run")
            && (msg.contains("repair") || msg.contains("stamp --purge")),
        "{msg}"
    );
    match err {
        MigrateError::Integrity { problems } => problems,
        other => panic!("expected an integrity error, got {other}"),
    }
}

async fn applied_to(db: &retort_testkit::TestDb, target: &str) {
    reset(db).await;
    let mut d = driver(db).await;
    Migrator::new(good(db))
        .expect("graph")
        .upgrade(&mut d, target)
        .await
        .expect("upgrades");
    d.close().await.expect("closes");
}

fn noop(_: &mut retort_core::ops::Operations) {}

db_test!(
    edited_applied_revision_is_refused_then_repaired,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            applied_to(&db, R2).await;
            let mut edited = good(&db);
            edited[0].checksum = "edited";
            let problems = refused(&db, edited.clone()).await;
            assert_eq!(problems.len(), 1);
            let msg = problems[0].to_string();
            assert!(
                msg.contains("f00001")
                    && msg.contains("versions/f00001_one.rs")
                    && msg.contains("edited"),
                "{msg}"
            );
            // A revision not applied yet may change freely.
            let mut later = good(&db);
            later[2].checksum = "changed-before-applying";
            let migrator = Migrator::new(later)?;
            assert!(migrator
                .integrity_problems(&[R2.to_owned()], &[])
                .is_empty());

            // repair accepts the file as it is now, logged; then the run goes on.
            let migrator = Migrator::new(edited)?;
            let mut d = driver(&db).await;
            let repaired = migrator.repair(&mut d).await?;
            assert_eq!(repaired.len(), 1);
            assert!(migrator.repair(&mut d).await?.is_empty(), "repaired once");
            migrator.upgrade(&mut d, "head").await?;
            d.close().await?;
            assert_eq!(versions(&db).await, vec![R3]);
            let log = crate::support::log(&db).await;
            assert!(log.contains(&format!("{R1} repair")), "{log:?}");
        }
        Ok(())
    }
);

db_test!(
    deleted_applied_revision_is_refused,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            applied_to(&db, "head").await;
            // The applied head's file is gone: the history no longer reaches the database.
            let mut without_head = good(&db);
            without_head.pop();
            let problems = refused(&db, without_head).await;
            assert!(
                matches!(&problems[..], [IntegrityProblem::UnknownHead { revision, .. }] if revision == R3),
                "{problems:?}"
            );
            // A file in the middle gone: the graph itself cannot be built, naming the file.
            let mut without_middle = good(&db);
            without_middle.remove(1);
            let err = Migrator::new(without_middle).unwrap_err().to_string();
            assert!(err.contains(R2) && err.contains("f00003"), "{err}");
        }
        Ok(())
    }
);

db_test!(
    revision_inserted_below_an_applied_one_is_refused,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            applied_to(&db, "head").await;
            // f00001 <- inserted <- f00002 (f00002 keeps its recorded checksum, as if its
            // down_revision had been rewritten without the checksum noticing).
            let mut scripts = good(&db);
            scripts[1].revision = Revision::new(R2).message("two").down_revision("f0000a");
            scripts.push(Script {
                revision: Revision::new("f0000a")
                    .message("inserted")
                    .down_revision(R1),
                upgrade: noop,
                downgrade: noop,
                path: "versions/f0000a_inserted.rs",
                checksum: "aa",
            });
            let problems = refused(&db, scripts).await;
            assert_eq!(problems.len(), 1, "{problems:?}");
            let msg = problems[0].to_string();
            assert!(
                msg.contains("f0000a")
                    && msg.contains("versions/f0000a_inserted.rs")
                    && msg.contains(R3),
                "{msg}"
            );
        }
        Ok(())
    }
);

db_test!(
    the_log_reads_in_order_past_ten_rows,
    [postgres, sqlite, mysql],
    |db| {
        let migrator = Migrator::new(good(&db))?;
        let mut d = driver(&db).await;
        for _ in 0..3 {
            migrator.upgrade(&mut d, "head").await?;
            migrator.downgrade(&mut d, "base").await?;
        }
        let log = migrator.log(&mut d).await?;
        d.close().await?;
        assert!(log.len() > 10);
        assert!(log.windows(2).all(|w| w[0].id < w[1].id), "{log:?}");
        Ok(())
    }
);

db_test!(
    applied_revision_whose_file_is_gone_is_refused,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            applied_to(&db, "head").await;
            // The log says f0000z was applied (and never reverted), but no file declares it.
            db.execute(
            "INSERT INTO retort_log (revision, direction, checksum) VALUES ('f0000z', 'upgrade', 'zz')",
        )
        .await?;
            let problems = refused(&db, good(&db)).await;
            assert!(
                matches!(&problems[..], [IntegrityProblem::Gone { revision }] if revision == "f0000z"),
                "{problems:?}"
            );
            assert!(problems[0]
                .to_string()
                .contains("no file in versions/ declares it"));
        }
        Ok(())
    }
);

db_test!(
    a_deleted_applied_head_is_left_with_the_stamp_the_error_names,
    [postgres, sqlite, mysql],
    |db| {
        for _ in 0..repeat() {
            applied_to(&db, "head").await;
            let mut without_head = good(&db);
            without_head.pop();
            let migrator = Migrator::new(without_head)?;
            let mut d = driver(&db).await;
            // upgrade and repair both name the command that works, and neither sends SQL.
            let upgrade = migrator
                .upgrade(&mut d, "head")
                .await
                .unwrap_err()
                .to_string();
            let repair = migrator.repair(&mut d).await.unwrap_err().to_string();
            assert_eq!(d.executed(), 0);
            let command = format!("stamp --purge {R2}");
            for msg in [&upgrade, &repair] {
                assert!(msg.contains(R3) && msg.contains(&command), "{msg}");
                assert!(
                    !msg.contains("or run `repair`"),
                    "repair cannot fix this: {msg}"
                );
            }
            // That command works: the head is forgotten (logged), and the next run goes on.
            migrator.stamp(&mut d, &[R2], true).await?;
            let report = migrator.upgrade(&mut d, "head").await?;
            assert!(report.steps.is_empty(), "{report:?}");
            assert!(migrator.repair(&mut d).await?.is_empty());
            d.close().await?;
            assert_eq!(versions(&db).await, vec![R2]);
            let log = crate::support::log(&db).await;
            assert!(log.contains(&format!("{R3} repair")), "{log:?}");
        }
        Ok(())
    }
);
