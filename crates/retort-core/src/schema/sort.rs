//! Foreign-key order of tables: which table to create first, dialect-neutral.
//!
//! A table must be created after the tables its foreign keys refer to. The order is a
//! deterministic topological sort: among the tables that are ready, the one added to the
//! [`MetaData`] first goes first, so the same model always yields the same DDL (and the
//! same diff). Self-references impose no order (a table may refer to itself in its own
//! `CREATE TABLE`).
//!
//! Foreign keys that form a cycle (`a -> b -> a`) cannot all be created inline. Like
//! SQLAlchemy's `sort_tables_and_constraints`, every foreign key whose two tables lie in the
//! same strongly connected component is *deferred*: the tables are created without it and it
//! is added afterwards (`ALTER TABLE .. ADD CONSTRAINT`), and dropped first on the way down.
//! Deferring the whole component rather than one chosen edge keeps the result independent
//! of where a search happens to start.
//!
//! Foreign keys to tables that are not in the metadata are ignored here; validation reports
//! them.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use super::{ForeignKey, MetaData, Table};

/// The creation order of a [`MetaData`]'s tables, as indexes into [`MetaData::tables`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableOrder {
    /// Every table exactly once, each after the tables it refers to (deferred keys aside).
    pub tables: Vec<usize>,
    /// `(table index, foreign key index)` of the foreign keys that close a cycle: create the
    /// tables without them and add them afterwards. Sorted, so the output is stable.
    pub deferred_foreign_keys: Vec<(usize, usize)>,
}

impl TableOrder {
    /// Whether the given foreign key of the given table is deferred.
    pub fn is_deferred(&self, table: usize, foreign_key: usize) -> bool {
        self.deferred_foreign_keys
            .binary_search(&(table, foreign_key))
            .is_ok()
    }
}

/// The schema a foreign key's target lives in, as the model's tables carry it: the one it
/// names, else the default schema (the `MetaData`'s, else `None`, the first entry of the
/// database's `search_path`). An unqualified target is in the default schema, as in
/// SQLAlchemy, not in the referring table's schema.
pub fn fk_target_schema<'a>(md: &'a MetaData, fk: &'a ForeignKey) -> Option<&'a str> {
    fk.ref_schema.as_deref().or(md.default_schema())
}

/// The index of the table a foreign key refers to, if it is in the metadata (see
/// [`fk_target_schema`]). A target in a schema no model table lives in is also looked for in
/// the default schema, whose tables carry no schema: that is the default schema named
/// explicitly (`public.products.product_id`).
///
/// One look-up scans the tables; to resolve many foreign keys, build a [`TableLookup`] once.
pub fn referenced_table(md: &MetaData, fk: &ForeignKey) -> Option<usize> {
    TableLookup::new(md).referenced_table(fk)
}

/// The tables of a [`MetaData`] by `(schema, name)`, built once so that resolving every
/// foreign key of a model is linear in its size rather than quadratic.
#[derive(Debug)]
pub struct TableLookup<'a> {
    md: &'a MetaData,
    /// The first table of each `(schema, name)`, as a scan in insertion order finds it.
    by_name: HashMap<(Option<&'a str>, &'a str), usize>,
    /// The schemas the tables live in.
    schemas: HashSet<&'a str>,
}

impl<'a> TableLookup<'a> {
    /// Indexes `md`'s tables.
    pub fn new(md: &'a MetaData) -> Self {
        let mut by_name = HashMap::with_capacity(md.tables().len());
        let mut schemas = HashSet::new();
        for (i, t) in md.tables().iter().enumerate() {
            by_name
                .entry((t.schema.as_deref(), t.name.as_str()))
                .or_insert(i);
            if let Some(s) = t.schema.as_deref() {
                schemas.insert(s);
            }
        }
        Self {
            md,
            by_name,
            schemas,
        }
    }

    /// The index of the table `(schema, name)`, the first one added if several.
    pub fn table(&self, schema: Option<&str>, name: &str) -> Option<usize> {
        self.by_name.get(&(schema, name)).copied()
    }

    /// [`MetaData::get_table`], without the scan: `None` is the default schema.
    pub fn get(&self, schema: Option<&str>, name: &str) -> Option<&'a Table> {
        let md = self.md;
        self.table(schema.or(md.default_schema()), name)
            .map(|i| &md.tables()[i])
    }

    /// [`referenced_table`], without the scan.
    pub fn referenced_table(&self, fk: &ForeignKey) -> Option<usize> {
        let md = self.md;
        self.table(fk_target_schema(md, fk), &fk.ref_table)
            .or_else(|| {
                let named = fk.ref_schema.as_deref()?;
                let unused = md.default_schema().is_none() && !self.schemas.contains(named);
                if unused {
                    self.table(None, &fk.ref_table)
                } else {
                    None
                }
            })
    }

    /// [`resolved_target_schema`], without the scan.
    pub fn resolved_target_schema(&self, fk: &ForeignKey) -> Option<String> {
        match self.referenced_table(fk) {
            Some(i) => self.md.tables()[i].schema.clone(),
            None => fk_target_schema(self.md, fk).map(str::to_owned),
        }
    }
}

/// The schema of the table a foreign key refers to: the referred table's when it is in the
/// metadata (so `public.products` and `products` compare equal), else [`fk_target_schema`].
/// One look-up scans the tables; for many, use [`TableLookup::resolved_target_schema`].
pub fn resolved_target_schema(md: &MetaData, fk: &ForeignKey) -> Option<String> {
    TableLookup::new(md).resolved_target_schema(fk)
}

/// The edge of a child to its parent (`INHERITS`), in place of a foreign key's index.
const INHERITS: usize = usize::MAX;

/// Sorts the tables of `md` for creation (reverse it to drop). See the module notes.
pub fn sort_tables(md: &MetaData) -> TableOrder {
    let n = md.tables().len();
    // deps[a] = tables `a` refers to, with the foreign key index that refers to each.
    let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let lookup = TableLookup::new(md);
    for (a, t) in md.tables().iter().enumerate() {
        for (k, fk) in t.foreign_keys.iter().enumerate() {
            if let Some(b) = lookup.referenced_table(fk) {
                if a != b {
                    edges[a].push((b, k));
                }
            }
        }
        // A child of `INHERITS` needs its parents first; no statement after the
        // `CREATE TABLE` could add them instead, so these edges are never deferred.
        for parent in &t.inherits {
            let schema = parent.schema.as_deref().or(md.default_schema());
            if let Some(b) = lookup.table(schema, &parent.name) {
                if a != b {
                    edges[a].push((b, INHERITS));
                }
            }
        }
    }
    let component = strongly_connected_components(&edges);
    let mut deferred = Vec::new();
    for (a, out) in edges.iter_mut().enumerate() {
        out.retain(|&(b, k)| {
            let cyclic = k != INHERITS && component[a] == component[b];
            if cyclic {
                deferred.push((a, k));
            }
            !cyclic
        });
    }
    deferred.sort_unstable();
    deferred.dedup();
    TableOrder {
        tables: kahn_by_insertion_order(&edges),
        deferred_foreign_keys: deferred,
    }
}

/// Kahn's algorithm on an acyclic graph where `edges[a]` lists what `a` depends on; a
/// min-heap of ready tables makes ties go to the table added first.
fn kahn_by_insertion_order(edges: &[Vec<(usize, usize)>]) -> Vec<usize> {
    let n = edges.len();
    let mut waiting_on = vec![0usize; n];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, out) in edges.iter().enumerate() {
        for &(b, _) in out {
            waiting_on[a] += 1;
            dependents[b].push(a);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&a| waiting_on[a] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(b)) = ready.pop() {
        order.push(b);
        for &a in &dependents[b] {
            waiting_on[a] -= 1;
            if waiting_on[a] == 0 {
                ready.push(Reverse(a));
            }
        }
    }
    order
}

/// Kosaraju's algorithm, iterative so a long chain of tables cannot overflow the stack.
/// Returns a component id per node.
fn strongly_connected_components(edges: &[Vec<(usize, usize)>]) -> Vec<usize> {
    let n = edges.len();
    let mut visited = vec![false; n];
    let mut finished = Vec::with_capacity(n);
    for root in 0..n {
        if visited[root] {
            continue;
        }
        visited[root] = true;
        let mut stack = vec![(root, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&(succ, _)) = edges[*node].get(*next) {
                *next += 1;
                if !visited[succ] {
                    visited[succ] = true;
                    stack.push((succ, 0));
                }
            } else {
                finished.push(*node);
                stack.pop();
            }
        }
    }
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, out) in edges.iter().enumerate() {
        for &(b, _) in out {
            reverse[b].push(a);
        }
    }
    let mut component = vec![usize::MAX; n];
    for (id, &root) in finished.iter().rev().enumerate() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = id;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &pred in &reverse[node] {
                if component[pred] == usize::MAX {
                    component[pred] = id;
                    stack.push(pred);
                }
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Table, Type};

    fn table(name: &str, refs: &[&str]) -> Table {
        let mut t = Table::new(name).column(Column::new("id", Type::Integer));
        for r in refs {
            let col = format!("{r}_id");
            t = t
                .column(Column::new(col.clone(), Type::Integer))
                .foreign_key(ForeignKey::new([col], *r, ["id"]));
        }
        t
    }

    fn names(md: &MetaData, order: &TableOrder) -> Vec<String> {
        order
            .tables
            .iter()
            .map(|&i| md.tables()[i].name.clone())
            .collect()
    }

    #[test]
    fn referenced_tables_come_first_and_ties_keep_insertion_order() {
        let md = MetaData::new()
            .table(table("orders", &["customers"]))
            .table(table("customers", &[]))
            .table(table("products", &[]))
            .table(table("lines", &["orders", "products"]));
        let order = sort_tables(&md);
        assert_eq!(
            names(&md, &order),
            ["customers", "orders", "products", "lines"]
        );
        assert!(order.deferred_foreign_keys.is_empty());
    }

    #[test]
    fn a_child_comes_after_its_parent_even_in_a_foreign_key_cycle() {
        // child -> parent (INHERITS), parent -> child (a foreign key): the key is deferred,
        // the inheritance never is.
        let md = MetaData::new()
            .table(table("child", &[]).inherits("parent"))
            .table(table("parent", &["child"]));
        let order = sort_tables(&md);
        assert_eq!(names(&md, &order), ["parent", "child"]);
        assert_eq!(order.deferred_foreign_keys, [(1, 0)]);
    }

    #[test]
    fn self_references_impose_no_order() {
        let md = MetaData::new()
            .table(table("b", &[]))
            .table(table("employees", &["employees"]));
        let order = sort_tables(&md);
        assert_eq!(names(&md, &order), ["b", "employees"]);
        assert!(order.deferred_foreign_keys.is_empty());
    }

    #[test]
    fn a_cycle_defers_its_foreign_keys_only() {
        // a -> b -> c -> a is a cycle; d -> a is not part of it.
        let md = MetaData::new()
            .table(table("d", &["a"]))
            .table(table("a", &["b"]))
            .table(table("b", &["c"]))
            .table(table("c", &["a"]));
        let order = sort_tables(&md);
        // Once `a` exists, `d` (added first) is ready and goes before `b` and `c`.
        assert_eq!(names(&md, &order), ["a", "d", "b", "c"]);
        assert_eq!(order.deferred_foreign_keys, [(1, 0), (2, 0), (3, 0)]);
        assert!(order.is_deferred(2, 0));
        assert!(!order.is_deferred(0, 0));
    }

    #[test]
    fn schemas_distinguish_tables_and_unknown_targets_are_ignored() {
        let md = MetaData::new()
            .table(table("t", &["ghost"]).schema("app"))
            .table(table("u", &["t"]))
            .table(table("t", &[]));
        let order = sort_tables(&md);
        // `u` refers to the unqualified `t` (index 2), not to `app.t`.
        assert_eq!(order.tables, [0, 2, 1]);
    }

    /// Issue 11 item 1: an unqualified target is in the default schema (SQLAlchemy's meaning),
    /// not in the referring table's; another schema is named, and so may the default one be.
    #[test]
    fn an_unqualified_target_is_in_the_default_schema() {
        let md = MetaData::new()
            .table(table("stock_levels", &["products"]).schema("inventory"))
            .table(table("products", &[]))
            .table(table("products", &[]).schema("inventory"));
        let t = &md.tables()[0];
        assert_eq!(
            referenced_table(&md, &t.foreign_keys[0]),
            Some(1),
            "`products`, not `inventory.products`"
        );
        let named = ForeignKey::new(["products_id"], "products", ["id"]).ref_schema("inventory");
        assert_eq!(referenced_table(&md, &named), Some(2));
        // The default schema named explicitly, when no model table lives in a schema of that name.
        let public = ForeignKey::new(["products_id"], "products", ["id"]).ref_schema("public");
        assert_eq!(referenced_table(&md, &public), Some(1));
        // A MetaData-wide schema is the default one (SQLAlchemy's `MetaData(schema=..)`).
        let md = MetaData::new()
            .with_schema("app")
            .table(table("stock_levels", &["products"]).schema("inventory"))
            .table(table("products", &[]));
        let t = &md.tables()[0];
        assert_eq!(referenced_table(&md, &t.foreign_keys[0]), Some(1));
        assert!(md.validate().is_ok(), "{:?}", md.validate());
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let mut md = MetaData::new();
        md.add_table(table("t0", &[]));
        for i in 1..5000 {
            md.add_table(table(&format!("t{i}"), &[&format!("t{}", i - 1)]));
        }
        let order = sort_tables(&md);
        assert_eq!(order.tables, (0..5000).collect::<Vec<_>>());
    }
}
