//! Graph tests: every graph is built in memory (no files, no database).
//!
//! Expected values come from Alembic's "Working with Branches" chapter and were checked
//! against Alembic 1.20's `RevisionMap` and `HeadMaintainer` on the same graphs.

mod build;
mod history;
mod labeled;
mod plan;
mod resolve;
mod stamp;

use super::{
    BranchPoint, Direction, GraphError, Plan, RevisionGraph, RevisionInfo, StampPlan, VersionChange,
};

/// A revision with the given down revisions.
fn rev(id: &str, down: &[&str]) -> RevisionInfo {
    RevisionInfo::new(id).with_down(down.iter().copied())
}

fn graph(revs: Vec<RevisionInfo>) -> RevisionGraph {
    match RevisionGraph::new(revs) {
        Ok(g) => g,
        Err(e) => panic!("graph should build: {e}"),
    }
}

/// a -> b -> c
fn linear() -> RevisionGraph {
    graph(vec![rev("a", &[]), rev("b", &["a"]), rev("c", &["b"])])
}

/// The chapter's first branch and its merge:
/// 1975ea83b712 -> ae1027a6acf / 27c6a30d7c24 -> 53fffde5ad5 (merge).
fn diamond() -> RevisionGraph {
    graph(vec![
        rev("1975ea83b712", &[]),
        rev("ae1027a6acf", &["1975ea83b712"]),
        rev("27c6a30d7c24", &["1975ea83b712"]),
        rev("53fffde5ad5", &["ae1027a6acf", "27c6a30d7c24"]),
    ])
}

/// The chapter's final graph: the account tree with the `shoppingcart` branch, the
/// `networking` base, a dependency of 2a95102259be on 55af2cb1c267, and 34e094ad6ef1 on
/// top of 55af2cb1c267.
fn docs() -> RevisionGraph {
    graph(vec![
        rev("1975ea83b712", &[]),
        rev("ae1027a6acf", &["1975ea83b712"]),
        rev("27c6a30d7c24", &["1975ea83b712"]).with_labels(["shoppingcart"]),
        rev("d747a8a8879", &["27c6a30d7c24"]),
        rev("55af2cb1c267", &["ae1027a6acf"]),
        rev("3cac04ae8714", &[]).with_labels(["networking"]),
        rev("109ec7d132bf", &["3cac04ae8714"]),
        rev("29f859a13ea", &["109ec7d132bf"]),
        rev("2a95102259be", &["29f859a13ea"]).with_depends_on(["55af2cb1c267"]),
        rev("34e094ad6ef1", &["55af2cb1c267"]),
    ])
}

/// Every applied head of `docs()` after `upgrade heads`.
const DOCS_ALL: [&str; 3] = ["2a95102259be", "d747a8a8879", "34e094ad6ef1"];

fn change(c: &VersionChange) -> String {
    match c {
        VersionChange::Insert(v) => format!("insert {v}"),
        VersionChange::Delete(v) => format!("delete {v}"),
        VersionChange::Update { from, to } => format!("update {from}->{to}"),
        VersionChange::Merge { delete, from, to } => {
            format!("merge -{} {from}->{to}", delete.join(","))
        }
        VersionChange::Unmerge { from, to, insert } => {
            format!("unmerge {from}->{to} +{}", insert.join(","))
        }
    }
}

/// "rev: change [sorted heads after]" for each step.
fn trace(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| {
            let mut heads = s.heads_after.clone();
            heads.sort();
            format!(
                "{}: {} [{}]",
                s.revision,
                change(&s.change),
                heads.join(" ")
            )
        })
        .collect()
}

fn stamp_trace(plan: &StampPlan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| {
            let mut heads = s.heads_after.clone();
            heads.sort();
            format!("{} [{}]", change(&s.change), heads.join(" "))
        })
        .collect()
}

fn upgrade(g: &RevisionGraph, current: &[&str], target: &str) -> Vec<String> {
    match g.plan_upgrade(current, target) {
        Ok(p) => trace(&p),
        Err(e) => panic!("upgrade {target} from {current:?} should plan: {e}"),
    }
}

fn downgrade(g: &RevisionGraph, current: &[&str], target: &str) -> Vec<String> {
    match g.plan_downgrade(current, target) {
        Ok(p) => trace(&p),
        Err(e) => panic!("downgrade {target} from {current:?} should plan: {e}"),
    }
}

fn resolve(g: &RevisionGraph, ident: &str) -> Vec<String> {
    match g.resolve(ident) {
        Ok(v) => v,
        Err(e) => panic!("{ident} should resolve: {e}"),
    }
}

fn history(g: &RevisionGraph, range: Option<&str>) -> Vec<String> {
    match g.history(range, None) {
        Ok(v) => v.into_iter().map(|r| r.id.clone()).collect(),
        Err(e) => panic!("history {range:?} should list: {e}"),
    }
}

fn err<T: std::fmt::Debug>(r: Result<T, GraphError>) -> GraphError {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}
