//! Naming conventions for constraints and indexes, after SQLAlchemy's `naming_convention`.
//!
//! Templates use SQLAlchemy's tokens: `%(table_name)s`, `%(column_0_name)s`,
//! `%(column_0_label)s` (`table_column`), `%(column_0N_name)s` (all columns run together),
//! `%(column_0_N_name)s` (all columns joined by `_`), `%(referred_table_name)s`,
//! `%(referred_column_0_name)s` and `%(constraint_name)s`. A kind without a template is left
//! unnamed, so the database names it (PostgreSQL: `customers_pkey`, `orders_customer_id_fkey`).
//!
//! A name a template builds can exceed what the database keeps (PostgreSQL: 63 bytes, where
//! the server would silently cut it, and two names cut alike would collide). So every name a
//! template builds is marked as the convention's (`conv` on the constraint or index,
//! SQLAlchemy's `conv()`, written `conv("..")` in revisions as Alembic writes `op.f()`) and
//! kept whole in the model and the ops; a dialect with a limit shortens the marked names as
//! SQLAlchemy does ([`truncate_name`]): deterministic, and different for different long
//! names, on a copy of the model made for it
//! ([`MetaData::set_max_identifier_length`](super::MetaData::set_max_identifier_length),
//! [`Table::resolve_conv_names`]) and on each op it renders (`Op::with_conv_names`). None for
//! SQLite, 63 for PostgreSQL, 64 for MySQL. Names the user wrote are never shortened: a name
//! too long for the database is an error to fix in the model (see `long_identifiers`).
//!
//! As in SQLAlchemy, `%(constraint_name)s` is the name the model gave: a model's given name
//! goes through its kind's template when the template uses that token
//! ([`NamingConvention::apply_to_model`]), the result being the convention's, and an unnamed
//! object under such a template is a validation error. Names carried by ops are final, as
//! Alembic's `op.f()` ([`NamingConvention::apply`] only names the unnamed), so a replay never
//! templates twice.

use md5::{Digest, Md5};

use super::{ForeignKey, Index, IndexTarget, Table};

/// `snake_case` of a Rust identifier (`OrderItem` -> `order_item`, `HTTPLog` -> `http_log`):
/// the default table name `#[derive(Model)]` gives a struct and `#[derive(DbEnum)]` a type
/// or variant, and what `models --from-db` checks a generated name against, so both agree.
pub fn snake_case(ident: &str) -> String {
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) => p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()),
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

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
    /// Template for unnamed primary keys (`pk_%(table_name)s`); `None`: the database names them.
    pub pk: Option<String>,
    /// Template for unnamed foreign keys
    /// (`fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s`); `None`: the database names
    /// them.
    pub fk: Option<String>,
    /// Template for unnamed indexes (`ix_%(column_0_label)s`); `None`: the database names them.
    pub ix: Option<String>,
    /// Template for unnamed unique constraints (`uq_%(table_name)s_%(column_0_name)s`); `None`: the
    /// database names them.
    pub uq: Option<String>,
    /// Template for unnamed check constraints (`ck_%(table_name)s_%(constraint_name)s`); `None`:
    /// the database names them.
    pub ck: Option<String>,
    /// The database's longest name, when a dialect has set one: built names beyond it are
    /// shortened ([`truncate_name`]). Public so that a convention can be written as a struct
    /// literal (`..NamingConvention::default()`); the dialect sets it
    /// ([`MetaData::set_max_identifier_length`](super::MetaData::set_max_identifier_length)).
    pub max_length: Option<usize>,
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

    /// Sets the longest name (the dialect's; `None`: no limit): [`NamingConvention::apply`]
    /// shortens the names it builds, and every convention name of the table, to it.
    /// `MetaData::set_max_identifier_length` sets it and shortens the tables it has.
    pub fn set_max_length(&mut self, max: Option<usize>) {
        self.max_length = max;
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
                pk.conv = name.is_some();
                pk.name = name;
            }
        }
        if let Some(tpl) = uses(&self.fk) {
            for fk in &mut table.foreign_keys {
                if let Some(given) = fk.name.take() {
                    let name = render(&tpl, &fk_tokens(&t, fk).named(&given));
                    fk.conv = name.is_some();
                    fk.name = name;
                }
            }
        }
        if let Some(tpl) = uses(&self.uq) {
            for uq in &mut table.uniques {
                if let Some(given) = uq.name.take() {
                    let name = render(&tpl, &tokens(&t, &uq.columns).named(&given));
                    uq.conv = name.is_some();
                    uq.name = name;
                }
            }
        }
        if let Some(tpl) = uses(&self.ck) {
            for ck in &mut table.checks {
                if let Some(given) = ck.name.take() {
                    let name = render(&tpl, &tokens(&t, &[]).named(&given));
                    ck.conv = name.is_some();
                    ck.name = name;
                }
            }
        }
        if let Some(tpl) = uses(&self.ix) {
            for ix in &mut table.indexes {
                if let Some(given) = ix.name.take() {
                    let name = render(&tpl, &index_tokens(&t, ix).named(&given));
                    ix.conv = name.is_some();
                    ix.name = name;
                }
            }
        }
        // Names built from given names are the convention's too: `apply` fits them to the
        // dialect's limit with the rest.
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

    /// Names every unnamed constraint and index of `table` for which a template applies,
    /// marking each name as the convention's (`conv`), then, where a dialect has set
    /// [`NamingConvention::max_length`], shortens every convention name of the table to it
    /// ([`Table::resolve_conv_names`]). A given name is final here, as Alembic's `op.f()` /
    /// SQLAlchemy's `conv()`: ops carry the names autogenerate already built, so replaying
    /// them never templates a name twice.
    pub fn apply(&self, table: &mut Table) {
        let t = table.name.clone();
        if let (Some(tpl), Some(pk)) = (&self.pk, table.primary_key.as_mut()) {
            if pk.name.is_none() {
                pk.name = render(tpl, &tokens(&t, &pk.columns));
                pk.conv = pk.name.is_some();
            }
        }
        if let Some(tpl) = &self.fk {
            for fk in table.foreign_keys.iter_mut().filter(|f| f.name.is_none()) {
                fk.name = render(tpl, &fk_tokens(&t, fk));
                fk.conv = fk.name.is_some();
            }
        }
        if let Some(tpl) = &self.uq {
            for uq in table.uniques.iter_mut().filter(|u| u.name.is_none()) {
                uq.name = render(tpl, &tokens(&t, &uq.columns));
                uq.conv = uq.name.is_some();
            }
        }
        if let Some(tpl) = &self.ck {
            // A check has no columns; `%(constraint_name)s` needs the given name, so an
            // unnamed check only gets a name from templates that do not use it.
            for ck in table.checks.iter_mut().filter(|c| c.name.is_none()) {
                ck.name = render(tpl, &tokens(&t, &[]));
                ck.conv = ck.name.is_some();
            }
        }
        if let Some(tpl) = &self.ix {
            for ix in table.indexes.iter_mut().filter(|i| i.name.is_none()) {
                ix.name = render(tpl, &index_tokens(&t, ix));
                ix.conv = ix.name.is_some();
            }
        }
        if let Some(max) = self.max_length {
            table.resolve_conv_names(max);
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

    /// The model marks the convention's names (`conv`) and keeps them whole; a copy for a
    /// database is shortened to its limit, and only the marked names are.
    #[test]
    fn convention_names_are_marked_and_kept_whole() {
        let long_col = "c".repeat(70);
        let md = MetaData::new()
            .naming_convention(NamingConvention::recommended())
            .table(
                Table::new("t")
                    .column(Column::new("id", Type::Integer))
                    .column(Column::new(&*long_col, Type::Integer))
                    .primary_key(["id"])
                    .unique([long_col.as_str()])
                    .index(Index::on_columns(["id"]).name("mine")),
            );
        let t = &md.tables()[0];
        assert!(t.primary_key.as_ref().unwrap().conv);
        assert!(t.uniques[0].conv);
        assert!(
            !t.indexes[0].conv,
            "a name the user wrote is not the convention's"
        );
        let whole = format!("uq_t_{long_col}");
        assert_eq!(t.uniques[0].name.as_deref(), Some(&*whole));
        let pg = md.clone().with_max_identifier_length(Some(63));
        assert_eq!(
            pg.tables()[0].uniques[0].name.as_deref(),
            Some(&*truncate_name(&whole, 63))
        );
        // Resolving again with the same limit changes nothing.
        let mut again = pg.tables()[0].clone();
        again.resolve_conv_names(63);
        assert_eq!(&again, &pg.tables()[0]);
        assert_eq!(
            t.conv_names().cloned().collect::<Vec<_>>(),
            vec!["pk_t".to_string(), whole]
        );
    }

    /// Ops carry the convention's names whole, marked; `Op::with_conv_names` gives them as a
    /// database with a limit renders them: created objects, and a drop whose recorded
    /// definition is the convention's name, shortened; a name the user wrote left alone.
    #[test]
    fn ops_resolve_convention_names_per_database() {
        use crate::conv;
        use crate::ops::{Constraint, ConstraintKind, Op, Operations};
        let whole = format!("ix_t_{}", "c".repeat(70));
        let user = format!("mine_{}", "u".repeat(70));
        let mut op = Operations::new();
        op.create_table("t", |t| {
            t.column("a", Type::Integer);
            t.index(conv(&*whole), ["a"]);
            t.unique(["a"]).name(&*user);
        });
        op.create_unique_constraint(conv(&*whole), "t", ["a"]);
        op.drop_index(&*whole, "t")
            .existing(Index::on_columns(["a"]).name(conv(&*whole)));
        op.drop_constraint(&*whole, "t", ConstraintKind::Unique)
            .existing(Constraint::Unique(
                crate::Unique::new(["a"]).name(conv(&*whole)),
            ));
        let ops = op.into_ops();
        let short = truncate_name(&whole, 63);
        // No limit (SQLite): borrowed as it is.
        assert!(matches!(
            ops[0].with_conv_names(None),
            std::borrow::Cow::Borrowed(_)
        ));
        let pg: Vec<Op> = ops
            .iter()
            .map(|o| o.with_conv_names(Some(63)).into_owned())
            .collect();
        let Op::CreateTable { table } = &pg[0] else {
            panic!("{:?}", pg[0])
        };
        assert_eq!(table.indexes[0].name.as_deref(), Some(&*short));
        assert_eq!(
            table.uniques[0].name.as_deref(),
            Some(&*user),
            "the user's name is kept"
        );
        let Op::CreateUniqueConstraint { unique, .. } = &pg[1] else {
            panic!()
        };
        assert_eq!(unique.name.as_deref(), Some(&*short));
        let Op::DropIndex { name, .. } = &pg[2] else {
            panic!()
        };
        assert_eq!(name, &short);
        let Op::DropConstraint { name, .. } = &pg[3] else {
            panic!()
        };
        assert_eq!(name, &short);
    }

    /// A history replayed for a database with a limit holds the convention's names
    /// shortened; a later drop recorded with the whole name (marked in `.existing`) still
    /// finds them.
    #[test]
    fn a_replayed_drop_finds_a_shortened_convention_name() {
        use crate::conv;
        use crate::ops::{Constraint, ConstraintKind, Operations};
        let whole = format!("ix_t_{}", "c".repeat(70));
        let uq = format!("uq_t_{}", "c".repeat(70));
        let mut op = Operations::new();
        op.create_table("t", |t| {
            t.column("a", Type::Integer);
            t.index(conv(&*whole), ["a"]);
            t.unique(["a"]).name(conv(&*uq));
        });
        op.drop_index(&*whole, "t")
            .existing(Index::on_columns(["a"]).name(conv(&*whole)));
        op.drop_constraint(&*uq, "t", ConstraintKind::Unique)
            .existing(Constraint::Unique(
                crate::Unique::new(["a"]).name(conv(&*uq)),
            ));
        let mut md = MetaData::new().with_max_identifier_length(Some(63));
        let ops = op.into_ops();
        ops[0].apply(&mut md).unwrap();
        assert_eq!(
            md.tables()[0].indexes[0].name.as_deref(),
            Some(&*truncate_name(&whole, 63))
        );
        ops[1]
            .apply(&mut md)
            .expect("the drop finds the shortened index");
        ops[2]
            .apply(&mut md)
            .expect("the drop finds the shortened constraint");
        assert!(md.tables()[0].indexes.is_empty() && md.tables()[0].uniques.is_empty());
        // Without a limit the names stay whole, and the same drops find them too.
        let mut whole_md = MetaData::new();
        for o in &ops {
            o.apply(&mut whole_md).unwrap();
        }
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
            max_length: None,
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

    /// A name built from a given name (`%(constraint_name)s`) is shortened like any other
    /// built name, whether the limit is set before or after the table joins; the given name
    /// itself, under a template without the token, is not.
    #[test]
    fn a_long_name_built_from_a_given_name_is_shortened() {
        let given = "x".repeat(60);
        let table = || {
            Table::new("products")
                .column(Column::new("a", Type::Integer))
                .check(Some(&*given), "a > 0")
        };
        let full = format!("ck_products_{given}");
        let mut before = crate::MetaData::new().naming_convention(NamingConvention::recommended());
        before.set_max_identifier_length(Some(63));
        before.add_table(table());
        let mut after = crate::MetaData::new().naming_convention(NamingConvention::recommended());
        after.add_table(table());
        assert_eq!(after.tables()[0].checks[0].name.as_deref(), Some(&*full));
        after.set_max_identifier_length(Some(63));
        for md in [&before, &after] {
            assert_eq!(
                md.tables()[0].checks[0].name.as_deref(),
                Some(&*truncate_name(&full, 63))
            );
        }
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
