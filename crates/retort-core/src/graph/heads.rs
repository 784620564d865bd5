//! Version-table bookkeeping: how the set of applied heads changes with each step.
//!
//! A port of the decisions in Alembic's `HeadMaintainer.update_to_step` and of its
//! `RevisionStep`/`StampStep` predicates, checked in the same order (delete a branch,
//! create a branch, merge, unmerge, else update one row). Where Alembic would trip an
//! assertion or a `KeyError` on a hand-edited version table, this returns
//! [`GraphError::InconsistentHeads`].

use std::collections::{BTreeSet, HashMap};

use super::build::Edges;
use super::plan::{Direction, VersionChange};
use super::{GraphError, RevisionGraph};

/// Applies one change to the list of applied heads (kept in row order: an update keeps the
/// row's place, an insert appends).
struct Heads<'g> {
    graph: &'g RevisionGraph,
    heads: &'g mut Vec<usize>,
    revision: usize,
}

impl Heads<'_> {
    fn fail(&self, reason: String) -> GraphError {
        GraphError::InconsistentHeads {
            revision: self.graph.id(self.revision).to_owned(),
            heads: self.graph.ids(self.heads.iter().copied()),
            reason,
        }
    }

    fn insert(&mut self, v: usize) -> Result<(), GraphError> {
        if self.heads.contains(&v) {
            return Err(self.fail(format!("{} is already applied", self.graph.id(v))));
        }
        self.heads.push(v);
        Ok(())
    }

    fn delete(&mut self, v: usize) -> Result<(), GraphError> {
        let Some(pos) = self.heads.iter().position(|h| *h == v) else {
            return Err(self.fail(format!("{} is not an applied head", self.graph.id(v))));
        };
        self.heads.remove(pos);
        Ok(())
    }

    fn update(&mut self, from: usize, to: usize) -> Result<(), GraphError> {
        if self.heads.contains(&to) {
            return Err(self.fail(format!("{} is already applied", self.graph.id(to))));
        }
        let Some(pos) = self.heads.iter().position(|h| *h == from) else {
            return Err(self.fail(format!("{} is not an applied head", self.graph.id(from))));
        };
        self.heads[pos] = to;
        Ok(())
    }
}

/// Ancestor sets of applied heads, kept for one plan: the other heads rarely change
/// from step to step, and walking their whole history each step made plans over long,
/// branched histories quadratic.
#[derive(Debug, Default)]
pub(crate) struct AncestorCache(HashMap<usize, BTreeSet<usize>>);

impl AncestorCache {
    /// Whether `p` is `head` or below it.
    fn implies(&mut self, graph: &RevisionGraph, head: usize, p: usize) -> bool {
        self.0
            .entry(head)
            .or_insert_with(|| graph.ancestors(&[head], Edges::WithDeps))
            .contains(&p)
    }
}

impl RevisionGraph {
    /// Records running `rev` in `direction` against `heads`; returns the change made.
    pub(crate) fn record_step(
        &self,
        heads: &mut Vec<usize>,
        rev: usize,
        direction: Direction,
        cache: &mut AncestorCache,
    ) -> Result<VersionChange, GraphError> {
        let down = self.nodes[rev].normalized_down();
        let in_heads = heads.contains(&rev);
        let applied_down: Vec<usize> = down.iter().copied().filter(|d| heads.contains(d)).collect();
        let mut h = Heads {
            graph: self,
            heads,
            revision: rev,
        };
        let id = |i: usize| self.id(i).to_owned();
        match direction {
            Direction::Downgrade
                if in_heads
                    && (down.is_empty() || self.unmerge_to(h.heads, rev, cache).is_empty()) =>
            {
                h.delete(rev)?;
                Ok(VersionChange::Delete(id(rev)))
            }
            Direction::Upgrade if applied_down.is_empty() => {
                h.insert(rev)?;
                Ok(VersionChange::Insert(id(rev)))
            }
            Direction::Upgrade if down.len() > 1 && applied_down.len() > 1 => {
                let from = self.merge_from(h.heads, rev, cache);
                let Some((&last, rest)) = from.split_last() else {
                    return Err(h.fail("no merged head is applied".into()));
                };
                for &d in rest {
                    h.delete(d)?;
                }
                h.update(last, rev)?;
                Ok(merge_or_update(
                    self.ids(rest.iter().copied()),
                    id(last),
                    id(rev),
                ))
            }
            Direction::Downgrade if in_heads && down.len() > 1 => {
                let to = self.unmerge_to(h.heads, rev, cache);
                let Some((&last, rest)) = to.split_last() else {
                    return Err(h.fail("nothing to restore below the merge point".into()));
                };
                for &i in rest {
                    h.insert(i)?;
                }
                h.update(rev, last)?;
                let insert = self.ids(rest.iter().copied());
                Ok(if insert.is_empty() {
                    VersionChange::Update {
                        from: id(rev),
                        to: id(last),
                    }
                } else {
                    VersionChange::Unmerge {
                        from: id(rev),
                        to: id(last),
                        insert,
                    }
                })
            }
            _ => {
                let other = match down.as_slice() {
                    [one] => *one,
                    _ => match applied_down.as_slice() {
                        [one] => *one,
                        _ => {
                            return Err(h.fail(format!(
                                "cannot update the version row because the down revision of {} is ambiguous",
                                id(rev)
                            )))
                        }
                    },
                };
                let (from, to) = match direction {
                    Direction::Upgrade => (other, rev),
                    Direction::Downgrade => (rev, other),
                };
                h.update(from, to)?;
                Ok(VersionChange::Update {
                    from: id(from),
                    to: id(to),
                })
            }
        }
    }

    /// The merged parents whose rows a merge step replaces: those not already implied
    /// by other applied heads.
    fn merge_from(&self, heads: &[usize], rev: usize, cache: &mut AncestorCache) -> Vec<usize> {
        let parents = self.nodes[rev].normalized_down();
        let others: Vec<usize> = heads
            .iter()
            .copied()
            .filter(|h| !parents.contains(h))
            .collect();
        if others.is_empty() {
            return parents;
        }
        parents
            .into_iter()
            .filter(|&p| !others.iter().any(|&h| cache.implies(self, h, p)))
            .collect()
    }

    /// The parents a downgrade of `rev` must restore as heads: those not implied by other
    /// applied heads (or by each other).
    fn unmerge_to(&self, heads: &[usize], rev: usize, cache: &mut AncestorCache) -> Vec<usize> {
        // Dependencies first, so that the row being updated moves to a versioned parent
        // and a restored dependency gets a row of its own.
        let node = &self.nodes[rev];
        let mut parents: Vec<usize> = node
            .norm_deps
            .iter()
            .copied()
            .filter(|d| !node.down.contains(d))
            .collect();
        parents.extend(node.down.iter().copied());
        let others: Vec<usize> = heads.iter().copied().filter(|h| *h != rev).collect();
        if others.is_empty() && parents.len() < 2 {
            // Nothing can imply a lone parent: skip the walk (it made long downgrades
            // quadratic).
            return parents;
        }
        if !others.is_empty() {
            return parents
                .into_iter()
                .filter(|&p| !others.iter().any(|&h| cache.implies(self, h, p)))
                .collect();
        }
        let implied: BTreeSet<usize> = parents
            .iter()
            .flat_map(|&p| {
                self.ancestors(&[p], Edges::WithDeps)
                    .into_iter()
                    .filter(move |a| *a != p)
            })
            .collect();
        parents
            .into_iter()
            .filter(|p| !implied.contains(p))
            .collect()
    }
}

/// A merge that deletes nothing is a plain update (as the SQL Alembic emits for it).
pub(crate) fn merge_or_update(delete: Vec<String>, from: String, to: String) -> VersionChange {
    if delete.is_empty() {
        VersionChange::Update { from, to }
    } else {
        VersionChange::Merge { delete, from, to }
    }
}
