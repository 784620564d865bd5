//! Per-dialect variants of a column's type and server default, as SQLAlchemy's
//! `with_variant`: `gen_random_uuid()` on PostgreSQL and no default on SQLite, `JSONB` on
//! PostgreSQL and `TEXT` on SQLite.
//!
//! A variant is part of the value ([`Type::Variant`], [`ServerDefault::Variant`]), not of the
//! column, so everything that carries a type or a default (a column, an `alter_column` and
//! its old values, a revision script) carries every dialect's choice, and a history written
//! against one database runs on the other. A dialect picks its own when it renders (the
//! `for_dialect` functions here, called at the entry points of rendering and of
//! autogenerate's comparison), so nothing past those entry points ever sees a variant: the
//! comparison of an introspected SQLite schema is with the model's SQLite variant.

use std::borrow::Cow;

use super::{Column, MetaData, ServerDefault, Table, Type};

/// A database a variant is for. `None` where a dialect is asked for its kind means one
/// that no variant names (it takes the base value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DialectKind {
    /// PostgreSQL (`postgres` in the derive and in messages).
    Postgres,
    /// SQLite (`sqlite` in the derive and in messages).
    Sqlite,
    /// MySQL and MariaDB (one dialect: what differs between them is handled inside it).
    Mysql,
}

impl DialectKind {
    /// Every dialect a variant can name.
    pub const ALL: [DialectKind; 3] = [
        DialectKind::Postgres,
        DialectKind::Sqlite,
        DialectKind::Mysql,
    ];
    /// The spelling the derive and messages use (`postgres`, `sqlite`, `mysql`).
    pub fn as_str(self) -> &'static str {
        match self {
            DialectKind::Postgres => "postgres",
            DialectKind::Sqlite => "sqlite",
            DialectKind::Mysql => "mysql",
        }
    }
}

impl Type {
    /// This type, except `ty` on `dialect` (replacing an earlier variant for it).
    pub fn with_variant(self, dialect: DialectKind, ty: Type) -> Type {
        let (base, mut variants) = match self {
            Type::Variant { base, variants } => (base, variants),
            other => (Box::new(other), Vec::new()),
        };
        variants.retain(|(d, _)| *d != dialect);
        variants.push((dialect, ty.for_dialect(Some(dialect)).into_owned()));
        Type::Variant { base, variants }
    }
    /// The type `dialect` uses: its variant, or the base type.
    pub fn for_dialect(&self, dialect: Option<DialectKind>) -> Cow<'_, Type> {
        match self {
            Type::Variant { base, variants } => {
                let chosen = variants
                    .iter()
                    .find(|(d, _)| Some(*d) == dialect)
                    .map_or(&**base, |(_, t)| t);
                chosen.for_dialect(dialect)
            }
            Type::Array(of) if of.has_variant() => {
                Cow::Owned(Type::Array(Box::new(of.for_dialect(dialect).into_owned())))
            }
            _ => Cow::Borrowed(self),
        }
    }
    /// Whether the type holds a per-dialect variant, in an array's element type too.
    pub fn has_variant(&self) -> bool {
        match self {
            Type::Variant { .. } => true,
            Type::Array(of) => of.has_variant(),
            _ => false,
        }
    }
}

impl ServerDefault {
    /// This default, except `default` on `dialect` (`None`: no default there), replacing
    /// an earlier variant for it.
    pub fn with_variant(self, dialect: DialectKind, default: Option<ServerDefault>) -> Self {
        let (base, mut variants) = match self {
            ServerDefault::Variant { base, variants } => (base, variants),
            other => (Some(Box::new(other)), Vec::new()),
        };
        variants.retain(|(d, _)| *d != dialect);
        let default = default.and_then(|d| d.for_dialect(Some(dialect)).map(Cow::into_owned));
        variants.push((dialect, default));
        ServerDefault::Variant { base, variants }
    }
    /// No default, except `default` on `dialect`.
    pub fn only_on(dialect: DialectKind, default: ServerDefault) -> Self {
        ServerDefault::Variant {
            base: None,
            variants: Vec::new(),
        }
        .with_variant(dialect, Some(default))
    }
    /// The default `dialect` uses (`None`: none there).
    pub fn for_dialect(&self, dialect: Option<DialectKind>) -> Option<Cow<'_, ServerDefault>> {
        match self {
            ServerDefault::Variant { base, variants } => {
                let chosen = variants
                    .iter()
                    .find(|(d, _)| Some(*d) == dialect)
                    .map_or(base.as_deref(), |(_, v)| v.as_ref());
                chosen.and_then(|d| d.for_dialect(dialect))
            }
            _ => Some(Cow::Borrowed(self)),
        }
    }
    /// Whether the default is a per-dialect [`ServerDefault::Variant`].
    pub fn has_variant(&self) -> bool {
        matches!(self, ServerDefault::Variant { .. })
    }
}

/// An optional default as `dialect` has it.
pub fn default_for_dialect(
    default: &Option<ServerDefault>,
    dialect: Option<DialectKind>,
) -> Option<ServerDefault> {
    default
        .as_ref()
        .and_then(|d| d.for_dialect(dialect))
        .map(Cow::into_owned)
}

impl Column {
    /// Whether the column's type or default has a per-dialect variant.
    pub fn has_variant(&self) -> bool {
        self.ty.has_variant()
            || self
                .server_default
                .as_ref()
                .is_some_and(|d| d.has_variant())
    }
    /// The column as `dialect` creates it: its variant type and default, no variant left.
    pub fn for_dialect(&self, dialect: Option<DialectKind>) -> Cow<'_, Column> {
        if !self.has_variant() {
            return Cow::Borrowed(self);
        }
        let mut c = self.clone();
        c.resolve(dialect);
        Cow::Owned(c)
    }
    fn resolve(&mut self, dialect: Option<DialectKind>) {
        if self.ty.has_variant() {
            self.ty = self.ty.for_dialect(dialect).into_owned();
        }
        if self
            .server_default
            .as_ref()
            .is_some_and(|d| d.has_variant())
        {
            self.server_default = default_for_dialect(&self.server_default, dialect);
        }
    }
}

impl Table {
    /// Whether any column has a per-dialect type or default.
    pub fn has_variant(&self) -> bool {
        self.columns.iter().any(Column::has_variant)
    }
    /// The table as `dialect` creates it (see [`Column::for_dialect`]).
    pub fn for_dialect(&self, dialect: Option<DialectKind>) -> Cow<'_, Table> {
        if !self.has_variant() {
            return Cow::Borrowed(self);
        }
        let mut t = self.clone();
        t.resolve(dialect);
        Cow::Owned(t)
    }
    pub(crate) fn resolve(&mut self, dialect: Option<DialectKind>) {
        for c in &mut self.columns {
            c.resolve(dialect);
        }
    }
}

impl MetaData {
    /// Whether any table has a column with a per-dialect type or default.
    pub fn has_variant(&self) -> bool {
        self.tables().iter().any(Table::has_variant)
    }
    /// Whether an entity is declared for some dialects only (`.only_on(..)`).
    pub fn has_dialect_entities(&self) -> bool {
        self.entities().iter().any(|e| !e.only_on().is_empty())
    }
    /// The schema as `dialect` creates it: what rendering and the comparison with a
    /// database of that kind work on (a copy only when a column has a variant or an entity
    /// is declared for some dialects only). Entities not on `dialect` are left out; those
    /// kept keep their `only_on`, so an op built from them says where it runs.
    pub fn for_dialect(&self, dialect: Option<DialectKind>) -> Cow<'_, MetaData> {
        if !self.has_variant() && !self.has_dialect_entities() {
            return Cow::Borrowed(self);
        }
        let mut md = self.clone();
        for t in md.tables_mut() {
            t.resolve(dialect);
        }
        md.entities_mut().retain(|e| e.is_on(dialect));
        Cow::Owned(md)
    }
}
