//! Commands that talk to the database: upgrade, downgrade, current, history -i, stamp,
//! ensure_version, each checked in the database as well as in its output.

use insta::assert_snapshot;

use crate::support::{database, env, linear, run, with_password, Db, R1, R2, R3};

fn tables(db: &Db) -> Vec<String> {
    db.query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    )
}

fn versions(db: &Db) -> Vec<String> {
    db.query("SELECT version_num::text FROM retort_version ORDER BY 1")
}

#[test]
fn upgrade_current_history_downgrade() {
    let db = database("cli_upgrade_current_history_downgrade");
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

    // Read-only commands on an empty database create nothing.
    let out = cli(&["current"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    assert!(tables(&db).is_empty(), "current created {:?}", tables(&db));

    assert_snapshot!("upgrade_to_second", cli(&["upgrade", "abcd3"]).render());
    assert_eq!(versions(&db), vec![R2]);
    assert_eq!(
        tables(&db),
        vec!["customers", "orders", "retort_log", "retort_version"]
    );

    assert_snapshot!("current_after_second", cli(&["current"]).render());
    assert_snapshot!("current_verbose", cli(&["current", "-v"]).render());
    let out = cli(&["current", "--check-heads"]);
    assert_snapshot!("current_check_heads_behind", out.render());
    assert_eq!(out.code, 1);

    assert_snapshot!("upgrade_head", cli(&["upgrade", "head"]).render());
    assert_eq!(versions(&db), vec![R3]);
    assert_eq!(cli(&["current", "--check-heads"]).code, 0);
    assert_snapshot!("upgrade_head_again", cli(&["upgrade", "head"]).render());
    assert_snapshot!("history_indicate_current", cli(&["history", "-i"]).render());
    assert_snapshot!(
        "history_range_current",
        cli(&["history", "-r", "abcd1:current"]).render()
    );

    assert_snapshot!("downgrade_minus_one", cli(&["downgrade", "-1"]).render());
    assert_eq!(versions(&db), vec![R2]);
    let out = cli(&["--quiet", "downgrade", "base"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", ""),
        "--quiet prints nothing on success"
    );
    assert!(versions(&db).is_empty());
    assert_eq!(tables(&db), vec!["retort_log", "retort_version"]);
    let log = db.query("SELECT revision || ' ' || direction FROM retort_log ORDER BY id");
    assert_eq!(
        log,
        [
            format!("{R1} upgrade"),
            format!("{R2} upgrade"),
            format!("{R3} upgrade"),
            format!("{R3} downgrade"),
            format!("{R2} downgrade"),
            format!("{R1} downgrade"),
        ]
    );
    db.close();
}

#[test]
fn stamp_and_purge() {
    let db = database("cli_stamp_and_purge");
    let url = with_password(db.url());
    let env = env(linear());
    let names = [(db.name(), "<db>")];
    let cli = |args: &[&str]| {
        let mut full = vec!["--url", url.as_str()];
        full.extend_from_slice(args);
        run(&env, &full, &names).assert_no_secret().render()
    };
    assert_snapshot!("stamp_head", cli(&["stamp", "head"]));
    assert_eq!(versions(&db), vec![R3]);
    assert!(
        !tables(&db).contains(&"customers".to_owned()),
        "stamp ran no script"
    );
    assert_snapshot!("stamp_purge_base_revision", cli(&["stamp", "--purge", R1]));
    assert_eq!(versions(&db), vec![R1]);
    // An unknown revision left in the table by another branch of the code is purged too.
    db.execute("UPDATE retort_version SET version_num = 'ffffffffffff'");
    let out = run(&env, &["--url", &url, "current"], &[]);
    assert!(
        out.stdout.contains("ffffffffffff (unknown"),
        "{}",
        out.render()
    );
    assert_eq!(
        run(&env, &["--url", &url, "stamp", "--purge", "head"], &[]).code,
        0
    );
    assert_eq!(versions(&db), vec![R3]);
    db.close();
}

#[test]
fn ensure_version_creates_only_the_bookkeeping_tables() {
    let db = database("cli_ensure_version");
    let env = env(linear());
    let out = run(
        &env,
        &["--url", db.url(), "ensure_version"],
        &[(db.name(), "<db>")],
    );
    assert_snapshot!("ensure_version", out.render());
    assert_eq!(tables(&db), vec!["retort_log", "retort_version"]);
    let again = run(&env, &["--url", db.url(), "ensure_version"], &[]);
    assert_eq!(again.code, 0);
    assert!(again.stderr.contains("already exist"), "{}", again.render());
    db.close();
}

#[test]
fn read_only_commands_do_not_create_a_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("never.db");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let env = env(linear());
    for args in [
        vec!["current"],
        vec!["current", "-v"],
        vec!["history", "-i"],
    ] {
        let mut full = vec!["--url", url.as_str()];
        full.extend(args.iter().copied());
        let out = run(&env, &full, &[]);
        assert_eq!(out.code, 0, "{}", out.render());
        assert!(
            !file.exists(),
            "`{}` created {}",
            args.join(" "),
            file.display()
        );
    }
}

#[test]
fn an_edited_applied_revision_stops_upgrade_until_repair() {
    let db = database("cli_edited_revision_repair");
    let url = with_password(db.url());
    let out = run(&env(linear()), &["--url", &url, "upgrade", "abcd3"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    // The same history, but the first file's checksum changed: it was edited after it ran.
    let mut edited = linear();
    edited[0].checksum = "1111111111111111111111111111111111111111111111111111111111111111";
    let edited = env(edited);
    let out = run(&edited, &["--url", &url, "upgrade", "head"], &[]);
    out.assert_no_secret();
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr.contains(R1),
        "names the revision: {}",
        out.render()
    );
    assert_eq!(versions(&db), vec![R2], "nothing ran");
    let out = run(&edited, &["--url", &url, "repair"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(out.stdout.contains(R1), "{}", out.render());
    let out = run(&edited, &["--url", &url, "upgrade", "head"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(versions(&db), vec![R3]);
    db.close();
}

#[test]
fn a_bad_lock_timeout_is_a_usage_error() {
    let out = run(
        &env(linear()),
        &[
            "--lock-timeout",
            "soon",
            "--url",
            "postgres://h/db",
            "upgrade",
            "head",
        ],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr.contains("--lock-timeout soon"),
        "{}",
        out.render()
    );
}

#[test]
fn a_deleted_applied_head_names_the_stamp_that_leaves_it_behind() {
    let db = database("cli_deleted_applied_head");
    let url = with_password(db.url());
    let out = run(&env(linear()), &["--url", &url, "upgrade", "head"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    // The applied head's file is gone.
    let mut without_head = linear();
    without_head.pop();
    let without_head = env(without_head);
    let stamp = format!("stamp --purge {R2}");
    for command in ["upgrade", "repair"] {
        let mut args = vec!["--url", url.as_str(), command];
        if command == "upgrade" {
            args.push("head");
        }
        let out = run(&without_head, &args, &[]);
        out.assert_no_secret();
        assert_eq!(out.code, 2, "{command}: {}", out.render());
        assert!(
            out.stderr.contains(R3) && out.stderr.contains(&stamp),
            "{command} names the command that works: {}",
            out.render()
        );
        assert!(
            !out.stderr.contains("or run `repair`"),
            "{command} must not advise repair: {}",
            out.render()
        );
    }
    let out = run(&without_head, &["--url", &url, "stamp", R2, "--purge"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr.contains(&format!("Forgot {R3}")),
        "{}",
        out.render()
    );
    let out = run(&without_head, &["--url", &url, "upgrade", "head"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(versions(&db), vec![R2]);
    db.close();
}
