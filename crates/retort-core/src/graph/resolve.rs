//! Turning what a user types into revisions.
//!
//! The grammar is Alembic's: a full id, a unique prefix of an id or a branch label, a
//! branch label alone (the revision declaring it), `head`, `heads`, `base`, `label@head`,
//! `label@heads`, `label@base`, `rev@head` (the head of the branch holding `rev`),
//! `label@rev` (`rev`, checked to be on that branch), and the relative forms `-N` (from the
//! heads of the scripts), `rev+N`, `rev-N`, `label@+N`, which [`parse_relative`] reads.
//! `+N`/`-N` relative to the *database* is handled by the planner, which knows the applied
//! heads.
//!
//! The functions mirror Alembic's `RevisionMap` (`get_revisions`, `get_revision`,
//! `_revision_for_ident`, `filter_for_lineage`, `_walk`) so that corner cases agree.

use super::build::Edges;
use super::{GraphError, RevisionGraph};

/// Where a walk or a resolution lands: a revision, or the empty state below every base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spot {
    Base,
    Rev(usize),
}

/// One element of a symbolic resolution: already a revision, or text still to resolve.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sym<'a> {
    Known(usize),
    Raw(&'a str),
}

/// `[label@][symbol](+|-)N`, the relative form of an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Relative<'a> {
    pub(crate) label: Option<&'a str>,
    pub(crate) symbol: Option<&'a str>,
    pub(crate) delta: i64,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `(\w+)?[+-]\d+`, matched as a whole.
fn parse_relative_tail(s: &str) -> Option<(Option<&str>, i64)> {
    let pos = s.find(['+', '-'])?;
    let (symbol, rest) = s.split_at(pos);
    if !symbol.chars().all(is_word) {
        return None;
    }
    let digits = &rest[1..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    let delta = if rest.starts_with('-') { -n } else { n };
    Some(((!symbol.is_empty()).then_some(symbol), delta))
}

/// Reads `[label@][symbol](+|-)N`; `None` when `ident` is not relative.
pub(crate) fn parse_relative(ident: &str) -> Option<Relative<'_>> {
    // Like Alembic's lazy `(.+?)@`: the first '@' after which the rest is a relative tail.
    for (at, _) in ident.match_indices('@').filter(|(at, _)| *at > 0) {
        if let Some((symbol, delta)) = parse_relative_tail(&ident[at + 1..]) {
            return Some(Relative {
                label: Some(&ident[..at]),
                symbol,
                delta,
            });
        }
    }
    parse_relative_tail(ident).map(|(symbol, delta)| Relative {
        label: None,
        symbol,
        delta,
    })
}

/// Splits `label@rest` at the first '@'.
pub(crate) fn split_label(ident: &str) -> (Option<&str>, &str) {
    match ident.split_once('@') {
        Some((label, rest)) => (Some(label), rest),
        None => (None, ident),
    }
}

impl RevisionGraph {
    /// The identifiers of every revision an identifier names, in the graph's order.
    ///
    /// `heads` gives the real heads (what the version table holds after `upgrade heads`),
    /// `base` and `label@base` give nothing, `-N` walks down from every head.
    pub fn resolve(&self, ident: &str) -> Result<Vec<String>, GraphError> {
        Ok(self.ids(self.resolve_many(ident)?))
    }

    /// Like [`RevisionGraph::resolve`], where `current` also names the applied heads
    /// (`show current`, `history -r current:`).
    pub fn resolve_with_current<S: AsRef<str>>(
        &self,
        ident: &str,
        current: &[S],
    ) -> Result<Vec<String>, GraphError> {
        if ident == "current" {
            return Ok(self.ids(self.applied(current)?));
        }
        self.resolve(ident)
    }

    /// The single revision an identifier names; `None` for `base`.
    ///
    /// Fails with [`GraphError::MultipleHeads`] when the identifier names several.
    pub fn resolve_one(&self, ident: &str) -> Result<Option<String>, GraphError> {
        Ok(self.resolve_single(ident)?.map(|i| self.id(i).to_owned()))
    }

    /// The one head of the scripts (or of the branch `label`), `None` when there are no
    /// revisions; several heads are an error.
    pub fn current_head(&self, label: Option<&str>) -> Result<Option<String>, GraphError> {
        Ok(self.current_head_idx(label)?.map(|i| self.id(i).to_owned()))
    }

    pub(crate) fn current_head_idx(
        &self,
        label: Option<&str>,
    ) -> Result<Option<usize>, GraphError> {
        let mut heads = self.heads.clone();
        if let Some(label) = label {
            // Name a bad label as such (Alembic says "no such revision or branch").
            self.resolve_branch(label)?;
            heads = self.filter_for_lineage(&heads, label, Edges::Versioned)?;
        }
        if heads.len() > 1 {
            return Err(GraphError::MultipleHeads {
                argument: label.map_or_else(|| "head".to_owned(), |l| format!("{l}@head")),
                heads: self.ids(heads),
            });
        }
        Ok(heads.first().copied())
    }

    /// Alembic's `_resolve_revision_number`: expands the symbolic names, leaves the rest.
    pub(crate) fn resolve_symbols<'a>(
        &self,
        ident: &'a str,
    ) -> Result<(Vec<Sym<'a>>, Option<&'a str>), GraphError> {
        let (label, id) = split_label(ident);
        let syms = match id {
            "heads" => match label {
                Some(label) => {
                    self.resolve_branch(label)?;
                    self.filter_for_lineage(&self.heads, label, Edges::Versioned)?
                        .into_iter()
                        .map(Sym::Known)
                        .collect()
                }
                None => self.real_heads.iter().copied().map(Sym::Known).collect(),
            },
            "head" => self
                .current_head_idx(label)?
                .into_iter()
                .map(Sym::Known)
                .collect(),
            "base" | "" => Vec::new(),
            other => vec![Sym::Raw(other)],
        };
        Ok((syms, label))
    }

    /// Alembic's `get_revisions`.
    pub(crate) fn resolve_many(&self, ident: &str) -> Result<Vec<usize>, GraphError> {
        let (syms, label) = self.resolve_symbols(ident)?;
        if let [Sym::Raw(raw)] = syms.as_slice() {
            if let Ok(n) = raw.parse::<i64>() {
                if n < 0 {
                    // `-N` / `label@-N`: walk down from the (labelled) heads of the scripts.
                    let mut out = Vec::new();
                    for &head in &self.real_heads {
                        if label.is_some_and(|l| !self.nodes[head].labels.contains(l)) {
                            continue;
                        }
                        match self.walk(Spot::Rev(head), n, None, true, ident)? {
                            Some(Spot::Rev(i)) => out.push(i),
                            Some(Spot::Base) => {}
                            None => {
                                return Err(GraphError::RelativeOutOfRange {
                                    ident: ident.to_owned(),
                                    steps: n.unsigned_abs(),
                                })
                            }
                        }
                    }
                    return Ok(out);
                }
            }
        }
        syms.into_iter()
            .map(|s| self.revision_for_ident(s, label))
            .collect()
    }

    /// Alembic's `get_revision`: one revision or `None` for base.
    pub(crate) fn resolve_single(&self, ident: &str) -> Result<Option<usize>, GraphError> {
        let (syms, label) = self.resolve_symbols(ident)?;
        match syms.as_slice() {
            [] => Ok(None),
            [one] => self.revision_for_ident(*one, label).map(Some),
            many => {
                let idx: Vec<usize> = many
                    .iter()
                    .map(|s| self.revision_for_ident(*s, None))
                    .collect::<Result<_, _>>()?;
                Err(GraphError::MultipleHeads {
                    argument: ident.to_owned(),
                    heads: self.ids(idx),
                })
            }
        }
    }

    /// The revision a branch name stands for: the revision declaring the label, or else
    /// any revision identifier (so `ae10@head` works).
    pub(crate) fn resolve_branch(&self, label: &str) -> Result<usize, GraphError> {
        if let Some(&i) = self.by_label.get(label) {
            return Ok(i);
        }
        self.revision_for_ident(Sym::Raw(label), None)
            .map_err(|_| GraphError::UnknownBranch {
                label: label.to_owned(),
            })
    }

    /// Alembic's `_revision_for_ident`: exact id or label, else a unique prefix; with a
    /// branch, the result must share lineage with it.
    pub(crate) fn revision_for_ident(
        &self,
        sym: Sym<'_>,
        branch: Option<&str>,
    ) -> Result<usize, GraphError> {
        let branch_rev = branch.map(|b| self.resolve_branch(b)).transpose()?;
        let rev = match sym {
            Sym::Known(i) => i,
            Sym::Raw(raw) => match self.by_id.get(raw).or_else(|| self.by_label.get(raw)) {
                Some(&i) => i,
                None => self.resolve_prefix(raw, branch_rev)?,
            },
        };
        if let (Some(branch), Some(branch_rev)) = (branch, branch_rev) {
            if !self.shares_lineage(rev, &[branch_rev], Edges::Versioned) {
                return Err(GraphError::NotOnBranch {
                    revision: self.id(rev).to_owned(),
                    branch: branch.to_owned(),
                });
            }
        }
        Ok(rev)
    }

    fn resolve_prefix(&self, prefix: &str, branch_rev: Option<usize>) -> Result<usize, GraphError> {
        // As Alembic: keys (ids and labels) longer than three characters may be abbreviated.
        let keys = self
            .by_id
            .iter()
            .chain(self.by_label.iter())
            .filter(|(k, _)| k.chars().count() > 3 && k.starts_with(prefix));
        let mut matches: Vec<(String, usize)> = keys.map(|(k, &i)| (k.clone(), i)).collect();
        if let Some(b) = branch_rev {
            matches.retain(|(_, i)| self.shares_lineage(*i, &[b], Edges::Versioned));
        }
        matches.sort();
        let mut revs: Vec<usize> = matches.iter().map(|(_, i)| *i).collect();
        revs.sort_unstable();
        revs.dedup();
        match revs.as_slice() {
            [] => Err(GraphError::UnknownRevision {
                ident: prefix.to_owned(),
                hint: if prefix.chars().count() < 4 {
                    "; please ensure at least four characters are present for partial revision identifier matches".to_owned()
                } else {
                    "; check `history` for the revisions that exist".to_owned()
                },
            }),
            [one] => Ok(*one),
            _ => Err(GraphError::AmbiguousPrefix {
                prefix: prefix.to_owned(),
                candidates: matches.into_iter().map(|(k, _)| k).collect(),
            }),
        }
    }

    /// Whether `target` is an ancestor or descendant of (or equal to) any of `against`.
    pub(crate) fn shares_lineage(&self, target: usize, against: &[usize], edges: Edges) -> bool {
        if against.is_empty() {
            return true;
        }
        let up = self.descendants(&[target], edges);
        let down = self.ancestors(&[target], edges);
        against.iter().any(|a| up.contains(a) || down.contains(a))
    }

    /// Alembic's `filter_for_lineage`: the `targets` in the lineage of `check_against`
    /// (an identifier, possibly `label@...`).
    pub(crate) fn filter_for_lineage(
        &self,
        targets: &[usize],
        check_against: &str,
        edges: Edges,
    ) -> Result<Vec<usize>, GraphError> {
        // Like Alembic, nothing is resolved when there is nothing to filter.
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let (syms, label) = self.resolve_symbols(check_against)?;
        let mut shares = Vec::new();
        if let Some(label) = label {
            shares.push(self.revision_for_ident(Sym::Raw(label), None)?);
        }
        for s in syms {
            shares.push(self.revision_for_ident(s, None)?);
        }
        Ok(targets
            .iter()
            .copied()
            .filter(|&t| self.shares_lineage(t, &shares, edges))
            .collect())
    }

    /// Alembic's `_walk`: `steps` up (positive) or down (negative) the versioned edges.
    ///
    /// Walking up from [`Spot::Base`] starts at the bases; walking down past a base lands on
    /// [`Spot::Base`]. `label` filters the way up. Past the ends the walk gives `None` when
    /// `no_overwalk`, else stops where it is. A branch on the way is an error.
    pub(crate) fn walk(
        &self,
        start: Spot,
        steps: i64,
        label: Option<&str>,
        no_overwalk: bool,
        ident: &str,
    ) -> Result<Option<Spot>, GraphError> {
        let mut at = start;
        for _ in 0..steps.unsigned_abs() {
            let choices: Vec<Spot> = if steps > 0 {
                let up = match at {
                    Spot::Base => self.bases.clone(),
                    Spot::Rev(i) => self.nodes[i].next.clone(),
                };
                let up = match label {
                    Some(l) => self.filter_for_lineage(&up, l, Edges::Versioned)?,
                    None => up,
                };
                up.into_iter().map(Spot::Rev).collect()
            } else {
                match at {
                    Spot::Base => Vec::new(),
                    Spot::Rev(i) if self.nodes[i].down.is_empty() => vec![Spot::Base],
                    Spot::Rev(i) => self.nodes[i].down.iter().copied().map(Spot::Rev).collect(),
                }
            };
            match choices.as_slice() {
                [] => return Ok(if no_overwalk { None } else { Some(at) }),
                [one] => at = *one,
                many => {
                    return Err(GraphError::AmbiguousWalk {
                        ident: ident.to_owned(),
                        from: self.spot_name(at),
                        choices: many.iter().map(|s| self.spot_name(*s)).collect(),
                    })
                }
            }
        }
        Ok(Some(at))
    }

    pub(crate) fn spot_name(&self, spot: Spot) -> String {
        match spot {
            Spot::Base => "<base>".to_owned(),
            Spot::Rev(i) => self.id(i).to_owned(),
        }
    }
}
