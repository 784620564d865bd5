//! Commands that read only the compiled scripts: heads, branches, history, show,
//! list_templates (no database is named, none is needed).

use insta::assert_snapshot;

use crate::support::{branchy, env, linear, run};

#[test]
fn heads_history_show_on_a_linear_history() {
    let env = env(linear());
    assert_snapshot!("heads_linear", run(&env, &["heads"], &[]).render());
    assert_snapshot!("history_linear", run(&env, &["history"], &[]).render());
    assert_snapshot!(
        "history_range",
        run(&env, &["history", "-r", "abcd1:abcd3"], &[]).render()
    );
    assert_snapshot!(
        "history_verbose",
        run(&env, &["history", "-v", "-r", "ef01:"], &[]).render()
    );
    assert_snapshot!("show_prefix", run(&env, &["show", "ef01"], &[]).render());
    assert_eq!(
        run(&env, &["branches"], &[]).stdout,
        "",
        "a linear history has no branch point"
    );
}

#[test]
fn heads_and_branches_of_a_branchy_history() {
    let env = env(branchy());
    assert_snapshot!("heads_branchy", run(&env, &["heads"], &[]).render());
    assert_snapshot!(
        "heads_branchy_verbose",
        run(&env, &["heads", "-v"], &[]).render()
    );
    assert_snapshot!("branches_branchy", run(&env, &["branches"], &[]).render());
    assert_snapshot!("show_label", run(&env, &["show", "left"], &[]).render());
}

#[test]
fn list_templates_and_help() {
    let env = env(linear());
    assert_snapshot!(
        "list_templates",
        run(&env, &["list_templates"], &[]).render()
    );
    let help = run(&env, &["--help"], &[]);
    assert_eq!(help.code, 0);
    for command in [
        "revision",
        "upgrade",
        "downgrade",
        "current",
        "history",
        "heads",
        "branches",
        "merge",
        "stamp",
        "show",
        "ensure_version",
        "list_templates",
    ] {
        assert!(
            help.stdout.contains(command),
            "--help lacks {command}:\n{}",
            help.stdout
        );
    }
    let bad = run(&env, &["upgrade"], &[]);
    assert_eq!(
        bad.code,
        2,
        "a missing argument is a usage error: {}",
        bad.render()
    );
}
