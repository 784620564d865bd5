//! The naming convention's names in ops ([`crate::conv`], Alembic's `op.f()`): recorded
//! whole, shortened to a database's limit just before the op is rendered for it, as
//! SQLAlchemy shortens a `conv` name when it compiles DDL. One revision thus gives the same
//! names on PostgreSQL (63 bytes), MySQL (64) and SQLite (no limit).

use std::borrow::Cow;

use super::op::{Constraint, Op};

impl Constraint {
    /// The constraint's name when it is the naming convention's (`conv`).
    fn conv_name_mut(&mut self) -> Option<&mut String> {
        match self {
            Constraint::PrimaryKey(c) if c.conv => c.name.as_mut(),
            Constraint::ForeignKey(c) if c.conv => c.name.as_mut(),
            Constraint::Unique(c) if c.conv => c.name.as_mut(),
            Constraint::Check(c) if c.conv => c.name.as_mut(),
            _ => None,
        }
    }
}

impl Op {
    /// Calls `f` on every name in the op that the naming convention built: the names marked
    /// `conv` in the tables, constraints and indexes it carries, and the name a drop gives
    /// when its recorded definition (`existing`) is a `conv` one of that name. A drop with
    /// no such definition gives the name as the database has it.
    pub fn for_each_conv_name(&mut self, f: &mut dyn FnMut(&mut String)) {
        match self {
            Op::CreateTable { table } | Op::CopyFrom { table } => {
                table.conv_names_mut().for_each(f);
            }
            Op::DropTable {
                existing: Some(table),
                ..
            } => table.conv_names_mut().for_each(f),
            Op::CreateIndex { index, .. } => {
                if let Some(n) = index.name.as_mut().filter(|_| index.conv) {
                    f(n);
                }
            }
            Op::DropIndex {
                name,
                existing: Some(index),
                ..
            } => {
                if let Some(n) = index.name.as_mut().filter(|_| index.conv) {
                    let same = n == name;
                    f(n);
                    if same {
                        name.clone_from(n);
                    }
                }
            }
            Op::CreateUniqueConstraint { unique: c, .. } => {
                if let Some(n) = c.name.as_mut().filter(|_| c.conv) {
                    f(n);
                }
            }
            Op::CreateForeignKey { foreign_key: c, .. } => {
                if let Some(n) = c.name.as_mut().filter(|_| c.conv) {
                    f(n);
                }
            }
            Op::CreateCheckConstraint { check: c, .. } => {
                if let Some(n) = c.name.as_mut().filter(|_| c.conv) {
                    f(n);
                }
            }
            Op::CreatePrimaryKey { primary_key: c, .. } => {
                if let Some(n) = c.name.as_mut().filter(|_| c.conv) {
                    f(n);
                }
            }
            Op::DropConstraint {
                name,
                existing: Some(c),
                ..
            } => {
                if let Some(n) = c.conv_name_mut() {
                    let same = n == name;
                    f(n);
                    if same {
                        name.clone_from(n);
                    }
                }
            }
            _ => {}
        }
    }

    /// Shortens every naming-convention name of the op longer than `max` bytes as SQLAlchemy
    /// does ([`crate::truncate_name`]); names the user wrote are left as they are.
    pub fn resolve_conv_names(&mut self, max: usize) {
        self.for_each_conv_name(&mut |n| {
            if n.len() > max {
                *n = crate::truncate_name(n, max);
            }
        });
    }

    /// The op as a database keeping `max` bytes of a name renders it (`None`: no limit):
    /// [`Op::resolve_conv_names`] on a copy, made only when a name is too long.
    pub fn with_conv_names(&self, max: Option<usize>) -> Cow<'_, Op> {
        let Some(max) = max else {
            return Cow::Borrowed(self);
        };
        if !self.has_conv_name_over(max) {
            return Cow::Borrowed(self);
        }
        let mut op = self.clone();
        op.resolve_conv_names(max);
        Cow::Owned(op)
    }

    /// Whether a name [`Op::for_each_conv_name`] visits is longer than `max` bytes (looked
    /// at without copying the op: most ops have none).
    fn has_conv_name_over(&self, max: usize) -> bool {
        let over = |conv: bool, name: &Option<String>| {
            conv && name.as_ref().is_some_and(|n| n.len() > max)
        };
        let constraint = |c: &Constraint| match c {
            Constraint::PrimaryKey(c) => over(c.conv, &c.name),
            Constraint::ForeignKey(c) => over(c.conv, &c.name),
            Constraint::Unique(c) => over(c.conv, &c.name),
            Constraint::Check(c) => over(c.conv, &c.name),
            Constraint::Exclude(_) => false,
        };
        match self {
            Op::CreateTable { table } | Op::CopyFrom { table } => {
                table.conv_names().any(|n| n.len() > max)
            }
            Op::DropTable {
                existing: Some(table),
                ..
            } => table.conv_names().any(|n| n.len() > max),
            Op::CreateIndex { index, .. }
            | Op::DropIndex {
                existing: Some(index),
                ..
            } => over(index.conv, &index.name),
            Op::CreateUniqueConstraint { unique: c, .. } => over(c.conv, &c.name),
            Op::CreateForeignKey { foreign_key: c, .. } => over(c.conv, &c.name),
            Op::CreateCheckConstraint { check: c, .. } => over(c.conv, &c.name),
            Op::CreatePrimaryKey { primary_key: c, .. } => over(c.conv, &c.name),
            Op::DropConstraint {
                existing: Some(c), ..
            } => constraint(c),
            _ => false,
        }
    }
}
