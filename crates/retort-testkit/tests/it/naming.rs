//! Database names: sanitised, unique, within PostgreSQL's 63 bytes, carrying the pid.

use retort_testkit::{is_leaked, owner_pid, sanitize, unique_database_name, DATABASE_PREFIX};

#[test]
fn sanitize_keeps_lowercase_alphanumerics_and_single_underscores() {
    assert_eq!(
        sanitize("it::seed::Create_All  Matches-Oracle"),
        "it_seed_create_all_matches_oracle"
    );
    assert_eq!(sanitize("__x__"), "x");
    assert_eq!(sanitize("ünïcode"), "n_code");
}

#[test]
fn names_are_unique_short_and_carry_pid_and_test_name() {
    let long = "a_very_long_module_path::with::many::segments::and_a_test_name_that_goes_on_and_on";
    let first = unique_database_name(long);
    let second = unique_database_name(long);
    assert_ne!(first, second);
    for name in [&first, &second] {
        assert!(name.len() <= 63, "{name} is {} bytes", name.len());
        assert!(name.starts_with(DATABASE_PREFIX));
        assert!(name.ends_with("_goes_on_and_on"), "{name}");
        assert_eq!(owner_pid(name), Some(std::process::id()));
        assert!(name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
    }
}

#[test]
fn only_testkit_databases_of_dead_processes_count_as_leaked() {
    assert!(is_leaked(&format!("{DATABASE_PREFIX}{}_3_old", u32::MAX)));
    assert!(!is_leaked(&format!(
        "{DATABASE_PREFIX}{}_3_mine",
        std::process::id()
    )));
    assert!(!is_leaked("postgres"));
    assert!(!is_leaked("retort_test_notapid_1_x"));
}
