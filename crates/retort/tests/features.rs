//! The backend features keep the dependency tree apart: a PostgreSQL-only build of the
//! migrations binary's pieces pulls in no SQLite (no `libsqlite3-sys`, whose C source is
//! the slowest part of a build), and a SQLite-only one no PostgreSQL driver. Read from
//! `cargo tree` (no build, offline: the lock file is complete), so it is cheap.

use std::process::Command;

/// `cargo tree -p retort --no-default-features --features <features> -e normal`.
fn tree(features: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--offline", "-p", "retort", "--no-default-features"])
        .args(["--features", features, "-e", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn a_postgres_only_build_has_no_sqlite() {
    let tree = tree("cli,postgres,tls");
    assert!(tree.contains("sqlx-postgres"), "{tree}");
    assert!(tree.contains("rustls"), "{tree}");
    let sqlite: Vec<&str> = tree.lines().filter(|l| l.contains("sqlite")).collect();
    assert!(
        sqlite.is_empty(),
        "SQLite in a PostgreSQL-only build: {sqlite:?}"
    );
}

#[test]
fn a_sqlite_only_build_has_no_postgres_driver_and_no_tls() {
    let tree = tree("cli,sqlite");
    assert!(tree.contains("libsqlite3-sys"), "{tree}");
    for unwanted in ["sqlx-postgres", "rustls"] {
        assert!(
            !tree.contains(unwanted),
            "{unwanted} in a SQLite-only build"
        );
    }
}

#[test]
fn the_defaults_have_every_backend_and_tls() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--offline", "-p", "retort", "--features", "cli"])
        .args(["-e", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let tree = String::from_utf8_lossy(&out.stdout);
    for wanted in ["sqlx-postgres", "libsqlite3-sys", "rustls"] {
        assert!(
            tree.contains(wanted),
            "{wanted} missing from the default build"
        );
    }
}
