//! Ten processes run `upgrade head` at once.

use std::process::Stdio;

use retort_fault::{R1, R2, R3};
use retort_testkit::db_test;

use crate::support::{assert_consistent, command, log, repeat, text, versions};

db_test!(ten_processes_apply_each_revision_once, |db| {
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
            let done = text(&out.stdout);
            steps += done
                .trim()
                .strip_prefix("DONE ")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse::<usize>().ok())
                .expect("DONE <steps> <statements>");
        }
        assert_eq!(steps, 3, "round {round}: three steps in all");
        assert_eq!(versions(&db).await, vec![R3]);
        let upgrades: Vec<String> = log(&db)
            .await
            .into_iter()
            .filter(|l| l.ends_with(" upgrade"))
            .collect();
        assert_eq!(
            upgrades,
            [R1, R2, R3].map(|r| format!("{r} upgrade")).to_vec(),
            "round {round}"
        );
        assert_consistent(&db, &format!("round {round}")).await;
    }
    Ok(())
});
