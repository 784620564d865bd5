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
