//! `history`, `branches`, and where a new revision attaches (`revision --head --splice`).
//!
//! History is Alembic's `walk_revisions(base, head)`: the revisions an upgrade from `base`
//! to `head` would need, including `base` itself, newest first. A range `start:end`
//! takes any identifier at either end (empty means `base` / `heads`), and `current` at
//! either end stands for the applied heads.
//!
//! One deliberate difference: `label@base:` lists the descendants of that branch's base
//! (what downgrading it would remove), as the "Working with Branches" chapter shows,
//! where Alembic 1.20's code instead keeps only heads carrying the label and pulls in
//! their dependencies.

use std::collections::BTreeSet;

use super::build::Edges;
use super::{GraphError, RevisionGraph, RevisionInfo};

/// One end of a history range.
#[derive(Debug, Clone)]
enum End<'a> {
    Ident(&'a str),
    Revs(Vec<usize>),
}

/// A branch point and the revisions it branches into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchPoint {
    /// The revision with several children.
    pub revision: String,
    /// Its children, in graph order.
    pub children: Vec<String>,
}

impl RevisionGraph {
    /// The revisions of `history -r <range>`, newest first.
    ///
    /// `range` is `start:end`, `start:` or `:end` (`None` for everything). `current` is
    /// what `current` stands for at either end: the applied heads, or `None` when the
    /// database is not known (then `current` is an error).
    pub fn history(
        &self,
        range: Option<&str>,
        current: Option<&[&str]>,
    ) -> Result<Vec<&RevisionInfo>, GraphError> {
        let (lower, upper) = match range.map(str::trim) {
            None => ("base", "heads"),
            Some(r) => {
                let mut parts = r.split(':');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(l), Some(u), None) => (
                        if l.is_empty() { "base" } else { l },
                        if u.is_empty() { "heads" } else { u },
                    ),
                    _ => {
                        return Err(GraphError::InvalidRange {
                            range: r.to_owned(),
                        })
                    }
                }
            }
        };
        let resolve_end = |s| -> Result<End<'_>, GraphError> {
            if s == "current" {
                let current = current.ok_or(GraphError::CurrentUnknown)?;
                Ok(End::Revs(self.applied(current)?))
            } else {
                Ok(End::Ident(s))
            }
        };
        let lower = resolve_end(lower)?;
        let upper = resolve_end(upper)?;
        let order = self.walk_revisions(&lower, &upper)?;
        Ok(order.into_iter().map(|i| &self.nodes[i].info).collect())
    }

    /// Alembic's `_collect_upgrade_revisions(upper, lower, inclusive=True,
    /// implicit_base=False)` followed by its topological sort.
    fn walk_revisions(&self, lower: &End<'_>, upper: &End<'_>) -> Result<Vec<usize>, GraphError> {
        let lower_revs = match lower {
            End::Revs(v) => v.clone(),
            End::Ident(s) => self.resolve_many(s)?,
        };
        let mut targets = match upper {
            End::Revs(v) => v.clone(),
            End::Ident(s) => match lower {
                End::Ident(l) => self.upgrade_targets(&[], Some(l), s, false)?,
                End::Revs(v) => self.upgrade_targets(v, None, s, false)?,
            },
        };
        if let End::Ident(l) = lower {
            if let Some((branch, "base")) = l.split_once('@') {
                // `label@base:` is what downgrading that branch's base would remove: the
                // base's own descendants, not the dependencies they pull in (as the
                // "Working with Branches" chapter shows; Alembic 1.20's code differs).
                let roots = self.filter_for_lineage(&self.bases, branch, Edges::Versioned)?;
                let above = self.descendants(&roots, Edges::Versioned);
                let needs: BTreeSet<usize> = self
                    .required(&targets)?
                    .into_iter()
                    .filter(|r| above.contains(r))
                    .collect();
                return Ok(self.topo_sort(&needs, &targets));
            }
            if let Some((branch, _)) = l.split_once('@') {
                // `label@base:` lists only heads on that branch.
                let mut label = branch.to_owned();
                if let Some(r) = self.resolve_single(branch)? {
                    if self.id(r) == branch {
                        // A revision id used as a label: use its own (single) label.
                        let labels = &self.nodes[r].labels;
                        if labels.len() == 1 {
                            label = labels.iter().next().cloned().unwrap_or_default();
                        }
                    }
                }
                targets.retain(|t| self.nodes[*t].labels.contains(&label));
            }
        }
        let required = self.required(&targets)?;
        if lower_revs.iter().any(|r| !required.contains(r)) {
            let name = |e: &End<'_>| match e {
                End::Ident(s) => (*s).to_owned(),
                End::Revs(v) => self.ids(v.iter().copied()).join(", "),
            };
            return Err(GraphError::RangeNotAncestor {
                lower: name(lower),
                upper: name(upper),
            });
        }
        let have = self.required(&lower_revs)?;
        let mut needs: BTreeSet<usize> = required.difference(&have).copied().collect();
        needs.extend(lower_revs.iter().copied());
        if !lower_revs.is_empty() {
            let above = self.descendants(&lower_revs, Edges::Versioned);
            needs.retain(|n| above.contains(n));
        }
        Ok(self.topo_sort(&needs, &targets))
    }

    /// The branch points (revisions with several children), newest first, as `branches`
    /// lists them.
    pub fn branches(&self) -> Vec<BranchPoint> {
        let all: BTreeSet<usize> = (0..self.nodes.len()).collect();
        self.topo_sort(&all, &self.real_heads)
            .into_iter()
            .filter(|&i| self.nodes[i].next.len() > 1)
            .map(|i| BranchPoint {
                revision: self.id(i).to_owned(),
                children: self.ids(self.nodes[i].next.iter().copied()),
            })
            .collect()
    }

    /// The down revisions of a new revision created with `--head <head>` (default `head`):
    /// empty for `base` (a new root). Without `splice`, each must be a head.
    pub fn new_revision_parents(
        &self,
        head: Option<&str>,
        splice: bool,
    ) -> Result<Vec<String>, GraphError> {
        let heads = self.resolve_many(head.unwrap_or("head"))?;
        let distinct: BTreeSet<usize> = heads.iter().copied().collect();
        if distinct.len() != heads.len() {
            return Err(GraphError::DuplicateHeads {
                heads: self.ids(heads),
            });
        }
        if !splice {
            if let Some(&h) = heads.iter().find(|&&h| !self.nodes[h].next.is_empty()) {
                return Err(GraphError::NotAHead {
                    revision: self.id(h).to_owned(),
                });
            }
        }
        Ok(self.ids(heads))
    }

    /// `--depends-on` values as a new revision records them: branch labels stay labels,
    /// anything else (a partial id) becomes the full id.
    pub fn resolve_depends_on(&self, deps: &[&str]) -> Result<Vec<String>, GraphError> {
        deps.iter()
            .map(|dep| {
                let rev = self
                    .resolve_single(dep)?
                    .ok_or_else(|| GraphError::UnknownRevision {
                        ident: (*dep).to_owned(),
                        hint: "; a dependency must name a revision or a branch label".to_owned(),
                    })?;
                Ok(if self.nodes[rev].labels.contains(*dep) {
                    (*dep).to_owned()
                } else {
                    self.id(rev).to_owned()
                })
            })
            .collect()
    }

    /// Checks that `id` can be used for a new revision (`--rev-id`).
    pub fn check_new_revision_id(&self, id: &str, source: &str) -> Result<(), GraphError> {
        let info = RevisionInfo::new(id).with_source(source);
        super::build::check_id(&info)?;
        if let Some(existing) = self.revision(id) {
            return Err(GraphError::DuplicateRevision {
                id: id.to_owned(),
                first_source: existing.source.clone(),
                second_source: source.to_owned(),
            });
        }
        Ok(())
    }
}
