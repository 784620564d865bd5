//! What an add-copy-swap type change ([`Op::SwapColumnType`](super::Op::SwapColumnType))
//! needs of its table, read from the schema: a primary key of one column to batch by, and
//! nothing the old column's drop would take with it (an index, a constraint, an identity,
//! a generated column). Shared by `online_rewrite` (which then keeps the plain alter) and
//! the dialect (which refuses a hand-written swap, naming what is in the way).

use crate::{IndexTarget, MetaData, Table};

/// Why a column cannot be swapped, naming what is in the way; `hint` says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapRefusal {
    /// What stands in the way, naming the table, column and objects.
    pub what: String,
    /// What to do instead.
    pub hint: String,
}

/// The primary-key column that batches the copy of `table.column`, or why the swap is
/// refused. `md` is the schema as it stands before the swap (the table, and the other
/// tables whose foreign keys may reference the column).
pub fn swap_key(
    md: &MetaData,
    schema: Option<&str>,
    table: &str,
    column: &str,
) -> Result<String, SwapRefusal> {
    let Some(t) = md.get_table(schema, table) else {
        return Err(SwapRefusal {
            what: format!("an add-copy-swap of `{table}.{column}`: the table is unknown"),
            hint: "check the table's name and the revisions before this one".into(),
        });
    };
    let Some(col) = t.get_column(column) else {
        return Err(SwapRefusal {
            what: format!("an add-copy-swap of `{table}.{column}`: the table has no such column"),
            hint: "check the column's name".into(),
        });
    };
    let plain = "or change the type with a plain `alter_column(..).type_(..)` (which rewrites \
                 the table under an ACCESS EXCLUSIVE lock) in a maintenance window";
    let key = match &t.primary_key {
        Some(pk) if pk.columns.len() == 1 => pk.columns[0].clone(),
        Some(pk) => {
            return Err(SwapRefusal {
                what: format!(
                "an add-copy-swap of `{table}.{column}`: the table's primary key has {} columns \
                     ({}), and the copy is batched by a key of one column",
                pk.columns.len(),
                pk.columns.join(", ")
            ),
                hint: format!("give `{table}` a one-column key, {plain}"),
            })
        }
        None => {
            return Err(SwapRefusal {
                what: format!(
                    "an add-copy-swap of `{table}.{column}`: table `{table}` has no primary key to \
                     batch the copy by"
                ),
                hint: format!("add a primary key to `{table}` first, {plain}"),
            })
        }
    };
    let mut blockers = Vec::new();
    if key == column {
        blockers.push(format!(
            "the primary key{}",
            named(t.primary_key.as_ref().and_then(|p| p.name.as_deref()))
        ));
    }
    if col.identity.is_some() {
        blockers.push("its identity".to_owned());
    }
    if col.computed.is_some() {
        blockers.push("its generation expression".to_owned());
    }
    blockers.extend(uses_in_table(t, column));
    for other in md.tables() {
        for fk in &other.foreign_keys {
            let same_schema =
                fk.ref_schema.as_deref().or(other.schema.as_deref()) == t.schema.as_deref();
            if fk.ref_table == t.name && same_schema && fk.ref_columns.iter().any(|c| c == column) {
                blockers.push(format!(
                    "foreign key{} of `{}`, which references it",
                    named(fk.name.as_deref()),
                    other.name
                ));
            }
        }
    }
    if blockers.is_empty() {
        Ok(key)
    } else {
        Err(SwapRefusal {
            what: format!(
                "an add-copy-swap of `{table}.{column}`: dropping the old column would take with it {}",
                blockers.join(", ")
            ),
            hint: format!(
                "drop them before the swap and create them again after it (indexes \
                 `.concurrently()`, constraints `.not_valid()` then validated), {plain}"
            ),
        })
    }
}

/// The table's indexes, constraints and generated columns that use `column`.
fn uses_in_table(t: &Table, column: &str) -> Vec<String> {
    let mut out = Vec::new();
    let m = |sql: &str| mentions(sql, column);
    for ix in &t.indexes {
        let uses = ix.elements.iter().any(|e| match &e.target {
            IndexTarget::Column(c) => c == column,
            IndexTarget::Expr(x) => m(x),
        }) || ix.include.iter().any(|c| c == column)
            || ix.predicate.as_deref().is_some_and(m);
        if uses {
            out.push(format!("index{}", named(ix.name.as_deref())));
        }
    }
    for u in &t.uniques {
        if u.columns.iter().any(|c| c == column) {
            out.push(format!("unique constraint{}", named(u.name.as_deref())));
        }
    }
    for fk in &t.foreign_keys {
        if fk.columns.iter().any(|c| c == column) {
            out.push(format!("foreign key{}", named(fk.name.as_deref())));
        }
    }
    for c in &t.checks {
        if m(&c.expr) {
            out.push(format!("check constraint{}", named(c.name.as_deref())));
        }
    }
    for x in &t.excludes {
        let uses = x.elements.iter().any(|e| match &e.element.target {
            IndexTarget::Column(c) => c == column,
            IndexTarget::Expr(s) => m(s),
        }) || x.include.iter().any(|c| c == column)
            || x.predicate.as_deref().is_some_and(m);
        if uses {
            out.push(format!("exclusion constraint{}", named(x.name.as_deref())));
        }
    }
    for c in &t.columns {
        if c.name != column && c.computed.as_ref().is_some_and(|g| m(&g.expr)) {
            out.push(format!("generated column `{}`", c.name));
        }
    }
    out
}

fn named(name: Option<&str>) -> String {
    name.map_or_else(String::new, |n| format!(" `{n}`"))
}

/// Whether `sql` may name `column`: the name as a whole word, case-insensitively (SQL text
/// is not parsed, so this errs towards yes).
pub(crate) fn mentions(sql: &str, column: &str) -> bool {
    let hay = sql.to_lowercase();
    let needle = column.to_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut from = 0;
    while let Some(i) = hay[from..].find(&needle) {
        let start = from + i;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        if !before.is_some_and(word) && !after.is_some_and(word) {
            return true;
        }
        from = end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Index, Type};

    fn md(t: Table) -> MetaData {
        MetaData::new().table(t)
    }

    #[test]
    fn a_table_without_a_primary_key_is_refused_by_name() {
        let t = Table::new("logs").column(Column::new("n", Type::Integer));
        let e = swap_key(&md(t), None, "logs", "n").unwrap_err();
        assert!(
            e.what.contains("table `logs` has no primary key"),
            "{}",
            e.what
        );
        assert!(e.hint.contains("add a primary key to `logs`"), "{}", e.hint);
    }

    #[test]
    fn indexes_on_the_column_are_named() {
        let t = Table::new("orders")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("amount", Type::Integer))
            .primary_key(["id"])
            .index(Index::on_columns(["amount"]).name("ix_orders_amount"));
        let e = swap_key(&md(t), None, "orders", "amount").unwrap_err();
        assert!(e.what.contains("index `ix_orders_amount`"), "{}", e.what);
    }

    #[test]
    fn a_plain_column_is_batched_by_the_key() {
        let t = Table::new("orders")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("amount", Type::Integer))
            .primary_key(["id"]);
        assert_eq!(swap_key(&md(t), None, "orders", "amount").unwrap(), "id");
        assert!(mentions("amount > 0", "amount"));
        assert!(!mentions("amount_x > 0", "amount"));
    }
}
