//! The order in which revisions run: Alembic's topological sort.
//!
//! The sort starts from a set of heads and walks *down*: each revision is emitted only
//! once no other pending head still needs it, so the output lists every revision before
//! its down revisions and dependencies. Downgrades run in that order; upgrades run it
//! reversed. Ties go to the order the revisions were given to the graph, exactly as
//! Alembic uses the order of its revision map, so plans (and the log lines a user sees)
//! match Alembic's on the same history.

use std::collections::BTreeSet;

use super::build::Edges;
use super::RevisionGraph;

impl RevisionGraph {
    /// `revisions`, newest first, walking down from `heads` (those of them in the set).
    pub(crate) fn topo_sort(&self, revisions: &BTreeSet<usize>, heads: &[usize]) -> Vec<usize> {
        let mut todo = revisions.clone();
        let mut current: Vec<usize> = heads.iter().copied().filter(|h| todo.contains(h)).collect();
        // Also start from the tips of the set (members nothing else in the set sits on).
        // When every tip is among `heads` this changes nothing; when one is not, Alembic
        // trips an assertion (a history range with dependencies), and starting there keeps
        // the order right instead.
        let below: BTreeSet<usize> = todo
            .iter()
            .flat_map(|&r| self.nodes[r].normalized_down())
            .collect();
        current.extend(todo.iter().copied().filter(|r| !below.contains(r)));
        current.sort_unstable();
        current.dedup();
        let mut ancestors: Vec<BTreeSet<usize>> = current
            .iter()
            .map(|&h| self.ancestors(&[h], Edges::WithDeps))
            .collect();
        let mut output = Vec::with_capacity(todo.len());
        let mut at = 0usize;

        while !current.is_empty() {
            let candidate = current[at];
            // If another pending head still needs the candidate, go down that head first.
            if let Some(other) = ancestors
                .iter()
                .enumerate()
                .position(|(k, anc)| k != at && anc.contains(&candidate))
            {
                at = other;
                continue;
            }
            if todo.remove(&candidate) {
                output.push(candidate);
            }
            let node = &self.nodes[candidate];
            let to_add: Vec<usize> = node
                .normalized_down()
                .into_iter()
                .filter(|r| todo.contains(r) && !current.contains(r))
                .collect();
            if to_add.is_empty() {
                current.remove(at);
                ancestors.remove(at);
                at = at.saturating_sub(1);
            } else if node.norm_deps.is_empty() && node.down.len() == 1 {
                // Plain movement down one line: the ancestors are the same minus the
                // candidate.
                current[at] = to_add[0];
                ancestors[at].remove(&candidate);
            } else {
                current[at] = to_add[0];
                ancestors[at] = self.ancestors(&[to_add[0]], Edges::WithDeps);
                for &r in &to_add[1..] {
                    current.push(r);
                    ancestors.push(self.ancestors(&[r], Edges::WithDeps));
                }
            }
        }
        // Every member is reachable from a tip, so nothing is left; keep any remainder
        // rather than lose it.
        output.extend(todo.into_iter().rev());
        output
    }
}
