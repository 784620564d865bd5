//! Two labelled bases side by side (`abranch`: a -> b -> somelongername -> c,
//! `ebranch`: d -> e -> someothername -> f, labelled at e), and branch-travel order.

use super::*;

fn two_bases() -> RevisionGraph {
    graph(vec![
        rev("a", &[]).with_labels(["abranch"]),
        rev("b", &["a"]),
        rev("somelongername", &["b"]),
        rev("c", &["somelongername"]),
        rev("d", &[]),
        rev("e", &["d"]).with_labels(["ebranch"]),
        rev("someothername", &["e"]),
        rev("f", &["someothername"]),
    ])
}

#[test]
fn a_prefix_after_a_label_is_looked_for_on_that_branch() {
    let g = two_bases();
    assert_eq!(resolve(&g, "ebranch@some"), vec!["someothername"]);
    assert_eq!(resolve(&g, "abranch@some"), vec!["somelongername"]);
    // Without the branch the same prefix is ambiguous.
    assert!(matches!(
        g.resolve("some"),
        Err(GraphError::AmbiguousPrefix { .. })
    ));
}

#[test]
fn branch_at_syntax() {
    let g = two_bases();
    assert_eq!(resolve(&g, "abranch@head"), vec!["c"]);
    assert_eq!(resolve(&g, "abranch@heads"), vec!["c"]);
    assert!(resolve(&g, "abranch@base").is_empty());
    assert_eq!(resolve(&g, "ebranch@head"), vec!["f"]);
    assert_eq!(resolve(&g, "ebranch@d"), vec!["d"]);
    assert_eq!(resolve(&g, "ebranch@ebranch"), vec!["e"]);
    assert_eq!(resolve(&g, "somelongername@head"), vec!["c"]);
}

#[test]
fn a_revision_id_works_as_a_branch_name() {
    let g = two_bases();
    assert_eq!(resolve(&g, "e@d"), vec!["d"]);
    assert_eq!(resolve(&g, "someoth@d"), vec!["d"]);
}

#[test]
fn branch_at_errors() {
    let g = two_bases();
    assert_eq!(
        err(g.resolve("x@d")),
        GraphError::UnknownBranch { label: "x".into() }
    );
    assert_eq!(
        err(g.resolve("ebranch@b")),
        GraphError::NotOnBranch {
            revision: "b".into(),
            branch: "ebranch".into()
        }
    );
    assert!(matches!(
        g.resolve("abranch@q"),
        Err(GraphError::UnknownRevision { .. })
    ));
}

#[test]
fn history_from_a_branch_base_or_a_revision_base() {
    let g = two_bases();
    for lower in ["ebranch@base", "e@base"] {
        assert_eq!(
            history(&g, Some(&format!("{lower}:"))),
            vec!["f", "someothername", "e", "d"],
            "{lower}"
        );
    }
    for lower in ["abranch@base", "c@base"] {
        assert_eq!(
            history(&g, Some(&format!("{lower}:"))),
            vec!["c", "somelongername", "b", "a"],
            "{lower}"
        );
    }
}

#[test]
fn history_of_one_branch_from_base() {
    assert_eq!(
        history(&two_bases(), Some(":ebranch@head")),
        vec!["f", "someothername", "e", "d"]
    );
    assert_eq!(history(&two_bases(), Some("ebranch@head:")), vec!["f"]);
    assert_eq!(
        history(&two_bases(), Some("ebranch@d:")),
        vec!["f", "someothername", "e", "d"]
    );
}

#[test]
fn history_with_branch_relative_ends() {
    assert_eq!(
        history(&two_bases(), Some("ebranch@-2:")),
        vec!["f", "someothername", "e"]
    );
    assert_eq!(history(&two_bases(), Some(":ebranch@+2")), vec!["e", "d"]);
}

#[test]
fn a_short_branch_is_listed_before_a_long_one() {
    let g = graph(vec![
        rev("a", &[]),
        rev("b1", &["a"]),
        rev("b2", &["a"]),
        rev("c1", &["b1"]),
        rev("d11", &["c1"]),
        rev("d12", &["c1"]),
    ]);
    assert_eq!(history(&g, None), vec!["b2", "d11", "d12", "c1", "b1", "a"]);
}

/// a1 -> a2 -> a3, then two lines b1.. and b2.. that merge at `merge`, with an extra
/// branch e1b1 -> fe1b1 off db1.
fn travelling() -> RevisionGraph {
    graph(vec![
        rev("a1", &[]),
        rev("a2", &["a1"]),
        rev("a3", &["a2"]),
        rev("b1", &["a3"]),
        rev("b2", &["a3"]),
        rev("cb1", &["b1"]),
        rev("cb2", &["b2"]),
        rev("db1", &["cb1"]),
        rev("db2", &["cb2"]),
        rev("e1b1", &["db1"]),
        rev("fe1b1", &["e1b1"]),
        rev("e2b1", &["db1"]),
        rev("e2b2", &["db2"]),
        rev("merge", &["e2b1", "e2b2"]),
    ])
}

#[test]
fn both_lines_finish_at_their_branch_point_before_going_below_it() {
    assert_eq!(
        history(&travelling(), Some("a1:merge")),
        vec!["merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"]
    );
    assert_eq!(
        history(&travelling(), Some("b1:merge")),
        vec!["merge", "e2b1", "db1", "cb1", "b1"]
    );
}

#[test]
fn upgrading_to_a_merge_fills_in_the_other_line() {
    assert_eq!(
        upgrade(&travelling(), &["db1"], "merge"),
        vec![
            "b2: insert b2 [b2 db1]",
            "cb2: update b2->cb2 [cb2 db1]",
            "db2: update cb2->db2 [db1 db2]",
            "e2b2: update db2->e2b2 [db1 e2b2]",
            "e2b1: update db1->e2b1 [e2b1 e2b2]",
            "merge: merge -e2b1 e2b2->merge [merge]",
        ]
    );
}
