//! Bad input: each error is one paragraph naming the file, line or revision, with an exit
//! code apart from a failed migration, and never a password.

use insta::assert_snapshot;

use crate::support::{database, env, linear, run, with_password, SECRET};
use retort_core::graph::Revision;
use retort_migrate::Script;

fn config(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("retort.toml");
    std::fs::write(&path, text).unwrap();
    let shown = path.display().to_string();
    (dir, shown)
}

#[test]
fn malformed_toml_names_line_and_column() {
    let (dir, path) = config(&format!(
        "script_location = \".\"\nurl = \"postgres://app:{SECRET}@db/prod\nversion_table = 1\n"
    ));
    let tmp = dir.path().display().to_string();
    let out = run(
        &env(linear()),
        &["-c", &path, "current"],
        &[(&tmp, "<tmp>")],
    );
    out.assert_no_secret();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("retort.toml:2:"), "{}", out.render());
    assert_snapshot!("bad_toml", out.render());
}

#[test]
fn unknown_environment_lists_the_known_ones() {
    let (dir, path) = config(&format!(
        "script_location = \".\"\n[env.production]\nurl = \"postgres://app:{SECRET}@db/prod\"\n[env.staging]\nurl = \"postgres://app:{SECRET}@db/staging\"\n"
    ));
    let tmp = dir.path().display().to_string();
    let out = run(
        &env(linear()),
        &["-c", &path, "--env", "prod", "upgrade", "head"],
        &[(&tmp, "<tmp>")],
    );
    out.assert_no_secret();
    assert_eq!(out.code, 2);
    assert_snapshot!("unknown_env", out.render());
}

#[test]
fn ambiguous_and_unknown_targets() {
    let env = env(linear());
    let url = format!("postgres://postgres:{SECRET}@127.0.0.1:1/unused");
    // Resolution fails before any connection: the database need not be up.
    let out = run(&env, &["--url", &url, "upgrade", "abcd", "--sql"], &[]);
    out.assert_no_secret();
    assert_eq!(out.code, 2);
    assert_snapshot!("ambiguous_prefix", out.render());
    let out = run(&env, &["show", "nope"], &[]);
    assert_eq!(out.code, 2);
    assert_snapshot!("unknown_revision", out.render());
}

#[test]
fn database_down_is_exit_code_3_without_the_password() {
    let env = env(linear());
    let url = format!("postgres://postgres:{SECRET}@127.0.0.1:1/nowhere");
    for args in [
        vec!["upgrade", "head"],
        vec!["current"],
        vec!["stamp", "head"],
        vec!["downgrade", "base"],
    ] {
        let mut full = vec!["--url", url.as_str()];
        full.extend(args.iter().copied());
        let out = run(&env, &full, &[]);
        out.assert_no_secret();
        assert_eq!(out.code, 3, "{}", out.render());
        assert!(
            out.stderr.contains("127.0.0.1:1/nowhere"),
            "names the (redacted) URL: {}",
            out.render()
        );
    }
    let out = run(&env, &["--url", &url, "upgrade", "head"], &[]);
    assert_snapshot!(
        "database_down",
        out.render().replace("(os error 111)", "(os error)")
    );
}

#[test]
fn an_invalid_url_is_a_usage_error() {
    let out = run(
        &env(linear()),
        &["--url", &format!("oracle://u:{SECRET}@h/db"), "current"],
        &[],
    );
    out.assert_no_secret();
    assert_eq!(out.code, 2, "{}", out.render());
    assert_snapshot!("unsupported_url", out.render());
}

fn up(_: &mut retort_core::ops::Operations) {}

#[test]
fn duplicate_and_missing_revision_ids_name_the_files() {
    let script = |rev: Revision, path: &'static str| Script {
        revision: rev,
        upgrade: up,
        downgrade: up,
        path,
        checksum: "",
    };
    let dup = crate::support::env(vec![
        script(
            Revision::new("aaaa00000000"),
            "versions/aaaa00000000_one.rs",
        ),
        script(
            Revision::new("aaaa00000000"),
            "versions/aaaa00000000_copy.rs",
        ),
    ]);
    let out = run(&dup, &["heads"], &[]);
    assert_eq!(out.code, 2);
    assert_snapshot!("duplicate_id", out.render());
    let missing = crate::support::env(vec![script(
        Revision::new("bbbb00000000").down_revision("deadbeef0000"),
        "versions/bbbb00000000_two.rs",
    )]);
    let out = run(&missing, &["history"], &[]);
    assert_eq!(out.code, 2);
    assert_snapshot!("missing_down_revision", out.render());
}

#[test]
fn a_failed_migration_is_exit_code_1_and_reports_what_was_applied() {
    fn bad(op: &mut retort_core::ops::Operations) {
        op.execute("INSERT INTO no_such_table VALUES (1)");
    }
    let mut scripts = linear();
    scripts.push(Script {
        revision: Revision::new("fa11fa11fa11")
            .message("broken")
            .down_revision("ef0155556666"),
        upgrade: bad,
        downgrade: up,
        path: "versions/fa11fa11fa11_broken.rs",
        checksum: "",
    });
    let db = database("cli_failed_migration");
    let url = with_password(db.url());
    let out = run(
        &env(scripts),
        &["--url", &url, "upgrade", "head"],
        &[(db.name(), "<db>")],
    );
    out.assert_no_secret();
    assert_eq!(out.code, 1, "{}", out.render());
    assert_snapshot!("failed_migration", out.render());
    db.close();
}

/// Odd URL spellings (no `@`, an empty user, the password in the query, a percent-encoded
/// parameter name) reach the connection error, the target line and `current -v`: none may
/// show the password.
#[test]
fn odd_urls_never_show_the_password() {
    let env = env(linear());
    for url in [
        format!("postgres://postgres:{SECRET}/nowhere"),
        format!("postgres://postgres:{SECRET}"),
        format!("postgres://:{SECRET}@127.0.0.1:1/nowhere"),
        format!("postgresql://127.0.0.1:1/nowhere?user=postgres&password={SECRET}"),
        format!("postgresql:///nowhere?host=127.0.0.1&port=1&password={SECRET}"),
        format!("postgres://127.0.0.1:1/nowhere?pass%77ord={SECRET}"),
    ] {
        for args in [vec!["upgrade", "head"], vec!["current", "-v"]] {
            let mut full = vec!["--url", url.as_str()];
            full.extend(args.iter().copied());
            let out = run(&env, &full, &[]);
            out.assert_no_secret();
            assert_ne!(out.code, 0, "{url}: {}", out.render());
        }
    }
}

fn panics(_: &mut retort_core::ops::Operations) {
    panic!("revision code gave up");
}

#[test]
fn a_panicking_revision_exits_1_naming_it() {
    let mut scripts = linear();
    scripts[1].upgrade = panics;
    let env = env(scripts);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    for args in [
        vec!["--url", url.as_str(), "upgrade", "head"],
        vec!["--url", url.as_str(), "upgrade", "head", "--sql"],
    ] {
        let out = run(&env, &args, &[]);
        assert_eq!(out.code, 1, "{args:?}: {}", out.render());
        assert!(
            out.stderr.contains("abcd33334444")
                && out
                    .stderr
                    .contains("versions/abcd33334444_create_orders.rs")
                && out.stderr.contains("panicked")
                && out.stderr.contains("revision code gave up"),
            "{args:?}: {}",
            out.render()
        );
    }
}

fn up_mood(op: &mut retort_core::ops::Operations) {
    use retort_core::{EnumRef, Type};
    op.create_enum("mood", ["sad", "happy"]);
    op.create_table("people", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("mood", Type::Enum(EnumRef::new("mood")));
        t.primary_key(["id"]);
    });
}
fn down_mood(op: &mut retort_core::ops::Operations) {
    op.drop_table("people");
    op.drop_enum("mood");
}
fn up_glad(op: &mut retort_core::ops::Operations) {
    op.add_enum_value("mood", "glad").existing(["sad", "happy"]);
}
fn down_glad(op: &mut retort_core::ops::Operations) {
    op.recreate_enum("mood", ["sad", "happy"])
        .existing(["sad", "happy", "glad"]);
}

// A view made by raw SQL on a column of an enum type the downgrade recreates: refused
// before any of its statements, naming the view, exit code 2 (nothing ran; the fix is the
// user's), and the database as it was.
#[test]
fn an_enum_swap_under_an_unknown_view_is_refused_naming_it() {
    let db = database("cli_enum_swap_unknown_view");
    let script = |revision: Revision, up, down, path| Script {
        revision,
        upgrade: up,
        downgrade: down,
        path,
        checksum: "0000000000000000000000000000000000000000000000000000000000000000",
    };
    let scripts = vec![
        script(
            Revision::new("aaaa00000001"),
            up_mood,
            down_mood,
            "versions/aaaa00000001_mood.rs",
        ),
        script(
            Revision::new("aaaa00000002").down_revision("aaaa00000001"),
            up_glad,
            down_glad,
            "versions/aaaa00000002_glad.rs",
        ),
    ];
    let env = env(scripts);
    let (_dir, path) = config("script_location = \".\"\n");
    assert_eq!(
        run(
            &env,
            &["-c", &path, "--url", db.url(), "upgrade", "head"],
            &[]
        )
        .code,
        0
    );
    db.execute("CREATE VIEW sad_people AS SELECT id FROM people WHERE mood = 'sad'");
    let out = run(
        &env,
        &["-c", &path, "--url", db.url(), "downgrade", "base"],
        &[],
    );
    let text = out.render();
    assert_eq!(out.code, 2, "{text}");
    assert!(out.stderr.contains("view public.sad_people"), "{text}");
    assert!(out.stderr.contains("aaaa00000002"), "{text}");
    assert_eq!(
        db.query("SELECT enum_range(NULL::mood)::text"),
        vec!["{sad,happy,glad}"]
    );
    assert_eq!(
        db.query("SELECT version_num::text FROM retort_version"),
        vec!["aaaa00000002"]
    );
    db.close();
}
