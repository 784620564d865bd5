//! The compiled copies of the writer's output are current, and each records the ops it
//! was written from: the writer writes what it is given.

use std::collections::BTreeSet;
use std::path::Path;

use retort_core::ops::Operations;
use retort_migrate::writer::{self, cases::cases};
use retort_script_check::SCRIPTS;

#[test]
fn every_case_is_compiled_and_nothing_else() {
    let cases: BTreeSet<&str> = cases().iter().map(|c| c.name).collect();
    let compiled: BTreeSet<&str> = SCRIPTS.iter().map(|s| s.name).collect();
    assert_eq!(
        cases, compiled,
        "list each case of writer::cases() in src/lib.rs"
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/generated");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = cases.iter().map(|n| format!("{n}.rs")).collect();
    assert_eq!(
        files,
        expected,
        "stray or missing files in {}",
        dir.display()
    );
}

/// Compared, never written here: `RETORT_UPDATE_SNAPSHOTS=1` rewrites them (through
/// `retort-migrate`'s `writer::compiled_copies_are_current` or this test), then rebuild.
#[test]
fn compiled_copies_are_the_current_writer_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/generated");
    for case in cases() {
        let source =
            writer::render_revision(&case.header, &case.upgrade, &case.downgrade, &case.hints)
                .unwrap();
        retort_testkit::assert_file_current(
            &dir.join(format!("{}.rs", case.name)),
            &source,
            "-p retort-script-check -E 'test(compiled_copies)'",
        );
    }
}

#[test]
fn each_script_records_the_ops_it_was_written_from() {
    for case in cases() {
        let script = SCRIPTS
            .iter()
            .find(|s| s.name == case.name)
            .unwrap_or_else(|| panic!("case {} is not compiled", case.name));
        let mut up = Operations::new();
        (script.upgrade)(&mut up);
        assert_eq!(up.into_ops(), case.upgrade, "upgrade of {}", case.name);
        let mut down = Operations::new();
        (script.downgrade)(&mut down);
        assert_eq!(
            down.into_ops(),
            case.downgrade,
            "downgrade of {}",
            case.name
        );

        let info = script.revision.info("");
        let h = &case.header;
        assert_eq!(info.id, h.id);
        assert_eq!(info.message, h.message);
        assert_eq!(info.down_revisions, h.down_revisions);
        assert_eq!(info.branch_labels, h.branch_labels);
        assert_eq!(info.depends_on, h.depends_on);
    }
}
