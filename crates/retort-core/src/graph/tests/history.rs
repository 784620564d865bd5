//! `history` ranges, `branches`, and where a new revision attaches.

use super::*;

#[test]
fn full_history_is_newest_first() {
    assert_eq!(history(&linear(), None), vec!["c", "b", "a"]);
    assert_eq!(history(&linear(), Some("base:heads")), vec!["c", "b", "a"]);
    assert_eq!(history(&linear(), Some(":")), vec!["c", "b", "a"]);
}

#[test]
fn full_history_of_the_chapter_graph() {
    assert_eq!(
        history(&docs(), None),
        vec![
            "d747a8a8879",
            "27c6a30d7c24",
            "2a95102259be",
            "29f859a13ea",
            "109ec7d132bf",
            "3cac04ae8714",
            "34e094ad6ef1",
            "55af2cb1c267",
            "ae1027a6acf",
            "1975ea83b712",
        ]
    );
}

#[test]
fn history_of_a_merge_lists_the_merge_first() {
    // As the chapter's `alembic history` after the merge.
    assert_eq!(
        history(&diamond(), None),
        vec!["53fffde5ad5", "ae1027a6acf", "27c6a30d7c24", "1975ea83b712"]
    );
}

#[test]
fn history_from_a_revision_includes_it() {
    assert_eq!(history(&linear(), Some("b:")), vec!["c", "b"]);
    assert_eq!(history(&linear(), Some("b:c")), vec!["c", "b"]);
}

#[test]
fn history_up_to_a_revision_stops_there() {
    assert_eq!(history(&linear(), Some(":b")), vec!["b", "a"]);
}

#[test]
fn history_label_colon_lists_that_branch_upwards() {
    assert_eq!(
        history(&docs(), Some("shoppingcart:")),
        vec!["d747a8a8879", "27c6a30d7c24"]
    );
}

#[test]
fn history_up_to_label_at_head_includes_the_base() {
    assert_eq!(
        history(&docs(), Some(":shoppingcart@head")),
        vec!["d747a8a8879", "27c6a30d7c24", "1975ea83b712"]
    );
}

#[test]
fn history_up_to_a_dependent_head_includes_the_dependency_line() {
    assert_eq!(
        history(&docs(), Some(":networking@head")),
        vec![
            "2a95102259be",
            "29f859a13ea",
            "109ec7d132bf",
            "3cac04ae8714",
            "55af2cb1c267",
            "ae1027a6acf",
            "1975ea83b712",
        ]
    );
}

#[test]
fn history_from_label_at_base_leaves_dependencies_out() {
    assert_eq!(
        history(&docs(), Some("networking@base:")),
        vec![
            "2a95102259be",
            "29f859a13ea",
            "109ec7d132bf",
            "3cac04ae8714"
        ]
    );
}

#[test]
fn history_from_label_at_base_includes_siblings_sharing_that_base() {
    let listed = history(&docs(), Some("shoppingcart@base:"));
    assert!(listed.contains(&"ae1027a6acf".to_owned()), "{listed:?}");
    assert!(!listed.contains(&"3cac04ae8714".to_owned()), "{listed:?}");
    assert_eq!(listed.last().map(String::as_str), Some("1975ea83b712"));
    assert_eq!(listed.len(), 6);
}

#[test]
fn history_of_the_branch_holding_a_revision() {
    assert_eq!(
        history(&docs(), Some(":ae10@head")),
        vec![
            "34e094ad6ef1",
            "55af2cb1c267",
            "ae1027a6acf",
            "1975ea83b712"
        ]
    );
}

#[test]
fn history_minus_one_colon_lists_the_last_step_of_each_head() {
    assert_eq!(history(&linear(), Some("-1:")), vec!["c", "b"]);
}

#[test]
fn history_with_relative_upper_end() {
    assert_eq!(history(&linear(), Some(":c-1")), vec!["b", "a"]);
    assert_eq!(history(&linear(), Some("a:a+1")), vec!["b", "a"]);
}

#[test]
fn history_range_from_current() {
    let g = linear();
    let listed: Vec<String> = g
        .history(Some("current:"), Some(&["b"]))
        .map(|v| v.into_iter().map(|r| r.id.clone()).collect())
        .unwrap_or_default();
    assert_eq!(listed, vec!["c", "b"]);
    let listed: Vec<String> = g
        .history(Some(":current"), Some(&["b"]))
        .map(|v| v.into_iter().map(|r| r.id.clone()).collect())
        .unwrap_or_default();
    assert_eq!(listed, vec!["b", "a"]);
    assert_eq!(
        err(g.history(Some("current:"), None)),
        GraphError::CurrentUnknown
    );
}

#[test]
fn history_range_needs_a_colon() {
    assert_eq!(
        err(linear().history(Some("b"), None)),
        GraphError::InvalidRange { range: "b".into() }
    );
    assert!(matches!(
        linear().history(Some("a:b:c"), None),
        Err(GraphError::InvalidRange { .. })
    ));
}

#[test]
fn history_range_upside_down_is_not_an_ancestor() {
    let e = err(linear().history(Some("c:a"), None));
    assert_eq!(
        e,
        GraphError::RangeNotAncestor {
            lower: "c".into(),
            upper: "a".into()
        }
    );
    assert_eq!(e.to_string(), "revision c is not an ancestor of revision a");
}

#[test]
fn branches_lists_branch_points_and_their_children() {
    let g = docs();
    assert_eq!(
        g.branches(),
        vec![BranchPoint {
            revision: "1975ea83b712".into(),
            children: vec!["ae1027a6acf".into(), "27c6a30d7c24".into()],
        }]
    );
    assert!(linear().branches().is_empty());
}

#[test]
fn a_new_revision_goes_on_the_single_head() {
    assert_eq!(
        linear().new_revision_parents(None, false),
        Ok(vec!["c".into()])
    );
    assert_eq!(
        graph(Vec::new()).new_revision_parents(None, false),
        Ok(Vec::new())
    );
}

#[test]
fn a_new_revision_with_several_heads_needs_head() {
    let e = err(docs().new_revision_parents(None, false));
    assert!(matches!(e, GraphError::MultipleHeads { .. }), "{e}");
    assert_eq!(
        docs().new_revision_parents(Some("shoppingcart@head"), false),
        Ok(vec!["d747a8a8879".into()])
    );
    assert_eq!(
        docs().new_revision_parents(Some("ae10@head"), false),
        Ok(vec!["34e094ad6ef1".into()])
    );
}

#[test]
fn head_base_starts_a_new_root() {
    assert_eq!(
        docs().new_revision_parents(Some("base"), false),
        Ok(Vec::new())
    );
}

#[test]
fn a_new_revision_on_a_non_head_needs_splice() {
    let g = docs();
    let e = err(g.new_revision_parents(Some("networking"), false));
    assert_eq!(
        e,
        GraphError::NotAHead {
            revision: "3cac04ae8714".into()
        }
    );
    assert!(e.to_string().contains("--splice"));
    assert_eq!(
        g.new_revision_parents(Some("networking"), true),
        Ok(vec!["3cac04ae8714".into()])
    );
}

#[test]
fn a_merge_revision_takes_every_head() {
    assert_eq!(
        docs().new_revision_parents(Some("heads"), false),
        Ok(vec![
            "d747a8a8879".into(),
            "2a95102259be".into(),
            "34e094ad6ef1".into()
        ])
    );
}

#[test]
fn depends_on_keeps_labels_and_completes_prefixes() {
    let g = docs();
    assert_eq!(
        g.resolve_depends_on(&["55af", "shoppingcart", "d747a"]),
        Ok(vec![
            "55af2cb1c267".into(),
            "shoppingcart".into(),
            "d747a8a8879".into()
        ])
    );
    assert!(g.resolve_depends_on(&["base"]).is_err());
}

#[test]
fn a_new_revision_id_must_be_unused_and_valid() {
    let g = linear();
    assert_eq!(g.check_new_revision_id("d", "d.rs"), Ok(()));
    assert!(matches!(
        g.check_new_revision_id("b", "b2.rs"),
        Err(GraphError::DuplicateRevision { .. })
    ));
    assert!(matches!(
        g.check_new_revision_id("d-1", "x.rs"),
        Err(GraphError::InvalidRevisionId { .. })
    ));
}
