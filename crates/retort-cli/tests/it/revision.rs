//! `revision` and `merge` write files: header, `REVISION` const and parent are checked,
//! and the written file is fed back through the build helper, as `cargo build` would.

use std::path::{Path, PathBuf};

use insta::assert_snapshot;

use crate::support::{branchy, env, linear, run, Outcome};

/// A migrations folder with a retort.toml and an empty versions/.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("retort.toml");
    std::fs::write(
        &config,
        "script_location = \".\"\npost_write_hook = \"none\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("versions")).unwrap();
    (dir, config)
}

/// The only file of versions/.
fn written(dir: &Path) -> (PathBuf, String) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("versions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let path = files.remove(0);
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// The text with the generated id, the date and the folder replaced.
fn stable(text: &str, id: &str, dir: &Path) -> String {
    let date_line = text
        .lines()
        .find(|l| l.starts_with("//! Create Date: "))
        .unwrap_or("//! Create Date: ")
        .to_owned();
    text.replace(&date_line, "//! Create Date: <date>")
        .replace(id, "<id>")
        .replace(&dir.display().to_string(), "<tmp>")
}

fn id_of(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    name.split('_').next().unwrap().to_owned()
}

#[test]
fn revision_writes_a_script_on_the_head() {
    let (dir, config) = project();
    let env = env(linear());
    let out = run(
        &env,
        &[
            "-c",
            config.to_str().unwrap(),
            "revision",
            "-m",
            "add a \"notes\" column",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    let (path, text) = written(dir.path());
    let id = id_of(&path);
    assert_eq!(id.len(), 12, "a 12-hex id: {id}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert_eq!(
        path.file_name().unwrap().to_string_lossy(),
        format!("{id}_add_a_notes_column.rs")
    );
    assert!(
        text.contains(".down_revision(\"ef0155556666\")"),
        "the parent is the head:\n{text}"
    );
    assert!(text.contains("//! Revises: ef0155556666\n"), "{text}");
    assert_snapshot!("revision_file", stable(&text, &id, dir.path()));
    assert_snapshot!("revision_output", stable(&out.render(), &id, dir.path()));

    // The file is a valid revision for the build helper, and one it reads (recording ops
    // only): in the bundle under its id, not compiled.
    let generated =
        retort_build::render_versions(&dir.path().join("versions"), &Default::default()).unwrap();
    assert!(generated.compiled.is_empty(), "{:?}", generated.compiled);
    assert!(
        generated.bundle.contains(&format!("{}:{id}", id.len())),
        "{}",
        generated.bundle
    );
}

#[test]
fn revision_flags_head_branch_label_depends_on_rev_id() {
    let (dir, config) = project();
    let env = env(branchy());
    let c = config.to_str().unwrap();
    // Two heads: a plain `revision` must say which one.
    let out = run(&env, &["-c", c, "revision", "-m", "x"], &[]);
    assert_eq!(out.code, 2, "{}", out.render());
    assert_snapshot!("revision_multiple_heads", out.render());
    // Each command's advice names commands that work there (issue 13, item 5).
    let out = run(
        &env,
        &[
            "-c",
            c,
            "revision",
            "--autogenerate",
            "--offline",
            "-m",
            "x",
        ],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr.contains("join the heads with `merge -m \"merge heads\" heads`, then `upgrade head`, and autogenerate again"),
        "{}",
        out.render()
    );
    let out = run(&env, &["-c", c, "upgrade", "head", "--sql"], &[]);
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr.contains(
            "hint: `upgrade heads` applies every head; `upgrade c1111111left` one of them"
        ),
        "{}",
        out.render()
    );
    // ...and those commands do work here.
    let out = run(&env, &["-c", c, "upgrade", "heads", "--sql"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    let out = run(&env, &["-c", c, "upgrade", "c1111111left", "--sql"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    let out = run(
        &env,
        &[
            "-c",
            c,
            "revision",
            "-m",
            "on the left",
            "--head",
            "left@head",
            "--branch-label",
            "feature",
            "--depends-on",
            "d222",
            "--rev-id",
            "f00dfeedf00d",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    let (path, text) = written(dir.path());
    assert_eq!(id_of(&path), "f00dfeedf00d");
    assert_snapshot!(
        "revision_with_flags",
        stable(&text, "f00dfeedf00d", dir.path()).replace("f00dfeedf00d", "<id>")
    );
    // --splice is needed to build on a revision that is not a head.
    let out = run(
        &env,
        &[
            "-c",
            c,
            "revision",
            "-m",
            "y",
            "--head",
            "b000",
            "--rev-id",
            "aaaabbbbcccc",
        ],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    let out = run(
        &env,
        &[
            "-c",
            c,
            "revision",
            "-m",
            "y",
            "--head",
            "b000",
            "--splice",
            "--rev-id",
            "aaaabbbbcccc",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    // A taken id or label is refused.
    let taken = run(
        &env,
        &[
            "-c",
            c,
            "revision",
            "-m",
            "z",
            "--head",
            "left@head",
            "--rev-id",
            "b0000000base",
        ],
        &[],
    );
    assert_eq!(taken.code, 2, "{}", taken.render());
    let label = run(
        &env,
        &[
            "-c",
            c,
            "revision",
            "-m",
            "z",
            "--head",
            "left@head",
            "--branch-label",
            "left",
        ],
        &[],
    );
    assert_eq!(label.code, 2, "{}", label.render());
}

#[test]
fn merge_writes_a_merge_point() {
    let (dir, config) = project();
    let env = env(branchy());
    let out = run(
        &env,
        &[
            "-c",
            config.to_str().unwrap(),
            "merge",
            "-m",
            "join",
            "heads",
            "--rev-id",
            "e333333merge",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    let (_, text) = written(dir.path());
    assert!(
        text.contains(".down_revisions(&[\"c1111111left\", \"d2222222rght\"])"),
        "{text}"
    );
    assert!(
        text.contains("//! Revises: c1111111left, d2222222rght"),
        "{text}"
    );
    let one = run(
        &env,
        &["-c", config.to_str().unwrap(), "merge", "-m", "j", "left"],
        &[],
    );
    assert_eq!(
        one.code,
        2,
        "merging one revision is a user error: {}",
        one.render()
    );
}

#[test]
fn autogenerate_is_a_clear_user_error() {
    let (_dir, config) = project();
    let out: Outcome = run(
        &env(linear()),
        &[
            "-c",
            config.to_str().unwrap(),
            "revision",
            "--autogenerate",
            "--sql",
            "-m",
            "x",
        ],
        &[],
    );
    assert_snapshot!("revision_autogenerate", out.render());
    assert_eq!(out.code, 2);
}

#[test]
fn the_project_template_is_used_when_present() {
    let (dir, config) = project();
    std::fs::write(
        dir.path().join("script.rs.j2"),
        "// custom {{ up_revision }} {{ message|rust }}\n",
    )
    .unwrap();
    let out = run(
        &env(linear()),
        &[
            "-c",
            config.to_str().unwrap(),
            "revision",
            "-m",
            "m",
            "--rev-id",
            "1234abcd5678",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    let (_, text) = written(dir.path());
    assert_eq!(text, "// custom 1234abcd5678 \"m\"\n");
}

/// A message with line breaks, a bare CR, a bell and bidirectional overrides: every line
/// of the header stays a `//!` comment, and no character rustc refuses (or a reviewer
/// cannot see) reaches the file unescaped. The writer's own `bidi_text` case, compiled by
/// `retort-script-check`, proves the same escapes compile.
#[test]
fn a_message_with_control_and_bidi_characters_writes_a_valid_file() {
    let (dir, config) = project();
    let message = "evil \u{202e}gnp.exe\" \u{7} bell\nsecond \u{2066}line\u{2069}\rbare CR\n\n";
    let out = run(
        &env(linear()),
        &[
            "-c",
            config.to_str().unwrap(),
            "revision",
            "-m",
            message,
            "--rev-id",
            "1234abcd5678",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    let (path, text) = written(dir.path());
    // The slug keeps ASCII words only.
    assert_eq!(
        path.file_name().unwrap().to_string_lossy(),
        "1234abcd5678_evil_gnp_exe_bell_second_line_bare_cr.rs"
    );
    let refused = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    assert!(
        !text.chars().any(refused),
        "a raw control or bidi character:\n{}",
        text.escape_debug()
    );
    let header: Vec<&str> = text
        .lines()
        .take_while(|l| !l.starts_with("use "))
        .collect();
    assert!(
        header.iter().all(|l| l.starts_with("//!")),
        "{}",
        text.escape_debug()
    );
    assert_eq!(
        header[..2],
        [
            "//! evil \\u{202e}gnp.exe\" \\u{7} bell",
            "//! second \\u{2066}line\\u{2069}\\rbare CR"
        ],
        "{}",
        text.escape_debug()
    );
    assert!(
        text.contains(&format!(".message({message:?})")),
        "{}",
        text.escape_debug()
    );
}
