//! Pairing one table's model objects (keys, checks, indexes) with its database objects,
//! and the names taken on that table. See `constraints` for the rule.

use super::options::{ObjectKind, ObjectRef};
use super::Cx;
use crate::Table;

/// How one model object and one database object pair up.
pub(super) enum Match {
    Added(usize),
    Changed(usize, usize),
    Removed(usize),
}

/// The matching described in the module notes. Results come in model order, then the
/// removed database objects in database order.
pub(super) fn pair<T>(
    model: &[T],
    db: &[T],
    name: impl Fn(&T) -> Option<&str>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<Match> {
    pair_kept(model, db, name, same).0
}

/// [`pair`], with the pairs `(model, database)` it found the same (no op between them):
/// where a property the match leaves out (storage parameters) is compared.
pub(super) fn pair_kept<T>(
    model: &[T],
    db: &[T],
    name: impl Fn(&T) -> Option<&str>,
    same: impl Fn(&T, &T) -> bool,
) -> (Vec<Match>, Vec<(usize, usize)>) {
    let mut kept = Vec::new();
    let mut used = vec![false; db.len()];
    let mut result: Vec<Option<Match>> = (0..model.len()).map(|_| None).collect();
    let mut settled = vec![false; model.len()];
    for (mi, m) in model.iter().enumerate() {
        let Some(n) = name(m) else { continue };
        settled[mi] = true;
        match db
            .iter()
            .enumerate()
            .position(|(di, d)| !used[di] && name(d) == Some(n))
        {
            Some(di) => {
                used[di] = true;
                if same(m, &db[di]) {
                    kept.push((mi, di));
                } else {
                    result[mi] = Some(Match::Changed(mi, di));
                }
            }
            None => result[mi] = Some(Match::Added(mi)),
        }
    }
    for (mi, m) in model.iter().enumerate() {
        if settled[mi] {
            continue;
        }
        match db
            .iter()
            .enumerate()
            .position(|(di, d)| !used[di] && same(m, d))
        {
            Some(di) => {
                used[di] = true;
                kept.push((mi, di));
            }
            None => result[mi] = Some(Match::Added(mi)),
        }
    }
    let mut out: Vec<Match> = result.into_iter().flatten().collect();
    out.extend((0..db.len()).filter(|&di| !used[di]).map(Match::Removed));
    kept.sort_unstable();
    (out, kept)
}

pub(super) fn cols(c: &[String]) -> String {
    format!("({})", c.join(", "))
}

/// One table's view for naming: the names already taken, so a generated name never
/// collides (PostgreSQL appends a number, and so do we).
pub(super) struct Names {
    pub taken: Vec<String>,
}

impl Names {
    pub fn fresh(&mut self, base: String) -> String {
        let mut name = base.clone();
        let mut n = 0;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        self.taken.push(name.clone());
        name
    }
}

/// Frees the names of the database objects that go, before anything is created: the
/// database drops them first, so a new unnamed constraint gets the plain name again.
pub(super) fn released<T>(
    matches: Vec<Match>,
    db: &[T],
    name: impl Fn(&T) -> Option<&str>,
    names: &mut Names,
) -> Vec<Match> {
    for m in &matches {
        if let Match::Changed(_, di) | Match::Removed(di) = m {
            if let Some(n) = name(&db[*di]) {
                if let Some(pos) = names.taken.iter().position(|t| t == n) {
                    names.taken.remove(pos);
                }
            }
        }
    }
    matches
}

pub(super) fn all_names(t: &Table) -> Vec<String> {
    let pk = t.primary_key.iter().filter_map(|p| p.name.clone());
    let fk = t.foreign_keys.iter().filter_map(|f| f.name.clone());
    let uq = t.uniques.iter().filter_map(|u| u.name.clone());
    let ck = t.checks.iter().filter_map(|c| c.name.clone());
    let ex = t.excludes.iter().filter_map(|x| x.name.clone());
    let ix = t.indexes.iter().filter_map(|i| i.name.clone());
    pk.chain(fk)
        .chain(uq)
        .chain(ck)
        .chain(ex)
        .chain(ix)
        .collect()
}

pub(super) fn hook(
    cx: &Cx,
    t: &Table,
    kind: ObjectKind,
    name: Option<&str>,
    db: bool,
    model: bool,
) -> bool {
    cx.opts.hook(ObjectRef {
        kind,
        schema: t.schema.as_deref(),
        table: Some(&t.name),
        name,
        in_database: db,
        in_model: model,
    })
}
