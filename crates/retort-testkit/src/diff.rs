//! Showing how two texts differ, for assertion messages a reader can act on.

use similar::TextDiff;

/// A unified diff (3 lines of context) from `expected` to `actual`; empty when equal.
pub fn unified_diff(
    expected_label: &str,
    expected: &str,
    actual_label: &str,
    actual: &str,
) -> String {
    if expected == actual {
        return String::new();
    }
    TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(expected_label, actual_label)
        .to_string()
}

/// Panic with a unified diff when `actual` differs from `expected`.
#[track_caller]
pub fn assert_same_text(expected_label: &str, expected: &str, actual_label: &str, actual: &str) {
    let diff = unified_diff(expected_label, expected, actual_label, actual);
    assert!(
        diff.is_empty(),
        "{actual_label} differs from {expected_label} (- expected, + actual):\n{diff}"
    );
}
