//! `--sql`: the offline script of `upgrade head`, run by psql in one database, must give
//! the same schema (pg_dump -s) as the online upgrade in another.

use std::process::Command;

use insta::assert_snapshot;

use crate::support::{database, env, linear, run};

#[test]
fn offline_upgrade_sql_fed_to_psql_matches_the_online_upgrade() {
    let online = database("cli_offline_online");
    let offline = database("cli_offline_offline");
    let env = env(linear());

    let out = run(&env, &["--url", online.url(), "upgrade", "head"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());

    let sql = run(
        &env,
        &["--url", offline.url(), "upgrade", "head", "--sql"],
        &[],
    );
    assert_eq!(sql.code, 0, "{}", sql.render());
    assert_eq!(sql.stderr, "");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("upgrade.sql");
    std::fs::write(&file, &sql.stdout).unwrap();
    let psql = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            offline.url(),
            "-f",
        ])
        .arg(&file)
        .output()
        .expect("psql is on the PATH of the test machine");
    assert!(
        psql.status.success(),
        "psql failed: {}",
        String::from_utf8_lossy(&psql.stderr)
    );

    let (a, b) = (online.dump(), offline.dump());
    retort_testkit::assert_same_text("online upgrade", &a, "psql of upgrade --sql", &b);
    assert!(
        a.contains("CREATE TABLE public.orders"),
        "the dump holds the tables:\n{a}"
    );
    online.close();
    offline.close();
}

#[test]
fn offline_ranges() {
    let env = env(linear());
    let url = "postgres://postgres@127.0.0.1:1/unused";
    // No database is touched offline: the URL only picks the dialect.
    assert_snapshot!(
        "upgrade_range_sql",
        run(
            &env,
            &["--url", url, "upgrade", "abcd1:abcd3", "--sql"],
            &[]
        )
        .render()
    );
    assert_snapshot!(
        "downgrade_range_sql",
        run(
            &env,
            &["--url", url, "downgrade", "head:abcd3", "--sql"],
            &[]
        )
        .render()
    );
    let out = run(&env, &["--url", url, "downgrade", "base", "--sql"], &[]);
    assert_eq!(out.code, 2, "{}", out.render());
    assert_snapshot!("downgrade_sql_without_range", out.render());
    assert_snapshot!(
        "stamp_sql",
        run(&env, &["--url", url, "stamp", "head", "--sql"], &[]).render()
    );
}

fn create_target(op: &mut retort_core::ops::Operations) {
    op.create_table("target", |t| {
        t.column("id", retort_core::Type::Integer).not_null();
        t.column("qty", retort_core::Type::Integer);
        t.primary_key(["id"]);
    });
}
fn widen_qty(op: &mut retort_core::ops::Operations) {
    op.alter_column("target", "qty")
        .type_(retort_core::Type::BigInt)
        .existing_type(retort_core::Type::Integer);
}
fn drop_target(op: &mut retort_core::ops::Operations) {
    op.drop_table("target");
}

/// `--sql` on SQLite cannot read the table a revision rebuilds: refused (exit 2) naming it
/// and the way out, and with `--assume-history-shape` the script says what it assumed.
#[test]
fn a_sqlite_rebuild_offline_needs_assume_history_shape() {
    let scripts = vec![
        retort_migrate::Script {
            revision: retort_core::graph::Revision::new("aaaa00000001"),
            upgrade: create_target,
            downgrade: drop_target,
            path: "versions/aaaa00000001_target.rs",
            checksum: "0000000000000000000000000000000000000000000000000000000000000000",
        },
        retort_migrate::Script {
            revision: retort_core::graph::Revision::new("aaaa00000002")
                .down_revision("aaaa00000001"),
            upgrade: widen_qty,
            downgrade: widen_qty,
            path: "versions/aaaa00000002_widen.rs",
            checksum: "0000000000000000000000000000000000000000000000000000000000000000",
        },
    ];
    let env = env(scripts);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("never.db");
    let url = format!("sqlite://{}", file.display());
    let out = run(&env, &["--url", &url, "upgrade", "head", "--sql"], &[]);
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr.contains("rebuilds SQLite table(s) target")
            && out.stderr.contains("versions/aaaa00000002_widen.rs")
            && out.stderr.contains("--assume-history-shape")
            && out.stderr.contains("op.copy_from"),
        "{}",
        out.render()
    );
    assert_eq!(out.stdout, "", "no half script on stdout");
    let out = run(
        &env,
        &[
            "--url",
            &url,
            "upgrade",
            "head",
            "--sql",
            "--assume-history-shape",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stdout.contains("-- No database was read: table target is rebuilt as the revision history builds it (--assume-history-shape)"),
        "{}",
        out.render()
    );
    assert!(!file.exists(), "--sql touches no database");
}
