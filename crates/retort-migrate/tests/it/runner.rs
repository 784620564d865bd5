//! The runner against real databases: round trips, the version and log tables after each
//! step, failures half-way in both transaction modes, stamp and purge, read-only commands,
//! two concurrent runs, and `migrate()` from an application's pool.

use retort_migrate::driver::Driver;
use retort_migrate::{LogDirection, MigrateError, Migrator, TransactionMode};
use retort_testkit::db_test;

use crate::fixtures::{driver, failing_history, history, tables, versions, R1, R2, R3};

fn log_of(entries: &[retort_migrate::LogEntry]) -> Vec<(String, LogDirection)> {
    entries
        .iter()
        .map(|e| (e.revision.clone(), e.direction))
        .collect()
}

db_test!(read_only_commands_create_nothing, |db| {
    let migrator = Migrator::new(history())?;
    let mut d = driver(&db).await;
    assert_eq!(migrator.current(&mut d).await?, Vec::<String>::new());
    assert!(migrator.log(&mut d).await?.is_empty());
    d.close().await?;
    assert_eq!(tables(&db).await, Vec::<String>::new());
    Ok(())
});

db_test!(upgrade_and_downgrade_round_trip, |db| {
    let migrator = Migrator::new(history())?;
    let mut d = driver(&db).await;

    let report = migrator.upgrade(&mut d, "+1").await?;
    assert_eq!(report.steps.len(), 1);
    assert_eq!(report.steps[0].revision, R1);
    assert_eq!(report.steps[0].path, "versions/aaa111_one.rs");
    assert_eq!(versions(&db).await, vec![R1]);
    assert_eq!(
        tables(&db).await,
        vec!["retort_log", "retort_version", "t_one"]
    );

    let report = migrator.upgrade(&mut d, "head").await?;
    assert_eq!(report.heads_before, vec![R1]);
    assert_eq!(report.heads_after, vec![R3]);
    let revs: Vec<&str> = report.steps.iter().map(|s| s.revision.as_str()).collect();
    assert_eq!(revs, vec![R2, R3]);
    assert_eq!(report.steps[0].statements, 2);
    assert_eq!(versions(&db).await, vec![R3]);
    assert_eq!(migrator.current(&mut d).await?, vec![R3]);
    assert_eq!(
        db.query_strings("SELECT CAST(COUNT(*) AS TEXT) FROM t_two")
            .await?,
        vec!["2"]
    );

    // Nothing left to do.
    assert!(migrator.upgrade(&mut d, "head").await?.is_empty());

    let report = migrator.downgrade(&mut d, "-1").await?;
    assert_eq!(report.steps.len(), 1);
    assert_eq!(report.steps[0].revision, R3);
    assert_eq!(report.steps[0].direction, LogDirection::Downgrade);
    assert_eq!(versions(&db).await, vec![R2]);
    assert!(!tables(&db).await.contains(&"t_three".to_owned()));

    migrator.downgrade(&mut d, "base").await?;
    assert_eq!(versions(&db).await, Vec::<String>::new());
    assert_eq!(tables(&db).await, vec!["retort_log", "retort_version"]);

    let log = migrator.log(&mut d).await?;
    use LogDirection::{Downgrade as D, Upgrade as U};
    assert_eq!(
        log_of(&log),
        vec![
            (R1.into(), U),
            (R2.into(), U),
            (R3.into(), U),
            (R3.into(), D),
            (R2.into(), D),
            (R1.into(), D),
        ]
    );
    assert_eq!(
        log[1].checksum.as_deref(),
        Some("2222222222222222222222222222222222222222222222222222222222222222")
    );
    assert!(log
        .iter()
        .all(|e| e.duration_ms.is_some() && !e.applied_at.is_empty()));
    assert!(log.windows(2).all(|w| w[0].id < w[1].id));

    // A script edited after it ran shows up as drift; the others do not.
    migrator.upgrade(&mut d, "head").await?;
    let log = migrator.log(&mut d).await?;
    let applied = vec![R1.to_owned(), R2.to_owned(), R3.to_owned()];
    assert_eq!(migrator.checksum_drift(&log, &applied), vec![]);
    let mut edited = history();
    edited[1].checksum = "changed";
    let edited = Migrator::new(edited)?;
    let drift = edited.checksum_drift(&log, &applied);
    assert_eq!(drift.len(), 1);
    assert_eq!(
        (
            drift[0].revision.as_str(),
            drift[0].path.as_str(),
            drift[0].compiled.as_str()
        ),
        (R2, "versions/bbb222_two.rs", "changed")
    );
    d.close().await?;
    Ok(())
});

db_test!(failed_revision_rolls_back_only_itself, |db| {
    let migrator = Migrator::new(failing_history())?;
    let mut d = driver(&db).await;
    let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
    let MigrateError::Step {
        ref revision,
        ref path,
        index,
        total,
        ref statement,
        ref applied,
        rolled_back_all,
        ..
    } = err
    else {
        panic!("expected a step error, got {err}");
    };
    assert_eq!(revision, R3);
    assert_eq!(path, "versions/ccc333_three.rs");
    assert_eq!((index, total), (2, 2));
    assert_eq!(statement, "INSERT INTO no_such_table VALUES (1)");
    let before: Vec<&str> = applied.iter().map(|s| s.revision.as_str()).collect();
    assert_eq!(before, vec![R1, R2]);
    assert!(!rolled_back_all);
    let msg = err.to_string();
    assert!(
        msg.contains("ccc333") && msg.contains("versions/ccc333_three.rs"),
        "{msg}"
    );
    assert!(
        msg.contains("no_such_table") && msg.contains("bbb222"),
        "{msg}"
    );

    // As before that revision: R2 applied and recorded, R3's table gone.
    assert_eq!(versions(&db).await, vec![R2]);
    assert_eq!(
        tables(&db).await,
        vec!["retort_log", "retort_version", "t_one", "t_two"]
    );
    assert_eq!(migrator.log(&mut d).await?.len(), 2);
    // The lock was released: another run can take it (and fails the same way, at R3's
    // statement, not waiting for a lock).
    let again = migrator.upgrade(&mut d, "head").await.unwrap_err();
    assert!(
        matches!(&again, MigrateError::Step { revision, .. } if revision == R3),
        "{again}"
    );
    d.close().await?;
    Ok(())
});

db_test!(
    all_in_one_failure_leaves_the_database_as_before_the_run,
    |db| {
        let migrator =
            Migrator::new(failing_history())?.with_transaction_mode(TransactionMode::All);
        let mut d = driver(&db).await;
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        assert!(
            matches!(
                err,
                MigrateError::Step {
                    rolled_back_all: true,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(err.applied().len(), 2);
        // Not even the bookkeeping tables survive.
        assert_eq!(tables(&db).await, Vec::<String>::new());

        // And with a good history the run commits as one.
        let migrator = Migrator::new(history())?.with_transaction_mode(TransactionMode::All);
        let report = migrator.upgrade(&mut d, "head").await?;
        assert_eq!(report.steps.len(), 3);
        assert_eq!(versions(&db).await, vec![R3]);
        d.close().await?;
        Ok(())
    }
);

db_test!(stamp_and_purge, |db| {
    let migrator = Migrator::new(history())?;
    let mut d = driver(&db).await;
    let report = migrator.stamp(&mut d, &[R2], false).await?;
    assert_eq!(report.heads_after, vec![R2]);
    assert_eq!(versions(&db).await, vec![R2]);
    // No script ran.
    assert_eq!(tables(&db).await, vec!["retort_log", "retort_version"]);
    let log = migrator.log(&mut d).await?;
    assert_eq!(log_of(&log), vec![(R2.to_owned(), LogDirection::Stamp)]);
    assert_eq!(log[0].checksum, None);

    // Upgrading from the stamp runs only R3.
    let report = migrator.upgrade(&mut d, "head").await?;
    let revs: Vec<&str> = report.steps.iter().map(|s| s.revision.as_str()).collect();
    assert_eq!(revs, vec![R3]);

    // A revision no script knows blocks planning; stamp --purge clears it.
    db.execute("DELETE FROM retort_version").await?;
    db.execute("INSERT INTO retort_version (version_num) VALUES ('deadbeef')")
        .await?;
    assert!(matches!(
        migrator.stamp(&mut d, &[R1], false).await,
        Err(MigrateError::Graph(_))
    ));
    migrator.stamp(&mut d, &[R1], true).await?;
    assert_eq!(versions(&db).await, vec![R1]);
    migrator.stamp(&mut d, &["base"], false).await?;
    assert_eq!(versions(&db).await, Vec::<String>::new());
    d.close().await?;
    Ok(())
});

db_test!(
    concurrent_upgrades_apply_each_revision_once,
    [postgres, sqlite, mysql],
    |db| {
        let migrator = Migrator::new(history())?;
        let mut first = driver(&db).await;
        let mut second = driver(&db).await;
        let (a, b) = tokio::join!(
            migrator.upgrade(&mut first, "head"),
            migrator.upgrade(&mut second, "head")
        );
        let (a, b) = (a?, b?);
        let mut counts = [a.steps.len(), b.steps.len()];
        counts.sort_unstable();
        // One run did everything; the other waited on the lock, then found nothing to do.
        assert_eq!(counts, [0, 3]);
        let waiter = if a.steps.is_empty() { &a } else { &b };
        assert_eq!(waiter.heads_before, vec![R3]);
        assert_eq!(versions(&db).await, vec![R3]);
        let mut log = migrator.log(&mut first).await?;
        // MySQL also logs progress after each statement (it commits DDL implicitly).
        log.retain(|e| e.progress.is_none());
        assert_eq!(
            log_of(&log),
            vec![
                (R1.to_owned(), LogDirection::Upgrade),
                (R2.to_owned(), LogDirection::Upgrade),
                (R3.to_owned(), LogDirection::Upgrade)
            ]
        );
        first.close().await?;
        second.close().await?;
        Ok(())
    }
);

db_test!(
    migrate_from_an_application_pool,
    [postgres, sqlite, mysql],
    |db| {
        let report = match db.dialect() {
            retort_testkit::TestDialect::Postgres => {
                retort_migrate::migrate(db.pg_pool(), history(), "head").await?
            }
            retort_testkit::TestDialect::Mysql => {
                retort_migrate::migrate(db.mysql_pool(), history(), "head").await?
            }
            _ => retort_migrate::migrate(db.sqlite_pool(), history(), "head").await?,
        };
        assert_eq!(report.steps.len(), 3);
        assert_eq!(versions(&db).await, vec![R3]);
        Ok(())
    }
);

db_test!(
    a_run_waits_for_the_lock_held_elsewhere,
    [postgres, sqlite, mysql],
    |db| {
        let migrator = Migrator::new(history())?;
        let mut holder = driver(&db).await;
        let mut runner = driver(&db).await;
        let key = migrator.lock_key(&mut holder).await?;
        holder.lock(&key).await?;
        let (report, seen_while_waiting) =
            tokio::join!(migrator.upgrade(&mut runner, "head"), async {
                tokio::time::sleep(std::time::Duration::from_millis(400)).await;
                let seen = tables(&db).await;
                holder.unlock().await.expect("unlocks");
                seen
            });
        // While the lock was held elsewhere the run did nothing; then it ran everything.
        assert_eq!(seen_while_waiting, Vec::<String>::new());
        assert_eq!(report?.steps.len(), 3);
        assert_eq!(versions(&db).await, vec![R3]);
        holder.close().await?;
        runner.close().await?;
        Ok(())
    }
);

fn up_typed(op: &mut retort_core::ops::Operations) {
    use retort_core::Type;
    op.create_table("typed", |t| {
        t.column("id", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
}
fn down_typed(op: &mut retort_core::ops::Operations) {
    op.drop_table("typed");
}

db_test!(recorded_ops_render_through_the_dialect, |db| {
    let scripts = vec![retort_migrate::Script {
        revision: retort_core::graph::Revision::new("ddd444"),
        upgrade: up_typed,
        downgrade: down_typed,
        path: "versions/ddd444_typed.rs",
        checksum: "4444444444444444444444444444444444444444444444444444444444444444",
    }];
    let migrator = Migrator::new(scripts)?;
    let mut d = driver(&db).await;
    migrator.upgrade(&mut d, "head").await?;
    assert!(tables(&db).await.contains(&"typed".to_owned()));
    migrator.downgrade(&mut d, "base").await?;
    assert!(!tables(&db).await.contains(&"typed".to_owned()));
    d.close().await?;
    Ok(())
});

#[test]
fn connection_errors_never_show_the_password() {
    use retort_migrate::{AnyDriver, DatabaseUrl};
    retort_testkit::block_on(async {
        for raw in [
            "postgres://app:s3cr3t@127.0.0.1:notaport/db",
            "postgres://app:s3cr3t@127.0.0.1:1/db",
            "postgres://127.0.0.1:1/db?password=s3cr3t",
        ] {
            let url = DatabaseUrl::parse(raw).unwrap();
            let Err(err) = AnyDriver::connect(&url).await else {
                panic!("{url} connected");
            };
            let msg = err.to_string();
            assert!(msg.contains("cannot connect to postgres://"), "{msg}");
            assert!(
                !msg.contains("s3cr3t") && !format!("{err:?}").contains("s3cr3t"),
                "{msg}"
            );
        }
    });
}

#[test]
fn read_only_connect_does_not_create_a_sqlite_file() {
    use retort_migrate::{AnyDriver, DatabaseUrl};
    let dir = std::env::temp_dir().join(format!("retort-ro-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("app.db");
    let url = DatabaseUrl::sqlite_file(&file);
    retort_testkit::block_on(async {
        assert!(AnyDriver::connect_existing(&url).await.unwrap().is_none());
        assert!(!file.exists());
        let d = AnyDriver::connect(&url).await.unwrap();
        d.close().await.unwrap();
        assert!(file.exists(), "created on first use");
        let d = AnyDriver::connect_existing(&url).await.unwrap();
        d.expect("opens an existing file").close().await.unwrap();
    });
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn schema_at_replays_the_recorded_history() {
    fn up_more(op: &mut retort_core::ops::Operations) {
        op.create_table("more", |t| {
            t.column("id", retort_core::Type::Integer).not_null();
        });
    }
    let scripts = vec![
        retort_migrate::Script {
            revision: retort_core::graph::Revision::new("ddd444"),
            upgrade: up_typed,
            downgrade: down_typed,
            path: "versions/ddd444_typed.rs",
            checksum: "4",
        },
        retort_migrate::Script {
            revision: retort_core::graph::Revision::new("eee555").down_revision("ddd444"),
            upgrade: up_more,
            downgrade: down_typed,
            path: "versions/eee555_more.rs",
            checksum: "5",
        },
    ];
    let migrator = Migrator::new(scripts).unwrap();
    let names = |heads: &[&str]| -> Vec<String> {
        migrator
            .schema_at(heads)
            .tables()
            .iter()
            .map(|t| t.name.clone())
            .collect()
    };
    assert_eq!(names(&[]), Vec::<String>::new());
    assert_eq!(names(&["ddd444"]), vec!["typed"]);
    assert_eq!(names(&["eee555"]), vec!["typed", "more"]);
}

db_test!(ensure_version_creates_only_the_missing_tables, |db| {
    let migrator = Migrator::new(history())?;
    let mut d = driver(&db).await;
    assert_eq!(
        migrator.ensure_version(&mut d).await?,
        vec!["retort_version", "retort_log"]
    );
    assert_eq!(tables(&db).await, vec!["retort_log", "retort_version"]);
    assert!(migrator.ensure_version(&mut d).await?.is_empty());
    db.execute("DROP TABLE retort_log").await?;
    assert_eq!(migrator.ensure_version(&mut d).await?, vec!["retort_log"]);
    assert_eq!(versions(&db).await, Vec::<String>::new());
    d.close().await?;
    Ok(())
});

fn up_concurrent(op: &mut retort_core::ops::Operations) {
    op.execute("CREATE TABLE t_idx (id INTEGER PRIMARY KEY, name VARCHAR(40))");
    op.create_index("ix_t_idx_name", "t_idx", ["name"])
        .concurrently();
    op.execute("INSERT INTO t_idx (id, name) VALUES (1, 'a')");
}
fn down_concurrent(op: &mut retort_core::ops::Operations) {
    op.execute("DROP TABLE t_idx");
}

db_test!(
    concurrent_index_runs_outside_the_transaction,
    [postgres],
    |db| {
        let scripts = vec![retort_migrate::Script {
            revision: retort_core::graph::Revision::new("fff666"),
            upgrade: up_concurrent,
            downgrade: down_concurrent,
            path: "versions/fff666_idx.rs",
            checksum: "6",
        }];
        let migrator = Migrator::new(scripts)?;
        // The offline script shows where the transaction is broken.
        let sql = migrator.offline_upgrade(retort_migrate::Backend::Postgres, "head")?;
        assert!(
            sql.contains("COMMIT;\n\nCREATE INDEX CONCURRENTLY"),
            "{sql}"
        );
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        assert_eq!(versions(&db).await, vec!["fff666"]);
        let indexes = db
        .query_strings("SELECT CAST(indexname AS TEXT) FROM pg_indexes WHERE tablename = 't_idx' ORDER BY 1")
        .await?;
        assert!(indexes.contains(&"ix_t_idx_name".to_owned()), "{indexes:?}");
        assert_eq!(db.query_strings("SELECT name FROM t_idx").await?, vec!["a"]);
        d.close().await?;
        Ok(())
    }
);

fn up_people(op: &mut retort_core::ops::Operations) {
    use retort_core::{EnumRef, Type};
    op.create_enum("mood", ["sad", "happy"]);
    op.create_table("people", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("mood", Type::Enum(EnumRef::new("mood")));
        t.primary_key(["id"]);
    });
}
fn down_people(op: &mut retort_core::ops::Operations) {
    op.drop_table("people");
    op.drop_enum("mood");
}
/// Adds a value and uses it at once: as a column default, and through it in a row.
fn up_ecstatic(op: &mut retort_core::ops::Operations) {
    op.add_enum_value("mood", "ecstatic")
        .existing(["sad", "happy"]);
    op.alter_column("people", "mood")
        .server_default(retort_core::ServerDefault::text("ecstatic"))
        .existing_no_server_default();
    op.execute("INSERT INTO people (id) VALUES (1)");
}
fn down_ecstatic(op: &mut retort_core::ops::Operations) {
    op.execute("DELETE FROM people WHERE mood = 'ecstatic'");
    op.alter_column("people", "mood")
        .drop_server_default()
        .existing_server_default(retort_core::ServerDefault::text("ecstatic"));
    op.recreate_enum("mood", ["sad", "happy"])
        .existing(["sad", "happy", "ecstatic"]);
}

// PostgreSQL refuses a new enum value before its ALTER TYPE commits ("unsafe use of new
// value"): the runner commits around ADD VALUE, so one revision can add and use it.
db_test!(
    an_enum_value_added_and_used_in_one_revision,
    [postgres],
    |db| {
        let scripts = vec![
            retort_migrate::Script {
                revision: retort_core::graph::Revision::new("aaa111"),
                upgrade: up_people,
                downgrade: down_people,
                path: "versions/aaa111_people.rs",
                checksum: "1",
            },
            retort_migrate::Script {
                revision: retort_core::graph::Revision::new("bbb222").down_revision("aaa111"),
                upgrade: up_ecstatic,
                downgrade: down_ecstatic,
                path: "versions/bbb222_ecstatic.rs",
                checksum: "2",
            },
        ];
        let migrator = Migrator::new(scripts)?;
        let sql = migrator.offline_upgrade(retort_migrate::Backend::Postgres, "head")?;
        assert!(
            sql.contains("COMMIT;\n\nALTER TYPE mood ADD VALUE 'ecstatic'"),
            "{sql}"
        );
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        assert_eq!(versions(&db).await, vec!["bbb222"]);
        assert_eq!(
            db.query_strings("SELECT id || ':' || mood::text FROM people")
                .await?,
            vec!["1:ecstatic"]
        );
        // Down: the value goes by recreating the type, the first revision's rows stay.
        db.execute("INSERT INTO people (id, mood) VALUES (2, 'sad')")
            .await?;
        migrator.downgrade(&mut d, "aaa111").await?;
        assert_eq!(versions(&db).await, vec!["aaa111"]);
        assert_eq!(
            db.query_strings("SELECT enum_range(NULL::mood)::text")
                .await?,
            vec!["{sad,happy}"]
        );
        assert_eq!(
            db.query_strings("SELECT id || ':' || mood::text FROM people")
                .await?,
            vec!["2:sad"]
        );
        d.close().await?;
        Ok(())
    }
);

/// A partial index the history knows, over the enum column, and a value added: the
/// downgrade recreates the type and must carry the index.
fn up_mood_index(op: &mut retort_core::ops::Operations) {
    op.create_index("ix_people_glad", "people", ["id"])
        .predicate("mood <> 'sad'");
    op.add_enum_value("mood", "ecstatic")
        .existing(["sad", "happy"]);
}
fn down_mood_index(op: &mut retort_core::ops::Operations) {
    op.recreate_enum("mood", ["sad", "happy"])
        .existing(["sad", "happy", "ecstatic"]);
    op.drop_index("ix_people_glad", "people");
}

// Nothing the model does not know may vanish: before the type swap the runner asks the
// database what depends on the type and its columns, and refuses, naming it, what the
// history does not know (a view made by raw SQL); what it knows (the partial index) is
// carried through the swap.
db_test!(
    an_enum_swap_refuses_a_dependent_the_history_does_not_know,
    [postgres],
    |db| {
        let scripts = vec![
            retort_migrate::Script {
                revision: retort_core::graph::Revision::new("aaa111"),
                upgrade: up_people,
                downgrade: down_people,
                path: "versions/aaa111_people.rs",
                checksum: "1",
            },
            retort_migrate::Script {
                revision: retort_core::graph::Revision::new("ccc333").down_revision("aaa111"),
                upgrade: up_mood_index,
                downgrade: down_mood_index,
                path: "versions/ccc333_mood_index.rs",
                checksum: "3",
            },
        ];
        let migrator = Migrator::new(scripts)?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        db.execute("INSERT INTO people (id, mood) VALUES (1, 'sad'), (2, 'happy')")
            .await?;
        db.execute("CREATE VIEW happy_people AS SELECT id FROM people WHERE mood = 'happy'")
            .await?;
        let err = migrator
            .downgrade(&mut d, "aaa111")
            .await
            .expect_err("the view is unknown to the history");
        let text = err.to_string();
        assert!(
            text.contains("view") && text.contains("happy_people") && text.contains("ccc333"),
            "{text}"
        );
        assert!(text.contains("mood"), "{text}");
        // Nothing of the revision ran: the type keeps its value, the view is there.
        assert_eq!(versions(&db).await, vec!["ccc333"]);
        assert_eq!(
            db.query_strings("SELECT enum_range(NULL::mood)::text")
                .await?,
            vec!["{sad,happy,ecstatic}"]
        );
        assert_eq!(
            db.query_strings("SELECT id::text FROM happy_people")
                .await?,
            vec!["2"]
        );
        // Without it, the swap runs and carries the index the history made.
        db.execute("DROP VIEW happy_people").await?;
        migrator.downgrade(&mut d, "aaa111").await?;
        assert_eq!(versions(&db).await, vec!["aaa111"]);
        assert_eq!(
            db.query_strings("SELECT enum_range(NULL::mood)::text")
                .await?,
            vec!["{sad,happy}"]
        );
        assert_eq!(
            db.query_strings("SELECT id || ':' || mood::text FROM people ORDER BY id")
                .await?,
            vec!["1:sad", "2:happy"]
        );
        d.close().await?;
        Ok(())
    }
);

// VACUUM runs in no transaction on either database; declared `.outside_transaction()`, the
// runner commits before it and records progress around it, as for CONCURRENTLY.
fn up_vacuum_pg(op: &mut retort_core::ops::Operations) {
    op.execute("CREATE TABLE t_vac (id INTEGER PRIMARY KEY)");
    op.execute("VACUUM ANALYZE t_vac").outside_transaction();
    op.execute("INSERT INTO t_vac (id) VALUES (1)");
}
fn up_vacuum_sqlite(op: &mut retort_core::ops::Operations) {
    op.execute("CREATE TABLE t_vac (id INTEGER PRIMARY KEY)");
    op.execute("VACUUM").outside_transaction();
    op.execute("INSERT INTO t_vac (id) VALUES (1)");
}
/// The same SQL, undeclared: it fails inside the revision's transaction.
fn up_vacuum_undeclared_pg(op: &mut retort_core::ops::Operations) {
    op.execute("CREATE TABLE t_vac (id INTEGER PRIMARY KEY)");
    op.execute("VACUUM ANALYZE t_vac");
    op.execute("INSERT INTO t_vac (id) VALUES (1)");
}
fn up_vacuum_undeclared_sqlite(op: &mut retort_core::ops::Operations) {
    op.execute("CREATE TABLE t_vac (id INTEGER PRIMARY KEY)");
    op.execute("VACUUM");
    op.execute("INSERT INTO t_vac (id) VALUES (1)");
}
fn down_vacuum(op: &mut retort_core::ops::Operations) {
    op.execute("DROP TABLE t_vac");
}

fn vacuum_script(upgrade: fn(&mut retort_core::ops::Operations)) -> Vec<retort_migrate::Script> {
    vec![retort_migrate::Script {
        revision: retort_core::graph::Revision::new("vac777"),
        upgrade,
        downgrade: down_vacuum,
        path: "versions/vac777_vacuum.rs",
        checksum: "7",
    }]
}

db_test!(sql_declared_outside_a_transaction_runs_outside_it, |db| {
    let sqlite = db.url().starts_with("sqlite");
    let (up, backend) = if sqlite {
        (
            up_vacuum_sqlite as fn(&mut _),
            retort_migrate::Backend::Sqlite,
        )
    } else {
        (
            up_vacuum_pg as fn(&mut _),
            retort_migrate::Backend::Postgres,
        )
    };
    let migrator = Migrator::new(vacuum_script(up))?;
    // Offline, the script commits before the VACUUM and begins again after it.
    let sql = migrator.offline_upgrade(backend, "head")?;
    assert!(sql.contains("COMMIT;\n\nVACUUM"), "{sql}");
    let mut d = driver(&db).await;
    migrator.upgrade(&mut d, "head").await?;
    assert_eq!(versions(&db).await, vec!["vac777"]);
    assert_eq!(
        db.query_strings("SELECT CAST(id AS TEXT) FROM t_vac")
            .await?,
        vec!["1"]
    );
    // Progress rows before (1 statement done) and after (2 done) the VACUUM, then the step.
    let log = migrator.log(&mut d).await?;
    let progress: Vec<_> = log.iter().filter_map(|e| e.progress).collect();
    assert_eq!(
        progress,
        vec![(LogDirection::Upgrade, 1), (LogDirection::Upgrade, 2)],
        "{log:?}"
    );
    assert_eq!(log.last().map(|e| e.direction), Some(LogDirection::Upgrade));
    d.close().await?;
    Ok(())
});

db_test!(
    undeclared_sql_that_cannot_run_in_a_transaction_fails_cleanly,
    |db| {
        let up = if db.url().starts_with("sqlite") {
            up_vacuum_undeclared_sqlite as fn(&mut _)
        } else {
            up_vacuum_undeclared_pg as fn(&mut _)
        };
        let migrator = Migrator::new(vacuum_script(up))?;
        let mut d = driver(&db).await;
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        assert!(
            matches!(err, MigrateError::Step { index: 2, .. }),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("vac777"), "{text}");
        assert!(text.contains("VACUUM"), "{text}");
        // As before the revision: its table rolled back, no version recorded.
        assert!(!tables(&db).await.contains(&"t_vac".to_owned()));
        assert_eq!(migrator.current(&mut d).await?, Vec::<String>::new());
        d.close().await?;
        Ok(())
    }
);

// A comment at the end of raw SQL (after the statement, after its `;`, `--` or `/* */`)
// must not break a run, up or down (issue 10, item 3).
db_test!(sql_comments_at_the_end_of_raw_sql_run_online, |db| {
    use crate::fixtures::{commented_history, commented_row};
    let migrator = Migrator::new(commented_history())?;
    let mut d = driver(&db).await;
    migrator.upgrade(&mut d, "head").await?;
    assert_eq!(versions(&db).await, vec![R1]);
    assert_eq!(commented_row(&db).await, vec!["5|x -- y;"]);
    migrator.downgrade(&mut d, "base").await?;
    assert_eq!(versions(&db).await, Vec::<String>::new());
    assert_eq!(tables(&db).await, vec!["retort_log", "retort_version"]);
    d.close().await?;
    Ok(())
});

// A version table name of 63 bytes, PostgreSQL's longest: its key's name `<table>_pkc`
// would be cut back to the table's own name and collide with it (issue 10, item 10). The
// key is named as a naming convention's long names are: deterministic and distinct.
db_test!(a_63_byte_version_table_gets_a_distinct_key_name, |db| {
    let version = format!("v{}", "x".repeat(62));
    let log = format!("l{}", "y".repeat(62));
    let tables = retort_migrate::Tables {
        schema: None,
        version: version.clone(),
        log: log.clone(),
    };
    let migrator = Migrator::new(history())?.with_tables(tables.clone());
    let mut d = driver(&db).await;
    migrator.upgrade(&mut d, "head").await?;
    assert_eq!(migrator.current(&mut d).await?, vec![R3]);
    migrator.downgrade(&mut d, "-1").await?;
    assert_eq!(migrator.current(&mut d).await?, vec![R2]);
    d.close().await?;
    if db.url().starts_with("postgres") {
        let keys = db
            .query_strings(&format!(
                "SELECT conrelid::regclass::text || ' ' || conname::text FROM pg_constraint \
                 WHERE contype = 'p' AND conrelid::regclass::text IN ('{version}', '{log}') \
                 ORDER BY 1"
            ))
            .await?;
        let pkc = retort_core::truncate_name(&format!("{version}_pkc"), 63);
        let pkey = retort_core::truncate_name(&format!("{log}_pkey"), 63);
        assert_eq!(
            keys,
            vec![format!("{log} {pkey}"), format!("{version} {pkc}")]
        );
        assert!(pkc != version && pkey != log && pkc.len() <= 63);
    }
    // The same names every time: the offline script spells them alike.
    let backend = if db.url().starts_with("sqlite") {
        retort_migrate::Backend::Sqlite
    } else {
        retort_migrate::Backend::Postgres
    };
    assert_eq!(
        migrator.offline_ensure_version(backend),
        Migrator::new(history())?
            .with_tables(tables)
            .offline_ensure_version(backend)
    );
    Ok(())
});

db_test!(
    the_lock_session_outlives_idle_session_timeout,
    [postgres],
    |db| {
        use std::str::FromStr;
        // Every session of this driver is ended after 200 ms idle, unless it says otherwise.
        let options = sqlx::postgres::PgConnectOptions::from_str(db.url())?
            .options([("idle_session_timeout", "200")]);
        let mut d = retort_migrate::driver::PgDriver::connect(options).await?;
        let migrator = Migrator::new(history())?;
        let key = migrator.lock_key(&mut d).await?;
        d.lock(&key).await?;
        // Idle well past the timeout (a wait, not a timed assertion).
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let held = db
        .query_strings(
            "SELECT CAST(COUNT(*) AS TEXT) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' \
             AND granted AND database = \
             (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())",
        )
        .await?;
        assert_eq!(held, ["1"], "the lock session was ended while idle");
        assert!(d.lock_held().await?);
        // The work connection was idle too and is gone: closing may fail, which is not this test's.
        let _ = d.close().await;
        Ok(())
    }
);

fn up_panics(_: &mut retort_core::ops::Operations) {
    panic!("revision code gave up");
}

db_test!(a_panicking_revision_is_an_error_naming_it, |db| {
    let mut scripts = history();
    scripts[2].upgrade = up_panics;
    let migrator = Migrator::new(scripts)?;
    let mut d = driver(&db).await;
    migrator.upgrade(&mut d, R1).await?;
    let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, MigrateError::RevisionPanicked { ref revision, .. } if revision == R3),
        "{msg}"
    );
    assert!(
        msg.contains(R3)
            && msg.contains("versions/ccc333_three.rs")
            && msg.contains("revision code gave up"),
        "{msg}"
    );
    // Every step is recorded before any SQL runs: R2 did not run either.
    assert_eq!(versions(&db).await, vec![R1]);
    assert!(!tables(&db).await.contains(&"t_two".to_owned()));
    d.close().await?;
    Ok(())
});

/// What a pooler or load balancer does to an idle connection, done by the test: end the
/// lock session once it has been idle for 1.5 s, looking every 100 ms for 4 s.
async fn end_idle_lock_sessions_for_a_while(db: &retort_testkit::TestDb) {
    for _ in 0..40 {
        db.execute(
            "SELECT pg_terminate_backend(l.pid) FROM pg_catalog.pg_locks l \
             JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND a.state = 'idle' \
             AND a.state_change < clock_timestamp() - interval '1500 milliseconds' \
             AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())",
        )
        .await
        .expect("looks for idle sessions");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

db_test!(
    the_lock_session_is_pinged_past_a_proxy_idle_timeout,
    [postgres],
    |db| {
        use std::str::FromStr;
        let options = sqlx::postgres::PgConnectOptions::from_str(db.url())?;
        let mut d = retort_migrate::driver::PgDriver::connect(options)
            .await?
            .with_keepalive(std::time::Duration::from_millis(100));
        let migrator = Migrator::new(history())?;
        let key = migrator.lock_key(&mut d).await?;
        d.lock(&key).await?;
        end_idle_lock_sessions_for_a_while(&db).await;
        assert!(
            d.lock_held().await.unwrap_or(false),
            "the lock session was ended as idle"
        );
        d.close().await?;
        Ok(())
    }
);

fn nothing(_: &mut retort_core::ops::Operations) {}

// base <- {left, right} <- merge: every kind of version-table move (a new branch head
// inserted, a merge, an unmerge, a branch deleted) passes the compare-and-set.
db_test!(branches_and_merges_move_the_version_table_exactly, |db| {
    use retort_core::graph::Revision;
    let script = |revision: Revision, path: &'static str| retort_migrate::Script {
        revision,
        upgrade: nothing,
        downgrade: nothing,
        path,
        checksum: "00",
    };
    let scripts = vec![
        script(Revision::new("b0base"), "versions/b0base.rs"),
        script(
            Revision::new("l1left").down_revision("b0base"),
            "versions/l1left.rs",
        ),
        script(
            Revision::new("r1right").down_revision("b0base"),
            "versions/r1right.rs",
        ),
        script(
            Revision::new("m1merge").down_revisions(&["l1left", "r1right"]),
            "versions/m1merge.rs",
        ),
    ];
    let migrator = Migrator::new(scripts)?;
    let mut d = driver(&db).await;
    migrator.upgrade(&mut d, "l1left").await?;
    assert_eq!(versions(&db).await, vec!["l1left"]);
    migrator.upgrade(&mut d, "r1right").await?;
    assert_eq!(versions(&db).await, vec!["l1left", "r1right"]);
    migrator.upgrade(&mut d, "heads").await?;
    assert_eq!(versions(&db).await, vec!["m1merge"]);
    // An unmerge, then both branches down to base (a row updated, a row deleted).
    migrator.downgrade(&mut d, "l1left").await?;
    assert_eq!(versions(&db).await, vec!["l1left", "r1right"]);
    migrator.downgrade(&mut d, "base").await?;
    assert_eq!(versions(&db).await, Vec::<String>::new());
    migrator.upgrade(&mut d, "heads").await?;
    assert_eq!(versions(&db).await, vec!["m1merge"]);
    d.close().await?;
    Ok(())
});

fn up_audited(op: &mut retort_core::ops::Operations) {
    use retort_core::schema::Type;
    op.create_table("audited", |t| {
        t.column("id", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
}
fn down_audited(op: &mut retort_core::ops::Operations) {
    op.drop_table("audited");
}
fn up_drop_audited(op: &mut retort_core::ops::Operations) {
    use retort_core::schema::{Column, Table, Type};
    let mut t = Table::new("audited").column(Column::new("id", Type::Integer).not_null());
    t = t.primary_key(["id"]);
    op.drop_table("audited").existing(t);
}
fn down_drop_audited(op: &mut retort_core::ops::Operations) {
    up_audited(op);
}

// A revision that drops a table on which the database has a trigger the history does not
// know (added by hand or raw SQL) is refused before the DROP runs, naming the trigger:
// DROP TABLE would take it along without a word and the downgrade would not bring it
// back (issue 19's promise, at run time as autogenerate already refuses it). Once the
// trigger is gone, the same revision runs.
db_test!(
    dropping_a_table_with_an_unknown_trigger_is_refused_at_run_time,
    |db| {
        use retort_core::graph::Revision;
        let scripts = vec![
            retort_migrate::Script {
                revision: Revision::new("b00000000001").message("audited"),
                upgrade: up_audited,
                downgrade: down_audited,
                path: "versions/b00000000001_audited.rs",
                checksum: "1111111111111111111111111111111111111111111111111111111111111111",
            },
            retort_migrate::Script {
                revision: Revision::new("b00000000002")
                    .down_revision("b00000000001")
                    .message("drop audited"),
                upgrade: up_drop_audited,
                downgrade: down_drop_audited,
                path: "versions/b00000000002_drop_audited.rs",
                checksum: "2222222222222222222222222222222222222222222222222222222222222222",
            },
        ];
        let migrator = Migrator::new(scripts)?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "b00000000001").await?;
        let (create, drop) = match db.dialect() {
        retort_testkit::TestDialect::Postgres => (
            vec![
                "CREATE FUNCTION audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                "CREATE TRIGGER audit_ins BEFORE INSERT ON audited FOR EACH ROW EXECUTE FUNCTION audit_fn()",
            ],
            "DROP TRIGGER audit_ins ON audited",
        ),
        _ => (
            vec!["CREATE TRIGGER audit_ins AFTER INSERT ON audited BEGIN SELECT 1; END"],
            "DROP TRIGGER audit_ins",
        ),
    };
        for s in create {
            db.execute(s).await?;
        }
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        assert!(
            matches!(&err, MigrateError::LostObjects { .. }),
            "expected the drop refused, got: {err}"
        );
        let text = err.to_string();
        assert!(
            text.contains("audit_ins") && text.contains("audited") && text.contains("b00000000002"),
            "{text}"
        );
        assert_eq!(
            versions(&db).await,
            vec!["b00000000001"],
            "nothing of it ran"
        );
        assert!(tables(&db).await.contains(&"audited".to_owned()));

        db.execute(drop).await?;
        migrator.upgrade(&mut d, "head").await?;
        assert_eq!(versions(&db).await, vec!["b00000000002"]);
        d.close().await?;
        Ok(())
    }
);

/// The files beside a SQLite database whose names start with the database's: the lock's
/// side files are named `<db>-retort-lock...`.
fn files_beside(db: &retort_testkit::TestDb) -> Vec<String> {
    let Some(path) = db.sqlite_path() else {
        return Vec::new();
    };
    let stem = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&stem) && n != &stem)
        .collect();
    names.sort();
    names
}

// Issue 13, item 6: a run that ends normally leaves no lock files beside the database.
db_test!(a_finished_run_leaves_no_lock_files, |db| {
    let migrator = Migrator::new(history())?;
    let mut d = driver(&db).await;
    migrator.upgrade(&mut d, "head").await?;
    migrator.downgrade(&mut d, "base").await?;
    d.close().await?;
    assert_eq!(files_beside(&db), Vec::<String>::new());
    Ok(())
});

// Removing the side file on release must not let two runs in at once: a run waiting on
// the removed file's lock takes it, sees the file is gone and tries again on the new one.
db_test!(
    the_lock_stays_exclusive_while_its_file_comes_and_goes,
    |db| {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let migrator = Migrator::new(history())?;
        let inside = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let mut d = driver(&db).await;
            let key = migrator.lock_key(&mut d).await?;
            let inside = inside.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..15 {
                    d.lock(&key).await.expect("locks");
                    assert_eq!(
                        inside.fetch_add(1, Ordering::SeqCst),
                        0,
                        "two holders at once"
                    );
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    inside.fetch_sub(1, Ordering::SeqCst);
                    d.unlock().await.expect("unlocks");
                }
                d.close().await.expect("closes");
            }));
        }
        for t in tasks {
            t.await?;
        }
        assert_eq!(files_beside(&db), Vec::<String>::new());
        Ok(())
    }
);

/// 2,000 tables with a key and a unique column: about 20,000 locks in one transaction (on the
/// shared default server, psql failed with "out of shared memory" at the 1,567th).
fn up_many_tables(op: &mut retort_core::ops::Operations) {
    for i in 0..2000 {
        op.execute(format!(
            "CREATE TABLE lots_{i} (id INTEGER PRIMARY KEY, code TEXT UNIQUE)"
        ));
    }
}
fn down_many_tables(op: &mut retort_core::ops::Operations) {
    for i in (0..2000).rev() {
        op.execute(format!("DROP TABLE lots_{i}"));
    }
}

// Issue 16 item 7: a revision too big for one transaction on a server with the default lock
// table (`max_locks_per_transaction` 64, as the shared test server has) is refused before
// anything runs, naming the setting and the value it needs, instead of failing mid-way with
// "out of shared memory".
db_test!(
    a_revision_too_big_for_the_lock_table_is_refused_before_running,
    [postgres],
    |db| {
        let settings = db
            .query_strings("SELECT current_setting('max_locks_per_transaction')")
            .await?;
        if settings != ["64"] {
            return Err(format!(
                "this test needs a server with the default max_locks_per_transaction 64, not {settings:?}"
            )
            .into());
        }
        let migrator = Migrator::new(vec![retort_migrate::Script {
            revision: retort_core::graph::Revision::new("b16000000007").message("lots"),
            upgrade: up_many_tables,
            downgrade: down_many_tables,
            path: "versions/b16000000007_lots.rs",
            checksum: "7777777777777777777777777777777777777777777777777777777777777777",
        }])?;
        let mut d = driver(&db).await;
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, MigrateError::LockTable { .. }),
            "not refused up front: {text}"
        );
        assert!(
            text.contains("max_locks_per_transaction to at least")
                && text.contains("b16000000007")
                && text.contains("split the revision"),
            "{text}"
        );
        let made = db
            .query_strings("SELECT count(*)::text FROM pg_tables WHERE tablename LIKE 'lots\\_%'")
            .await?;
        assert_eq!(made, ["0"], "nothing may have run");
        assert!(migrator.current(&mut d).await?.is_empty());
        d.close().await?;
        Ok(())
    }
);

// A read handed on a row at a time (`query_text_each`, the catalog read of a large schema)
// and stopped early: the rest is never read (on PostgreSQL a later row would fail: divided
// by zero), and the session answers the next query correctly.
db_test!(
    a_row_by_row_read_stopped_early_leaves_the_session_usable,
    |db| {
        let mut d = driver(&db).await;
        let (sql, next) = match db.dialect() {
            retort_testkit::TestDialect::Postgres => (
                "SELECT CASE WHEN i < 200000 THEN i::text ELSE (1 / (i - i))::text END \
             FROM generate_series(1, 200000) AS i",
                "SELECT '42'::text",
            ),
            _ => (
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 900) \
             SELECT CAST(i AS CHAR(10)) FROM n",
                "SELECT CAST(42 AS CHAR(10))",
            ),
        };
        let mut seen = Vec::new();
        d.query_text_each(sql, &mut |row| {
            seen.push(row);
            seen.len() < 3
        })
        .await?;
        let expected: Vec<Vec<Option<String>>> = ["1", "2", "3"]
            .iter()
            .map(|v| vec![Some(v.to_string())])
            .collect();
        assert_eq!(seen, expected);
        assert_eq!(d.query_text(next).await?, vec![vec![Some("42".to_owned())]]);
        d.close().await?;
        Ok(())
    }
);

// The connections a live read runs its catalog queries on side by side
// (`Driver::catalog_sibling`): PostgreSQL's driver opens one per call, a session of its own
// (its own backend, not the work connection's transaction), which streams rows and closes;
// SQLite's driver opens none (its read stays on its one connection).
db_test!(catalog_siblings_are_sessions_of_their_own, |db| {
    let mut d = driver(&db).await;
    let sibling = d.catalog_sibling().await?;
    match db.dialect() {
        retort_testkit::TestDialect::Postgres => {
            let mut sibling = sibling.expect("PostgreSQL opens siblings");
            let pid = "SELECT pg_backend_pid()::text";
            let own = d.query_text(pid).await?;
            // A transaction on the work connection is not the sibling's.
            d.execute("BEGIN; CREATE TABLE only_here (id integer)")
                .await?;
            let theirs = sibling.query(pid).await?;
            assert_ne!(own, theirs, "the sibling is another session");
            let mut seen = Vec::new();
            sibling
                .query_each(
                    "SELECT count(*)::text FROM pg_class WHERE relname = 'only_here' \
                     UNION ALL SELECT i::text FROM generate_series(1, 3) AS i",
                    &mut |row| {
                        seen.push(row);
                        true
                    },
                )
                .await?;
            let expected: Vec<Vec<Option<String>>> = ["0", "1", "2", "3"]
                .iter()
                .map(|v| vec![Some(v.to_string())])
                .collect();
            assert_eq!(seen, expected, "uncommitted work is not seen; rows stream");
            d.execute("ROLLBACK").await?;
            sibling.close().await?;
            assert!(sibling.query(pid).await.is_err(), "closed");
        }
        _ => assert!(sibling.is_none()),
    }
    d.close().await?;
    Ok(())
});

// Text rows: PostgreSQL's driver checks the columns' types once per result, and still
// refuses a column that is not text (NULLs of any type read as NULL, as sqlx reads them).
db_test!(
    text_rows_refuse_a_column_that_is_not_text,
    [postgres],
    |db| {
        let mut d = driver(&db).await;
        let rows = d
            .query_text("SELECT 'a'::text, NULL::text, 'b'::name UNION ALL SELECT NULL, 'c', 'd'")
            .await?;
        let text = |v: &str| Some(v.to_owned());
        assert_eq!(
            rows,
            vec![
                vec![text("a"), None, text("b")],
                vec![None, text("c"), text("d")]
            ]
        );
        assert!(d.query_text("SELECT 'a'::text, 1::integer").await.is_err());
        assert_eq!(
            d.query_text("SELECT 'a'::text, NULL::integer").await?,
            vec![vec![text("a"), None]]
        );
        d.close().await?;
        Ok(())
    }
);
