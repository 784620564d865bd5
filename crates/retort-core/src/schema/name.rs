//! How constraint and index names are given: a plain name the user wrote, no name
//! ([`Unnamed`]), or a name the naming convention built ([`conv`], SQLAlchemy's `conv()`,
//! Alembic's `op.f()`).
//!
//! A convention's name is kept whole in the model and in the ops; each database gets it
//! shortened to the length it keeps (PostgreSQL 63 bytes, MySQL 64, SQLite no limit) when
//! it is compared or rendered ([`Table::resolve_conv_names`], `Op::resolve_conv_names`),
//! as SQLAlchemy shortens a `conv` name at DDL time ([`crate::truncate_name`]). A plain
//! name is never shortened: too long for a database, it is an error naming the object.

use super::Table;

/// A name for a constraint or index: a string (a name the user wrote), [`conv`] (a name
/// the naming convention built), or [`Unnamed`] / `None` to leave it to the naming
/// convention (or the database).
pub trait IntoName {
    /// The name, or `None` for an unnamed object.
    fn into_name(self) -> Option<String>;
    /// Whether the name is the naming convention's ([`conv`]): kept whole, shortened to
    /// each database's limit when rendered or compared.
    fn is_conv(&self) -> bool {
        false
    }
}

/// No name: `op.create_index(Unnamed, "t", ["a"])`, as Alembic's `None` (Rust cannot infer
/// the type of a bare `None` here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unnamed;
impl IntoName for Unnamed {
    fn into_name(self) -> Option<String> {
        None
    }
}
impl IntoName for &str {
    fn into_name(self) -> Option<String> {
        Some(self.to_string())
    }
}
impl IntoName for String {
    fn into_name(self) -> Option<String> {
        Some(self)
    }
}
impl IntoName for &String {
    fn into_name(self) -> Option<String> {
        Some(self.clone())
    }
}
impl IntoName for Option<&str> {
    fn into_name(self) -> Option<String> {
        self.map(str::to_string)
    }
}
impl IntoName for Option<String> {
    fn into_name(self) -> Option<String> {
        self
    }
}

/// A name the naming convention built, whole: see [`conv`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Conv(pub String);

/// Marks `name` as the naming convention's (SQLAlchemy's `conv()`, Alembic's `op.f()`), as
/// autogenerate writes it: `t.unique(["code"]).name(conv("uq_orders_code"))`. The name is
/// recorded whole; a database with a shorter limit gets it shortened as SQLAlchemy
/// shortens it (first `max - 8` bytes, `_`, four hex digits of its MD5: see
/// [`crate::truncate_name`]), so one revision gives the same schema on PostgreSQL (63
/// bytes), MySQL (64) and SQLite (no limit). A plain string is never shortened.
pub fn conv(name: impl Into<String>) -> Conv {
    Conv(name.into())
}

impl IntoName for Conv {
    fn into_name(self) -> Option<String> {
        Some(self.0)
    }
    fn is_conv(&self) -> bool {
        true
    }
}

impl Table {
    /// Every name the naming convention built in this table (those marked `conv`), to edit
    /// in place: the primary key's, foreign keys', unique and check constraints' and
    /// indexes'.
    pub fn conv_names_mut(&mut self) -> impl Iterator<Item = &mut String> {
        let pk = self
            .primary_key
            .iter_mut()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_mut());
        let fk = self
            .foreign_keys
            .iter_mut()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_mut());
        let uq = self
            .uniques
            .iter_mut()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_mut());
        let ck = self
            .checks
            .iter_mut()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_mut());
        let ix = self
            .indexes
            .iter_mut()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_mut());
        pk.chain(fk).chain(uq).chain(ck).chain(ix)
    }

    /// Every name the naming convention built in this table (those marked `conv`).
    pub fn conv_names(&self) -> impl Iterator<Item = &String> {
        let pk = self
            .primary_key
            .iter()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_ref());
        let fk = self
            .foreign_keys
            .iter()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_ref());
        let uq = self
            .uniques
            .iter()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_ref());
        let ck = self
            .checks
            .iter()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_ref());
        let ix = self
            .indexes
            .iter()
            .filter(|c| c.conv)
            .filter_map(|c| c.name.as_ref());
        pk.chain(fk).chain(uq).chain(ck).chain(ix)
    }

    /// Shortens every naming-convention name longer than `max` bytes as SQLAlchemy does
    /// ([`crate::truncate_name`]); names the user wrote are left as they are. Running it
    /// twice with the same `max` changes nothing more.
    pub fn resolve_conv_names(&mut self, max: usize) {
        for name in self.conv_names_mut() {
            if name.len() > max {
                *name = crate::truncate_name(name, max);
            }
        }
    }
}
