//! Identifier resolution, as the tutorial and "Working with Branches" describe it.

use super::*;

#[test]
fn a_full_id_resolves_to_itself() {
    assert_eq!(resolve(&docs(), "27c6a30d7c24"), vec!["27c6a30d7c24"]);
    assert_eq!(
        docs().resolve_one("27c6a30d7c24"),
        Ok(Some("27c6a30d7c24".into()))
    );
}

#[test]
fn a_unique_prefix_resolves() {
    let g = docs();
    assert_eq!(resolve(&g, "1975"), vec!["1975ea83b712"]);
    assert_eq!(resolve(&g, "ae102"), vec!["ae1027a6acf"]);
    // As in Alembic, the key must be longer than three characters, not the prefix.
    assert_eq!(resolve(&g, "a"), vec!["ae1027a6acf"]);
}

#[test]
fn an_ambiguous_prefix_lists_every_candidate() {
    let g = graph(vec![
        rev("abc123", &[]),
        rev("abc456", &["abc123"]),
        rev("abd789", &["abc456"]),
    ]);
    let e = err(g.resolve("abc"));
    assert_eq!(
        e,
        GraphError::AmbiguousPrefix {
            prefix: "abc".into(),
            candidates: vec!["abc123".into(), "abc456".into()],
        }
    );
    assert!(e.to_string().contains("abc123, abc456"), "{e}");
}

#[test]
fn an_unknown_identifier_is_an_error_with_a_hint() {
    let g = docs();
    let e = err(g.resolve("zzzz"));
    assert!(
        matches!(e, GraphError::UnknownRevision { ref ident, .. } if ident == "zzzz"),
        "{e}"
    );
    let e = err(g.resolve("zz"));
    assert!(e.to_string().contains("at least four characters"), "{e}");
}

#[test]
fn head_with_one_head_is_that_head() {
    assert_eq!(resolve(&linear(), "head"), vec!["c"]);
    assert_eq!(linear().current_head(None), Ok(Some("c".into())));
    assert_eq!(resolve(&diamond(), "head"), vec!["53fffde5ad5"]);
}

#[test]
fn head_with_several_heads_lists_them_and_says_what_to_use() {
    let g = docs();
    let e = err(g.resolve("head"));
    assert_eq!(
        e,
        GraphError::MultipleHeads {
            argument: "head".into(),
            heads: vec![
                "d747a8a8879".into(),
                "2a95102259be".into(),
                "34e094ad6ef1".into()
            ],
        }
    );
    let msg = e.to_string();
    assert!(msg.contains("'heads'") && msg.contains("@head"), "{msg}");
}

#[test]
fn heads_is_every_real_head() {
    assert_eq!(
        resolve(&docs(), "heads"),
        vec!["d747a8a8879", "2a95102259be", "34e094ad6ef1"]
    );
}

#[test]
fn heads_skips_a_head_only_depended_upon() {
    let g = graph(vec![
        rev("55af", &[]),
        rev("3cac", &[]),
        rev("2a95", &["3cac"]).with_depends_on(["55af"]),
    ]);
    assert_eq!(resolve(&g, "heads"), vec!["2a95"]);
    assert!(matches!(
        g.resolve("head"),
        Err(GraphError::MultipleHeads { .. })
    ));
}

#[test]
fn base_resolves_to_nothing() {
    assert!(resolve(&docs(), "base").is_empty());
    assert_eq!(docs().resolve_one("base"), Ok(None));
    assert!(resolve(&docs(), "shoppingcart@base").is_empty());
}

#[test]
fn a_label_alone_is_the_revision_declaring_it() {
    assert_eq!(resolve(&docs(), "shoppingcart"), vec!["27c6a30d7c24"]);
    assert_eq!(resolve(&docs(), "networking"), vec!["3cac04ae8714"]);
}

#[test]
fn a_label_prefix_resolves_like_an_id_prefix() {
    assert_eq!(resolve(&docs(), "shop"), vec!["27c6a30d7c24"]);
}

#[test]
fn label_at_head_is_the_head_of_that_branch() {
    let g = docs();
    assert_eq!(resolve(&g, "networking@head"), vec!["2a95102259be"]);
    assert_eq!(resolve(&g, "shoppingcart@head"), vec!["d747a8a8879"]);
    assert_eq!(
        g.current_head(Some("networking")),
        Ok(Some("2a95102259be".into()))
    );
}

#[test]
fn label_at_heads_is_every_head_of_that_branch() {
    assert_eq!(resolve(&docs(), "shoppingcart@heads"), vec!["d747a8a8879"]);
    let g = graph(vec![
        rev("a", &[]).with_labels(["x"]),
        rev("b", &["a"]),
        rev("c", &["a"]),
    ]);
    assert_eq!(resolve(&g, "x@heads"), vec!["b", "c"]);
    let e = err(g.resolve("x@head"));
    assert!(
        matches!(e, GraphError::MultipleHeads { ref argument, .. } if argument == "x@head"),
        "{e}"
    );
}

#[test]
fn rev_at_head_is_the_head_of_the_branch_holding_rev() {
    let g = docs();
    assert_eq!(resolve(&g, "ae10@head"), vec!["34e094ad6ef1"]);
    assert_eq!(resolve(&g, "55af@head"), vec!["34e094ad6ef1"]);
    assert_eq!(resolve(&g, "27c6@head"), vec!["d747a8a8879"]);
    assert_eq!(
        resolve(&diamond(), "1975ea83b712@head"),
        vec!["53fffde5ad5"]
    );
}

#[test]
fn label_at_rev_checks_the_revision_is_on_the_branch() {
    let g = docs();
    assert_eq!(resolve(&g, "networking@109e"), vec!["109ec7d132bf"]);
    let e = err(g.resolve("shoppingcart@109ec7d132bf"));
    assert_eq!(
        e,
        GraphError::NotOnBranch {
            revision: "109ec7d132bf".into(),
            branch: "shoppingcart".into()
        }
    );
    // A prefix is only looked for on the branch.
    assert!(matches!(
        g.resolve("shoppingcart@109e"),
        Err(GraphError::UnknownRevision { .. })
    ));
}

#[test]
fn an_unknown_branch_is_an_error() {
    let e = err(docs().resolve("nosuch@head"));
    assert_eq!(
        e,
        GraphError::UnknownBranch {
            label: "nosuch".into()
        }
    );
}

#[test]
fn minus_n_walks_down_from_every_head() {
    let g = docs();
    assert_eq!(
        resolve(&g, "-1"),
        vec!["27c6a30d7c24", "29f859a13ea", "55af2cb1c267"]
    );
    assert_eq!(resolve(&g, "networking@-1"), vec!["29f859a13ea"]);
    assert_eq!(resolve(&linear(), "-2"), vec!["a"]);
    assert!(matches!(
        linear().resolve("-4"),
        Err(GraphError::RelativeOutOfRange { steps: 4, .. })
    ));
}

#[test]
fn resolve_one_refuses_several() {
    let e = err(docs().resolve_one("heads"));
    assert!(
        matches!(e, GraphError::MultipleHeads { ref argument, ref heads } if argument == "heads" && heads.len() == 3),
        "{e}"
    );
}

#[test]
fn current_names_the_applied_heads() {
    let g = docs();
    assert_eq!(
        g.resolve_with_current("current", &["d747a8a8879", "3cac04ae8714"]),
        Ok(vec!["d747a8a8879".into(), "3cac04ae8714".into()])
    );
    assert_eq!(
        g.resolve_with_current::<&str>("current", &[]),
        Ok(Vec::new())
    );
    assert_eq!(
        g.resolve_with_current::<&str>("networking", &[]),
        Ok(vec!["3cac04ae8714".into()])
    );
    assert!(g.resolve_with_current("current", &["gone"]).is_err());
}
