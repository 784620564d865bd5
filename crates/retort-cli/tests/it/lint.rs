//! `lint` through the command line on PostgreSQL: the findings of a downgrade over
//! populated tables with their counts and lines, JSON for CI, the exit codes a pipeline
//! gates on, offline, and the warnings `downgrade` prints before it runs; then the
//! data-loss guard refusing that downgrade (exit 6), allowed per environment and by
//! `--allow-data-loss`.

use crate::support::{database, env, linear, run, with_password, R2};

#[test]
fn lint_reports_gates_and_warns_before_a_run() {
    let db = database("cli_lint_reports_gates_and_warns");
    let url = with_password(db.url());
    let env = env(linear());
    let names = [(db.name(), "<db>")];
    let cli = |args: &[&str]| {
        let mut full = vec!["--url", url.as_str()];
        full.extend_from_slice(args);
        let out = run(&env, &full, &names);
        out.assert_no_secret();
        out
    };

    // Offline, base to head: every table is created by the run, nothing to report (the
    // raw CREATE INDEX of the third revision is on a table the run creates).
    let out = cli(&["lint", "--offline"]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stdout
            .contains("No findings in 3 ops of 3 revisions (postgres, not connected"),
        "{}",
        out.render()
    );

    assert_eq!(cli(&["upgrade", R2]).code, 0);
    db.execute("INSERT INTO customers (email_address) VALUES ('a@x'), ('b@x')");
    db.execute("INSERT INTO orders (customer_id) SELECT customer_id FROM customers");

    // Connected: the database is at R2, so `lint` lints R3 only (a raw index on a small table).
    let out = cli(&["lint"]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr.contains("Target:"),
        "a connecting command names its database: {}",
        out.render()
    );

    // The downgrade to base drops two populated tables: errors, exit code 5.
    let out = cli(&["lint", "--downgrade", "base"]);
    assert_eq!(out.code, 5, "{}", out.render());
    assert!(
        out.stdout.contains("versions/abcd33334444_create_orders.rs: error[drop-table] drops table orders; the table holds 2 rows"),
        "{}",
        out.render()
    );
    assert!(out.stdout.contains("  instead: "), "{}", out.render());
    assert!(
        out.stderr.contains("2 findings at or above error"),
        "{}",
        out.render()
    );

    // JSON for CI: one document, the same findings, every op classified.
    let out = cli(&["lint", "--downgrade", "base", "--format", "json"]);
    assert_eq!(out.code, 5);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(doc["connected"], true);
    assert_eq!(doc["failing"], 2);
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(rules, ["drop-table", "drop-table"]);
    assert_eq!(doc["ops"][0]["lock"], "ACCESS EXCLUSIVE");

    // Below the failing level: listed, exit 0; a stricter level fails.
    let out = cli(&["lint", "--downgrade", "base", "--fail-on", "info"]);
    assert_eq!(out.code, 5);
    let out = cli(&["lint", "--fail-on", "fatal"]);
    assert_eq!(out.code, 2, "{}", out.render());

    // `downgrade` prints the findings before it runs; then the data-loss guard refuses the
    // first revision dropping a populated table (exit 6), before anything of it runs.
    let out = cli(&["downgrade", "base"]);
    assert_eq!(out.code, 6, "{}", out.render());
    assert!(
        out.stderr.contains("warning: versions/abcd33334444_create_orders.rs: error[drop-table] drops table orders; the table holds 2 rows"),
        "{}",
        out.render()
    );
    insta::assert_snapshot!("downgrade_refused_by_the_data_loss_guard", out.render());
    assert_eq!(db.query("SELECT version_num FROM retort_version"), [R2]);

    // A development environment may allow what the top level refuses.
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("retort.toml");
    std::fs::write(&config, "[env.dev.lint]\ndata_loss = \"warn\"\n").expect("writes");
    let config = config.to_str().expect("utf-8 path");
    let out = cli(&["-c", config, "downgrade", "-1"]);
    assert_eq!(out.code, 6, "{}", out.render());
    let out = cli(&["-c", config, "--env", "dev", "downgrade", "-1", "--no-lint"]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr.contains("warning: downgrade of revision abcd33334444 (versions/abcd33334444_create_orders.rs) dropped table public.orders holding 2 rows, as allowed"),
        "{}",
        out.render()
    );

    // --allow-data-loss: it runs, and says what it lost.
    let out = cli(&["downgrade", "base", "--allow-data-loss"]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr
            .contains("dropped table public.customers holding 2 rows, as allowed"),
        "{}",
        out.render()
    );
    db.close();
}

const W1: &str = "c1a5500000a1";
const W2: &str = "c1a5500000a2";
const W3: &str = "c1a5500000a3";

fn up_w1(op: &mut retort_core::ops::Operations) {
    op.create_table("lost_t", |t| {
        t.column("id", retort_core::schema::Type::Integer)
            .not_null();
        t.primary_key(["id"]);
    });
}
fn up_w2(op: &mut retort_core::ops::Operations) {
    op.drop_table("lost_t");
}
fn up_w3(op: &mut retort_core::ops::Operations) {
    op.execute("INSERT INTO no_such_table (id) VALUES (1)");
}
fn nothing(_: &mut retort_core::ops::Operations) {}

/// In warn mode (`--allow-data-loss`, or `data_loss = "warn"`), the losses let through by
/// the revisions that ran are printed even when a later revision of the same `upgrade`
/// fails: before the error, which says what was applied.
#[test]
fn loss_warnings_of_what_ran_are_printed_when_a_later_revision_fails() {
    use crate::support::script;
    use retort_core::graph::Revision;
    let db = database("cli_loss_warnings_before_a_failure");
    let env = env(vec![
        script(
            Revision::new(W1).message("make"),
            up_w1,
            nothing,
            "versions/c1a5500000a1_make.rs",
        ),
        script(
            Revision::new(W2).message("drop").down_revision(W1),
            up_w2,
            nothing,
            "versions/c1a5500000a2_drop.rs",
        ),
        script(
            Revision::new(W3).message("fail").down_revision(W2),
            up_w3,
            nothing,
            "versions/c1a5500000a3_fail.rs",
        ),
    ]);
    let url = db.url().to_owned();
    let cli = |args: &[&str]| {
        let mut full = vec!["--url", url.as_str()];
        full.extend_from_slice(args);
        run(&env, &full, &[(db.name(), "<db>")])
    };
    assert_eq!(cli(&["upgrade", W1]).code, 0);
    db.execute("INSERT INTO lost_t (id) VALUES (1), (2)");
    let out = cli(&["upgrade", "head", "--allow-data-loss", "--no-lint"]);
    assert_ne!(out.code, 0, "{}", out.render());
    assert_eq!(db.query("SELECT version_num FROM retort_version"), [W2]);
    let warning = out
        .stderr
        .find("dropped table public.lost_t holding 2 rows, as allowed")
        .unwrap_or_else(|| panic!("the loss is not reported: {}", out.render()));
    let error = out
        .stderr
        .find("no_such_table")
        .unwrap_or_else(|| panic!("the error is not reported: {}", out.render()));
    assert!(warning < error, "{}", out.render());
    db.close();
}
