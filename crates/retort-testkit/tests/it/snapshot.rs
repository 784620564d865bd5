//! A file a test compares with is never written unless asked: a stale or missing file
//! fails, names the variable that updates it, and is left as it was.

use retort_testkit::{assert_file_current, UPDATE_SNAPSHOTS_VAR};

fn panic_message(err: Box<dyn std::any::Any + Send>) -> String {
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn a_stale_file_fails_and_is_not_rewritten() {
    // (Run with the variable set, this test would pass by writing: it is only ever set by hand.)
    assert!(
        std::env::var_os(UPDATE_SNAPSHOTS_VAR).is_none(),
        "run this test without {UPDATE_SNAPSHOTS_VAR}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.rs");
    std::fs::write(&path, "old\n").unwrap();
    assert_file_current(&path, "old\n", "-p x");

    let err = std::panic::catch_unwind(|| assert_file_current(&path, "new\n", "-p x"))
        .expect_err("a stale file fails");
    let msg = panic_message(err);
    assert!(msg.contains("-old") && msg.contains("+new"), "{msg}");
    assert!(
        msg.contains("RETORT_UPDATE_SNAPSHOTS=1 scripts/test.sh -p x"),
        "{msg}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");

    let missing = dir.path().join("missing.rs");
    let err = std::panic::catch_unwind(|| assert_file_current(&missing, "new\n", "-p x"))
        .expect_err("a missing file fails");
    assert!(panic_message(err).contains("RETORT_UPDATE_SNAPSHOTS=1"));
    assert!(!missing.exists());
}
