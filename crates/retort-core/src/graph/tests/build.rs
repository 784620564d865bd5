//! Building the graph: structure facts and validation errors.

use super::*;

#[test]
fn linear_history_has_one_head_and_one_base() {
    let g = linear();
    assert_eq!(g.heads(), vec!["c"]);
    assert_eq!(g.real_heads(), vec!["c"]);
    assert_eq!(g.bases(), vec!["a"]);
    assert!(g.is_head("c") && !g.is_head("b"));
    assert!(g.is_base("a") && !g.is_base("b"));
    assert_eq!(g.len(), 3);
}

#[test]
fn empty_history_is_valid_and_has_no_head() {
    let g = graph(Vec::new());
    assert!(g.is_empty());
    assert!(g.heads().is_empty());
    assert_eq!(g.current_head(None), Ok(None));
    assert!(g.resolve("heads").map(|v| v.is_empty()).unwrap_or(false));
}

#[test]
fn diamond_has_a_branch_point_and_a_merge_point() {
    let g = diamond();
    assert!(g.is_branch_point("1975ea83b712"));
    assert!(!g.is_branch_point("ae1027a6acf"));
    assert!(g.is_merge_point("53fffde5ad5"));
    assert!(!g.is_merge_point("ae1027a6acf"));
    assert_eq!(g.heads(), vec!["53fffde5ad5"]);
    assert_eq!(
        g.children("1975ea83b712"),
        vec!["ae1027a6acf", "27c6a30d7c24"]
    );
}

#[test]
fn a_revision_only_depended_upon_is_an_effective_head() {
    let g = graph(vec![
        rev("55af2cb1c267", &[]),
        rev("3cac04ae8714", &[]),
        rev("2a95102259be", &["3cac04ae8714"]).with_depends_on(["55af2cb1c267"]),
    ]);
    assert_eq!(g.heads(), vec!["55af2cb1c267", "2a95102259be"]);
    assert_eq!(g.real_heads(), vec!["2a95102259be"]);
    assert!(g.is_effective_head("55af2cb1c267"));
    assert!(!g.is_effective_head("2a95102259be"));
    assert_eq!(g.dependents("55af2cb1c267"), vec!["2a95102259be"]);
    assert_eq!(g.dependencies("2a95102259be"), vec!["55af2cb1c267"]);
}

#[test]
fn docs_graph_heads_and_bases() {
    let g = docs();
    assert_eq!(
        g.heads(),
        vec!["d747a8a8879", "2a95102259be", "34e094ad6ef1"]
    );
    assert_eq!(g.real_heads(), g.heads());
    assert_eq!(g.bases(), vec!["1975ea83b712", "3cac04ae8714"]);
}

#[test]
fn a_label_spreads_to_descendants_and_ancestors_up_to_the_branch_point() {
    let g = docs();
    assert_eq!(g.branch_labels("27c6a30d7c24"), vec!["shoppingcart"]);
    assert_eq!(g.branch_labels("d747a8a8879"), vec!["shoppingcart"]);
    assert!(
        g.branch_labels("1975ea83b712").is_empty(),
        "the branch point stays unlabelled"
    );
    assert!(g.branch_labels("ae1027a6acf").is_empty());
    for id in [
        "3cac04ae8714",
        "109ec7d132bf",
        "29f859a13ea",
        "2a95102259be",
    ] {
        assert_eq!(g.branch_labels(id), vec!["networking"], "{id}");
    }
}

#[test]
fn a_label_on_a_later_revision_spreads_down_its_line() {
    let g = graph(vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("c", &["b"]).with_labels(["x"]),
    ]);
    for id in ["a", "b", "c"] {
        assert_eq!(g.branch_labels(id), vec!["x"], "{id}");
    }
    assert_eq!(g.labels(), vec![("x".to_owned(), "c".to_owned())]);
}

#[test]
fn duplicate_ids_name_both_files() {
    let e = err(RevisionGraph::new(vec![
        rev("a", &[]).with_source("versions/a_one.rs"),
        rev("a", &[]).with_source("versions/a_two.rs"),
    ]));
    assert_eq!(
        e,
        GraphError::DuplicateRevision {
            id: "a".into(),
            first_source: "versions/a_one.rs".into(),
            second_source: "versions/a_two.rs".into(),
        }
    );
    let msg = e.to_string();
    assert!(
        msg.contains("versions/a_one.rs") && msg.contains("versions/a_two.rs"),
        "{msg}"
    );
}

#[test]
fn a_missing_down_revision_names_the_file() {
    let e = err(RevisionGraph::new(vec![
        rev("a", &[]),
        rev("b", &["zzz"]).with_source("versions/b_add.rs"),
    ]));
    assert_eq!(
        e,
        GraphError::MissingDownRevision {
            revision: "b".into(),
            missing: "zzz".into(),
            source_file: "versions/b_add.rs".into(),
        }
    );
    assert!(e.to_string().contains("versions/b_add.rs"));
}

#[test]
fn a_missing_dependency_is_an_error() {
    let e = err(RevisionGraph::new(vec![
        rev("a", &[]).with_depends_on(["nope"])
    ]));
    assert!(
        matches!(e, GraphError::MissingDependency { ref missing, .. } if missing == "nope"),
        "{e}"
    );
}

#[test]
fn a_dependency_may_name_a_branch_label() {
    let g = graph(vec![
        rev("a", &[]).with_labels(["accounts"]),
        rev("n", &[]).with_depends_on(["accounts"]),
    ]);
    assert_eq!(g.dependencies("n"), vec!["a"]);
    assert_eq!(g.real_heads(), vec!["n"]);
}

#[test]
fn a_label_used_twice_is_an_error() {
    let e = err(RevisionGraph::new(vec![
        rev("a", &[]).with_labels(["x"]),
        rev("b", &["a"]).with_labels(["x"]),
    ]));
    assert_eq!(
        e,
        GraphError::DuplicateBranchLabel {
            label: "x".into(),
            revision: "b".into(),
            source_file: "b.rs".into(),
            existing: "a".into(),
        }
    );
}

#[test]
fn a_label_equal_to_a_revision_id_is_an_error() {
    let e = err(RevisionGraph::new(vec![
        rev("a", &[]),
        rev("b", &["a"]).with_labels(["a"]),
    ]));
    assert!(
        matches!(e, GraphError::DuplicateBranchLabel { ref existing, .. } if existing == "a"),
        "{e}"
    );
}

#[test]
fn a_self_loop_is_a_cycle() {
    let e = err(RevisionGraph::new(vec![rev("a", &["a"])]));
    assert_eq!(
        e,
        GraphError::CycleDetected {
            revisions: vec!["a".into()],
            sources: vec!["a.rs".into()]
        }
    );
}

#[test]
fn a_cycle_lists_the_revisions_on_it() {
    let e = err(RevisionGraph::new(vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("c", &["d"]),
        rev("d", &["c"]),
    ]));
    match e {
        GraphError::CycleDetected { revisions, sources } => {
            assert_eq!(revisions, vec!["c", "d"]);
            assert_eq!(sources, vec!["c.rs", "d.rs"]);
        }
        other => panic!("expected a cycle, got {other}"),
    }
}

#[test]
fn a_cycle_through_every_revision_is_detected() {
    let e = err(RevisionGraph::new(vec![rev("a", &["b"]), rev("b", &["a"])]));
    assert!(
        matches!(e, GraphError::CycleDetected { ref revisions, .. } if revisions == &["a", "b"]),
        "{e}"
    );
}

#[test]
fn a_cycle_through_depends_on_is_a_dependency_cycle() {
    let e = err(RevisionGraph::new(vec![
        rev("a", &[]).with_depends_on(["c"]),
        rev("b", &["a"]),
        rev("c", &["b"]),
    ]));
    assert!(
        matches!(e, GraphError::DependencyCycleDetected { .. }),
        "{e}"
    );
    let e = err(RevisionGraph::new(vec![
        rev("a", &[]).with_depends_on(["a"])
    ]));
    assert!(
        matches!(e, GraphError::DependencyCycleDetected { ref revisions, .. } if revisions == &["a"]),
        "{e}"
    );
}

#[test]
fn ids_with_reserved_characters_are_rejected() {
    for bad in ["a@b", "a-b", "a+b", "a:b", "", "has space", "head", "base"] {
        let e = err(RevisionGraph::new(vec![rev(bad, &[])]));
        assert!(
            matches!(e, GraphError::InvalidRevisionId { .. }),
            "{bad}: {e}"
        );
    }
}

#[test]
fn the_const_revision_builds_a_graph() {
    use super::super::Revision;
    const A: Revision = Revision::new("5cc88b64dda9").message("initial");
    const B: Revision = Revision::new("7d1e2f3a4b5c").down_revision("5cc88b64dda9");
    let g = graph(vec![A.info("a.rs"), B.info("b.rs")]);
    assert_eq!(g.heads(), vec!["7d1e2f3a4b5c"]);
    assert_eq!(
        g.revision("5cc88b64dda9").map(|r| r.message.as_str()),
        Some("initial")
    );
}
