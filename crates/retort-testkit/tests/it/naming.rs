//! Database names: sanitised, unique, within PostgreSQL's 63 bytes, carrying the pid.

use retort_testkit::{
    is_leaked_by_this_run, marker, owner_pid, parse_marker, run_id, sanitize, unique_database_name,
    DATABASE_PREFIX,
};

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
fn only_this_runs_databases_of_dead_processes_count_as_leaked() {
    let mine = parse_marker(&marker()).expect("the marker parses");
    assert_eq!(mine.run, run_id());
    assert_eq!(mine.pid, std::process::id());
    let with =
        |run: &str, host: &str, pid: u32| format!("retort-testkit run={run} host={host} pid={pid}");
    // This run, this host, a process that is gone (u32::MAX is above any pid_max).
    assert!(is_leaked_by_this_run(Some(&with(
        &mine.run,
        &mine.host,
        u32::MAX
    ))));
    // A live process of this run (this one) keeps its databases.
    assert!(!is_leaked_by_this_run(Some(&marker())));
    // Another run, another host, no marker, or someone else's comment: never ours.
    assert!(!is_leaked_by_this_run(Some(&with(
        "other-run",
        &mine.host,
        u32::MAX
    ))));
    assert!(!is_leaked_by_this_run(Some(&with(
        &mine.run,
        "other-host",
        u32::MAX
    ))));
    assert!(!is_leaked_by_this_run(None));
    assert!(!is_leaked_by_this_run(Some(
        "a database of the payroll team"
    )));
    assert!(!is_leaked_by_this_run(Some(&format!(
        "{} extra",
        with(&mine.run, &mine.host, u32::MAX)
    ))));
}
