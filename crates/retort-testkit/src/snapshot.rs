//! Files a test compares with, written only when asked.
//!
//! A test that writes the file it then compares with cannot fail. So a test compares, and
//! writes only when `RETORT_UPDATE_SNAPSHOTS=1` is set (insta's own `.snap` files follow
//! insta's rules: `cargo insta review`, or `INSTA_UPDATE=always`). A missing or stale file
//! fails with a diff and the command that brings it up to date.

use std::path::Path;

use crate::diff::unified_diff;
use crate::env;

/// Set to `1` to (re)write the files [`assert_file_current`] compares with.
pub const UPDATE_SNAPSHOTS_VAR: &str = "RETORT_UPDATE_SNAPSHOTS";

/// Whether this run was asked to rewrite snapshot files.
pub fn update_snapshots() -> bool {
    env::flag(UPDATE_SNAPSHOTS_VAR)
}

/// `path` must hold exactly `actual`. With [`UPDATE_SNAPSHOTS_VAR`] set, writes `actual`
/// there instead (and passes); otherwise a missing or different file fails the test with
/// a diff and what to run to update it. `update_hint` names the tests to rerun, e.g.
/// `-p retort-migrate -E 'test(compiled_copies)'`.
#[track_caller]
pub fn assert_file_current(path: &Path, actual: &str, update_hint: &str) {
    if update_snapshots() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        if std::fs::read_to_string(path).ok().as_deref() != Some(actual) {
            std::fs::write(path, actual)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
        return;
    }
    let how = format!(
        "if the new text is right, update the file with \
         `{UPDATE_SNAPSHOTS_VAR}=1 scripts/test.sh {update_hint}` and review the change in git"
    );
    match std::fs::read_to_string(path) {
        Ok(expected) => {
            let diff = unified_diff(&path.display().to_string(), &expected, "now", actual);
            assert!(
                diff.is_empty(),
                "{} is stale (- file, + now):\n{diff}\n{how}",
                path.display()
            );
        }
        Err(e) => panic!("cannot read {}: {e}\n{how}", path.display()),
    }
}
