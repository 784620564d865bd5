//! Read-only questions about a built graph: heads, bases, links, labels and kinds of
//! revision (head, base, branch point, merge point), as `heads`, `show` and the history
//! printer need them.

use super::{RevisionGraph, RevisionInfo};

impl RevisionGraph {
    /// Every revision, in the order given to [`RevisionGraph::new`].
    pub fn revisions(&self) -> impl Iterator<Item = &RevisionInfo> {
        self.nodes.iter().map(|n| &n.info)
    }

    /// The number of revisions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no revisions at all.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The revision with exactly this id.
    pub fn revision(&self, id: &str) -> Option<&RevisionInfo> {
        self.index_of(id).map(|i| &self.nodes[i].info)
    }

    /// The heads as `heads` lists them: revisions no other revision revises (a revision
    /// only depended upon is still a head, an "effective head").
    pub fn heads(&self) -> Vec<String> {
        self.ids(self.heads.iter().copied())
    }

    /// The heads the version table holds after `upgrade heads`: revisions nothing revises
    /// or depends on.
    pub fn real_heads(&self) -> Vec<String> {
        self.ids(self.real_heads.iter().copied())
    }

    /// The bases: revisions that revise nothing.
    pub fn bases(&self) -> Vec<String> {
        self.ids(self.bases.iter().copied())
    }

    /// Whether `id` is a head.
    pub fn is_head(&self, id: &str) -> bool {
        self.index_of(id)
            .is_some_and(|i| self.nodes[i].next.is_empty())
    }

    /// Whether `id` is a head only depended upon ("effective head" in `heads`).
    pub fn is_effective_head(&self, id: &str) -> bool {
        self.index_of(id)
            .is_some_and(|i| self.nodes[i].next.is_empty() && !self.nodes[i].all_next.is_empty())
    }

    /// Whether `id` revises nothing.
    pub fn is_base(&self, id: &str) -> bool {
        self.index_of(id)
            .is_some_and(|i| self.nodes[i].down.is_empty())
    }

    /// Whether several revisions revise `id`.
    pub fn is_branch_point(&self, id: &str) -> bool {
        self.index_of(id)
            .is_some_and(|i| self.nodes[i].next.len() > 1)
    }

    /// Whether `id` revises several revisions.
    pub fn is_merge_point(&self, id: &str) -> bool {
        self.index_of(id)
            .is_some_and(|i| self.nodes[i].down.len() > 1)
    }

    /// The revisions that revise `id`, in graph order.
    pub fn children(&self, id: &str) -> Vec<String> {
        self.index_of(id)
            .map(|i| self.ids(self.nodes[i].next.iter().copied()))
            .unwrap_or_default()
    }

    /// The revisions that depend on `id` (through `depends_on`), in graph order.
    pub fn dependents(&self, id: &str) -> Vec<String> {
        self.index_of(id)
            .map(|i| {
                let node = &self.nodes[i];
                let deps = node
                    .all_next
                    .iter()
                    .copied()
                    .filter(|c| !node.next.contains(c));
                self.ids(deps)
            })
            .unwrap_or_default()
    }

    /// The resolved ids `id` depends on (labels replaced by the revisions declaring them).
    pub fn dependencies(&self, id: &str) -> Vec<String> {
        self.index_of(id)
            .map(|i| self.ids(self.nodes[i].deps.iter().copied()))
            .unwrap_or_default()
    }

    /// The branch labels in effect at `id`: its own, those of the revisions below it up
    /// to a branch point, and those of revisions above it up to the next branch point.
    pub fn branch_labels(&self, id: &str) -> Vec<String> {
        self.index_of(id)
            .map(|i| self.nodes[i].labels.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Every branch label and the revision that declares it, sorted by label.
    pub fn labels(&self) -> Vec<(String, String)> {
        self.by_label
            .iter()
            .map(|(l, &i)| (l.clone(), self.id(i).to_owned()))
            .collect()
    }
}
