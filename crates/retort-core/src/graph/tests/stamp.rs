//! `stamp` plans: the version table set without running anything.

use super::*;

fn stamp(g: &RevisionGraph, current: &[&str], targets: &[&str]) -> Vec<String> {
    match g.plan_stamp(current, targets, false) {
        Ok(p) => stamp_trace(&p),
        Err(e) => panic!("stamp {targets:?} from {current:?} should plan: {e}"),
    }
}

#[test]
fn stamp_head_on_an_empty_table_inserts_it() {
    assert_eq!(stamp(&linear(), &[], &["head"]), vec!["insert c [c]"]);
    assert_eq!(stamp(&linear(), &[], &["b"]), vec!["insert b [b]"]);
}

#[test]
fn stamp_up_or_down_a_line_updates_the_row() {
    assert_eq!(stamp(&linear(), &["a"], &["c"]), vec!["update a->c [c]"]);
    assert_eq!(stamp(&linear(), &["c"], &["a"]), vec!["update c->a [a]"]);
}

#[test]
fn stamp_the_applied_revision_does_nothing() {
    assert!(stamp(&linear(), &["b"], &["b"]).is_empty());
}

#[test]
fn stamp_base_deletes_the_rows_of_its_lineage() {
    assert_eq!(stamp(&linear(), &["c"], &["base"]), vec!["delete c []"]);
    assert_eq!(stamp(&linear(), &["c"], &[]), vec!["delete c []"]);
    assert_eq!(
        stamp(&docs(), &DOCS_ALL, &["networking@base"]),
        vec!["delete 2a95102259be [34e094ad6ef1 d747a8a8879]"]
    );
}

#[test]
fn stamp_a_merge_point_over_both_parents_merges_the_rows() {
    assert_eq!(
        stamp(
            &diamond(),
            &["ae1027a6acf", "27c6a30d7c24"],
            &["53fffde5ad5"]
        ),
        vec!["merge -ae1027a6acf 27c6a30d7c24->53fffde5ad5 [53fffde5ad5]"]
    );
}

#[test]
fn stamp_below_a_merge_point_moves_the_row_down() {
    assert_eq!(
        stamp(&diamond(), &["53fffde5ad5"], &["ae1027a6acf"]),
        vec!["update 53fffde5ad5->ae1027a6acf [ae1027a6acf]"]
    );
}

#[test]
fn stamp_a_sibling_branch_adds_a_row() {
    assert_eq!(
        stamp(&docs(), &["27c6a30d7c24"], &["ae1027a6acf"]),
        vec!["insert ae1027a6acf [27c6a30d7c24 ae1027a6acf]"]
    );
    assert_eq!(
        stamp(&docs(), &["27c6a30d7c24"], &["ae1027a6acf", "3cac04ae8714"]),
        vec![
            "insert ae1027a6acf [27c6a30d7c24 ae1027a6acf]",
            "insert 3cac04ae8714 [27c6a30d7c24 3cac04ae8714 ae1027a6acf]",
        ]
    );
}

#[test]
fn stamp_heads_adds_the_missing_heads() {
    assert_eq!(
        stamp(&docs(), &["d747a8a8879"], &["heads"]),
        vec![
            "insert 2a95102259be [2a95102259be d747a8a8879]",
            "insert 34e094ad6ef1 [2a95102259be 34e094ad6ef1 d747a8a8879]",
        ]
    );
}

#[test]
fn stamp_label_at_head() {
    assert_eq!(
        stamp(&docs(), &[], &["networking@head"]),
        vec!["insert 2a95102259be [2a95102259be]"]
    );
    assert_eq!(
        stamp(&docs(), &["d747a8a8879"], &["1975ea83b712"]),
        vec!["update d747a8a8879->1975ea83b712 [1975ea83b712]"]
    );
}

#[test]
fn stamp_head_with_several_heads_is_refused() {
    assert!(matches!(
        docs().plan_stamp::<&str>(&[], &["head"], false),
        Err(GraphError::MultipleHeads { .. })
    ));
}

#[test]
fn stamp_purge_ignores_what_the_table_held() {
    let p = linear()
        .plan_stamp(&["vanished"], &["b"], true)
        .unwrap_or_default();
    assert!(p.purge);
    assert!(p.heads_before.is_empty());
    assert_eq!(stamp_trace(&p), vec!["insert b [b]"]);
    assert_eq!(p.heads_after(), ["b".to_owned()]);
    // Without purge, an unknown applied revision is an error.
    assert!(matches!(
        linear().plan_stamp(&["vanished"], &["b"], false),
        Err(GraphError::UnknownRevision { .. })
    ));
}

#[test]
fn stamp_steps_say_which_way_they_go() {
    let p = linear()
        .plan_stamp(&["c"], &["a"], false)
        .unwrap_or_default();
    assert_eq!(p.steps[0].direction, Direction::Downgrade);
    assert_eq!(
        (p.steps[0].from.clone(), p.steps[0].to.clone()),
        (vec!["c".to_owned()], vec!["a".to_owned()])
    );
}
