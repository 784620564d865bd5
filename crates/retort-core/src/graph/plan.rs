//! Planning `upgrade` and `downgrade`: which revisions run, in which order, and what the
//! version table holds after each step.
//!
//! The selection follows Alembic's `_collect_upgrade_revisions` (everything the target
//! needs, minus what the applied heads already imply) and `_collect_downgrade_revisions`
//! (everything above the target that is applied). The version-table bookkeeping follows
//! Alembic's `HeadMaintainer`: moving along a line updates one row, leaving a branch
//! point inserts one, crossing a merge point deletes all but one of the merged heads, and
//! the reverse for downgrades. Each [`Step`] carries that [`VersionChange`] and the heads
//! after it, so the runner can record every step in the same transaction as its DDL.

use std::collections::BTreeSet;

use super::build::Edges;
use super::heads::AncestorCache;
use super::resolve::{parse_relative, Spot};
use super::{GraphError, RevisionGraph};

/// Whether a step applies or reverts its revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Run `upgrade`.
    Upgrade,
    /// Run `downgrade`.
    Downgrade,
}

/// What one step does to the version table, as Alembic does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionChange {
    /// A new row (a base, or a new branch off a branch point).
    Insert(String),
    /// A row removed (a branch closed out, or back to base).
    Delete(String),
    /// One row changed from one revision to another.
    Update {
        /// The revision the row held.
        from: String,
        /// The revision it holds now.
        to: String,
    },
    /// Crossing a merge point upwards: rows deleted, then one updated.
    Merge {
        /// Rows deleted.
        delete: Vec<String>,
        /// The row updated...
        from: String,
        /// ...to this revision.
        to: String,
    },
    /// Crossing a merge point downwards: one row updated, then rows inserted.
    Unmerge {
        /// The row updated...
        from: String,
        /// ...to this revision.
        to: String,
        /// Rows inserted.
        insert: Vec<String>,
    },
}

/// One revision to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The revision whose `upgrade` or `downgrade` runs.
    pub revision: String,
    /// Which of the two.
    pub direction: Direction,
    /// The revisions on the "from" side, without dependencies (`a, b -> c` in the log).
    pub from: Vec<String>,
    /// The revisions on the "to" side, without dependencies.
    pub to: Vec<String>,
    /// What the version table does after the step.
    pub change: VersionChange,
    /// The applied heads after the step.
    pub heads_after: Vec<String>,
}

/// An ordered plan for `upgrade` or `downgrade`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The applied heads before the first step.
    pub heads_before: Vec<String>,
    /// The steps, in the order to run them.
    pub steps: Vec<Step>,
    /// Things the user should hear about that do not stop the plan.
    pub warnings: Vec<String>,
}

impl Plan {
    /// The applied heads once every step has run.
    pub fn heads_after(&self) -> &[String] {
        self.steps
            .last()
            .map_or(&self.heads_before[..], |s| &s.heads_after[..])
    }

    /// The revisions in run order.
    pub fn revisions(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.revision.as_str()).collect()
    }
}

impl RevisionGraph {
    /// Plans `upgrade <target>` from the applied heads `current` (the version table).
    pub fn plan_upgrade<S: AsRef<str>>(
        &self,
        current: &[S],
        target: &str,
    ) -> Result<Plan, GraphError> {
        let heads = self.applied(current)?;
        let targets = self.upgrade_targets(&heads, None, target, true)?;
        let required = self.required(&targets)?;
        let have = self.required(&heads)?;
        let needs: BTreeSet<usize> = required.difference(&have).copied().collect();
        let mut order = self.topo_sort(&needs, &targets);
        order.reverse();
        self.steps(heads, order, Direction::Upgrade, Vec::new())
    }

    /// Plans `downgrade <target>` from the applied heads `current`.
    pub fn plan_downgrade<S: AsRef<str>>(
        &self,
        current: &[S],
        target: &str,
    ) -> Result<Plan, GraphError> {
        let heads = self.applied(current)?;
        let mut warnings = Vec::new();
        let (label, dest) = self.downgrade_target(&heads, target, true, &mut warnings)?;
        let mut roots: Vec<usize> = match dest {
            Spot::Base => (0..self.nodes.len())
                .filter(|&i| self.nodes[i].down.is_empty())
                .collect(),
            Spot::Rev(t) => self.nodes[t].next.clone(),
        };
        if let Some(label) = label.filter(|_| roots.len() > 1) {
            // Only the branch asked for goes down.
            let keep = self.ancestors(&[self.resolve_branch(&label)?], Edges::Versioned);
            roots.retain(|r| keep.contains(r));
            if roots.is_empty() {
                return Err(self.not_a_downgrade_target(target, &heads));
            }
        }
        let applied = self.ancestors(&heads, Edges::WithDeps);
        let drop: BTreeSet<usize> = self
            .descendants(&roots, Edges::WithDeps)
            .intersection(&applied)
            .copied()
            .collect();
        if let Spot::Rev(t) = dest {
            if drop.is_empty() && !heads.contains(&t) {
                return Err(self.not_a_downgrade_target(target, &heads));
            }
        }
        let order = self.topo_sort(&drop, &heads);
        self.steps(heads, order, Direction::Downgrade, warnings)
    }

    /// The applied heads an offline (`--sql start:end`) run starts from: `base` is none,
    /// anything else must name one revision (Alembic's `starting_rev`).
    pub fn offline_start(&self, start: &str) -> Result<Vec<String>, GraphError> {
        Ok(self.resolve_one(start)?.into_iter().collect())
    }

    fn not_a_downgrade_target(&self, target: &str, heads: &[usize]) -> GraphError {
        GraphError::NotADowngradeTarget {
            target: target.to_owned(),
            current: self.ids(heads.iter().copied()),
        }
    }

    /// The version table's ids as revisions; they must be exact.
    pub(crate) fn applied<S: AsRef<str>>(&self, current: &[S]) -> Result<Vec<usize>, GraphError> {
        let mut out = Vec::new();
        for id in current {
            let id = id.as_ref();
            let i = self.index_of(id).ok_or_else(|| GraphError::UnknownRevision {
                ident: id.to_owned(),
                hint: "; the version table names a revision that no revision file provides (was a file deleted, or is this the wrong migrations folder?)".to_owned(),
            })?;
            if !out.contains(&i) {
                out.push(i);
            }
        }
        Ok(out)
    }

    /// `targets` with all they need (down revisions and dependencies); fails when one
    /// target is below another.
    pub(crate) fn required(&self, targets: &[usize]) -> Result<BTreeSet<usize>, GraphError> {
        let mut all = BTreeSet::new();
        for &t in targets {
            let anc = self.ancestors(&[t], Edges::WithDeps);
            let overlaps: Vec<usize> = targets
                .iter()
                .copied()
                .filter(|o| *o != t && anc.contains(o))
                .collect();
            if !overlaps.is_empty() {
                return Err(GraphError::OverlappingTargets {
                    revision: self.id(t).to_owned(),
                    overlaps: self.ids(overlaps),
                });
            }
            all.extend(anc);
        }
        Ok(all)
    }

    /// Alembic's `_parse_upgrade_target`: the revisions `target` names, where `+N` counts
    /// from `current` (or from `lower`, an identifier, for history ranges).
    pub(crate) fn upgrade_targets(
        &self,
        current: &[usize],
        lower: Option<&str>,
        target: &str,
        no_overwalk: bool,
    ) -> Result<Vec<usize>, GraphError> {
        let Some(rel) = parse_relative(target) else {
            return self.resolve_many(target);
        };
        let steps = rel.delta.unsigned_abs();
        let out_of_range = || GraphError::RelativeOutOfRange {
            ident: target.to_owned(),
            steps,
        };
        let landed = |spot: Option<Spot>| match spot {
            None => Err(out_of_range()),
            Some(Spot::Base) => Ok(Vec::new()),
            Some(Spot::Rev(i)) => Ok(vec![i]),
        };
        if rel.delta > 0 {
            if let Some(symbol) = rel.symbol {
                let start = self.resolve_single(symbol)?.map_or(Spot::Base, Spot::Rev);
                return landed(self.walk(start, rel.delta, rel.label, no_overwalk, target)?);
            }
            let current: Vec<usize> = match lower {
                Some(lower) => self.resolve_many(lower)?,
                None => current.to_vec(),
            };
            let mut start: Vec<Spot> = current.iter().copied().map(Spot::Rev).collect();
            if let Some(label) = rel.label {
                let on_branch = self.filter_for_lineage(&current, label, Edges::Versioned)?;
                start = if on_branch.is_empty() {
                    // The branch is not applied at its tip: start from the highest applied
                    // revisions on it, or from base.
                    let applied: Vec<usize> = self
                        .ancestors(&current, Edges::WithDeps)
                        .into_iter()
                        .collect();
                    let active = self.filter_for_lineage(&applied, label, Edges::Versioned)?;
                    let below: BTreeSet<usize> = active
                        .iter()
                        .flat_map(|&a| self.nodes[a].normalized_down())
                        .collect();
                    active
                        .into_iter()
                        .filter(|a| !below.contains(a))
                        .map(Spot::Rev)
                        .collect()
                } else {
                    on_branch.into_iter().map(Spot::Rev).collect()
                };
            } else if let Some(lower) = lower {
                start = vec![self.resolve_single(lower)?.map_or(Spot::Base, Spot::Rev)];
            }
            if start.is_empty() {
                start.push(Spot::Base);
            }
            if start.len() > 1 {
                return Err(GraphError::AmbiguousUpgrade {
                    current: start.iter().map(|s| self.spot_name(*s)).collect(),
                });
            }
            return landed(self.walk(start[0], rel.delta, rel.label, no_overwalk, target)?);
        }
        let Some(symbol) = rel.symbol else {
            // `upgrade -1` makes no sense.
            return Err(out_of_range());
        };
        let start = match rel.label {
            Some(label) => self.resolve_single(&format!("{label}@{symbol}"))?,
            None => self.resolve_single(symbol)?,
        };
        landed(self.walk(
            start.map_or(Spot::Base, Spot::Rev),
            rel.delta,
            None,
            no_overwalk,
            target,
        )?)
    }

    /// Alembic's `_parse_downgrade_target`: the branch to restrict to (if any) and where
    /// to go; `-N` counts down from the applied heads.
    pub(crate) fn downgrade_target(
        &self,
        current: &[usize],
        target: &str,
        no_overwalk: bool,
        warnings: &mut Vec<String>,
    ) -> Result<(Option<String>, Spot), GraphError> {
        let Some(rel) = parse_relative(target) else {
            let (label, symbol) = match target.rsplit_once('@') {
                Some((l, s)) => ((!l.is_empty()).then(|| l.to_owned()), s),
                None => (None, target),
            };
            return Ok((
                label,
                self.resolve_single(symbol)?.map_or(Spot::Base, Spot::Rev),
            ));
        };
        let steps = rel.delta.unsigned_abs();
        let out_of_range = || GraphError::RelativeOutOfRange {
            ident: target.to_owned(),
            steps,
        };
        if rel.delta >= 0 {
            let Some(symbol) = rel.symbol else {
                // `downgrade +1` makes no sense.
                return Err(out_of_range());
            };
            let start = self.resolve_single(symbol)?.map_or(Spot::Base, Spot::Rev);
            let spot = self
                .walk(start, rel.delta, rel.label, no_overwalk, target)?
                .ok_or_else(out_of_range)?;
            return Ok((rel.label.map(str::to_owned), spot));
        }
        let (label, symbol) = match (rel.label, rel.symbol) {
            (label, Some(symbol)) => (label.map(str::to_owned), symbol.to_owned()),
            (Some(label), None) => {
                let mut on_branch = self.filter_for_lineage(current, label, Edges::Versioned)?;
                if on_branch.is_empty() {
                    // The branch's head may be hidden behind a dependent head.
                    let all = self.all_current(current);
                    on_branch = self.filter_for_lineage(&all, label, Edges::Versioned)?;
                }
                match on_branch.as_slice() {
                    [one] => (Some(label.to_owned()), self.id(*one).to_owned()),
                    [] => return Err(self.not_a_downgrade_target(target, current)),
                    many => {
                        return Err(GraphError::MultipleHeads {
                            argument: target.to_owned(),
                            heads: self.ids(many.iter().copied()),
                        })
                    }
                }
            }
            (None, None) => {
                let Some(&first) = current.first() else {
                    return Err(out_of_range());
                };
                if current.len() > 1 {
                    warnings.push(format!(
                        "downgrade {target} from multiple heads ({}) is ambiguous; going down from {} only. Name the branch ('<label>@{target}') to choose",
                        self.ids(current.iter().copied()).join(", "),
                        self.id(first)
                    ));
                }
                // Restrict the downgrade to the branch of the chosen head.
                (Some(self.id(first).to_owned()), self.id(first).to_owned())
            }
        };
        let start = match &label {
            Some(label) => self.resolve_single(&format!("{label}@{symbol}"))?,
            None => self.resolve_single(&symbol)?,
        };
        let spot = self
            .walk(
                start.map_or(Spot::Base, Spot::Rev),
                rel.delta,
                None,
                no_overwalk,
                target,
            )?
            .ok_or_else(out_of_range)?;
        Ok((label, spot))
    }

    /// Alembic's `_get_all_current`: the applied revisions that are tips of their branch,
    /// counting those only implied through dependencies.
    fn all_current(&self, current: &[usize]) -> Vec<usize> {
        let all = self.ancestors(current, Edges::WithDeps);
        all.iter()
            .copied()
            .filter(|&r| {
                !self
                    .descendants(&[r], Edges::Versioned)
                    .iter()
                    .any(|d| *d != r && all.contains(d))
            })
            .collect()
    }

    fn steps(
        &self,
        heads: Vec<usize>,
        order: Vec<usize>,
        direction: Direction,
        warnings: Vec<String>,
    ) -> Result<Plan, GraphError> {
        let heads_before = self.ids(heads.iter().copied());
        let mut heads = heads;
        let mut steps = Vec::with_capacity(order.len());
        let mut cache = AncestorCache::default();
        for rev in order {
            let change = self.record_step(&mut heads, rev, direction, &mut cache)?;
            let node = &self.nodes[rev];
            let (from, to) = match direction {
                Direction::Upgrade => (
                    self.ids(node.down.iter().copied()),
                    vec![node.info.id.clone()],
                ),
                Direction::Downgrade => (
                    vec![node.info.id.clone()],
                    self.ids(node.down.iter().copied()),
                ),
            };
            steps.push(Step {
                revision: node.info.id.clone(),
                direction,
                from,
                to,
                change,
                heads_after: self.ids(heads.iter().copied()),
            });
        }
        Ok(Plan {
            heads_before,
            steps,
            warnings,
        })
    }
}
