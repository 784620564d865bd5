//! Building a [`RevisionGraph`]: validation, links, heads, bases and branch labels.
//!
//! The graph keeps revisions in the order they were given (the order the script
//! directory lists them); Alembic uses that order to break ties in its topological sort,
//! and so do we, so that the same files give the same plan on every machine.
//!
//! Two kinds of edges exist, as in Alembic: *versioned* edges (`down_revisions`), which
//! decide heads, bases, branch and merge points and what the version table records, and
//! *dependency* edges (`depends_on`), which only order the upgrade. "Real" heads and bases
//! count both kinds; they are what the version table holds after `upgrade heads`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{GraphError, RevisionInfo};

/// Characters that carry meaning in identifiers (`label@head`, `rev+2`, `a:b`).
const RESERVED_CHARS: [char; 4] = ['@', '-', '+', ':'];

/// One revision with its resolved links (indices into `RevisionGraph::nodes`).
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) info: RevisionInfo,
    /// Versioned parents (`down_revisions`), in declared order.
    pub(crate) down: Vec<usize>,
    /// Resolved `depends_on`, in declared order, without repeats.
    pub(crate) deps: Vec<usize>,
    /// `deps` minus those some versioned ancestor already depends on.
    pub(crate) norm_deps: Vec<usize>,
    /// Versioned children.
    pub(crate) next: Vec<usize>,
    /// Children through either kind of edge.
    pub(crate) all_next: Vec<usize>,
    /// Branch labels in effect here (declared ones plus inherited ones).
    pub(crate) labels: BTreeSet<String>,
}

impl Node {
    /// Parents through both kinds of edge, minus dependencies already implied by ancestors.
    pub(crate) fn normalized_down(&self) -> Vec<usize> {
        let mut out = self.down.clone();
        for d in &self.norm_deps {
            if !out.contains(d) {
                out.push(*d);
            }
        }
        out
    }

    /// Parents through both kinds of edge.
    pub(crate) fn all_down(&self) -> Vec<usize> {
        let mut out = self.down.clone();
        for d in &self.deps {
            if !out.contains(d) {
                out.push(*d);
            }
        }
        out
    }
}

/// The revision history as a directed acyclic graph, validated on construction.
#[derive(Debug, Clone)]
pub struct RevisionGraph {
    pub(crate) nodes: Vec<Node>,
    pub(crate) by_id: HashMap<String, usize>,
    /// Branch label -> the revision that declares it.
    pub(crate) by_label: BTreeMap<String, usize>,
    pub(crate) heads: Vec<usize>,
    pub(crate) real_heads: Vec<usize>,
    pub(crate) bases: Vec<usize>,
    pub(crate) real_bases: Vec<usize>,
}

/// Which edges a traversal follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edges {
    /// `down_revisions` only.
    Versioned,
    /// `down_revisions` and `depends_on`.
    WithDeps,
}

impl RevisionGraph {
    /// Builds and validates the graph.
    ///
    /// Fails on an invalid or duplicate id, a down revision or dependency that no revision
    /// provides, a branch label used twice, and any cycle.
    pub fn new(revisions: Vec<RevisionInfo>) -> Result<Self, GraphError> {
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (i, r) in revisions.iter().enumerate() {
            check_id(r)?;
            if let Some(&first) = by_id.get(&r.id) {
                return Err(GraphError::DuplicateRevision {
                    id: r.id.clone(),
                    first_source: revisions[first].source.clone(),
                    second_source: r.source.clone(),
                });
            }
            by_id.insert(r.id.clone(), i);
        }

        let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
        for (i, r) in revisions.iter().enumerate() {
            for label in &r.branch_labels {
                let existing = by_label
                    .get(label)
                    .copied()
                    .or_else(|| by_id.get(label).copied());
                if let Some(existing) = existing {
                    return Err(GraphError::DuplicateBranchLabel {
                        label: label.clone(),
                        revision: r.id.clone(),
                        source_file: r.source.clone(),
                        existing: revisions[existing].id.clone(),
                    });
                }
                by_label.insert(label.clone(), i);
            }
        }

        let mut nodes: Vec<Node> = Vec::with_capacity(revisions.len());
        for r in &revisions {
            let mut down = Vec::new();
            for d in &r.down_revisions {
                if d == &r.id {
                    return Err(GraphError::CycleDetected {
                        revisions: vec![r.id.clone()],
                        sources: vec![r.source.clone()],
                    });
                }
                let Some(&i) = by_id.get(d) else {
                    return Err(GraphError::MissingDownRevision {
                        revision: r.id.clone(),
                        missing: d.clone(),
                        source_file: r.source.clone(),
                    });
                };
                if !down.contains(&i) {
                    down.push(i);
                }
            }
            let mut deps = Vec::new();
            for d in &r.depends_on {
                // A dependency may name a revision or a branch label (Alembic resolves both
                // through the same map, exact matches only).
                let Some(&i) = by_id.get(d).or_else(|| by_label.get(d)) else {
                    return Err(GraphError::MissingDependency {
                        revision: r.id.clone(),
                        missing: d.clone(),
                        source_file: r.source.clone(),
                    });
                };
                if revisions[i].id == r.id {
                    return Err(GraphError::DependencyCycleDetected {
                        revisions: vec![r.id.clone()],
                        sources: vec![r.source.clone()],
                    });
                }
                if !deps.contains(&i) {
                    deps.push(i);
                }
            }
            nodes.push(Node {
                info: r.clone(),
                down,
                deps,
                norm_deps: Vec::new(),
                next: Vec::new(),
                all_next: Vec::new(),
                labels: r.branch_labels.iter().cloned().collect(),
            });
        }

        for i in 0..nodes.len() {
            for p in nodes[i].all_down() {
                nodes[p].all_next.push(i);
                if nodes[i].down.contains(&p) {
                    nodes[p].next.push(i);
                }
            }
        }

        let mut graph = RevisionGraph {
            heads: (0..nodes.len())
                .filter(|&i| nodes[i].next.is_empty())
                .collect(),
            real_heads: (0..nodes.len())
                .filter(|&i| nodes[i].all_next.is_empty())
                .collect(),
            bases: (0..nodes.len())
                .filter(|&i| nodes[i].down.is_empty())
                .collect(),
            real_bases: (0..nodes.len())
                .filter(|&i| nodes[i].down.is_empty() && nodes[i].deps.is_empty())
                .collect(),
            nodes,
            by_id,
            by_label,
        };
        graph.detect_cycles()?;
        graph.normalize_deps();
        graph.propagate_labels();
        Ok(graph)
    }

    /// Alembic's check: every revision must lie on a path from a base to a head; whatever
    /// does not is on (or hangs off) a cycle.
    fn detect_cycles(&self) -> Result<(), GraphError> {
        if self.nodes.is_empty() {
            return Ok(());
        }
        let all: Vec<usize> = (0..self.nodes.len()).collect();
        let check = |heads: &[usize], bases: &[usize], edges: Edges| -> Vec<usize> {
            if heads.is_empty() || bases.is_empty() {
                return all.clone();
            }
            // Dependencies are not normalised yet here: follow every edge.
            let up = match edges {
                Edges::Versioned => self.ancestors(heads, edges),
                Edges::WithDeps => self.ancestors_all(heads),
            };
            let down = self.descendants(bases, edges);
            all.iter()
                .copied()
                .filter(|i| !(up.contains(i) && down.contains(i)))
                .collect()
        };
        let sorted = |idx: Vec<usize>| {
            let mut pairs: Vec<(String, String)> = idx
                .into_iter()
                .map(|i| {
                    (
                        self.nodes[i].info.id.clone(),
                        self.nodes[i].info.source.clone(),
                    )
                })
                .collect();
            pairs.sort();
            pairs.into_iter().unzip::<_, _, Vec<_>, Vec<_>>()
        };
        let bad = check(&self.heads, &self.bases, Edges::Versioned);
        if !bad.is_empty() {
            let (revisions, sources) = sorted(bad);
            return Err(GraphError::CycleDetected { revisions, sources });
        }
        let bad = check(&self.real_heads, &self.real_bases, Edges::WithDeps);
        if !bad.is_empty() {
            let (revisions, sources) = sorted(bad);
            return Err(GraphError::DependencyCycleDetected { revisions, sources });
        }
        Ok(())
    }

    /// Drops dependencies that a versioned ancestor already declares, so that the version
    /// table does not get a row for them twice.
    fn normalize_deps(&mut self) {
        for i in 0..self.nodes.len() {
            if self.nodes[i].deps.is_empty() {
                continue;
            }
            let mut keep = self.nodes[i].deps.clone();
            for a in self.ancestors(&[i], Edges::Versioned) {
                if a != i {
                    keep.retain(|d| !self.nodes[a].deps.contains(d));
                }
            }
            self.nodes[i].norm_deps = keep;
        }
    }

    /// A label applies to its revision, every versioned descendant, and the ancestors down
    /// to (not including) the preceding branch point or merge point, as Alembic documents.
    fn propagate_labels(&mut self) {
        let labelled: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| !self.nodes[i].info.branch_labels.is_empty())
            .collect();
        for i in labelled {
            let labels = self.nodes[i].info.branch_labels.clone();
            for d in self.descendants(&[i], Edges::Versioned) {
                self.nodes[d].labels.extend(labels.iter().cloned());
            }
            let mut cur = i;
            loop {
                let node = &self.nodes[cur];
                if node.all_next.len() > 1 || node.down.len() > 1 {
                    break;
                }
                self.nodes[cur].labels.extend(labels.iter().cloned());
                match self.nodes[cur].down.first() {
                    Some(&p) => cur = p,
                    None => break,
                }
            }
        }
    }

    /// `targets` and everything below them.
    pub(crate) fn ancestors(&self, targets: &[usize], edges: Edges) -> BTreeSet<usize> {
        self.closure(targets, |n| match edges {
            Edges::Versioned => n.down.clone(),
            Edges::WithDeps => n.normalized_down(),
        })
    }

    /// `targets` and everything below them, following every dependency edge.
    pub(crate) fn ancestors_all(&self, targets: &[usize]) -> BTreeSet<usize> {
        self.closure(targets, Node::all_down)
    }

    /// `targets` and everything above them.
    pub(crate) fn descendants(&self, targets: &[usize], edges: Edges) -> BTreeSet<usize> {
        self.closure(targets, |n| match edges {
            Edges::Versioned => n.next.clone(),
            Edges::WithDeps => n.all_next.clone(),
        })
    }

    fn closure(&self, targets: &[usize], step: impl Fn(&Node) -> Vec<usize>) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<usize> = targets.to_vec();
        while let Some(i) = todo.pop() {
            if seen.insert(i) {
                todo.extend(step(&self.nodes[i]));
            }
        }
        seen
    }

    pub(crate) fn id(&self, i: usize) -> &str {
        &self.nodes[i].info.id
    }

    pub(crate) fn ids(&self, idx: impl IntoIterator<Item = usize>) -> Vec<String> {
        idx.into_iter().map(|i| self.id(i).to_owned()).collect()
    }

    pub(crate) fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

pub(crate) fn check_id(r: &RevisionInfo) -> Result<(), GraphError> {
    let invalid = |reason: String| GraphError::InvalidRevisionId {
        id: r.id.clone(),
        source_file: r.source.clone(),
        reason,
    };
    if r.id.is_empty() {
        return Err(invalid("it is empty".into()));
    }
    let bad: Vec<String> = RESERVED_CHARS
        .iter()
        .filter(|c| r.id.contains(**c))
        .map(|c| format!("'{c}'"))
        .collect();
    if !bad.is_empty() {
        return Err(invalid(format!("it contains {}", bad.join(", "))));
    }
    if r.id.chars().any(char::is_whitespace) {
        return Err(invalid("it contains whitespace".into()));
    }
    if matches!(r.id.as_str(), "head" | "heads" | "base" | "current") {
        return Err(invalid("it is a reserved word".into()));
    }
    Ok(())
}
