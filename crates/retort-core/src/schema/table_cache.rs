//! [`MetaData`](super::MetaData)'s look-up of tables by name and of the index-like names of
//! each schema, built on first use and kept up to date, so that replaying 10,000
//! `create_table` ops (autogenerate's self-check, `--sql` rendering) is linear rather than a
//! scan of every table per op.
//!
//! It stays true by construction: the tables are only reachable mutably through
//! `MetaData`'s methods, each of which tells the cache what it handed out. `tables_mut`
//! drops it (rebuilt on the next look-up); `get_table_mut` marks the one table it returns,
//! which is checked again on the next look-up (its key and index names re-read; a renamed
//! table rebuilds the whole); `add_table` adds to it.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::Table;

type Key = (Option<String>, String);

#[derive(Default)]
struct Index {
    /// The first table of each `(schema, name)`.
    by_key: HashMap<Key, usize>,
    /// Each table's key and index-like names, as last read.
    keys: Vec<Key>,
    names: Vec<Vec<String>>,
    /// How many tables of each schema hold each index-like name.
    taken: HashMap<Option<String>, HashMap<String, usize>>,
    /// Tables handed out mutably since the last look-up.
    dirty: Vec<usize>,
}

fn key(t: &Table) -> Key {
    (t.schema.clone(), t.name.clone())
}

/// Names of a table's indexes and index-backed constraints (primary key, unique, exclusion):
/// PostgreSQL's one namespace per schema.
pub(crate) fn index_like_names(t: &Table) -> impl Iterator<Item = &str> {
    let pk = t.primary_key.iter().filter_map(|p| p.name.as_deref());
    let uq = t.uniques.iter().filter_map(|u| u.name.as_deref());
    let ex = t.excludes.iter().filter_map(|x| x.name.as_deref());
    let ix = t.indexes.iter().filter_map(|i| i.name.as_deref());
    pk.chain(uq).chain(ex).chain(ix)
}

impl Index {
    fn build(tables: &[Table]) -> Self {
        let mut ix = Index::default();
        for (p, t) in tables.iter().enumerate() {
            ix.push(p, t);
        }
        ix
    }

    fn push(&mut self, p: usize, t: &Table) {
        let k = key(t);
        self.by_key.entry(k.clone()).or_insert(p);
        let names: Vec<String> = index_like_names(t).map(str::to_owned).collect();
        let counts = self.taken.entry(t.schema.clone()).or_default();
        for n in &names {
            *counts.entry(n.clone()).or_default() += 1;
        }
        self.keys.push(k);
        self.names.push(names);
    }

    /// Re-reads the tables handed out mutably; `false` if the index must be rebuilt.
    fn refresh(&mut self, tables: &[Table]) -> bool {
        if self.keys.len() != tables.len() {
            return false;
        }
        let mut dirty = std::mem::take(&mut self.dirty);
        dirty.sort_unstable();
        dirty.dedup();
        for p in dirty {
            let t = &tables[p];
            if self.keys[p].0 != t.schema || self.keys[p].1 != t.name {
                return false;
            }
            let names: Vec<String> = index_like_names(t).map(str::to_owned).collect();
            let counts = self.taken.entry(t.schema.clone()).or_default();
            for n in &self.names[p] {
                if let Some(c) = counts.get_mut(n) {
                    *c -= 1;
                    if *c == 0 {
                        counts.remove(n);
                    }
                }
            }
            for n in &names {
                *counts.entry(n.clone()).or_default() += 1;
            }
            self.names[p] = names;
        }
        true
    }
}

/// The cache; invisible to `MetaData`'s `Clone`, `PartialEq` and `Debug`.
#[derive(Default)]
pub(crate) struct TableCache(Mutex<Option<Index>>);

impl TableCache {
    fn lock(&self) -> MutexGuard<'_, Option<Index>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The index, current for `tables`.
    fn current<'g>(guard: &'g mut MutexGuard<'_, Option<Index>>, tables: &[Table]) -> &'g Index {
        let fresh = match guard.as_mut() {
            Some(ix) => ix.refresh(tables),
            None => false,
        };
        if !fresh {
            **guard = Some(Index::build(tables));
        }
        guard.as_ref().expect("just built")
    }

    /// The position of the first table `(schema, name)`.
    pub(crate) fn position(
        &self,
        tables: &[Table],
        schema: Option<&str>,
        name: &str,
    ) -> Option<usize> {
        let mut g = self.lock();
        let ix = Self::current(&mut g, tables);
        ix.by_key
            .get(&(schema.map(str::to_owned), name.to_owned()))
            .copied()
    }

    /// Whether a table of `schema` holds an index-like name `name`.
    pub(crate) fn name_taken(&self, tables: &[Table], schema: Option<&str>, name: &str) -> bool {
        let mut g = self.lock();
        let ix = Self::current(&mut g, tables);
        ix.taken
            .get(&schema.map(str::to_owned))
            .is_some_and(|names| names.contains_key(name))
    }

    /// Table `p` was handed out mutably.
    pub(crate) fn touched(&mut self, p: usize) {
        if let Some(ix) = self.0.get_mut().unwrap_or_else(|e| e.into_inner()) {
            ix.dirty.push(p);
        }
    }

    /// Table `p` (the last) was added.
    pub(crate) fn pushed(&mut self, p: usize, t: &Table) {
        let slot = self.0.get_mut().unwrap_or_else(|e| e.into_inner());
        match slot {
            Some(ix) if ix.keys.len() == p => ix.push(p, t),
            _ => *slot = None,
        }
    }

    /// Anything may have changed.
    pub(crate) fn clear(&mut self) {
        *self.0.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl Clone for TableCache {
    fn clone(&self) -> Self {
        Self::default()
    }
}
impl PartialEq for TableCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for TableCache {}
impl std::fmt::Debug for TableCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TableCache")
    }
}

#[cfg(test)]
mod tests {
    use crate::{Column, Index, MetaData, Table, Type};

    fn t(name: &str) -> Table {
        Table::new(name).column(Column::new("id", Type::Integer))
    }

    /// Look-ups stay true through every way the tables change: a table renamed or given an
    /// index through `get_table_mut`, tables added, removed through `tables_mut`.
    #[test]
    fn look_ups_follow_every_change() {
        let mut md = MetaData::new().table(t("a")).table(t("b"));
        assert_eq!(md.table_position(None, "b"), Some(1));
        md.get_table_mut(None, "a").unwrap().name = "c".into();
        assert!(md.get_table(None, "a").is_none());
        assert_eq!(md.table_position(None, "c"), Some(0));
        md.get_table_mut(None, "b")
            .unwrap()
            .indexes
            .push(Index::on_columns(["id"]).name("ix_b"));
        assert!(md.index_like_name_taken(None, "ix_b"));
        md.get_table_mut(None, "b").unwrap().indexes.clear();
        assert!(!md.index_like_name_taken(None, "ix_b"));
        md.add_table(t("d").schema("s"));
        assert_eq!(md.table_position(Some("s"), "d"), Some(2));
        md.tables_mut().remove(0);
        assert_eq!(md.table_position(Some("s"), "d"), Some(1));
        assert!(md.get_table(None, "c").is_none());
        // A duplicate keeps finding the first, as a scan would.
        md.add_table(t("b"));
        assert_eq!(md.table_position(None, "b"), Some(0));
    }
}
