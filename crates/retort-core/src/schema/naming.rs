//! Naming conventions for constraints and indexes, after SQLAlchemy's `naming_convention`.
//!
//! Templates use SQLAlchemy's tokens: `%(table_name)s`, `%(column_0_name)s`,
//! `%(column_0_label)s` (`table_column`), `%(column_0N_name)s` (all columns run together),
//! `%(column_0_N_name)s` (all columns joined by `_`), `%(referred_table_name)s`,
//! `%(referred_column_0_name)s` and `%(constraint_name)s`. A kind without a template is left
//! unnamed, so the database names it (PostgreSQL: `customers_pkey`, `orders_customer_id_fkey`).
//!
//! As in SQLAlchemy, `%(constraint_name)s` is the name the model gave: a model's given name
//! goes through its kind's template when the template uses that token
//! ([`NamingConvention::apply_to_model`]), and an unnamed object under such a template is a
//! validation error. Names carried by ops are final, as Alembic's `op.f()`
//! ([`NamingConvention::apply`] only names the unnamed), so a replay never templates twice.

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

    /// What a table gets as it joins its `MetaData` (SQLAlchemy's behaviour): a given name is
    /// run through its kind's template when that template uses `%(constraint_name)s`
    /// (`ck_%(table_name)s_%(constraint_name)s` makes `price_positive` into
    /// `ck_products_price_positive`), then the unnamed are named as [`Self::apply`] does.
    /// An unnamed object under such a template stays unnamed; `MetaData::validate()` reports it
    /// (SQLAlchemy raises).
    pub fn apply_to_model(&self, table: &mut Table) {
        let t = table.name.clone();
        let uses = |tpl: &Option<String>| {
            tpl.as_deref()
                .filter(|s| s.contains(CONSTRAINT_NAME))
                .map(str::to_owned)
        };
        if let (Some(tpl), Some(pk)) = (uses(&self.pk), table.primary_key.as_mut()) {
            if let Some(given) = pk.name.take() {
                let name = render(&tpl, &tokens(&t, &pk.columns).named(&given));
                pk.name = name;
            }
        }
        if let Some(tpl) = uses(&self.fk) {
            for fk in &mut table.foreign_keys {
                if let Some(given) = fk.name.take() {
                    let name = render(&tpl, &fk_tokens(&t, fk).named(&given));
                    fk.name = name;
                }
            }
        }
        if let Some(tpl) = uses(&self.uq) {
            for uq in &mut table.uniques {
                if let Some(given) = uq.name.take() {
                    let name = render(&tpl, &tokens(&t, &uq.columns).named(&given));
                    uq.name = name;
                }
            }
        }
        if let Some(tpl) = uses(&self.ck) {
            for ck in &mut table.checks {
                if let Some(given) = ck.name.take() {
                    let name = render(&tpl, &tokens(&t, &[]).named(&given));
                    ck.name = name;
                }
            }
        }
        if let Some(tpl) = uses(&self.ix) {
            for ix in &mut table.indexes {
                if let Some(given) = ix.name.take() {
                    let name = render(&tpl, &index_tokens(&t, ix).named(&given));
                    ix.name = name;
                }
            }
        }
        self.apply(table);
    }

    /// The kinds (`"pk"`, `"fk"`, `"uq"`, `"ck"`, `"ix"`) of `table`'s unnamed objects whose
    /// template needs `%(constraint_name)s`: they cannot be named, and SQLAlchemy refuses them.
    pub fn unnamed_needing_a_name(&self, table: &Table) -> Vec<&'static str> {
        let uses =
            |tpl: &Option<String>| tpl.as_deref().is_some_and(|s| s.contains(CONSTRAINT_NAME));
        let mut out = Vec::new();
        if uses(&self.pk) && table.primary_key.as_ref().is_some_and(|p| p.name.is_none()) {
            out.push("pk");
        }
        if uses(&self.fk) && table.foreign_keys.iter().any(|f| f.name.is_none()) {
            out.push("fk");
        }
        if uses(&self.uq) && table.uniques.iter().any(|u| u.name.is_none()) {
            out.push("uq");
        }
        if uses(&self.ck) && table.checks.iter().any(|c| c.name.is_none()) {
            out.push("ck");
        }
        if uses(&self.ix) && table.indexes.iter().any(|i| i.name.is_none()) {
            out.push("ix");
        }
        out
    }

    /// Names every unnamed constraint and index of `table` for which a template applies. A
    /// given name is final here, as Alembic's `op.f()` / SQLAlchemy's `conv()`: ops carry the
    /// names autogenerate already built, so replaying them never templates a name twice.
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

const CONSTRAINT_NAME: &str = "%(constraint_name)s";

impl<'a> Tokens<'a> {
    fn named(mut self, name: &'a str) -> Self {
        self.constraint_name = Some(name);
        self
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
        assert_eq!(
            t.checks[0].name, None,
            "constraint_name has no value; validate() reports it"
        );
        assert_eq!(
            render(
                "x_%(column_0_N_name)s",
                &tokens("t", &["a".into(), "b".into()])
            ),
            Some("x_a_b".into())
        );
    }

    /// SQLAlchemy 2.1: `ck_%(table_name)s_%(constraint_name)s` on a check named
    /// `price_positive` gives `ck_products_price_positive`; the same for every kind.
    #[test]
    fn constraint_name_is_the_given_name() {
        let nc = NamingConvention {
            pk: Some("pk_%(table_name)s_%(constraint_name)s".into()),
            fk: Some("fk_%(table_name)s_%(constraint_name)s".into()),
            ix: Some("ix_%(table_name)s_%(constraint_name)s".into()),
            uq: Some("uq_%(table_name)s_%(constraint_name)s".into()),
            ck: Some("ck_%(table_name)s_%(constraint_name)s".into()),
        };
        let mut t = Table::new("products")
            .column(Column::new("id", Type::Integer))
            .column(Column::new("price", Type::Integer))
            .primary_key(["id"])
            .check(Some("price_positive"), "price > 0")
            .unique(["price"])
            .foreign_key(ForeignKey::new(["id"], "items", ["id"]).name("to_items"))
            .index(Index::on_columns(["price"]).name("by_price"));
        t.primary_key.as_mut().unwrap().name = Some("key".into());
        t.uniques[0].name = Some("u1".into());
        // As a table joins its MetaData (SQLAlchemy: as a Table joins its MetaData).
        let md = crate::MetaData::new().naming_convention(nc).table(t);
        let t = md.tables()[0].clone();
        assert_eq!(
            t.checks[0].name.as_deref(),
            Some("ck_products_price_positive")
        );
        assert_eq!(t.uniques[0].name.as_deref(), Some("uq_products_u1"));
        assert_eq!(
            t.foreign_keys[0].name.as_deref(),
            Some("fk_products_to_items")
        );
        assert_eq!(t.indexes[0].name.as_deref(), Some("ix_products_by_price"));
        assert_eq!(
            t.primary_key.unwrap().name.as_deref(),
            Some("pk_products_key")
        );
    }

    /// A given name is kept as it is under a template without `%(constraint_name)s`
    /// (SQLAlchemy: `ck_%(table_name)s_x` leaves `given` alone).
    #[test]
    fn given_name_kept_when_template_does_not_use_it() {
        let nc = NamingConvention {
            ck: Some("ck_%(table_name)s_x".into()),
            ..NamingConvention::none()
        };
        let t = Table::new("p")
            .column(Column::new("a", Type::Integer))
            .check(Some("given"), "a > 0")
            .check(None, "a > 1");
        let md = crate::MetaData::new().naming_convention(nc).table(t);
        let t = &md.tables()[0];
        assert_eq!(t.checks[0].name.as_deref(), Some("given"));
        assert_eq!(t.checks[1].name.as_deref(), Some("ck_p_x"));
    }

    /// Names in ops (what autogenerate wrote, Alembic's `op.f()`) are final: `apply` only
    /// names the unnamed, so replaying a revision never templates a name twice.
    #[test]
    fn apply_keeps_converted_names() {
        let mut t = Table::new("products")
            .column(Column::new("price", Type::Integer))
            .check(Some("ck_products_price_positive"), "price > 0");
        NamingConvention::recommended().apply(&mut t);
        assert_eq!(
            t.checks[0].name.as_deref(),
            Some("ck_products_price_positive")
        );
    }

    /// SQLAlchemy raises "Naming convention including %(constraint_name)s token requires
    /// that constraint is explicitly named"; validate() says the same, naming the table.
    #[test]
    fn unnamed_check_under_constraint_name_template_is_an_error() {
        let md = crate::MetaData::new()
            .naming_convention(NamingConvention::recommended())
            .table(
                Table::new("products")
                    .column(Column::new("price", Type::Integer))
                    .check(None, "price > 0"),
            );
        let errs = md.validate().expect_err("an unnamed check cannot be named");
        assert_eq!(
            errs.to_string(),
            "invalid model: products: table `products` has an unnamed check constraint, but the \
             naming convention's `ck` template uses %(constraint_name)s, which needs a name; give \
             it one, or use a template without %(constraint_name)s"
        );
        assert!(
            matches!(
                errs.errors(),
                [crate::SchemaError::UnnamedUnderConvention { table, kind, .. }]
                    if table == "products" && kind == "ck"
            ),
            "{errs}"
        );
    }
}
