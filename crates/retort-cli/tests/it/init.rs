//! `retort init` scaffolds a crate that compiles: one (slow) test runs `cargo check` on
//! it inside a throw-away workspace that `init` extends.

use std::path::Path;
use std::process::Command;

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

#[test]
fn init_scaffolds_a_crate_that_cargo_checks() {
    let root = tempfile::tempdir().unwrap();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The project: a workspace with the same profile and lock file as ours, so the check
    // reuses the versions already resolved (and works offline).
    let manifest = std::fs::read_to_string(workspace.join("Cargo.toml")).unwrap();
    let profile = &manifest[manifest.find("[profile.dev]").unwrap_or(manifest.len())..];
    std::fs::write(
        root.path().join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = []\n\n{profile}"),
    )
    .unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), root.path().join("Cargo.lock")).unwrap();

    let target = root.path().join("migrations");
    let (code, out, err) = tool(&["init", target.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    for file in [
        "Cargo.toml",
        "build.rs",
        "src/main.rs",
        "retort.toml",
        "script.rs.j2",
        "versions/.gitkeep",
    ] {
        assert!(target.join(file).is_file(), "init did not write {file}");
    }
    let members = std::fs::read_to_string(root.path().join("Cargo.toml")).unwrap();
    assert!(members.contains("members = [\"migrations\"]"), "{members}");
    assert!(
        out.contains("upgrade head"),
        "next steps are printed: {out}"
    );

    // A second init into the same folder is refused and writes nothing.
    let (code, _, err) = tool(&["init", target.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = tool(&[
        "init",
        "--template",
        "nope",
        root.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("generic"), "{err}");
    assert!(!root.path().join("x").exists());

    // Its own target folder (a nested cargo must not wait on the lock of the one running
    // this test), kept under ours so later runs reuse it.
    let check_target = workspace.join("target/retort-cli-init-check");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["check", "--offline", "-q", "-p", "migrations"])
        .current_dir(root.path())
        .env("CARGO_TARGET_DIR", &check_target)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "cargo check of the scaffold failed:\n{}",
        String::from_utf8_lossy(&status.stderr)
    );
}
