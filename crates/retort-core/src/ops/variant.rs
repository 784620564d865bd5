//! An op as one dialect renders it: every per-dialect variant of a type or server default
//! it carries resolved (see `schema/variant.rs`). Scripts keep the variants; a dialect
//! resolves an op just before rendering it.

use std::borrow::Cow;

use super::{AlterColumn, Op};
use crate::{default_for_dialect, DialectKind, ServerDefault, Type};

fn type_has_variant(ty: &Option<Type>) -> bool {
    ty.as_ref().is_some_and(Type::has_variant)
}

fn default_has_variant(d: &Option<Option<ServerDefault>>) -> bool {
    matches!(d, Some(Some(d)) if d.has_variant())
}

impl AlterColumn {
    fn has_variant(&self) -> bool {
        type_has_variant(&self.type_)
            || type_has_variant(&self.existing_type)
            || default_has_variant(&self.server_default)
            || default_has_variant(&self.existing_server_default)
    }
    /// Resolves every variant for `dialect`. A change recorded for a variant this dialect
    /// does not take (`only_on(Postgres, ..)` on SQLite, a type that differs only on
    /// another backend) resolves to the value the column already has: it is no change
    /// here, so it is left out, and SQLite plans no rebuild for it. Only a change that
    /// carried a variant is left out so: a plain alter restating the old value still runs.
    fn resolve(&mut self, dialect: Option<DialectKind>) {
        let type_variant = type_has_variant(&self.type_) || type_has_variant(&self.existing_type);
        let default_variant = default_has_variant(&self.server_default)
            || default_has_variant(&self.existing_server_default);
        for t in [&mut self.type_, &mut self.existing_type]
            .into_iter()
            .flatten()
        {
            *t = t.for_dialect(dialect).into_owned();
        }
        for inner in [&mut self.server_default, &mut self.existing_server_default]
            .into_iter()
            .flatten()
        {
            *inner = default_for_dialect(inner, dialect);
        }
        if type_variant && self.type_.is_some() && self.type_ == self.existing_type {
            self.type_ = None;
            self.using = None;
        }
        if default_variant
            && self.server_default.is_some()
            && self.server_default == self.existing_server_default
        {
            self.server_default = None;
        }
    }
}

impl Op {
    /// Whether a database of kind `dialect` runs the op at all: an entity op whose entities
    /// are all declared for other dialects (`.only_on(..)`) is nothing there (no SQL, and
    /// the schema the dialect sees does not change). A hand-written `drop_entity` without
    /// the old definition runs everywhere.
    pub fn runs_on(&self, dialect: Option<DialectKind>) -> bool {
        match self {
            Op::CreateEntity { entity } => entity.is_on(dialect),
            Op::ReplaceEntity { entity, existing } => {
                entity.is_on(dialect) || existing.as_ref().is_some_and(|e| e.is_on(dialect))
            }
            Op::DropEntity {
                existing: Some(e), ..
            } => e.is_on(dialect),
            _ => true,
        }
    }
    /// Whether the op carries a per-dialect variant (an entity op: an entity declared for
    /// some dialects only).
    pub fn has_variant(&self) -> bool {
        match self {
            Op::CreateEntity { entity } => !entity.only_on().is_empty(),
            Op::ReplaceEntity { entity, existing } => {
                !entity.only_on().is_empty()
                    || existing.as_ref().is_some_and(|e| !e.only_on().is_empty())
            }
            Op::CreateTable { table } => table.has_variant(),
            Op::DropTable {
                existing: Some(t), ..
            } => t.has_variant(),
            Op::AddColumn { column, .. } => column.has_variant(),
            Op::DropColumn {
                existing: Some(c), ..
            } => c.has_variant(),
            Op::AlterColumn(a) => a.has_variant(),
            _ => false,
        }
    }
    /// The op as `dialect` renders it (a copy only when it carries a variant). A replace
    /// whose old or new entity is not on `dialect` is there a create or a drop of the other
    /// (an op that does not run there at all, [`Op::runs_on`], is returned as it is).
    pub fn for_dialect(&self, dialect: Option<DialectKind>) -> Cow<'_, Op> {
        if !self.has_variant() {
            return Cow::Borrowed(self);
        }
        let mut op = self.clone();
        match &mut op {
            Op::CreateTable { table } => *table = table.for_dialect(dialect).into_owned(),
            Op::DropTable {
                existing: Some(t), ..
            } => *t = t.for_dialect(dialect).into_owned(),
            Op::AddColumn { column, .. } => *column = column.for_dialect(dialect).into_owned(),
            Op::DropColumn {
                existing: Some(c), ..
            } => *c = c.for_dialect(dialect).into_owned(),
            Op::AlterColumn(a) => a.resolve(dialect),
            Op::ReplaceEntity { entity, existing } => match existing {
                Some(old) if !entity.is_on(dialect) && old.is_on(dialect) => {
                    return Cow::Owned(Op::DropEntity {
                        key: old.key(),
                        existing: Some(old.clone()),
                    })
                }
                Some(old) if entity.is_on(dialect) && !old.is_on(dialect) => {
                    return Cow::Owned(Op::CreateEntity {
                        entity: entity.clone(),
                    })
                }
                _ => return Cow::Borrowed(self),
            },
            _ => return Cow::Borrowed(self),
        }
        Cow::Owned(op)
    }
}
