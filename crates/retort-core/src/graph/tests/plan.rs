//! Upgrade and downgrade plans, with the version-table change of every step.
//!
//! Traces read "revision: change [applied heads after, sorted]".

use super::*;

#[test]
fn upgrade_head_on_a_line_inserts_then_updates() {
    assert_eq!(
        upgrade(&linear(), &[], "head"),
        vec![
            "a: insert a [a]",
            "b: update a->b [b]",
            "c: update b->c [c]"
        ]
    );
}

#[test]
fn upgrade_to_the_current_head_does_nothing() {
    assert!(upgrade(&linear(), &["c"], "head").is_empty());
    // An older target than what is applied is not a downgrade either.
    assert!(upgrade(&linear(), &["b"], "a").is_empty());
}

#[test]
fn plan_reports_heads_before_and_after() {
    let p = linear().plan_upgrade(&["a"], "head").expect("a valid plan");
    assert_eq!(p.heads_before, vec!["a"]);
    assert_eq!(p.heads_after(), ["c".to_owned()]);
    assert_eq!(p.revisions(), vec!["b", "c"]);
    let step = &p.steps[0];
    assert_eq!(step.direction, Direction::Upgrade);
    assert_eq!(
        (step.from.clone(), step.to.clone()),
        (vec!["a".to_owned()], vec!["b".to_owned()])
    );
}

#[test]
fn upgrade_relative_counts_from_the_applied_head() {
    let g = linear();
    assert_eq!(
        upgrade(&g, &[], "+2"),
        vec!["a: insert a [a]", "b: update a->b [b]"]
    );
    assert_eq!(upgrade(&g, &["a"], "+1"), vec!["b: update a->b [b]"]);
    assert_eq!(
        err(g.plan_upgrade(&["a"], "+3")),
        GraphError::RelativeOutOfRange {
            ident: "+3".into(),
            steps: 3
        }
    );
}

#[test]
fn upgrade_rev_plus_and_minus_count_from_that_revision() {
    let g = linear();
    assert_eq!(
        upgrade(&g, &[], "a+1"),
        vec!["a: insert a [a]", "b: update a->b [b]"]
    );
    assert_eq!(
        upgrade(&g, &[], "c-1"),
        vec!["a: insert a [a]", "b: update a->b [b]"]
    );
}

#[test]
fn upgrade_minus_n_without_a_revision_is_an_error() {
    let e = err(linear().plan_upgrade(&["b"], "-1"));
    assert!(
        matches!(e, GraphError::RelativeOutOfRange { steps: 1, .. }),
        "{e}"
    );
}

#[test]
fn upgrade_head_runs_both_branches_then_merges_as_the_chapter_shows() {
    // INSERT 1975, UPDATE to 27c6, INSERT ae10, then DELETE ae10 + UPDATE 27c6 -> 53ff.
    assert_eq!(
        upgrade(&diamond(), &[], "head"),
        vec![
            "1975ea83b712: insert 1975ea83b712 [1975ea83b712]",
            "27c6a30d7c24: update 1975ea83b712->27c6a30d7c24 [27c6a30d7c24]",
            "ae1027a6acf: insert ae1027a6acf [27c6a30d7c24 ae1027a6acf]",
            "53fffde5ad5: merge -ae1027a6acf 27c6a30d7c24->53fffde5ad5 [53fffde5ad5]",
        ]
    );
}

#[test]
fn a_merge_runs_equally_from_either_branch() {
    let g = diamond();
    assert_eq!(
        upgrade(&g, &["ae1027a6acf"], "head"),
        vec![
            "27c6a30d7c24: insert 27c6a30d7c24 [27c6a30d7c24 ae1027a6acf]",
            "53fffde5ad5: merge -ae1027a6acf 27c6a30d7c24->53fffde5ad5 [53fffde5ad5]",
        ]
    );
    assert_eq!(
        upgrade(&g, &["27c6a30d7c24"], "head"),
        vec![
            "ae1027a6acf: insert ae1027a6acf [27c6a30d7c24 ae1027a6acf]",
            "53fffde5ad5: merge -ae1027a6acf 27c6a30d7c24->53fffde5ad5 [53fffde5ad5]",
        ]
    );
    assert_eq!(
        upgrade(&g, &["ae1027a6acf", "27c6a30d7c24"], "head"),
        vec!["53fffde5ad5: merge -ae1027a6acf 27c6a30d7c24->53fffde5ad5 [53fffde5ad5]"]
    );
}

#[test]
fn upgrade_to_one_branch_applies_only_what_it_needs() {
    let g = diamond();
    assert_eq!(
        upgrade(&g, &[], "27c6a"),
        vec![
            "1975ea83b712: insert 1975ea83b712 [1975ea83b712]",
            "27c6a30d7c24: update 1975ea83b712->27c6a30d7c24 [27c6a30d7c24]",
        ]
    );
    // Then the sibling is one more step, from the branch point: a new row.
    assert_eq!(
        upgrade(&g, &["27c6a30d7c24"], "ae102"),
        vec!["ae1027a6acf: insert ae1027a6acf [27c6a30d7c24 ae1027a6acf]"]
    );
}

#[test]
fn upgrade_head_with_several_heads_is_refused() {
    let e = err(docs().plan_upgrade::<&str>(&[], "head"));
    assert!(
        matches!(e, GraphError::MultipleHeads { ref heads, .. } if heads.len() == 3),
        "{e}"
    );
}

#[test]
fn upgrade_label_at_head_runs_only_that_branch() {
    assert_eq!(
        upgrade(&docs(), &[], "shoppingcart@head"),
        vec![
            "1975ea83b712: insert 1975ea83b712 [1975ea83b712]",
            "27c6a30d7c24: update 1975ea83b712->27c6a30d7c24 [27c6a30d7c24]",
            "d747a8a8879: update 27c6a30d7c24->d747a8a8879 [d747a8a8879]",
        ]
    );
}

#[test]
fn upgrade_a_branch_that_depends_on_another_applies_the_dependency_first() {
    // 2a95102259be depends on 55af2cb1c267: the account line runs first, and the
    // dependency's row is folded into 2a95102259be's ("effective head").
    assert_eq!(
        upgrade(&docs(), &[], "networking@head"),
        vec![
            "1975ea83b712: insert 1975ea83b712 [1975ea83b712]",
            "ae1027a6acf: update 1975ea83b712->ae1027a6acf [ae1027a6acf]",
            "55af2cb1c267: update ae1027a6acf->55af2cb1c267 [55af2cb1c267]",
            "3cac04ae8714: insert 3cac04ae8714 [3cac04ae8714 55af2cb1c267]",
            "109ec7d132bf: update 3cac04ae8714->109ec7d132bf [109ec7d132bf 55af2cb1c267]",
            "29f859a13ea: update 109ec7d132bf->29f859a13ea [29f859a13ea 55af2cb1c267]",
            "2a95102259be: merge -29f859a13ea 55af2cb1c267->2a95102259be [2a95102259be]",
        ]
    );
}

#[test]
fn upgrade_heads_runs_every_branch() {
    let p = docs()
        .plan_upgrade::<&str>(&[], "heads")
        .expect("a valid plan");
    assert_eq!(
        p.revisions(),
        vec![
            "1975ea83b712",
            "ae1027a6acf",
            "55af2cb1c267",
            "34e094ad6ef1",
            "3cac04ae8714",
            "109ec7d132bf",
            "29f859a13ea",
            "2a95102259be",
            "27c6a30d7c24",
            "d747a8a8879",
        ]
    );
    let mut after = p.heads_after().to_vec();
    after.sort();
    assert_eq!(after, vec!["2a95102259be", "34e094ad6ef1", "d747a8a8879"]);
}

#[test]
fn upgrade_heads_from_a_dependent_head_adds_the_missing_branches() {
    assert_eq!(
        upgrade(&docs(), &["2a95102259be"], "heads"),
        vec![
            "34e094ad6ef1: insert 34e094ad6ef1 [2a95102259be 34e094ad6ef1]",
            "27c6a30d7c24: insert 27c6a30d7c24 [27c6a30d7c24 2a95102259be 34e094ad6ef1]",
            "d747a8a8879: update 27c6a30d7c24->d747a8a8879 [2a95102259be 34e094ad6ef1 d747a8a8879]",
        ]
    );
}

#[test]
fn upgrade_a_new_base_adds_a_row_beside_the_others() {
    assert_eq!(
        upgrade(&docs(), &["d747a8a8879", "34e094ad6ef1"], "networking@head"),
        vec![
            "3cac04ae8714: insert 3cac04ae8714 [34e094ad6ef1 3cac04ae8714 d747a8a8879]",
            "109ec7d132bf: update 3cac04ae8714->109ec7d132bf [109ec7d132bf 34e094ad6ef1 d747a8a8879]",
            "29f859a13ea: update 109ec7d132bf->29f859a13ea [29f859a13ea 34e094ad6ef1 d747a8a8879]",
            "2a95102259be: update 29f859a13ea->2a95102259be [2a95102259be 34e094ad6ef1 d747a8a8879]",
        ]
    );
}

#[test]
fn upgrade_label_plus_n_walks_up_that_branch() {
    let g = docs();
    assert_eq!(
        upgrade(&g, &["1975ea83b712"], "shoppingcart@+1"),
        vec!["27c6a30d7c24: update 1975ea83b712->27c6a30d7c24 [27c6a30d7c24]"]
    );
    assert_eq!(
        upgrade(&g, &[], "networking@+2"),
        vec![
            "3cac04ae8714: insert 3cac04ae8714 [3cac04ae8714]",
            "109ec7d132bf: update 3cac04ae8714->109ec7d132bf [109ec7d132bf]",
        ]
    );
    assert_eq!(
        upgrade(&g, &["3cac04ae8714"], "networking@+2"),
        vec![
            "109ec7d132bf: update 3cac04ae8714->109ec7d132bf [109ec7d132bf]",
            "29f859a13ea: update 109ec7d132bf->29f859a13ea [29f859a13ea]",
        ]
    );
    // The branch is not applied at all: start from its base, beside the other rows.
    assert_eq!(
        upgrade(&g, &["d747a8a8879"], "networking@+1"),
        vec!["3cac04ae8714: insert 3cac04ae8714 [3cac04ae8714 d747a8a8879]"]
    );
}

#[test]
fn upgrade_plus_n_through_a_branch_point_is_ambiguous() {
    let e = err(docs().plan_upgrade(&["1975ea83b712"], "+1"));
    assert_eq!(
        e,
        GraphError::AmbiguousWalk {
            ident: "+1".into(),
            from: "1975ea83b712".into(),
            choices: vec!["ae1027a6acf".into(), "27c6a30d7c24".into()],
        }
    );
    // From nothing, two bases are just as ambiguous.
    assert!(matches!(
        docs().plan_upgrade::<&str>(&[], "+2"),
        Err(GraphError::AmbiguousWalk { .. })
    ));
}

#[test]
fn upgrade_plus_n_from_several_heads_is_ambiguous() {
    let e = err(diamond().plan_upgrade(&["ae1027a6acf", "27c6a30d7c24"], "+1"));
    assert!(
        matches!(e, GraphError::AmbiguousUpgrade { ref current } if current.len() == 2),
        "{e}"
    );
}

#[test]
fn an_applied_revision_unknown_to_the_scripts_is_an_error() {
    let e = err(linear().plan_upgrade(&["gone"], "head"));
    assert!(
        matches!(e, GraphError::UnknownRevision { ref ident, .. } if ident == "gone"),
        "{e}"
    );
    assert!(e.to_string().contains("version table"), "{e}");
}

#[test]
fn overlapping_applied_heads_are_an_error() {
    let e = err(diamond().plan_upgrade(&["1975ea83b712", "27c6a30d7c24"], "ae102"));
    assert!(matches!(e, GraphError::OverlappingTargets { .. }), "{e}");
}

#[test]
fn downgrade_minus_one_steps_down_a_line() {
    let g = linear();
    assert_eq!(downgrade(&g, &["c"], "-1"), vec!["c: update c->b [b]"]);
    assert_eq!(
        downgrade(&g, &["c"], "-2"),
        vec!["c: update c->b [b]", "b: update b->a [a]"]
    );
    assert_eq!(
        downgrade(&g, &["c"], "b-1"),
        vec!["c: update c->b [b]", "b: update b->a [a]"]
    );
}

#[test]
fn downgrade_base_deletes_the_last_row() {
    assert_eq!(
        downgrade(&linear(), &["c"], "base"),
        vec!["c: update c->b [b]", "b: update b->a [a]", "a: delete a []"]
    );
    let p = linear()
        .plan_downgrade(&["c"], "base")
        .expect("a valid plan");
    assert!(p.heads_after().is_empty());
    assert!(p.steps.iter().all(|s| s.direction == Direction::Downgrade));
}

#[test]
fn downgrade_past_base_is_an_error() {
    let e = err(linear().plan_downgrade(&["c"], "-4"));
    assert_eq!(
        e,
        GraphError::RelativeOutOfRange {
            ident: "-4".into(),
            steps: 4
        }
    );
    assert!(matches!(
        linear().plan_downgrade::<&str>(&[], "-1"),
        Err(GraphError::RelativeOutOfRange { .. })
    ));
    assert!(matches!(
        linear().plan_downgrade(&["c"], "+1"),
        Err(GraphError::RelativeOutOfRange { .. })
    ));
}

#[test]
fn downgrade_to_a_revision_above_the_applied_one_is_refused() {
    let e = err(linear().plan_downgrade(&["b"], "c"));
    assert_eq!(
        e,
        GraphError::NotADowngradeTarget {
            target: "c".into(),
            current: vec!["b".into()]
        }
    );
}

#[test]
fn downgrade_below_a_merge_point_restores_both_parents() {
    let g = diamond();
    assert_eq!(
        downgrade(&g, &["53fffde5ad5"], "ae1027a6acf"),
        vec!["53fffde5ad5: unmerge 53fffde5ad5->27c6a30d7c24 +ae1027a6acf [27c6a30d7c24 ae1027a6acf]"]
    );
    assert_eq!(
        downgrade(&g, &["53fffde5ad5"], "base"),
        vec![
            "53fffde5ad5: unmerge 53fffde5ad5->27c6a30d7c24 +ae1027a6acf [27c6a30d7c24 ae1027a6acf]",
            "ae1027a6acf: delete ae1027a6acf [27c6a30d7c24]",
            "27c6a30d7c24: update 27c6a30d7c24->1975ea83b712 [1975ea83b712]",
            "1975ea83b712: delete 1975ea83b712 []",
        ]
    );
}

#[test]
fn downgrade_minus_one_from_a_merge_point_is_ambiguous() {
    let e = err(diamond().plan_downgrade(&["53fffde5ad5"], "-1"));
    assert!(
        matches!(e, GraphError::AmbiguousWalk { ref from, .. } if from == "53fffde5ad5"),
        "{e}"
    );
}

#[test]
fn downgrade_one_step_at_a_time_closes_branches_as_the_chapter_shows() {
    let g = diamond();
    let mut warned = g
        .plan_downgrade(&["ae1027a6acf", "27c6a30d7c24"], "-1")
        .expect("a valid plan");
    assert_eq!(
        trace(&warned),
        vec!["ae1027a6acf: delete ae1027a6acf [27c6a30d7c24]"]
    );
    assert_eq!(
        warned.warnings.len(),
        1,
        "downgrade -1 from two heads warns"
    );
    assert!(warned.warnings.remove(0).contains("ambiguous"));
    assert_eq!(
        downgrade(&g, &["27c6a30d7c24"], "-1"),
        vec!["27c6a30d7c24: update 27c6a30d7c24->1975ea83b712 [1975ea83b712]"]
    );
    assert_eq!(
        downgrade(&g, &["1975ea83b712"], "-1"),
        vec!["1975ea83b712: delete 1975ea83b712 []"]
    );
}

#[test]
fn downgrade_to_a_branch_point_removes_both_branches() {
    assert_eq!(
        downgrade(&diamond(), &["ae1027a6acf", "27c6a30d7c24"], "1975ea83b712"),
        vec![
            "ae1027a6acf: delete ae1027a6acf [27c6a30d7c24]",
            "27c6a30d7c24: update 27c6a30d7c24->1975ea83b712 [1975ea83b712]",
        ]
    );
}

#[test]
fn downgrade_label_at_base_removes_only_that_branch() {
    assert_eq!(
        downgrade(&docs(), &DOCS_ALL, "networking@base"),
        vec![
            "2a95102259be: update 2a95102259be->29f859a13ea [29f859a13ea 34e094ad6ef1 d747a8a8879]",
            "29f859a13ea: update 29f859a13ea->109ec7d132bf [109ec7d132bf 34e094ad6ef1 d747a8a8879]",
            "109ec7d132bf: update 109ec7d132bf->3cac04ae8714 [34e094ad6ef1 3cac04ae8714 d747a8a8879]",
            "3cac04ae8714: delete 3cac04ae8714 [34e094ad6ef1 d747a8a8879]",
        ]
    );
}

#[test]
fn downgrade_label_minus_n_steps_down_that_branch() {
    let g = docs();
    assert_eq!(
        downgrade(&g, &DOCS_ALL, "shoppingcart@-1"),
        vec!["d747a8a8879: update d747a8a8879->27c6a30d7c24 [27c6a30d7c24 2a95102259be 34e094ad6ef1]"]
    );
    assert_eq!(
        downgrade(&g, &DOCS_ALL, "networking@-2"),
        vec![
            "2a95102259be: update 2a95102259be->29f859a13ea [29f859a13ea 34e094ad6ef1 d747a8a8879]",
            "29f859a13ea: update 29f859a13ea->109ec7d132bf [109ec7d132bf 34e094ad6ef1 d747a8a8879]",
        ]
    );
}

#[test]
fn downgrade_a_dependency_first_downgrades_its_dependents() {
    // Going below ae1027a6acf removes 55af2cb1c267, so 2a95102259be, which depends on
    // it, goes down first; the shoppingcart branch is untouched.
    assert_eq!(
        downgrade(&docs(), &DOCS_ALL, "ae1027a6acf"),
        vec![
            "2a95102259be: update 2a95102259be->29f859a13ea [29f859a13ea 34e094ad6ef1 d747a8a8879]",
            "34e094ad6ef1: update 34e094ad6ef1->55af2cb1c267 [29f859a13ea 55af2cb1c267 d747a8a8879]",
            "55af2cb1c267: update 55af2cb1c267->ae1027a6acf [29f859a13ea ae1027a6acf d747a8a8879]",
        ]
    );
}

#[test]
fn downgrade_a_dependent_restores_its_dependency_as_a_head() {
    // Only 2a95102259be is applied; its row stood for 55af2cb1c267 too.
    assert_eq!(
        downgrade(&docs(), &["2a95102259be"], "3cac04ae8714"),
        vec![
            "2a95102259be: unmerge 2a95102259be->29f859a13ea +55af2cb1c267 [29f859a13ea 55af2cb1c267]",
            "29f859a13ea: update 29f859a13ea->109ec7d132bf [109ec7d132bf 55af2cb1c267]",
            "109ec7d132bf: update 109ec7d132bf->3cac04ae8714 [3cac04ae8714 55af2cb1c267]",
        ]
    );
}

#[test]
fn downgrade_to_a_revision_on_another_branch_removes_only_what_is_above_it() {
    assert_eq!(
        downgrade(&docs(), &DOCS_ALL, "55af2cb1c267"),
        vec!["34e094ad6ef1: delete 34e094ad6ef1 [2a95102259be d747a8a8879]"]
    );
}

#[test]
fn downgrade_everything_to_base_in_alembic_order() {
    let p = docs()
        .plan_downgrade(&DOCS_ALL, "base")
        .expect("a valid plan");
    assert_eq!(
        p.revisions(),
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
    assert!(p.heads_after().is_empty());
}

#[test]
fn upgrade_then_downgrade_round_trips_the_heads() {
    let g = docs();
    let up = g.plan_upgrade::<&str>(&[], "heads").expect("a valid plan");
    let down = g
        .plan_downgrade(up.heads_after(), "base")
        .expect("a valid plan");
    assert_eq!(up.steps.len(), down.steps.len());
    assert!(down.heads_after().is_empty());
    // Every revision that went up comes down, and never before what sits on it.
    let order = down.revisions();
    for step in &up.steps {
        let pos = order
            .iter()
            .position(|r| *r == step.revision)
            .unwrap_or(usize::MAX);
        for child in g
            .children(&step.revision)
            .iter()
            .chain(g.dependents(&step.revision).iter())
        {
            let cpos = order.iter().position(|r| r == child).unwrap_or(usize::MAX);
            assert!(cpos < pos, "{child} must go down before {}", step.revision);
        }
    }
}

#[test]
fn a_long_history_plans_every_step_in_order() {
    let n = 3000;
    let ids: Vec<String> = (0..n).map(|i| format!("r{i:05}")).collect();
    let revs = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let down: Vec<&str> = if i == 0 {
                Vec::new()
            } else {
                vec![ids[i - 1].as_str()]
            };
            rev(id, &down)
        })
        .collect();
    let g = graph(revs);
    let up = g.plan_upgrade::<&str>(&[], "heads").expect("a valid plan");
    assert_eq!(
        up.revisions(),
        ids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let down = g
        .plan_downgrade(&[ids[n - 1].as_str()], "base")
        .expect("a valid plan");
    assert_eq!(down.steps.len(), n);
    assert!(down.heads_after().is_empty());
}

#[test]
fn a_long_history_with_two_bases_plans_both() {
    let n = 1500;
    let mut revs = Vec::new();
    for line in ["x", "y"] {
        for i in 0..n {
            let id = format!("{line}{i:05}");
            let down = if i == 0 {
                Vec::new()
            } else {
                vec![format!("{line}{:05}", i - 1)]
            };
            revs.push(RevisionInfo::new(id).with_down(down));
        }
    }
    let g = graph(revs);
    let up = g.plan_upgrade::<&str>(&[], "heads").expect("a valid plan");
    assert_eq!(up.steps.len(), 2 * n);
    let mut heads = up.heads_after().to_vec();
    heads.sort();
    assert_eq!(
        heads,
        vec![format!("x{:05}", n - 1), format!("y{:05}", n - 1)]
    );
    let down = g
        .plan_downgrade(up.heads_after(), "base")
        .expect("a valid plan");
    assert_eq!(down.steps.len(), 2 * n);
    assert!(down.heads_after().is_empty());
}

#[test]
fn an_offline_range_starts_from_its_lower_end() {
    let g = linear();
    assert_eq!(g.offline_start("base"), Ok(Vec::new()));
    assert_eq!(g.offline_start("a"), Ok(vec!["a".to_owned()]));
    let start = g.offline_start("a").expect("a valid start");
    assert_eq!(
        upgrade(
            &g,
            &start.iter().map(String::as_str).collect::<Vec<_>>(),
            "c"
        ),
        vec!["b: update a->b [b]", "c: update b->c [c]",]
    );
    assert!(matches!(
        docs().offline_start("heads"),
        Err(GraphError::MultipleHeads { .. })
    ));
}
