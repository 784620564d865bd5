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
    /// Whether the op carries a per-dialect variant.
    pub fn has_variant(&self) -> bool {
        match self {
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
    /// The op as `dialect` renders it (a copy only when it carries a variant).
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
            _ => {}
        }
        Cow::Owned(op)
    }
}
