//! Planning `stamp`: set the version table to some revisions without running anything.
//!
//! Follows Alembic's `ScriptDirectory._stamp_revs`: for each destination, the applied
//! heads in its lineage move to it in one step (up or down), a destination on a lineage
//! with nothing applied becomes a new row, and `base` deletes the rows of its lineage.
//! `purge` first empties the table, so the destinations are written as they are even if
//! the table held revisions the scripts no longer know.

use super::build::Edges;
use super::heads::merge_or_update;
use super::plan::{Direction, VersionChange};
use super::{GraphError, RevisionGraph};

/// One stamp step: rows for `from` become rows for `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StampStep {
    /// Applied heads this step replaces (empty for a new branch).
    pub from: Vec<String>,
    /// Revisions recorded instead (empty for base).
    pub to: Vec<String>,
    /// Whether the stamp moves up or down.
    pub direction: Direction,
    /// What the version table does.
    pub change: VersionChange,
    /// The applied heads after the step.
    pub heads_after: Vec<String>,
}

/// An ordered plan for `stamp`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StampPlan {
    /// Whether the version table is emptied first.
    pub purge: bool,
    /// The applied heads before the first step (empty with `purge`).
    pub heads_before: Vec<String>,
    /// The steps in order.
    pub steps: Vec<StampStep>,
}

impl StampPlan {
    /// The applied heads once every step has run.
    pub fn heads_after(&self) -> &[String] {
        self.steps
            .last()
            .map_or(&self.heads_before[..], |s| &s.heads_after[..])
    }
}

impl RevisionGraph {
    /// Plans `stamp <targets...>` from the applied heads `current`.
    ///
    /// With `purge`, `current` is ignored (and may name unknown revisions).
    pub fn plan_stamp<S: AsRef<str>>(
        &self,
        current: &[S],
        targets: &[&str],
        purge: bool,
    ) -> Result<StampPlan, GraphError> {
        let applied = if purge {
            Vec::new()
        } else {
            self.applied(current)?
        };
        let targets: Vec<&str> = if targets.is_empty() {
            vec!["base"]
        } else {
            targets.to_vec()
        };

        let mut in_lineage: Vec<usize> = Vec::new();
        for t in targets.iter().filter(|t| !t.is_empty()) {
            for h in self.filter_for_lineage(&applied, t, Edges::WithDeps)? {
                if !in_lineage.contains(&h) {
                    in_lineage.push(h);
                }
            }
        }
        let mut dests: Vec<Option<usize>> = Vec::new();
        for t in &targets {
            dests.extend(self.resolve_many(t)?.into_iter().map(Some));
        }
        if dests.is_empty() {
            dests.push(None);
        }

        // (from, to, direction, branch_move)
        let mut raw: Vec<(Vec<usize>, Vec<usize>, Direction, bool)> = Vec::new();
        for dest in dests {
            let Some(dest) = dest else {
                for &h in &in_lineage {
                    raw.push((vec![h], Vec::new(), Direction::Downgrade, true));
                }
                continue;
            };
            if in_lineage.contains(&dest) {
                continue;
            }
            let above = self.descendants(&[dest], Edges::WithDeps);
            let below = self.ancestors(&[dest], Edges::WithDeps);
            if in_lineage.iter().any(|h| above.contains(h)) {
                raw.push((in_lineage.clone(), vec![dest], Direction::Downgrade, false));
            } else if in_lineage.iter().any(|h| below.contains(h)) {
                raw.push((in_lineage.clone(), vec![dest], Direction::Upgrade, false));
            } else {
                raw.push((Vec::new(), vec![dest], Direction::Upgrade, true));
            }
        }

        let heads_before = self.ids(applied.iter().copied());
        let mut heads = applied;
        let mut steps = Vec::with_capacity(raw.len());
        for (from, to, direction, branch_move) in raw {
            let change = self.record_stamp(&mut heads, &from, &to, direction, branch_move)?;
            steps.push(StampStep {
                from: self.ids(from),
                to: self.ids(to),
                direction,
                change,
                heads_after: self.ids(heads.iter().copied()),
            });
        }
        Ok(StampPlan {
            purge,
            heads_before,
            steps,
        })
    }

    /// Alembic's `StampStep` predicates, in `HeadMaintainer`'s order.
    fn record_stamp(
        &self,
        heads: &mut Vec<usize>,
        from: &[usize],
        to: &[usize],
        direction: Direction,
        branch_move: bool,
    ) -> Result<VersionChange, GraphError> {
        let fail = |heads: &Vec<usize>, reason: &str| GraphError::InconsistentHeads {
            revision: to
                .first()
                .or(from.first())
                .map_or("<base>".to_owned(), |i| self.id(*i).to_owned()),
            heads: self.ids(heads.iter().copied()),
            reason: reason.to_owned(),
        };
        let remove = |heads: &mut Vec<usize>, v: usize| -> Result<usize, GraphError> {
            let pos = heads
                .iter()
                .position(|h| *h == v)
                .ok_or_else(|| fail(heads, "a stamped-over revision is not applied"))?;
            heads.remove(pos);
            Ok(pos)
        };
        let id = |i: usize| self.id(i).to_owned();
        if direction == Direction::Downgrade && branch_move {
            let &[v] = from else {
                return Err(fail(heads, "a branch delete needs one revision"));
            };
            remove(heads, v)?;
            return Ok(VersionChange::Delete(id(v)));
        }
        let new_to = to.iter().any(|t| !heads.contains(t));
        let missing_from = from.iter().any(|f| !heads.contains(f));
        if direction == Direction::Upgrade && (branch_move || missing_from) && new_to {
            let &[v] = to else {
                return Err(fail(heads, "a branch insert needs one revision"));
            };
            heads.push(v);
            return Ok(VersionChange::Insert(id(v)));
        }
        let &[dest] = to else {
            return Err(fail(heads, "a stamp step needs one destination"));
        };
        if heads.contains(&dest) {
            return Err(fail(heads, "the destination is already applied"));
        }
        match from {
            [] => Err(fail(heads, "nothing to update")),
            [one] => {
                let pos = remove(heads, *one)?;
                heads.insert(pos, dest);
                Ok(VersionChange::Update {
                    from: id(*one),
                    to: id(dest),
                })
            }
            [rest @ .., last] => {
                for &r in rest {
                    remove(heads, r)?;
                }
                let pos = remove(heads, *last)?;
                heads.insert(pos, dest);
                Ok(merge_or_update(
                    self.ids(rest.iter().copied()),
                    id(*last),
                    id(dest),
                ))
            }
        }
    }
}
