//! The evolution suite: every folder under `cases/` run once per dialect it declares
//! (`build.rs` writes the modules; see `retort_evolution` for the loop each runs).

mod real_world;

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

mod serial;

// Issues 4 and 7 ask for at least thirty cases; fewer fails the build.
const _: () = assert!(
    CASE_COUNT >= 30,
    "the suite needs at least 30 cases under cases/"
);

/// build.rs found every case folder now on disk (a folder without `case.rs` is a mistake).
#[test]
fn every_case_folder_is_compiled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let folders: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.is_dir())
        .map(|path| path.display().to_string())
        .collect();
    for folder in &folders {
        assert!(
            std::path::Path::new(folder).join("case.rs").is_file(),
            "{folder} has no case.rs"
        );
    }
    assert_eq!(
        folders.len(),
        CASE_COUNT,
        "build.rs compiled {CASE_COUNT} cases, {} folders exist",
        folders.len()
    );
}

/// Every `ops.<dialect>.snap` is compared by a test: the case runs on that dialect and is
/// not declared unsupported there (where it stops before autogenerate writes anything, and
/// insta would never notice a file left from before).
#[test]
fn every_snapshot_is_compared() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    for (case, dialects) in CASE_DIALECTS {
        let unsupported: Vec<&str> = UNSUPPORTED_LIST
            .iter()
            .filter(|(c, _)| c == case)
            .flat_map(|(_, us)| us.iter().map(|u| u.dialect))
            .collect();
        let folder = dir.join(case);
        let files = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()));
        for entry in files {
            let name = entry.expect("a readable directory entry").file_name();
            let name = name.to_string_lossy();
            let Some(dialect) = name
                .strip_prefix("ops.")
                .and_then(|n| n.strip_suffix(".snap"))
            else {
                continue;
            };
            assert!(
                dialects.contains(&dialect) && !unsupported.contains(&dialect),
                "cases/{case}/{name} is never compared: {dialect} is not among the dialects the case runs on \
                 (DIALECTS {dialects:?}, unsupported on {unsupported:?}); delete it"
            );
        }
    }
}

/// Every direction a case declares not portable, listed in `not_portable.md` (the
/// declarations are checked by the cases' own cross tests: each must still fail as declared).
#[test]
fn not_portable_list_is_current() {
    let mut text = String::from(
        "# Cases not carried across backends\n\n\
         Written by `tests/it/main.rs` from each case's `NOT_PORTABLE` (see `retort_evolution::run_cross`);\n\
         each such direction still runs and must fail with the error named here.\n\n\
         | case | direction | fails with | why |\n|---|---|---|---|\n",
    );
    for (case, declared) in NOT_PORTABLE_LIST {
        for n in *declared {
            text.push_str(&format!(
                "| {case} | {} | `{}` | {} |\n",
                n.direction, n.error, n.reason
            ));
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("not_portable.md");
    retort_testkit::assert_file_current(
        &path,
        &text,
        "-p retort-evolution -E 'test(not_portable_list)'",
    );
}

/// Every dialect a case declares unsupported, listed in `unsupported.md` (the declarations
/// are checked by the cases' own tests on that dialect: each must still fail as declared).
#[test]
fn unsupported_list_is_current() {
    let mut text = String::from(
        "# Cases a backend cannot run\n\n\
         Written by `tests/it/main.rs` from each case's `UNSUPPORTED` (see `retort_evolution::run_case`):\n\
         what the database truly cannot express, not a bug to fix. Each such case still runs on that\n\
         backend and must fail with the error named here.\n\n\
         | case | backend | fails with | why |\n|---|---|---|---|\n",
    );
    for (case, declared) in UNSUPPORTED_LIST {
        for u in *declared {
            // A code span around text with backticks needs two.
            let error = if u.error.contains('`') {
                format!("`` {} ``", u.error)
            } else {
                format!("`{}`", u.error)
            };
            text.push_str(&format!(
                "| {case} | {} | {error} | {} |\n",
                u.dialect, u.reason
            ));
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("unsupported.md");
    retort_testkit::assert_file_current(
        &path,
        &text,
        "-p retort-evolution -E 'test(unsupported_list)'",
    );
}
