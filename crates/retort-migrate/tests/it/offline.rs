//! Offline `--sql`: the script for a range, and that it is what the runner would run.

use retort_migrate::driver::Driver;
use retort_migrate::{Backend, MigrateError, Migrator, TransactionMode};
use retort_testkit::db_test;

use crate::fixtures::{driver, history, versions, R3};

#[test]
fn upgrade_range_script() {
    let migrator = Migrator::new(history()).unwrap();
    let sql = migrator
        .offline_upgrade(Backend::Postgres, "aaa111:ccc333")
        .unwrap();
    let expected = "\
\\set ON_ERROR_STOP on

-- Running upgrade aaa111 -> bbb222 (versions/bbb222_two.rs)
BEGIN;

CREATE TABLE t_two (id INTEGER PRIMARY KEY);

INSERT INTO t_two (id) VALUES (1), (2);

UPDATE retort_version SET version_num = 'bbb222' WHERE version_num = 'aaa111';

INSERT INTO retort_log (revision, direction, checksum, duration_ms) VALUES ('bbb222', 'upgrade', '2222222222222222222222222222222222222222222222222222222222222222', NULL);

COMMIT;

-- Running upgrade bbb222 -> ccc333 (versions/ccc333_three.rs)
BEGIN;

CREATE TABLE t_three (id INTEGER PRIMARY KEY);

UPDATE retort_version SET version_num = 'ccc333' WHERE version_num = 'bbb222';

INSERT INTO retort_log (revision, direction, checksum, duration_ms) VALUES ('ccc333', 'upgrade', '3333333333333333333333333333333333333333333333333333333333333333', NULL);

COMMIT;

";
    assert_eq!(sql, expected);
}

#[test]
fn downgrade_needs_a_range() {
    let migrator = Migrator::new(history()).unwrap();
    let err = migrator
        .offline_downgrade(Backend::Postgres, "base")
        .unwrap_err();
    assert!(matches!(err, MigrateError::OfflineRange { .. }), "{err}");
    assert!(err.to_string().contains("head:base"), "{err}");
    let sql = migrator
        .offline_downgrade(Backend::Postgres, "ccc333:aaa111")
        .unwrap();
    let drop_three = sql.find("DROP TABLE t_three").unwrap();
    let drop_two = sql.find("DROP TABLE t_two").unwrap();
    assert!(drop_three < drop_two);
    assert!(!sql.contains("DROP TABLE t_one"));
    assert!(sql
        .contains("UPDATE retort_version SET version_num = 'aaa111' WHERE version_num = 'bbb222'"));
}

#[test]
fn all_in_one_script_has_one_transaction() {
    let migrator = Migrator::new(history())
        .unwrap()
        .with_transaction_mode(TransactionMode::All);
    let sql = migrator.offline_upgrade(Backend::Sqlite, "head").unwrap();
    assert_eq!(sql.matches("BEGIN;").count(), 1);
    assert_eq!(sql.matches("COMMIT;").count(), 1);
    assert!(sql.starts_with("BEGIN;\n\nCREATE TABLE retort_version ("));
    assert!(sql.trim_end().ends_with("COMMIT;"));
}

db_test!(offline_script_from_base_runs_like_the_runner, |db| {
    let migrator = Migrator::new(history())?;
    let backend = if db.url().starts_with("sqlite") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    let script = migrator.offline_upgrade(backend, "head")?;
    if let Some(out) = run_script(&db, &script).await {
        assert!(
            out.status.success(),
            "psql failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut d = driver(&db).await;
    assert_eq!(versions(&db).await, vec![R3]);
    assert_eq!(migrator.current(&mut d).await?, vec![R3]);
    let log = migrator.log(&mut d).await?;
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|e| e.duration_ms.is_none()));
    // The runner agrees there is nothing left to do.
    assert!(migrator.upgrade(&mut d, "head").await?.is_empty());
    d.close().await?;
    Ok(())
});

#[test]
fn stamp_script_from_base_and_from_a_range() {
    let migrator = Migrator::new(history()).unwrap();
    let sql = migrator
        .offline_stamp(Backend::Postgres, &["bbb222"], false)
        .unwrap();
    assert!(
        sql.starts_with("\\set ON_ERROR_STOP on\n\nBEGIN;\n\nCREATE TABLE retort_version ("),
        "{sql}"
    );
    assert!(sql.contains("INSERT INTO retort_version (version_num) VALUES ('bbb222');"));
    assert!(sql.contains("VALUES ('bbb222', 'stamp', NULL, NULL);"));
    assert!(sql.ends_with("COMMIT;\n\n"));

    let sql = migrator
        .offline_stamp(Backend::Postgres, &["aaa111:ccc333"], true)
        .unwrap();
    assert!(!sql.contains("CREATE TABLE"), "{sql}");
    let purge = sql.find("DELETE FROM retort_version;").unwrap();
    let insert = sql
        .find("INSERT INTO retort_version (version_num) VALUES ('ccc333');")
        .unwrap();
    assert!(purge < insert, "{sql}");
}

/// Writes `script` to a file and runs it: with psql on PostgreSQL (as a user would), with
/// the driver on SQLite. Returns psql's output on PostgreSQL.
async fn run_script(db: &retort_testkit::TestDb, script: &str) -> Option<std::process::Output> {
    if db.url().starts_with("sqlite") {
        let mut d = driver(db).await;
        d.execute(script).await.expect("the SQLite script runs");
        d.close().await.expect("closes");
        return None;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("script.sql");
    std::fs::write(&file, script).expect("writes the script");
    Some(db.psql_file(&file).await.expect("psql runs"))
}

// Every statement of the script ends with its own `;`, whatever comments the raw SQL holds
// (issue 10, items 3 and 6): a `-- comment` at the end of raw SQL must not swallow it.
db_test!(
    offline_script_ends_every_statement_whatever_its_comments,
    |db| {
        use crate::fixtures::{commented_history, commented_row, R1};
        let migrator = Migrator::new(commented_history())?;
        let backend = if db.url().starts_with("sqlite") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let up = migrator.offline_upgrade(backend, "head")?;
        if let Some(out) = run_script(&db, &up).await {
            assert!(
                out.status.success(),
                "psql failed on the upgrade script:\n{}\n{up}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(versions(&db).await, vec![R1], "{up}");
        assert_eq!(commented_row(&db).await, vec!["5|x -- y;"], "{up}");

        let down = migrator.offline_downgrade(backend, &format!("{R1}:base"))?;
        if let Some(out) = run_script(&db, &down).await {
            assert!(
                out.status.success(),
                "psql failed on the downgrade script:\n{}\n{down}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(versions(&db).await, Vec::<String>::new(), "{down}");
        let mut d = driver(&db).await;
        assert!(!d.table_exists(None, "t_c").await?, "{down}");
        d.close().await?;
        Ok(())
    }
);

fn up_fails_then_vacuums(op: &mut retort_core::ops::Operations) {
    op.execute("INSERT INTO no_such_table VALUES (1)");
    op.execute("VACUUM").outside_transaction();
    op.execute("CREATE TABLE t_after (id INTEGER PRIMARY KEY)");
}
fn down_nothing(_: &mut retort_core::ops::Operations) {}

// psql goes on after an error unless told to stop: a failed statement before one that
// runs outside the transaction would leave the revision's later statements to run and
// record the version. The script tells psql to stop at the first error (item 6).
db_test!(
    offline_postgres_script_stops_psql_at_the_first_error,
    [postgres],
    |db| {
        let mut scripts = history();
        scripts.truncate(1);
        scripts.push(retort_migrate::Script {
            revision: retort_core::graph::Revision::new("bad222").down_revision("aaa111"),
            upgrade: up_fails_then_vacuums,
            downgrade: down_nothing,
            path: "versions/bad222_fails.rs",
            checksum: "2",
        });
        let migrator = Migrator::new(scripts)?;
        let script = migrator.offline_upgrade(Backend::Postgres, "head")?;
        let out = run_script(&db, &script).await.expect("psql ran");
        assert_eq!(versions(&db).await, vec!["aaa111"], "{script}");
        assert!(!out.status.success(), "psql must fail:\n{script}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("no_such_table"), "{stderr}");
        let mut d = driver(&db).await;
        assert!(!d.table_exists(None, "t_after").await?, "{script}");
        d.close().await?;
        assert!(script.starts_with("\\set ON_ERROR_STOP on\n"), "{script}");
        Ok(())
    }
);
