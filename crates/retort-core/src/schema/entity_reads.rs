//! What entities read of tables, and what depends on what among them, for the changes a
//! database refuses under an entity (issue 14, item 5): PostgreSQL will not drop a column,
//! nor change its type, while a view (a materialized view, a function with a SQL-standard
//! body, a trigger's column list or `WHEN`) reads it; SQLite will not drop a column a view
//! reads. The diff drops such entities before the change and creates them again after it
//! (`diff::entity_columns`); this module answers which ones.
//!
//! Two sources, united: the definitions, searched by name (an entity names the table and
//! the column as whole words; a trigger is on the table and names the column), which works
//! offline and on every database; and, on a live PostgreSQL database, the catalog's record
//! ([`EntityColumn`], from `pg_depend`), which sees what a name search cannot (`SELECT *`,
//! expanded when the view was made). A false match costs one needless drop and create in
//! the revision, never a wrong schema.
//!
//! Also here: cycles among entities that the user declared (`.after(..)`), which are
//! reported by name rather than broken by guess ([`declared_cycles`]).

use std::collections::HashSet;

use super::entity::dependency_lists;
use super::{Entity, EntityKey};

/// One column an entity reads, as a database's catalog records it (dependent entity, the
/// column's table and name). Objects in the default schema carry no schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityColumn {
    /// The entity that reads the column.
    pub entity: EntityKey,
    /// The table's schema; `None` is the default one.
    pub schema: Option<String>,
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
}

/// Whether `entity`'s definition reads column `column` of table `table`, by name: a view,
/// materialized view or function that names both, a trigger on the table that names the
/// column. Functions count only with a SQL-standard body (`BEGIN ATOMIC ..`, `RETURN ..`),
/// the only kind whose reads the database tracks; a string body (`AS $$ .. $$`) is checked
/// when it runs, and never stops a change.
pub fn reads_column(entity: &Entity, table: &str, column: &str) -> bool {
    match entity {
        Entity::Trigger(t) => t.table == table && entity.mentions(column),
        Entity::Function(f) if !sql_standard_body(&f.definition) => false,
        // A domain or an aggregate reads no table (a domain's check sees only `VALUE`).
        Entity::Domain(_) | Entity::Aggregate(_) => false,
        _ => entity.mentions(table) && entity.mentions(column),
    }
}

/// Whether a function's definition (what follows its argument list) has a SQL-standard
/// body, which PostgreSQL records the dependencies of, rather than a string one.
pub fn sql_standard_body(definition: &str) -> bool {
    let lower = definition.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    if words.windows(2).any(|w| w == ["begin", "atomic"]) {
        return true;
    }
    let string_body = words
        .windows(2)
        .any(|w| w[0] == "as" && (w[1].starts_with('$') || w[1].starts_with('\'')));
    !string_body && words.contains(&"return")
}

/// Whether an entity must go when `dependency` goes (the database refuses to drop
/// `dependency` while it is there): a view or materialized view reading it, a trigger
/// executing it, a function whose SQL-standard body reads it. A function with a string body
/// naming it is only ordered after it: nothing stops the drop.
fn held_by(dependent: &Entity) -> bool {
    match dependent {
        Entity::View(_) | Entity::MaterializedView(_) | Entity::Trigger(_) => true,
        Entity::Function(f) => sql_standard_body(&f.definition),
        // A policy, switch or grant goes with what it is on (a grant on a view re-created
        // around a column change is made again after it).
        Entity::Policy(_) | Entity::RowLevelSecurity(_) | Entity::Grant(_) => true,
        // A rule goes with its table or view; an aggregate with the functions it calls.
        Entity::Rule(_) | Entity::Aggregate(_) => true,
        // A domain is created before the tables and dropped after them, never around a
        // column change (its columns would go with it).
        Entity::Extension(_) | Entity::SchemaComment(_) | Entity::Domain(_) => false,
    }
}

/// `seeds` (indexes into `entities`) and every entity that must go with them, recursively
/// (a view reading a view reading the column): what a revision drops before a change and
/// creates again after it. `known` are the (dependent, dependency) pairs a catalog records.
pub fn with_dependents(
    entities: &[Entity],
    known: &[(EntityKey, EntityKey)],
    seeds: &[usize],
) -> Vec<usize> {
    let deps = dependency_lists(entities, known);
    let mut chosen: HashSet<usize> = seeds.iter().copied().collect();
    let mut out: Vec<usize> = seeds.to_vec();
    let mut grew = true;
    while grew {
        grew = false;
        for (i, ds) in deps.iter().enumerate() {
            if !chosen.contains(&i)
                && held_by(&entities[i])
                && ds.iter().any(|j| chosen.contains(j))
            {
                chosen.insert(i);
                out.push(i);
                grew = true;
            }
        }
    }
    out
}

/// The cycles among `entities` that pass through an order the user declared with
/// `.after(..)`, each as the keys around it (first again at the end, so it reads as a
/// chain). A cycle found through names alone is not one: the database cannot hold two views
/// reading each other, so one of the names is not a reference (a column alias), and the
/// order falls back to declaration order ([`super::sort_entities`]); but a declared order
/// that closes a cycle is the user's mistake, and guessing would hide it.
pub fn declared_cycles(entities: &[Entity]) -> Vec<Vec<EntityKey>> {
    let deps = dependency_lists(entities, &[]);
    let mut out: Vec<Vec<EntityKey>> = Vec::new();
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    for (i, e) in entities.iter().enumerate() {
        for a in e.after() {
            for j in resolve_after(entities, a) {
                if j == i {
                    continue;
                }
                // `i` comes after `j`; a path from `j` back to `i` closes the cycle.
                if let Some(path) = path_between(&deps, j, i) {
                    let mut members: Vec<usize> = path.clone();
                    members.sort_unstable();
                    if seen.insert(members) {
                        let mut keys: Vec<EntityKey> = std::iter::once(i)
                            .chain(path.iter().copied().filter(|&x| x != i))
                            .map(|x| entities[x].key())
                            .collect();
                        keys.push(entities[i].key());
                        out.push(keys);
                    }
                }
            }
        }
    }
    out
}

/// The entities an `.after(..)` name designates (`name` or `schema.name`).
fn resolve_after(entities: &[Entity], name: &str) -> Vec<usize> {
    entities
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            if name.contains('.') {
                e.qualified_name() == name
            } else {
                e.name() == name
            }
        })
        .map(|(i, _)| i)
        .collect()
}

/// A path `from` -> .. -> `to` following "depends on" edges, both ends included,
/// breadth first.
fn path_between(deps: &[Vec<usize>], from: usize, to: usize) -> Option<Vec<usize>> {
    let mut previous: Vec<Option<usize>> = vec![None; deps.len()];
    let mut queue = std::collections::VecDeque::from([from]);
    let mut visited: HashSet<usize> = HashSet::from([from]);
    while let Some(x) = queue.pop_front() {
        for &y in &deps[x] {
            if !visited.insert(y) {
                continue;
            }
            previous[y] = Some(x);
            if y == to {
                let mut path = vec![y];
                let mut at = y;
                while let Some(p) = previous[at] {
                    path.push(p);
                    at = p;
                }
                path.reverse();
                return Some(path);
            }
            queue.push_back(y);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Function, Trigger, View};

    #[test]
    fn a_view_reads_a_column_it_names_with_its_table() {
        let v = Entity::from(View::new(
            "t",
            "SELECT customer_id, sum(total) FROM orders GROUP BY 1",
        ));
        assert!(reads_column(&v, "orders", "total"));
        assert!(!reads_column(&v, "orders", "updated_at"));
        assert!(!reads_column(&v, "customers", "total"));
        let t = Entity::from(Trigger::new(
            "orders",
            "x",
            "AFTER UPDATE OF total ON orders FOR EACH ROW EXECUTE FUNCTION f()",
        ));
        assert!(reads_column(&t, "orders", "total"));
        assert!(!reads_column(&t, "customers", "total"));
    }

    #[test]
    fn only_a_sql_standard_body_holds_a_column() {
        let atomic = Function::new(
            "n",
            "",
            "RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(total) FROM orders; END",
        );
        let ret = Function::new(
            "n",
            "",
            "RETURNS numeric LANGUAGE sql RETURN (SELECT max(total) FROM orders)",
        );
        let string = Function::new(
            "n",
            "",
            "RETURNS bigint LANGUAGE sql AS $$ SELECT count(total) FROM orders $$",
        );
        assert!(reads_column(&atomic.into(), "orders", "total"));
        assert!(reads_column(&ret.into(), "orders", "total"));
        assert!(!reads_column(&string.into(), "orders", "total"));
    }

    #[test]
    fn dependents_of_dependents_go_too_but_not_string_bodies() {
        let all: Vec<Entity> = vec![
            View::new("base", "SELECT total FROM orders").into(),
            View::new("top", "SELECT * FROM base").into(),
            Function::new(
                "f",
                "",
                "RETURNS bigint LANGUAGE sql AS $$ SELECT 1 FROM top $$",
            )
            .into(),
            View::new("other", "SELECT 1 AS one").into(),
        ];
        assert_eq!(with_dependents(&all, &[], &[0]), [0, 1]);
    }

    #[test]
    fn a_declared_order_closing_a_cycle_is_named() {
        let all: Vec<Entity> = vec![
            View::new("a", "SELECT * FROM b").into(),
            View::new("b", "SELECT 1 AS n").after("a").into(),
            View::new("c", "SELECT 1 AS n").into(),
        ];
        let cycles = declared_cycles(&all);
        let words: Vec<Vec<String>> = cycles
            .iter()
            .map(|c| c.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(words, [["view b", "view a", "view b"]]);
        // Names alone: no cycle reported (one of the names is not a reference).
        let names: Vec<Entity> = vec![
            View::new("a", "SELECT * FROM b").into(),
            View::new("b", "SELECT 1 AS a").into(),
        ];
        assert!(declared_cycles(&names).is_empty());
    }

    #[test]
    fn validation_names_a_declared_cycle() {
        let md = crate::MetaData::new()
            .with_entity(View::new("a", "SELECT * FROM b"))
            .with_entity(View::new("b", "SELECT 1 AS n").after("a"));
        let err = md.validate().expect_err("a cycle").to_string();
        assert!(
            err.contains("entities depend on each other in a cycle: view b -> view a -> view b"),
            "{err}"
        );
        assert!(err.contains("view b is declared `.after(..)`"), "{err}");
    }
}
