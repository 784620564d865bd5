//! The `retort` tool forwards every migration command to the project's migrations binary:
//! it builds it in the open first (issue 13, item 4: a first build took minutes with no
//! output), reports a build that fails as such, and passes the binary's exit code through.
//! The "migrations crates" here are tiny crates with no dependencies, so they build in a
//! second; each test has its own folder, and its own package name: when `CARGO_TARGET_DIR`
//! is set (as it often is for a test run), the tool's `cargo build` uses it, so two
//! packages of one name would race for one binary there (a build-failure test once ran
//! the binary the other test had just built).

use std::path::Path;

use retort_cli::Printer;

fn tool(args: &[&str]) -> (u8, String, String) {
    let mut printer = Printer::captured();
    let mut argv = vec!["retort".into()];
    argv.extend(args.iter().map(Into::into));
    let code = retort_cli::tool::execute(argv, &mut printer);
    (
        code,
        printer.stdout().to_owned(),
        printer.stderr().to_owned(),
    )
}

/// A crate `name` at `dir` whose `src/main.rs` is `main`, with a `retort.toml` naming it.
fn project(dir: &Path, name: &str, main: &str) -> String {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n"),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    std::fs::write(dir.join("retort.toml"), "script_location = \".\"\n").unwrap();
    dir.join("retort.toml").to_str().unwrap().to_owned()
}

#[test]
fn a_forwarded_command_builds_in_the_open_then_runs_the_binary_and_passes_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let config = project(
        dir.path(),
        "fake-migrations-exit-3",
        r#"fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("ran with {}", args.join(" "));
    std::process::exit(3);
}
"#,
    );
    let (code, out, err) = tool(&["-c", &config, "current", "--verbose"]);
    // The binary's own code (3), not a build failure or the tool's.
    assert_eq!(code, 3, "stdout: {out}\nstderr: {err}");
    // The tool says what it builds before cargo starts (the first build takes minutes).
    assert!(
        err.contains("building the migrations binary (cargo build --manifest-path")
            && err.contains("Cargo.toml)"),
        "{err}"
    );
    // With --quiet the line is not shown.
    let (code, _, err) = tool(&["-c", &config, "-q", "current"]);
    assert_eq!(code, 3);
    assert!(!err.contains("building"), "{err}");
}

#[test]
fn a_migrations_binary_that_does_not_build_is_reported_as_a_build_failure() {
    let dir = tempfile::tempdir().unwrap();
    let config = project(
        dir.path(),
        "fake-migrations-broken",
        "fn main() { let x: u8 = \"not a number\"; }\n",
    );
    let (code, out, err) = tool(&["-c", &config, "upgrade", "head"]);
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    assert!(
        err.contains("building the migrations binary failed (cargo build --manifest-path"),
        "{err}"
    );
    assert!(err.contains("see cargo's errors above"), "{err}");
}
