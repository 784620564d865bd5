//! Session timeouts and the opt-in DDL lock retry (PostgreSQL), and SQLite's foreign keys
//! around a table rebuild, run in-process with small histories of their own.

use std::time::Duration;

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::{FkAction, Type};
use retort_migrate::driver::Driver;
use retort_migrate::{AnyDriver, DatabaseUrl, MigrateError, Migrator, Script, Timeouts};
use retort_testkit::{db_test, TestDialect};

use crate::support::repeat;

fn one(upgrade: fn(&mut Operations)) -> Vec<Script> {
    vec![Script {
        revision: Revision::new("t00001"),
        upgrade,
        downgrade: noop,
        path: "versions/t00001_t.rs",
        checksum: "t1",
    }]
}
fn noop(_: &mut Operations) {}
fn alter_locked(op: &mut Operations) {
    op.execute("ALTER TABLE t_locked ADD COLUMN extra INTEGER");
}
fn slow(op: &mut Operations) {
    op.execute("SELECT pg_sleep(5)");
}

async fn connect(db: &retort_testkit::TestDb) -> AnyDriver {
    AnyDriver::connect(&DatabaseUrl::parse(db.url()).expect("URL"))
        .await
        .expect("connects")
}

/// Another session's hold on `t_locked`, which the revision's ALTER must wait for.
enum Holder {
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
    Mysql(sqlx::Transaction<'static, sqlx::MySql>),
}

impl Holder {
    async fn take(db: &retort_testkit::TestDb) -> Holder {
        if db.dialect() == TestDialect::Mysql {
            // A read in an open transaction keeps its metadata lock until the end: the
            // ALTER waits for it (`lock_wait_timeout`).
            let mut tx = db.mysql_pool().begin().await.expect("begins");
            sqlx::query("SELECT COUNT(*) FROM t_locked")
                .execute(&mut *tx)
                .await
                .expect("reads");
            Holder::Mysql(tx)
        } else {
            let mut tx = db.pg_pool().begin().await.expect("begins");
            sqlx::query("LOCK TABLE t_locked IN ACCESS EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await
                .expect("locks");
            Holder::Postgres(tx)
        }
    }
    async fn release(self) {
        match self {
            Holder::Postgres(tx) => tx.rollback().await.expect("releases"),
            Holder::Mysql(tx) => tx.rollback().await.expect("releases"),
        }
    }
}

// MariaDB: `ddl_lock_timeout` is `lock_wait_timeout` there, in whole seconds (at least 1),
// and a metadata-lock wait that runs out (error 1205) is what is retried.
db_test!(ddl_lock_timeout_fails_or_retries, [postgres, mysql], |db| {
    let mysql = db.dialect() == TestDialect::Mysql;
    db.execute("CREATE TABLE t_locked (id INTEGER PRIMARY KEY)")
        .await?;
    for _ in 0..repeat() {
        for t in ["retort_version", "retort_log"] {
            db.execute(&format!("DROP TABLE IF EXISTS {t}")).await?;
        }
        db.execute("ALTER TABLE t_locked DROP COLUMN IF EXISTS extra")
            .await?;
        let short = Timeouts::default().with_ddl_lock(Some(Duration::from_millis(100)), 0);
        // Another session holds the table: without retries the statement gives up.
        let holder = Holder::take(&db).await;
        let mut d = connect(&db).await;
        let migrator = Migrator::new(one(alter_locked))?.with_timeouts(short);
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, MigrateError::Step { .. }), "{msg}");
        let timeout = if mysql {
            "Lock wait timeout"
        } else {
            "lock timeout"
        };
        assert!(msg.contains(timeout) && msg.contains("t00001"), "{msg}");

        // With retries, it waits out a lock released later: past one whole wait on
        // MariaDB (its shortest is a second), so the retry is what succeeds.
        let release_after = Duration::from_millis(if mysql { 1500 } else { 500 });
        let migrator =
            migrator.with_timeouts(short.with_ddl_lock(Some(Duration::from_millis(100)), 6));
        let (ran, ()) = tokio::join!(migrator.upgrade(&mut d, "head"), async {
            tokio::time::sleep(release_after).await;
            holder.release().await;
        });
        assert_eq!(ran?.steps.len(), 1);
        d.close().await?;
    }
    Ok(())
});

// PostgreSQL only: MySQL's `max_execution_time` bounds only SELECT and MariaDB's
// `max_statement_time` is its own, so the engine sets no statement timeout there
// (docs/mysql.md); SQLite has none.
db_test!(statement_timeout_bounds_a_statement, [postgres], |db| {
    let migrator = Migrator::new(one(slow))?
        .with_timeouts(Timeouts::default().with_statement(Some(Duration::from_millis(200))));
    let mut d = connect(&db).await;
    let started = std::time::Instant::now();
    let err = migrator
        .upgrade(&mut d, "head")
        .await
        .unwrap_err()
        .to_string();
    assert!(started.elapsed() < Duration::from_secs(4), "{err}");
    assert!(
        err.contains("statement timeout") && err.contains("pg_sleep"),
        "{err}"
    );
    assert!(migrator.current(&mut d).await?.is_empty());
    d.close().await?;
    Ok(())
});

fn parent_child(op: &mut Operations) {
    op.create_table("parent", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("name", Type::Varchar(Some(40)));
        t.primary_key(["id"]);
    });
    op.create_table("child", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("parent_id", Type::Integer);
        t.primary_key(["id"]);
        t.foreign_key(["parent_id"], "parent", ["id"])
            .on_delete(FkAction::Cascade);
    });
    op.execute("INSERT INTO parent (id, name) VALUES (1, 'a'), (2, 'b')");
    op.execute("INSERT INTO child (id, parent_id) VALUES (10, 1), (20, 2)");
}
fn rebuild_parent(op: &mut Operations) {
    op.alter_column("parent", "name")
        .nullable(false)
        .existing_nullable(true)
        .existing_type(Type::Varchar(Some(40)));
}
fn orphan_then_rebuild(op: &mut Operations) {
    op.execute("INSERT INTO child (id, parent_id) VALUES (30, 999)");
    rebuild_parent(op);
}

fn two(second: fn(&mut Operations)) -> Vec<Script> {
    vec![
        Script {
            revision: Revision::new("s00001"),
            upgrade: parent_child,
            downgrade: noop,
            path: "versions/s00001_pc.rs",
            checksum: "s1",
        },
        Script {
            revision: Revision::new("s00002").down_revision("s00001"),
            upgrade: second,
            downgrade: noop,
            path: "versions/s00002_rebuild.rs",
            checksum: "s2",
        },
    ]
}

async fn foreign_keys_on(d: &mut AnyDriver) -> bool {
    let rows = d
        .query_text("SELECT CAST(foreign_keys AS TEXT) FROM pragma_foreign_keys")
        .await
        .expect("reads the pragma");
    rows == vec![vec![Some("1".to_owned())]]
}

// SQLite only, as its table rebuilds are: PostgreSQL and MySQL alter a table in place.
db_test!(
    sqlite_rebuild_of_a_referenced_table_keeps_children,
    [sqlite],
    |db| {
        for mode in [
            retort_migrate::TransactionMode::PerRevision,
            retort_migrate::TransactionMode::All,
        ] {
            crate::support::reset(&db).await;
            db.execute("DROP TABLE IF EXISTS child").await?;
            db.execute("DROP TABLE IF EXISTS parent").await?;
            let mut d = connect(&db).await;
            let migrator = Migrator::new(two(rebuild_parent))?.with_transaction_mode(mode);
            migrator.upgrade(&mut d, "head").await?;
            // The rebuild ran with keys off: no cascade emptied the children.
            let children = db
                .query_strings("SELECT CAST(id AS TEXT) FROM child ORDER BY id")
                .await?;
            assert_eq!(children, vec!["10", "20"], "{mode:?}");
            assert!(foreign_keys_on(&mut d).await, "keys back on after the run");
            d.close().await?;

            // A broken reference left by the revision is caught before COMMIT.
            crate::support::reset(&db).await;
            db.execute("DROP TABLE IF EXISTS child").await?;
            db.execute("DROP TABLE IF EXISTS parent").await?;
            let mut d = connect(&db).await;
            let migrator = Migrator::new(two(orphan_then_rebuild))?.with_transaction_mode(mode);
            migrator.upgrade(&mut d, "s00001").await?;
            let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
            let msg = err.to_string();
            // Caught by the dialect's own guard in the rebuild, or by the runner's
            // foreign_key_check before COMMIT: either way named and rolled back.
            assert!(
                matches!(
                    err,
                    MigrateError::ForeignKeyCheck { .. } | MigrateError::Step { .. }
                ),
                "{msg}"
            );
            assert!(
                msg.contains("s00002") && msg.to_lowercase().contains("foreign key"),
                "{msg}"
            );
            assert_eq!(migrator.current(&mut d).await?, vec!["s00001"]);
            let children = db
                .query_strings("SELECT CAST(id AS TEXT) FROM child ORDER BY id")
                .await?;
            assert_eq!(children, vec!["10", "20"], "rolled back");
            assert!(
                foreign_keys_on(&mut d).await,
                "keys back on after a failure"
            );
            d.close().await?;
        }
        Ok(())
    }
);

// SQLite only, as its table rebuilds are.
db_test!(
    offline_sqlite_rebuild_of_a_referenced_table_keeps_children,
    [sqlite],
    |db| {
        for mode in [
            retort_migrate::TransactionMode::PerRevision,
            retort_migrate::TransactionMode::All,
        ] {
            crate::support::reset(&db).await;
            db.execute("DROP TABLE IF EXISTS child").await?;
            db.execute("DROP TABLE IF EXISTS parent").await?;
            let mut d = connect(&db).await;
            // The script rebuilds as the history builds (nothing else made these tables).
            let migrator = Migrator::new(two(rebuild_parent))?
                .with_transaction_mode(mode)
                .with_assumed_history_shape(true);
            migrator.upgrade(&mut d, "s00001").await?;
            // The `--sql` script, run by a client with foreign keys on (sqlx's default).
            assert!(foreign_keys_on(&mut d).await);
            let script =
                migrator.offline_upgrade(retort_migrate::Backend::Sqlite, "s00001:head")?;
            d.execute(&script).await?;
            let children = db
                .query_strings("SELECT CAST(id AS TEXT) FROM child ORDER BY id")
                .await?;
            assert_eq!(children, vec!["10", "20"], "{mode:?}:\n{script}");
            assert!(
                foreign_keys_on(&mut d).await,
                "keys back on after the script"
            );
            assert_eq!(migrator.current(&mut d).await?, vec!["s00002"]);
            d.close().await?;
        }
        Ok(())
    }
);
