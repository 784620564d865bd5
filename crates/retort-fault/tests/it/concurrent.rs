//! Ten processes run `upgrade head` at once.

use std::process::Stdio;

use retort_testkit::db_test;

use crate::support::{assert_each_revision_applied_once, command, done_steps, repeat, text};

db_test!(
    ten_processes_apply_each_revision_once,
    [postgres, sqlite, mysql],
    |db| {
        for round in 0..repeat() {
            crate::support::reset(&db).await;
            let children: Vec<_> = (0..10)
                .map(|_| {
                    command(&db, &["upgrade", "head"], &[])
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
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
