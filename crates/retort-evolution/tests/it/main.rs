//! The evolution suite: every folder under `cases/` run once per dialect it declares
//! (`build.rs` writes the modules; see `retort_evolution` for the loop each runs).

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

#[test]
fn the_suite_has_at_least_thirty_cases() {
    assert!(CASE_COUNT >= 30, "only {CASE_COUNT} cases under cases/");
}
