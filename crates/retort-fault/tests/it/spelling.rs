//! SIGKILL during autogenerate's spelling transaction (PostgreSQL creates the model's
//! entities in one transaction it rolls back, `retort_dialect::postgres::entity_catalog`):
//! before each statement the read sends, the run is killed; each time the database's view
//! is the one it had, no copy or scratch table of the spelling is left, and no transaction
//! of the run lingers.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use retort_testkit::{BoxError, TestDb};

use crate::support::{command, text};

#[test]
fn a_run_killed_in_the_spelling_transaction_leaves_nothing() {
    retort_testkit::block_on(async {
        let db = TestDb::postgres("spelling::kill").await;
        let outcome = killed_body(&db).await;
        retort_testkit::finish(db, outcome).await;
    });
}

async fn killed_body(db: &TestDb) -> Result<(), BoxError> {
    // The model says `SELECT 1 AS one`: the texts differ, so the read spells the model.
    db.execute("CREATE VIEW f_spell_view AS SELECT 2 AS one")
        .await?;
    let mut in_block = false;
    let mut finished = false;
    for n in 1..=30 {
        let at = n.to_string();
        let mut child = command(
            db,
            &["spell", "f_spell_view"],
            &[("RETORT_FAULT_PAUSE_AT", &at)],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
        let stdout = child.stdout.take().expect("piped stdout");
        let first = BufReader::new(stdout)
            .lines()
            .next()
            .and_then(Result::ok)
            .unwrap_or_default();
        if first.starts_with("PAUSE") {
            // Paused before ROLLBACK: the block has run, its view and scratch tables are
            // in the open transaction.
            in_block |= first.contains("ROLLBACK");
            child.kill()?;
            let status = child.wait()?;
            assert!(!status.success(), "a killed run cannot succeed");
        } else {
            let out = child.wait_with_output()?;
            assert!(
                out.status.success() && first.starts_with("DONE"),
                "the run without a pause failed: {first}\n{}",
                text(&out.stderr)
            );
            finished = true;
        }
        // The killed session's transaction ends once the server reads the closed socket
        // (the test's own idle connections are not in one).
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let others = db
                .query_strings(
                    "SELECT count(*)::text FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid()
                       AND xact_start IS NOT NULL",
                )
                .await?;
            if others == ["0"] {
                break;
            }
            if Instant::now() >= deadline {
                let who = db
                    .query_strings(
                        "SELECT string_agg(pid || ' ' || coalesce(application_name, '') || ' '
                                || coalesce(state, '') || ' ' || left(query, 60), '; ')
                         FROM pg_stat_activity
                         WHERE datname = current_database() AND pid <> pg_backend_pid()
                           AND xact_start IS NOT NULL",
                    )
                    .await?;
                panic!("killed before statement {n}: a session lingers: {who:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let view = db
            .query_strings("SELECT pg_get_viewdef('f_spell_view'::regclass)")
            .await?;
        assert!(
            view[0].contains("2 AS one"),
            "killed before statement {n}: {view:?}"
        );
        let left = db
            .query_strings(
                "SELECT count(*)::text FROM pg_class
                 WHERE relname LIKE 'retort_entity%' OR (relkind = 'v' AND relname <> 'f_spell_view'
                   AND relnamespace = 'public'::regnamespace)",
            )
            .await?;
        assert_eq!(left, ["0"], "killed before statement {n}");
        if finished {
            break;
        }
    }
    assert!(finished, "the run never finished within 30 statements");
    assert!(in_block, "no kill fell inside the spelling transaction");
    Ok(())
}
