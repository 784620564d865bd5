//! `retort init` in every layout a project can have, run as the installed tool is (the
//! `retort` binary, from the folder a user would be in). Each test then runs what the
//! printed next steps say from that folder as far as `cargo metadata` goes: the crate is
//! a member of the workspace the command finds there, its `retort` dependency resolves
//! to this checkout by a relative path, and its `target/` is the application's. One test
//! runs the printed `cargo run` lines for real (a build of the scaffold).

use std::path::{Path, PathBuf};
use std::process::Command;

/// This checkout's root.
fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Runs the `retort` binary in `cwd`: (exit code, stdout, stderr).
fn retort(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_retort"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh project folder (canonical, so paths compare), with this checkout's lock file
/// at `lock_at` (the workspace root to be) so dependencies resolve offline to the versions
/// already downloaded.
fn project(lock_at: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap().join("shop");
    let at = if lock_at == "." {
        root.clone()
    } else {
        root.join(lock_at)
    };
    std::fs::create_dir_all(&at).unwrap();
    std::fs::copy(checkout().join("Cargo.lock"), at.join("Cargo.lock")).unwrap();
    (tmp, root)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A library package named `name` at `dir`.
fn package(dir: &Path, name: &str, extra: &str) {
    write(
        &dir.join("Cargo.toml"),
        &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}"),
    );
    write(&dir.join("src/lib.rs"), "");
}

/// The `cargo run ... --` prefix of the printed next steps, checked to be the same on both
/// lines.
fn printed_run(out: &str) -> String {
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("cargo run"))
        .collect();
    assert_eq!(lines.len(), 2, "two commands to run are printed: {out}");
    assert!(
        lines[0].ends_with("-- revision --autogenerate -m \"create tables\""),
        "{out}"
    );
    assert!(lines[1].ends_with("-- upgrade head"), "{out}");
    let prefix = lines[1].trim_end_matches("upgrade head").trim_end();
    assert!(lines[0].starts_with(prefix), "{out}");
    prefix.to_owned()
}

/// What `cargo metadata` says in `cwd` (offline, for this machine's platform only, with
/// no CARGO_TARGET_DIR of the test run leaking in).
fn metadata(cwd: &Path, manifest_path: Option<&str>) -> serde_json::Value {
    let host = String::from_utf8(
        Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("-vV")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let host = host
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap()
        .to_owned();
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args([
        "metadata",
        "--offline",
        "--format-version",
        "1",
        "--filter-platform",
        &host,
    ])
    .current_dir(cwd)
    .env_remove("CARGO_TARGET_DIR");
    if let Some(m) = manifest_path {
        cmd.args(["--manifest-path", m]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "cargo metadata in {} failed:\n{}",
        cwd.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Checks a layout: the printed `cargo run` line, run from `cwd`, reaches `package` in the
/// workspace rooted at `root` (whose target/ it uses), and `retort` resolves by a relative
/// path to this checkout.
fn assert_layout(cwd: &Path, out: &str, dir: &Path, package: &str, root: &Path) {
    let run = printed_run(out);
    let md = if run == format!("cargo run -p {package} --") {
        metadata(cwd, None)
    } else {
        let manifest = run
            .strip_prefix("cargo run --manifest-path ")
            .and_then(|r| r.strip_suffix(" --"))
            .unwrap_or_else(|| panic!("unexpected run line {run:?}"));
        metadata(cwd, Some(manifest))
    };
    let s = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
    assert_eq!(
        s(&md["workspace_root"]),
        root.display().to_string(),
        "{out}"
    );
    assert_eq!(
        s(&md["target_directory"]),
        root.join("target").display().to_string()
    );
    let packages = md["packages"].as_array().unwrap();
    let find = |name: &str| {
        packages
            .iter()
            .find(|p| p["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no package {name} in the metadata of {}", cwd.display()))
    };
    let scaffold = find(package);
    assert_eq!(
        s(&scaffold["manifest_path"]),
        dir.join("Cargo.toml").display().to_string()
    );
    let id = s(&scaffold["id"]);
    assert!(
        md["workspace_members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m.as_str() == Some(&id)),
        "{package} is a member of the workspace at {}",
        root.display()
    );
    assert_eq!(
        s(&find("retort")["manifest_path"]),
        checkout()
            .join("crates/retort/Cargo.toml")
            .display()
            .to_string()
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let table: toml::Table = manifest.parse().unwrap();
    for (section, dep) in [
        ("dependencies", "retort"),
        ("build-dependencies", "retort-build"),
    ] {
        let path = table[section][dep]["path"].as_str().unwrap();
        assert!(
            path.starts_with("../"),
            "{dep} is a relative path, not {path}"
        );
    }
}

#[test]
fn an_empty_folder_becomes_a_workspace_the_application_can_join() {
    let (_tmp, root) = project(".");
    let (code, out, err) = retort(&root, &["init", "migrations"]);
    assert_eq!(code, 0, "{out}{err}");
    let ws = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        ws.contains("[workspace]\nresolver = \"2\"\nmembers = [\"migrations\"]"),
        "{ws}"
    );
    // A workspace init makes gets its profile (small debug info, optimised dependencies:
    // bench/history.sh); one it joins keeps its own (the tests below see those manifests
    // unchanged).
    assert!(
        ws.contains("[profile.dev]\ndebug = \"line-tables-only\"\n")
            && ws.contains("[profile.dev.package.\"*\"]\ndebug = false\nopt-level = 1\n"),
        "{ws}"
    );
    assert!(
        out.contains("Creating a workspace of migrations in"),
        "{out}"
    );
    assert!(
        out.contains("(`retort <command>` here does the same.)"),
        "{out}"
    );
    let dir = root.join("migrations");
    for file in [
        "Cargo.toml",
        "build.rs",
        "src/main.rs",
        "retort.toml",
        "script.rs.j2",
        ".gitignore",
        "versions/.gitkeep",
    ] {
        assert!(dir.join(file).is_file(), "init did not write {file}");
    }
    assert_layout(&root, &out, &dir, "shop-migrations", &root);

    // A second init into the same folder is refused and writes nothing; so is an unknown
    // template.
    let (code, _, err) = retort(&root, &["init", "migrations"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists and is not empty"), "{err}");
    let (code, _, err) = retort(&root, &["init", "--template", "nope", "x"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("generic"), "{err}");
    assert!(!root.join("x").exists());
    assert_eq!(
        std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
        ws
    );
}

#[test]
fn an_existing_package_becomes_the_workspace_root_and_a_dependency() {
    let (_tmp, root) = project(".");
    package(&root, "shop", "\n[dependencies]\n");
    let (code, out, err) = retort(&root, &["init", "migrations"]);
    assert_eq!(code, 0, "{out}{err}");
    let manifest: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(manifest["package"]["name"].as_str(), Some("shop"));
    assert_eq!(
        manifest["workspace"]["members"].as_array().unwrap()[0].as_str(),
        Some("migrations")
    );
    let dir = root.join("migrations");
    let scaffold: toml::Table = std::fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        scaffold["dependencies"]["shop"]["path"].as_str(),
        Some("..")
    );
    let main = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
    assert!(main.contains("`shop::metadata()`"), "{main}");
    assert!(out.contains("then `shop::metadata()` there"), "{out}");
    assert_layout(&root, &out, &dir, "shop-migrations", &root);
}

#[test]
fn a_workspace_root_with_a_package_is_joined() {
    let (_tmp, root) = project(".");
    package(
        &root,
        "shop",
        "\n[workspace]\nmembers = [\n    \"tools\",\n]\n",
    );
    package(&root.join("tools"), "tools", "");
    let (code, out, err) = retort(&root, &["init", "migrations"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        std::fs::read_to_string(root.join("Cargo.toml"))
            .unwrap()
            .ends_with("members = [\n    \"tools\",\n    \"migrations\",\n]\n"),
        "the member is added in the file's own layout"
    );
    assert!(
        out.contains("Adding migrations to the workspace members of"),
        "{out}"
    );
    assert_layout(
        &root,
        &out,
        &root.join("migrations"),
        "shop-migrations",
        &root,
    );
}

#[test]
fn a_workspace_root_without_a_package_names_the_crate_after_its_folder() {
    let (_tmp, root) = project(".");
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n",
    );
    package(&root.join("crates/app"), "app", "");
    // A member glob covers crates/db: the manifest is left as it is.
    let (code, out, err) = retort(&root, &["init", "crates/db"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("Adding"), "{out}");
    assert_eq!(
        std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n"
    );
    assert!(
        out.contains("`retort -c crates/db/retort.toml <command>`"),
        "{out}"
    );
    assert_layout(
        &root,
        &out,
        &root.join("crates/db"),
        "shop-migrations",
        &root,
    );
}

#[test]
fn nested_in_a_member_the_crate_joins_the_enclosing_workspace() {
    let (_tmp, root) = project(".");
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"services/api\"]\n",
    );
    let api = root.join("services/api");
    package(&api, "api", "");
    let (code, out, err) = retort(&api, &["init", "db/migrations"]);
    assert_eq!(code, 0, "{out}{err}");
    let ws: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let members: Vec<&str> = ws["workspace"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert_eq!(members, ["services/api", "services/api/db/migrations"]);
    let dir = api.join("db/migrations");
    let scaffold: toml::Table = std::fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        scaffold["dependencies"]["api"]["path"].as_str(),
        Some("../..")
    );
    assert_layout(&api, &out, &dir, "api-migrations", &root);
}

#[test]
fn a_crate_made_outside_the_current_folder_is_run_by_its_manifest() {
    let (_tmp, root) = project("here");
    let here = root.join("here");
    let (code, out, err) = retort(&here, &["init", "../elsewhere"]);
    assert_eq!(code, 0, "{out}{err}");
    std::fs::rename(here.join("Cargo.lock"), root.join("elsewhere/Cargo.lock")).unwrap();
    assert!(
        !root.join("Cargo.toml").exists(),
        "no workspace made outside the current folder"
    );
    let dir = root.join("elsewhere");
    assert!(
        out.contains("cargo run --manifest-path ../elsewhere/Cargo.toml -- upgrade head"),
        "{out}"
    );
    assert_layout(&here, &out, &dir, "elsewhere", &dir);
}

#[test]
fn a_manifest_that_does_not_parse_is_refused_before_anything_is_written() {
    let (_tmp, root) = project(".");
    write(&root.join("Cargo.toml"), "[workspace\nmembers = []\n");
    let (code, out, err) = retort(&root, &["init", "migrations"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(&format!("{}:1", root.join("Cargo.toml").display())),
        "{err}"
    );
    assert!(!root.join("migrations").exists());
}

#[test]
fn a_retort_version_makes_a_registry_dependency() {
    let (_tmp, root) = project(".");
    let (code, out, err) = retort(&root, &["init", "migrations", "--retort-version", "0.1.0"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Depending on retort 0.1.0 from crates.io"),
        "{out}"
    );
    let scaffold: toml::Table = std::fs::read_to_string(root.join("migrations/Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        scaffold["dependencies"]["retort"]["version"].as_str(),
        Some("0.1.0")
    );
    assert_eq!(
        scaffold["build-dependencies"]["retort-build"]["version"].as_str(),
        Some("0.1.0")
    );
}

/// The printed commands, run for real from the workspace root: the scaffold builds, and
/// its binary creates the version table in the default SQLite file beside retort.toml.
#[test]
fn the_printed_next_steps_run() {
    let (_tmp, root) = project(".");
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = []\n",
    );
    let (code, out, err) = retort(&root, &["init", "migrations"]);
    assert_eq!(code, 0, "{out}{err}");
    let run = printed_run(&out);
    // A target folder of its own, kept between runs (a nested cargo must not wait on the
    // lock of the one running this test).
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| checkout().join("target"), PathBuf::from)
        .join("init-scaffold");
    for step in [
        "revision --autogenerate -m \"create tables\"",
        "upgrade head",
    ] {
        let line = format!("{run} {step}");
        let out = Command::new("sh")
            .args(["-c", &line])
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_NET_OFFLINE", "true")
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`{line}` failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(root.join("migrations/retort.db").is_file());
}
