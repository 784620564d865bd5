//! Naming conventions for constraints and indexes, after SQLAlchemy's `naming_convention`.
//!
//! Templates use SQLAlchemy's tokens: `%(table_name)s`, `%(column_0_name)s`,
//! `%(column_0_label)s` (`table_column`), `%(column_0N_name)s` (all columns run together),
//! `%(column_0_N_name)s` (all columns joined by `_`), `%(referred_table_name)s`,
//! `%(referred_column_0_name)s` and `%(constraint_name)s`. A kind without a template is left
//! unnamed, so the database names it (PostgreSQL: `customers_pkey`, `orders_customer_id_fkey`).
//!
//! A name a template builds can exceed what the database keeps (PostgreSQL: 63 bytes, where
//! the server would silently cut it, and two names cut alike would collide). Such a name is
//! shortened as SQLAlchemy shortens a `conv` name ([`truncate_name`]): deterministic, and
//! different for different long names. The limit is the dialect's, so the model stays
//! dialect-neutral until a dialect applies it
//! ([`MetaData::set_max_identifier_length`](super::MetaData::set_max_identifier_length)):
//! none for SQLite, 63 for PostgreSQL. Names the user wrote are never shortened: a name too
//! long for the database is an error to fix in the model (see `long_identifiers`).

use md5::{Digest, Md5};

use super::{ForeignKey, Index, IndexTarget, Table};

/// `name` if it fits in `max` bytes; otherwise its first `max - 8` bytes (never splitting a
/// character), `_`, and the last four hex digits of the MD5 of the whole name: SQLAlchemy's
/// `_truncate_and_render_maxlen_name` for names a naming convention builds (it counts
/// characters; PostgreSQL counts bytes, so this counts bytes and agrees on ASCII).
pub fn truncate_name(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let digest = Md5::digest(name.as_bytes());
    let mut keep = max.saturating_sub(8);
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}_{:02x}{:02x}", &name[..keep], digest[14], digest[15])
}

/// Per-kind name templates. [`NamingConvention::default`] is SQLAlchemy's default: only
/// indexes are named (`ix_%(column_0_label)s`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingConvention {
    pub pk: Option<String>,
    pub fk: Option<String>,
    pub ix: Option<String>,
    pub uq: Option<String>,
    pub ck: Option<String>,
    /// The database's longest name, when a dialect has set one: built names beyond it are
    /// shortened ([`truncate_name`]).
    max_length: Option<usize>,
}

impl Default for NamingConvention {
    fn default() -> Self {
        Self {
            pk: None,
            fk: None,
            ix: Some("ix_%(column_0_label)s".into()),
            uq: None,
            ck: None,
            max_length: None,
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
            max_length: None,
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
            max_length: None,
        }
    }

    /// The longest name the built names must fit in, if a dialect set one.
    pub fn max_length(&self) -> Option<usize> {
        self.max_length
    }

    /// Sets the longest name (the dialect's; `None`: no limit). Names already built are
    /// shortened by [`NamingConvention::shorten`], which `MetaData` runs on every table.
    pub fn set_max_length(&mut self, max: Option<usize>) {
        self.max_length = max;
    }

    /// Shortens, in `table`, each name this convention built (it is what the template
    /// gives for that object) that exceeds [`NamingConvention::max_length`]. Names the
    /// templates did not build are left as they are.
    pub fn shorten(&self, table: &mut Table) {
        let Some(max) = self.max_length else {
            return;
        };
        let t = table.name.clone();
        let fix = |name: &mut Option<String>, built: Option<String>| {
            if let (Some(n), Some(b)) = (name.as_mut(), built) {
                if *n == b && n.len() > max {
                    *n = truncate_name(n, max);
                }
            }
        };
        if let (Some(tpl), Some(pk)) = (&self.pk, table.primary_key.as_mut()) {
            let built = render(tpl, &tokens(&t, &pk.columns));
            fix(&mut pk.name, built);
        }
        if let Some(tpl) = &self.fk {
            for fk in &mut table.foreign_keys {
                let built = render(tpl, &fk_tokens(&t, fk));
                fix(&mut fk.name, built);
            }
        }
        if let Some(tpl) = &self.uq {
            for uq in &mut table.uniques {
                let built = render(tpl, &tokens(&t, &uq.columns));
                fix(&mut uq.name, built);
            }
        }
        if let Some(tpl) = &self.ck {
            for ck in &mut table.checks {
                fix(&mut ck.name, render(tpl, &tokens(&t, &[])));
            }
        }
        if let Some(tpl) = &self.ix {
            for ix in &mut table.indexes {
                let built = render(tpl, &index_tokens(&t, ix));
                fix(&mut ix.name, built);
            }
        }
    }

    /// Names every unnamed constraint and index of `table` for which a template applies,
    /// each within [`NamingConvention::max_length`].
    pub fn apply(&self, table: &mut Table) {
        let t = table.name.clone();
        let render = |tpl: &str, tk: &Tokens<'_>| {
            render(tpl, tk).map(|n| match self.max_length {
                Some(max) => truncate_name(&n, max),
                None => n,
            })
        };
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
    use crate::{Column, Index, MetaData, Type};

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

    /// The vectors come from SQLAlchemy 2.1.9 itself (`CreateTable` / `CreateIndex` on the
    /// PostgreSQL dialect with this convention): first `max - 8` bytes, `_`, the last four
    /// hex digits of the name's MD5.
    #[test]
    fn long_convention_names_are_shortened_as_sqlalchemy_does() {
        let (table, col) = ("a".repeat(40), "c".repeat(30));
        assert_eq!(
            truncate_name(&format!("ix_{table}_{col}"), 63),
            "ix_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_ccccccccccc_a7e0"
        );
        assert_eq!(
            truncate_name(&format!("uq_{table}_{col}"), 63),
            "uq_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_ccccccccccc_8b57"
        );
        // Short enough: unchanged; a cut never splits a character.
        assert_eq!(truncate_name("pk_orders", 63), "pk_orders");
        let wide = format!("ix_{}", "é".repeat(40));
        let cut = truncate_name(&wide, 63);
        assert!(
            cut.len() <= 63 && cut.ends_with(&cut[cut.len() - 5..]),
            "{cut}"
        );
        assert!(cut.starts_with("ix_é"), "{cut}");

        let mut t = Table::new(&*table)
            .column(Column::new("id", Type::Integer))
            .column(Column::new(&*col, Type::Integer))
            .primary_key(["id"])
            .unique([col.as_str()])
            .index(Index::on_columns([col.as_str()]));
        let mut md = MetaData::new().naming_convention(NamingConvention::recommended());
        md.add_table(t.clone());
        // No limit (SQLite): the names as the templates build them.
        assert_eq!(
            md.tables()[0].uniques[0].name.as_deref(),
            Some(&*format!("uq_{table}_{col}"))
        );
        // PostgreSQL's 63 bytes: shortened, the same way every time; short names kept.
        md.set_max_identifier_length(Some(63));
        let shortened = &md.tables()[0];
        assert_eq!(
            shortened.uniques[0].name.as_deref(),
            Some("uq_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_ccccccccccc_8b57")
        );
        assert_eq!(
            shortened.indexes[0].name.as_deref(),
            Some("ix_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_ccccccccccc_a7e0")
        );
        assert_eq!(
            shortened.primary_key.as_ref().unwrap().name.as_deref(),
            Some(&*format!("pk_{table}"))
        );
        // A table added afterwards is named within the limit at once.
        t.name = format!("{table}_b");
        md.add_table(t);
        assert!(md.tables()[1].uniques[0].name.as_ref().unwrap().len() <= 63);
    }

    #[test]
    fn an_explicit_name_is_never_shortened() {
        let long = format!("uq_{}", "x".repeat(70));
        let mut md = MetaData::new().naming_convention(NamingConvention::recommended());
        md.add_table(
            Table::new("t")
                .column(Column::new("a", Type::Integer))
                .index(Index::on_columns(["a"]).name(&*long)),
        );
        md.set_max_identifier_length(Some(63));
        assert_eq!(md.tables()[0].indexes[0].name.as_deref(), Some(&*long));
    }
}
