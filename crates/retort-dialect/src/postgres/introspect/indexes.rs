//! Index rows -> [`Index`]es. The indexes query returns one row per index column (key columns,
//! then INCLUDE columns); rows are gathered per index, put in position order, then attached to
//! their tables. Indexes that back a primary key or unique constraint are that constraint, not
//! indexes of their own, and are skipped. The index behind an exclusion constraint is read the
//! same way, each key column with its operator, and gives the constraint (read by name from the
//! constraints query) its elements, method, INCLUDE and WHERE.

use std::collections::HashMap;

use retort_core::{ExcludeElement, Index, IndexElement, IndexTarget, NullsOrder, SortOrder};

use super::build::Tables;
use super::rows::RowReader;
use super::{CatalogQuery, IntrospectError};

/// Index rows come one per index column; they are gathered per index before being attached.
#[derive(Default)]
pub(super) struct IndexRows {
    /// In first-seen order.
    indexes: Vec<PendingIndex>,
    /// (schema, table, index) -> position in `indexes`.
    by_name: HashMap<(String, String, String), usize>,
}

struct PendingIndex {
    schema: String,
    table: String,
    index: Index,
    /// Columns with their 1-based position in the index.
    columns: Vec<(i64, IndexColumn)>,
    /// The index behind an exclusion constraint of the index's name.
    exclusion: bool,
}

/// One index column as read: its position decides key element or INCLUDE column. A key
/// column of an exclusion constraint's index has its operator.
enum IndexColumn {
    Key(IndexElement, Option<String>),
    Include(String),
}

impl IndexRows {
    pub(super) fn add(&mut self, r: &RowReader<'_>) -> Result<(), IntrospectError> {
        let exclusion = r.opt(17) == Some("x");
        if r.opt(14).is_some() && !exclusion {
            return Ok(());
        }
        let schema = r.text(0, "schema")?;
        let table = r.text(1, "table name")?;
        let name = r.text(2, "index name")?;
        // An index's rows usually come together: try the last one before hashing a new key.
        let last = self.indexes.len().checked_sub(1).filter(|&i| {
            let p = &self.indexes[i];
            p.schema == schema && p.table == table && p.index.name.as_deref() == Some(name)
        });
        let found = match last {
            Some(i) => Some(i),
            None => self
                .by_name
                .get(&(schema.to_string(), table.to_string(), name.to_string()))
                .copied(),
        };
        let i = match found {
            Some(i) => i,
            None => {
                let key = (schema.to_string(), table.to_string(), name.to_string());
                let method = r.text(4, "access method")?;
                let mut ix = Index::on_columns(Vec::<String>::new()).name(name);
                ix.unique = r.flag(3, "unique")?;
                ix.method = (method != "btree").then(|| method.to_string());
                ix.predicate = r.opt(5).map(str::to_string);
                ix.nulls_not_distinct = r.flag(16, "nulls not distinct")?;
                ix.with = super::build::storage_parameters(r, 19)?;
                self.indexes.push(PendingIndex {
                    schema: key.0.clone(),
                    table: key.1.clone(),
                    index: ix,
                    columns: Vec::new(),
                    exclusion,
                });
                self.by_name.insert(key, self.indexes.len() - 1);
                self.indexes.len() - 1
            }
        };
        let position = r.int(7, "position")?;
        let attnum = r.int(8, "column number")?;
        let def = r.text(9, "column or expression")?.to_string();
        let column = if position > r.int(6, "key column count")? {
            IndexColumn::Include(def)
        } else {
            let target = if attnum == 0 {
                IndexTarget::Expr(strip_outer_parens(&def).to_string())
            } else {
                IndexTarget::Column(def)
            };
            let desc = r.flag(12, "descending")?;
            let nulls_first = r.flag(13, "nulls first")?;
            let element = IndexElement {
                target,
                collation: r.opt(15).map(str::to_string),
                // Only a non-default opclass is part of the definition.
                opclass: if r.flag(11, "opclass is default")? {
                    None
                } else {
                    r.opt(10).map(str::to_string)
                },
                order: desc.then_some(SortOrder::Desc),
                // NULLS FIRST is the default for DESC, NULLS LAST for ASC.
                nulls: match (desc, nulls_first) {
                    (true, false) => Some(NullsOrder::Last),
                    (false, true) => Some(NullsOrder::First),
                    _ => None,
                },
            };
            let operator = if exclusion {
                Some(r.text(18, "exclusion operator")?.to_string())
            } else {
                None
            };
            IndexColumn::Key(element, operator)
        };
        self.indexes[i].columns.push((position, column));
        Ok(())
    }

    pub(super) fn attach(self, tables: &mut Tables<'_>) -> Result<(), IntrospectError> {
        for PendingIndex {
            schema,
            table,
            index: mut ix,
            mut columns,
            exclusion,
        } in self.indexes
        {
            columns.sort_by_key(|(position, _)| *position);
            let mut operators = Vec::new();
            for (_, c) in columns {
                match c {
                    IndexColumn::Key(e, op) => {
                        ix.elements.push(e);
                        operators.extend(op);
                    }
                    IndexColumn::Include(name) => ix.include.push(name),
                }
            }
            let name = ix.name.clone().unwrap_or_default();
            if exclusion {
                attach_exclusion(tables, &schema, &table, ix, operators)?;
                continue;
            }
            if let Some(t) = tables.table_of(CatalogQuery::Indexes, &schema, &table, || {
                format!("index `{name}`")
            })? {
                t.indexes.push(ix);
            }
        }
        Ok(())
    }
}

/// Gives the exclusion constraint of the index's name (from the constraints query) what its
/// index says: elements with their operators, method, INCLUDE and WHERE.
fn attach_exclusion(
    tables: &mut Tables<'_>,
    schema: &str,
    table: &str,
    ix: Index,
    operators: Vec<String>,
) -> Result<(), IntrospectError> {
    let name = ix.name.clone().unwrap_or_default();
    let what = || format!("the index of exclusion constraint `{name}`");
    let Some(t) = tables.table_of(CatalogQuery::Indexes, schema, table, what)? else {
        return Ok(());
    };
    let Some(x) = t
        .excludes
        .iter_mut()
        .find(|x| x.name.as_deref() == Some(name.as_str()))
    else {
        return Err(IntrospectError::UnknownTable {
            query: CatalogQuery::Indexes.file_name(),
            what: format!("exclusion constraint `{name}` (its index has no constraint row)"),
            table: format!("{schema}.{table}"),
        });
    };
    x.using = ix.method.unwrap_or_else(|| "btree".into());
    x.elements = ix
        .elements
        .into_iter()
        .zip(operators)
        .map(|(element, operator)| ExcludeElement { element, operator })
        .collect();
    x.include = ix.include;
    x.predicate = ix.predicate;
    Ok(())
}

/// `(a * 2)` -> `a * 2`, but `(a) + (b)` stays: the parentheses must enclose everything.
fn strip_outer_parens(s: &str) -> &str {
    let t = s.trim();
    if !(t.starts_with('(') && t.ends_with(')')) {
        return t;
    }
    let mut depth = 0i32;
    let mut in_str = false;
    for (i, c) in t.char_indices() {
        match c {
            '\'' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth == 0 && i != t.len() - 1 {
                    return t;
                }
            }
            _ => {}
        }
    }
    &t[1..t.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::strip_outer_parens as strip;

    #[test]
    fn only_parentheses_around_everything_go() {
        assert_eq!(strip("(score * 2::numeric)"), "score * 2::numeric");
        assert_eq!(strip("lower(region)"), "lower(region)");
        assert_eq!(strip("(a) + (b)"), "(a) + (b)");
        assert_eq!(strip("((a + b))"), "(a + b)");
        assert_eq!(
            strip("(name::text || ')'::text)"),
            "name::text || ')'::text"
        );
    }
}
