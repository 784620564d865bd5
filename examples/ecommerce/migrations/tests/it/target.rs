//! Which database a run touches, through the real `ecommerce-migrations` binary run from a
//! chosen directory: the configuration lookup (`--config`, then `retort.toml` in the
//! current directory, then the migrations crate's), `DATABASE_URL` from `./.env` (a real
//! variable wins), and the `Target:` line that says which one was taken. Every run is
//! `current`, which is read-only and creates no SQLite file.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_ecommerce-migrations");
const CRATE_DIR: &str = env!("CARGO_MANIFEST_DIR");
const SECRET: &str = "Dotenv5ecret";

/// Runs the binary in `cwd` with a clean URL environment plus `vars`.
fn run(cwd: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd).args(args).env_remove("DATABASE_URL");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().expect("the ecommerce-migrations binary runs")
}

/// The `Target:` line of a run (stderr), failing the test when there is none or when the
/// password shows anywhere.
fn target(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "the password leaked:\n{stdout}\n{stderr}"
    );
    assert!(
        !stdout.contains("Target:"),
        "stdout stays for results: {stdout}"
    );
    stderr
        .lines()
        .find(|l| l.starts_with("Target: "))
        .unwrap_or_else(|| panic!("no Target: line in\n{stderr}"))
        .to_owned()
}

fn sqlite_url(dir: &Path, file: &str) -> String {
    format!("sqlite://{}", dir.join(file).display())
}

fn write_config(path: &Path, url: &str) {
    std::fs::write(path, format!("script_location = \".\"\nurl = \"{url}\"\n")).unwrap();
}

#[test]
fn the_config_flag_wins_over_the_current_directory() {
    let cwd = tempfile::tempdir().unwrap();
    write_config(
        &cwd.path().join("retort.toml"),
        &sqlite_url(cwd.path(), "cwd.db"),
    );
    let other = cwd.path().join("other.toml");
    write_config(&other, &sqlite_url(cwd.path(), "flag.db"));
    let out = run(
        cwd.path(),
        &["--config", other.to_str().unwrap(), "current"],
        &[],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        target(&out),
        format!(
            "Target: sqlite file {} (from {})",
            cwd.path().join("flag.db").display(),
            other.display()
        )
    );
}

#[test]
fn the_current_directory_config_comes_before_the_crate_one() {
    let cwd = tempfile::tempdir().unwrap();
    let config = cwd.path().join("retort.toml");
    write_config(&config, &sqlite_url(cwd.path(), "cwd.db"));
    let out = run(cwd.path(), &["current"], &[]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        target(&out),
        format!(
            "Target: sqlite file {} (from {})",
            cwd.path().join("cwd.db").display(),
            config.display()
        )
    );
    assert!(
        !cwd.path().join("cwd.db").exists(),
        "current created no file"
    );
}

#[test]
fn without_one_here_the_crate_config_is_used_and_the_sqlite_default_is_said() {
    let cwd = tempfile::tempdir().unwrap();
    let out = run(cwd.path(), &["current"], &[]);
    assert!(out.status.success(), "{out:?}");
    // The crate's retort.toml has no top-level url: the SQLite file beside it.
    let crate_config = Path::new(CRATE_DIR).join("retort.toml");
    assert_eq!(
        target(&out),
        format!(
            "Target: sqlite file {} (default: no URL configured in {})",
            Path::new(CRATE_DIR).join("retort.db").display(),
            crate_config.display()
        )
    );
    // Offline, nothing is connected: the line comes only because the dialect is the
    // default's, and the script alone goes to stdout.
    let out = run(cwd.path(), &["upgrade", "head", "--sql"], &[]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        target(&out),
        format!(
            "Target: sqlite file {} (default: no URL configured in {}; offline --sql: not connected)",
            Path::new(CRATE_DIR).join("retort.db").display(),
            crate_config.display()
        )
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("CREATE TABLE"));
    // Its [env.postgres] names a URL through ${ECOMMERCE_DATABASE_URL:-...}.
    let out = run(
        cwd.path(),
        &["--env", "postgres", "current"],
        &[("ECOMMERCE_DATABASE_URL", &sqlite_url(cwd.path(), "env.db"))],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        target(&out),
        format!(
            "Target: sqlite file {} (from {}, [env.postgres])",
            cwd.path().join("env.db").display(),
            crate_config.display()
        )
    );
}

#[test]
fn database_url_in_dot_env_is_read_and_a_real_variable_wins() {
    let cwd = tempfile::tempdir().unwrap();
    write_config(
        &cwd.path().join("retort.toml"),
        &sqlite_url(cwd.path(), "cwd.db"),
    );
    let dotenv = cwd.path().join(".env");
    std::fs::write(
        &dotenv,
        format!(
            "# local settings\nOTHER=1\nDATABASE_URL={}\n",
            sqlite_url(cwd.path(), "dotenv.db")
        ),
    )
    .unwrap();
    // .env comes before retort.toml's url, as a DATABASE_URL variable does.
    let out = run(cwd.path(), &["current"], &[]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        target(&out),
        format!(
            "Target: sqlite file {} (from DATABASE_URL in {})",
            cwd.path().join("dotenv.db").display(),
            dotenv.display()
        )
    );
    // A real DATABASE_URL wins over .env.
    let real = sqlite_url(cwd.path(), "real.db");
    let out = run(cwd.path(), &["current"], &[("DATABASE_URL", &real)]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        target(&out),
        format!(
            "Target: sqlite file {} (from DATABASE_URL)",
            cwd.path().join("real.db").display()
        )
    );
    // And --url wins over both.
    let flag = sqlite_url(cwd.path(), "flag.db");
    let out = run(
        cwd.path(),
        &["--url", &flag, "current"],
        &[("DATABASE_URL", &real)],
    );
    assert!(target(&out).ends_with("flag.db (from --url)"), "{out:?}");
}

#[test]
fn a_dot_env_password_is_never_printed_and_a_bad_line_is_named() {
    let cwd = tempfile::tempdir().unwrap();
    let dotenv = cwd.path().join(".env");
    std::fs::write(
        &dotenv,
        format!("DATABASE_URL=postgres://app:{SECRET}@127.0.0.1:1/shop\n"),
    )
    .unwrap();
    let out = run(cwd.path(), &["current"], &[]);
    assert_eq!(out.status.code(), Some(3), "unreachable: {out:?}");
    assert_eq!(
        target(&out),
        format!(
            "Target: postgresql://app@127.0.0.1:1/shop (from DATABASE_URL in {})",
            dotenv.display()
        )
    );

    std::fs::write(
        &dotenv,
        format!("A=1\nDATABASE_URL 'postgres://app:{SECRET}@h/db\n"),
    )
    .unwrap();
    let out = run(cwd.path(), &["current"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:2: not a KEY=VALUE line", dotenv.display())),
        "{stderr}"
    );
}
