//! Double application: two runs that spell the same version table differently must share
//! one lock, and whatever the lock does, a version row that moved under a run rolls its
//! revision back instead of recording it twice.

use std::path::PathBuf;
use std::process::Command;

use retort_fault::{R1, R2, R3};
use retort_testkit::{db_test, TestDb, TestDialect};

use crate::support::{
    assert_consistent, assert_each_revision_applied_once, command, done_steps, log, objects,
    repeat, reset, run, text, versions, Paused,
};

/// One way a configuration names the database and its version table.
struct Spelling {
    what: &'static str,
    env: Vec<(&'static str, String)>,
    cwd: Option<PathBuf>,
}

impl Spelling {
    fn apply(&self, mut cmd: Command) -> Command {
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        cmd
    }
}

/// Pairs of spellings of one version table: PostgreSQL's default schema and `public`
/// named outright; MariaDB's default database and the database named outright as the
/// version table's schema, and `mariadb://` for `mysql://`; SQLite's file by its path,
/// through a symlink, and relative to the working directory.
fn spellings(db: &TestDb) -> Vec<(Spelling, Spelling)> {
    let default = || Spelling {
        what: "the default",
        env: Vec::new(),
        cwd: None,
    };
    match db.dialect() {
        TestDialect::Postgres => {
            let public = || Spelling {
                what: "version_table_schema = \"public\"",
                env: vec![("RETORT_FAULT_VERSION_SCHEMA", "public".to_owned())],
                cwd: None,
            };
            vec![(default(), public()), (public(), default())]
        }
        TestDialect::Mysql => {
            let named = Spelling {
                what: "version_table_schema naming the database",
                env: vec![("RETORT_FAULT_VERSION_SCHEMA", db.name().to_owned())],
                cwd: None,
            };
            let mariadb = Spelling {
                what: "a mariadb:// URL",
                env: vec![(
                    "RETORT_FAULT_URL",
                    db.url().replacen("mysql://", "mariadb://", 1),
                )],
                cwd: None,
            };
            vec![(default(), named), (mariadb, default())]
        }
        _ => {
            let path = db.sqlite_path().expect("a SQLite file").to_owned();
            let dir = path.parent().expect("a directory").to_owned();
            let link = dir.join("through-a-symlink.sqlite3");
            if !link.exists() {
                std::os::unix::fs::symlink(&path, &link).expect("makes a symlink");
            }
            let symlink = Spelling {
                what: "a symlink to the file",
                env: vec![("RETORT_FAULT_URL", format!("sqlite://{}", link.display()))],
                cwd: None,
            };
            let name = path.file_name().expect("a file name").to_string_lossy();
            let relative = Spelling {
                what: "a path relative to the working directory",
                env: vec![("RETORT_FAULT_URL", format!("sqlite:{name}"))],
                cwd: Some(dir),
            };
            vec![(default(), symlink), (relative, default())]
        }
    }
}

db_test!(
    differently_spelled_configs_share_one_lock,
    [postgres, sqlite, mysql],
    |db| {
        for round in 0..repeat() {
            for (first, second) in spellings(&db) {
                let context = format!("round {round}: {} then {}", first.what, second.what);
                reset(&db).await;
                // The first run holds the lock, paused before its first statement.
                let a = first.apply(command(
                    &db,
                    &["upgrade", "head"],
                    &[("RETORT_FAULT_PAUSE_AT", "1")],
                ));
                let a = Paused::start(a).unwrap_or_else(|out| {
                    panic!("{context}: did not pause: {}", text(&out.stderr))
                });
                // The second, spelled differently, must wait on that same lock.
                let b = || {
                    second.apply(command(
                        &db,
                        &["upgrade", "head"],
                        &[("RETORT_FAULT_LOCK_TIMEOUT_MS", "300")],
                    ))
                };
                let out = b().output()?;
                let stderr = text(&out.stderr);
                assert!(
                    !out.status.success()
                        && stderr.contains("another run holds the migration lock"),
                    "{context}: the second run did not wait on the first one's lock: {}{stderr}",
                    text(&out.stdout)
                );
                assert_eq!(objects(&db).await, Vec::<String>::new(), "{context}");
                let out = a.resume();
                assert!(out.status.success(), "{context}: {}", text(&out.stderr));
                assert_eq!(done_steps(&out), Some(3), "{context}");
                // Now the second finds nothing to do.
                let out = b().output()?;
                assert!(out.status.success(), "{context}: {}", text(&out.stderr));
                assert_eq!(done_steps(&out), Some(0), "{context}");
                assert_eq!(versions(&db).await, vec![R3], "{context}");
                assert_consistent(&db, &context).await;
            }
        }
        Ok(())
    }
);

/// Upgrades to `target` with the plain binary.
fn upgraded(db: &TestDb, target: &str) {
    let out = run(db, &["upgrade", target], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// The run's revision must be rolled back with an error naming it and the version table.
fn assert_conflict(out: &std::process::Output, revision: &str, context: &str) {
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{context}: recorded anyway");
    assert!(
        stderr.contains(revision)
            && stderr.contains("version table")
            && (stderr.contains("rolled back") || stderr.contains("was not recorded")),
        "{context}: {stderr}"
    );
}

db_test!(
    a_version_row_moved_under_a_run_rolls_its_revision_back,
    [postgres, sqlite, mysql],
    |db| {
        for round in 0..repeat() {
            let context = format!("round {round}");
            reset(&db).await;
            upgraded(&db, R2);
            // Paused before the BEGIN of R3's transaction, the lock held; meanwhile another
            // run that the lock did not stop (a hand edit stands in for it) records R3.
            let a = command(&db, &["upgrade", "head"], &[("RETORT_FAULT_PAUSE_AT", "1")]);
            let a = Paused::start(a).unwrap_or_else(|out| panic!("{}", text(&out.stderr)));
            db.execute(&format!(
                "UPDATE retort_version SET version_num = '{R3}' WHERE version_num = '{R2}'"
            ))
            .await?;
            let out = a.resume();
            assert_conflict(&out, R3, &context);
            if db.dialect() == TestDialect::Mysql {
                // MariaDB committed R3's statements one by one; the error says they stay,
                // and the version row is still the other run's alone.
                let stderr = text(&out.stderr);
                assert!(
                    stderr.contains("was not recorded, though its 2 statement(s) ran and stay"),
                    "{context}: {stderr}"
                );
                assert!(objects(&db).await.contains(&"f_three".to_owned()));
            } else {
                // R3's table was rolled back with the step; its row is the other run's alone.
                assert!(!objects(&db).await.contains(&"f_three".to_owned()));
            }
            assert_eq!(versions(&db).await, vec![R3], "{context}");
            let upgrades: Vec<String> = log(&db)
                .await
                .into_iter()
                .filter(|l| l.starts_with(R3))
                .collect();
            if db.dialect() == TestDialect::Mysql {
                // Only the progress rows of its statements, which stay; never an upgrade row.
                assert!(
                    upgrades.iter().all(|l| l.contains(" upgrade:")),
                    "{context}: {upgrades:?}"
                );
            } else {
                assert_eq!(upgrades, Vec::<String>::new(), "{context}");
            }
        }
        Ok(())
    }
);

db_test!(
    a_head_inserted_under_a_run_rolls_its_revision_back,
    [postgres, sqlite, mysql],
    |db| {
        for round in 0..repeat() {
            let context = format!("round {round}");
            reset(&db).await;
            // Bookkeeping tables in place and empty: the run will insert R1 as a new head.
            upgraded(&db, R1);
            let out = run(&db, &["downgrade", "base"], &[]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let a = command(&db, &["upgrade", "head"], &[("RETORT_FAULT_PAUSE_AT", "1")]);
            let a = Paused::start(a).unwrap_or_else(|out| panic!("{}", text(&out.stderr)));
            // Meanwhile another run got as far as R2 (a hand edit stands in for it).
            db.execute(&format!(
                "INSERT INTO retort_version (version_num) VALUES ('{R2}')"
            ))
            .await?;
            let out = a.resume();
            assert_conflict(&out, R1, &context);
            // MariaDB committed R1's DDL statement on its own (and says so); elsewhere R1
            // was rolled back whole.
            let left: &[&str] = if db.dialect() == TestDialect::Mysql {
                &["f_one"]
            } else {
                &[]
            };
            assert_eq!(objects(&db).await, left, "{context}");
            assert_eq!(versions(&db).await, vec![R2], "{context}");
        }
        Ok(())
    }
);

db_test!(
    ten_processes_with_two_spellings_apply_each_revision_once,
    [postgres, sqlite, mysql],
    |db| {
        let pairs = spellings(&db);
        for round in 0..repeat() {
            reset(&db).await;
            let children: Vec<_> = (0..10)
                .map(|i| {
                    let (a, b) = &pairs[0];
                    let spelling = if i % 2 == 0 { a } else { b };
                    spelling
                        .apply(command(&db, &["upgrade", "head"], &[]))
                        .stdout(std::process::Stdio::piped())
                        .stderr(std::process::Stdio::piped())
                        .spawn()
                        .expect("spawns")
                })
                .collect();
            let mut steps = 0;
            for child in children {
                let out = child.wait_with_output()?;
                assert!(
                    out.status.success(),
                    "round {round}: a process failed: {}",
                    text(&out.stderr)
                );
                steps += done_steps(&out).expect("DONE <steps> <statements>");
            }
            assert_each_revision_applied_once(&db, steps, round).await;
        }
        Ok(())
    }
);
