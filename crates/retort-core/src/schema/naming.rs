//! Naming conventions for constraints and indexes, after SQLAlchemy's `naming_convention`.
//!
//! Templates use SQLAlchemy's tokens: `%(table_name)s`, `%(column_0_name)s`,
//! `%(column_0_label)s` (`table_column`), `%(column_0N_name)s` (all columns run together),
//! `%(column_0_N_name)s` (all columns joined by `_`), `%(referred_table_name)s`,
//! `%(referred_column_0_name)s` and `%(constraint_name)s`. A kind without a template is left
//! unnamed, so the database names it (PostgreSQL: `customers_pkey`, `orders_customer_id_fkey`).

use super::{ForeignKey, Index, IndexTarget, Table};

/// Per-kind name templates. [`NamingConvention::default`] is SQLAlchemy's default: only
/// indexes are named (`ix_%(column_0_label)s`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingConvention {
    pub pk: Option<String>,
    pub fk: Option<String>,
    pub ix: Option<String>,
    pub uq: Option<String>,
    pub ck: Option<String>,
}

impl Default for NamingConvention {
    fn default() -> Self {
        Self {
            pk: None,
            fk: None,
            ix: Some("ix_%(column_0_label)s".into()),
            uq: None,
            ck: None,
        }
    }
}

/// The values a template can refer to.
struct Tokens<'a> {
    table: &'a str,
    columns: Vec<&'a str>,
    referred_table: Option<&'a str>,
    referred_columns: Vec<&'a str>,
    constraint_name: Option<&'a str>,
}

impl NamingConvention {
    /// No templates at all: every unnamed object is named by the database.
    pub fn none() -> Self {
        Self {
            pk: None,
            fk: None,
            ix: None,
            uq: None,
            ck: None,
        }
    }
    /// A complete convention often recommended for Alembic projects.
    pub fn recommended() -> Self {
        Self {
            pk: Some("pk_%(table_name)s".into()),
            fk: Some("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s".into()),
            ix: Some("ix_%(column_0_label)s".into()),
            uq: Some("uq_%(table_name)s_%(column_0_name)s".into()),
            ck: Some("ck_%(table_name)s_%(constraint_name)s".into()),
        }
    }

    /// Names every unnamed constraint and index of `table` for which a template applies.
    pub fn apply(&self, table: &mut Table) {
        let t = table.name.clone();
        if let (Some(tpl), Some(pk)) = (&self.pk, table.primary_key.as_mut()) {
            if pk.name.is_none() {
                pk.name = render(tpl, &tokens(&t, &pk.columns));
            }
        }
        if let Some(tpl) = &self.fk {
            for fk in table.foreign_keys.iter_mut().filter(|f| f.name.is_none()) {
                fk.name = render(tpl, &fk_tokens(&t, fk));
            }
        }
        if let Some(tpl) = &self.uq {
            for uq in table.uniques.iter_mut().filter(|u| u.name.is_none()) {
                uq.name = render(tpl, &tokens(&t, &uq.columns));
            }
        }
        if let Some(tpl) = &self.ck {
            // A check has no columns; `%(constraint_name)s` needs the given name, so an
            // unnamed check only gets a name from templates that do not use it.
            for ck in table.checks.iter_mut().filter(|c| c.name.is_none()) {
                ck.name = render(tpl, &tokens(&t, &[]));
            }
        }
        if let Some(tpl) = &self.ix {
            for ix in table.indexes.iter_mut().filter(|i| i.name.is_none()) {
                ix.name = render(tpl, &index_tokens(&t, ix));
            }
        }
    }
}

fn tokens<'a>(table: &'a str, columns: &'a [String]) -> Tokens<'a> {
    Tokens {
        table,
        columns: columns.iter().map(String::as_str).collect(),
        referred_table: None,
        referred_columns: Vec::new(),
        constraint_name: None,
    }
}

fn fk_tokens<'a>(table: &'a str, fk: &'a ForeignKey) -> Tokens<'a> {
    Tokens {
        table,
        columns: fk.columns.iter().map(String::as_str).collect(),
        referred_table: Some(&fk.ref_table),
        referred_columns: fk.ref_columns.iter().map(String::as_str).collect(),
        constraint_name: None,
    }
}

fn index_tokens<'a>(table: &'a str, ix: &'a Index) -> Tokens<'a> {
    Tokens {
        table,
        columns: ix
            .elements
            .iter()
            .map(|e| match &e.target {
                IndexTarget::Column(c) => c.as_str(),
                // SQLAlchemy names expression elements by their text; a stable placeholder
                // keeps names valid identifiers.
                IndexTarget::Expr(_) => "expr",
            })
            .collect(),
        referred_table: None,
        referred_columns: Vec::new(),
        constraint_name: None,
    }
}

/// Renders one template; `None` when it refers to a token that has no value.
fn render(template: &str, tk: &Tokens<'_>) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("%(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find(")s")?;
        let key = &after[..end];
        out.push_str(&token_value(key, tk)?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Some(out)
}

fn token_value(key: &str, tk: &Tokens<'_>) -> Option<String> {
    let first = |v: &[&str]| v.first().map(|s| s.to_string());
    Some(match key {
        "table_name" => tk.table.to_string(),
        "column_0_name" => first(&tk.columns)?,
        "column_0_label" => format!("{}_{}", tk.table, first(&tk.columns)?),
        "column_0N_name" => nonempty(tk.columns.concat())?,
        "column_0_N_name" => nonempty(tk.columns.join("_"))?,
        "column_0N_label" | "column_0_N_label" => {
            let sep = if key == "column_0N_label" { "" } else { "_" };
            let labels: Vec<String> = tk
                .columns
                .iter()
                .map(|c| format!("{}_{c}", tk.table))
                .collect();
            nonempty(labels.join(sep))?
        }
        "referred_table_name" => tk.referred_table?.to_string(),
        "referred_column_0_name" => first(&tk.referred_columns)?,
        "constraint_name" => tk.constraint_name?.to_string(),
        _ => return None,
    })
}

fn nonempty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Index, Type};

    #[test]
    fn recommended_names_every_kind() {
        let mut t = Table::new("orders")
            .column(Column::new("id", Type::Integer))
            .column(Column::new("customer_id", Type::Integer))
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["customer_id"], "customers", ["id"]))
            .unique(["customer_id"])
            .index(Index::on_columns(["customer_id", "id"]));
        NamingConvention::recommended().apply(&mut t);
        assert_eq!(t.primary_key.unwrap().name.as_deref(), Some("pk_orders"));
        assert_eq!(
            t.foreign_keys[0].name.as_deref(),
            Some("fk_orders_customer_id_customers")
        );
        assert_eq!(t.uniques[0].name.as_deref(), Some("uq_orders_customer_id"));
        assert_eq!(t.indexes[0].name.as_deref(), Some("ix_orders_customer_id"));
    }

    #[test]
    fn default_leaves_constraints_to_the_database() {
        let mut t = Table::new("t")
            .column(Column::new("a", Type::Integer))
            .primary_key(["a"])
            .index(Index::on_columns(["a"]));
        NamingConvention::default().apply(&mut t);
        assert_eq!(t.primary_key.unwrap().name, None);
        assert_eq!(t.indexes[0].name.as_deref(), Some("ix_t_a"));
    }

    #[test]
    fn explicit_names_are_kept_and_unknown_tokens_leave_unnamed() {
        let mut t = Table::new("t")
            .column(Column::new("a", Type::Integer))
            .check(None, "a > 0")
            .index(Index::on_columns(["a"]).name("mine"));
        NamingConvention::recommended().apply(&mut t);
        assert_eq!(t.indexes[0].name.as_deref(), Some("mine"));
        assert_eq!(t.checks[0].name, None, "constraint_name has no value");
        assert_eq!(
            render(
                "x_%(column_0_N_name)s",
                &tokens("t", &["a".into(), "b".into()])
            ),
            Some("x_a_b".into())
        );
    }
}
