//! [`Op::reverse`]: the op that undoes an op, derived from what the op carries.
//!
//! A reverse is exact only when the op carries the old state it replaces (`existing`,
//! `existing_*`); otherwise it is a typed [`IrreversibleOp`] that says what to record.
//! Guessing (say, dropping a column back to "nullable text") would write a downgrade that
//! silently differs from the schema it should restore, which is worse than no downgrade.

use super::apply::insert_at;
use super::error::IrreversibleOp;
use super::op::{AlterColumn, Constraint, Op};

impl Op {
    /// The op that undoes this one. See the module notes for what makes a reverse exact.
    pub fn reverse(&self) -> Result<Op, IrreversibleOp> {
        let missing = |what: &str, fix: &str| IrreversibleOp::MissingDefinition {
            op: self.call(),
            what: what.into(),
            fix: fix.into(),
        };
        let unnamed = |what: &str| IrreversibleOp::Unnamed {
            op: self.call(),
            what: what.into(),
        };
        Ok(match self {
            Op::CreateTable { table } => Op::DropTable {
                schema: table.schema.clone(),
                name: table.name.clone(),
                existing: Some(table.clone()), data_loss_ok: false },
            Op::DropTable { existing, .. } => Op::CreateTable {
                table: existing
                    .clone()
                    .ok_or_else(|| missing("definition", ".existing(table)"))?,
            },
            Op::RenameTable {
                schema,
                old_name,
                new_name,
            } => Op::RenameTable {
                schema: schema.clone(),
                old_name: new_name.clone(),
                new_name: old_name.clone(),
            },
            Op::AddColumn {
                schema,
                table,
                column,
            } => Op::DropColumn {
                schema: schema.clone(),
                table: table.clone(),
                column: column.name.clone(),
                existing: Some(column.clone()), data_loss_ok: false },
            Op::DropColumn {
                schema,
                table,
                existing,
                ..
            } => Op::AddColumn {
                schema: schema.clone(),
                table: table.clone(),
                column: existing
                    .clone()
                    .ok_or_else(|| missing("definition", ".existing(column)"))?,
            },
            Op::AlterColumn(a) => Op::AlterColumn(reverse_alter(a, self)?),
            // The mirror step of the change back: downgrading runs the steps in reverse
            // order, so start <-> finish, and the backfill stays a backfill.
            Op::SwapColumnType(s) => Op::SwapColumnType(super::ColumnSwap {
                schema: s.schema.clone(),
                table: s.table.clone(),
                column: s.column.clone(),
                type_: s
                    .existing_type
                    .clone()
                    .ok_or_else(|| missing("old type", ".existing_type(type)"))?,
                existing_type: Some(s.type_.clone()),
                using: s.reverse_using.clone(),
                reverse_using: s.using.clone(),
                batch_size: s.batch_size,
                step: match s.step {
                    super::SwapStep::Start => super::SwapStep::Finish,
                    super::SwapStep::Backfill => super::SwapStep::Backfill,
                    super::SwapStep::Finish => super::SwapStep::Start,
                },
            }),
            Op::CreateIndex {
                schema,
                table,
                index,
                concurrently,
            } => Op::DropIndex {
                schema: schema.clone(),
                table: table.clone(),
                name: index.name.clone().ok_or_else(|| unnamed("index"))?,
                existing: Some(index.clone()),
                concurrently: *concurrently,
            },
            Op::DropIndex {
                schema,
                table,
                existing,
                concurrently,
                ..
            } => Op::CreateIndex {
                schema: schema.clone(),
                table: table.clone(),
                index: existing
                    .clone()
                    .ok_or_else(|| missing("definition", ".existing(index)"))?,
                concurrently: *concurrently,
            },
            Op::CreateUniqueConstraint {
                schema,
                table,
                unique,
            } => drop_constraint(
                schema,
                table,
                unique.name.as_deref(),
                Constraint::Unique(unique.clone()),
            ),
            Op::CreateForeignKey {
                schema,
                table,
                foreign_key,
                ..
            } => drop_constraint(
                schema,
                table,
                foreign_key.name.as_deref(),
                Constraint::ForeignKey(foreign_key.clone()),
            ),
            Op::CreateCheckConstraint {
                schema,
                table,
                check,
                ..
            } => drop_constraint(
                schema,
                table,
                check.name.as_deref(),
                Constraint::Check(check.clone()),
            ),
            Op::CreateExcludeConstraint {
                schema,
                table,
                exclude,
            } => drop_constraint(
                schema,
                table,
                exclude.name.as_deref(),
                Constraint::Exclude(exclude.clone()),
            ),
            Op::CreatePrimaryKey {
                schema,
                table,
                primary_key,
            } => drop_constraint(
                schema,
                table,
                primary_key.name.as_deref(),
                Constraint::PrimaryKey(primary_key.clone()),
            ),
            // Validating a valid constraint does nothing, so running it again on the way down
            // (the constraint is still there at that point) is exact and harmless.
            Op::ValidateConstraint { .. } => self.clone(),
            Op::DropConstraint {
                schema,
                table,
                kind,
                existing,
                ..
            } => {
                let (schema, table) = (schema.clone(), table.clone());
                match existing {
                    None => return Err(missing("definition", ".existing(constraint)")),
                    Some(c) if c.kind() != *kind => {
                        return Err(IrreversibleOp::Inherent {
                            op: self.call(),
                            why: format!(
                                "it drops a {} but carries a {} as its definition",
                                kind.as_str(),
                                c.kind().as_str()
                            ),
                        })
                    }
                    Some(c) => c.clone().into_create_op(schema, table),
                }
            }
            Op::CreateTableComment {
                schema,
                table,
                comment,
                existing_comment,
            } => match existing_comment {
                Some(old) => Op::CreateTableComment {
                    schema: schema.clone(),
                    table: table.clone(),
                    comment: old.clone(),
                    existing_comment: Some(comment.clone()),
                },
                None => Op::DropTableComment {
                    schema: schema.clone(),
                    table: table.clone(),
                    existing_comment: Some(comment.clone()),
                },
            },
            Op::DropTableComment {
                schema,
                table,
                existing_comment,
            } => Op::CreateTableComment {
                schema: schema.clone(),
                table: table.clone(),
                comment: existing_comment
                    .clone()
                    .ok_or_else(|| missing("existing comment", ".existing_comment(..)"))?,
                existing_comment: None,
            },
            Op::Inherit {
                schema,
                table,
                parent,
            } => Op::NoInherit {
                schema: schema.clone(),
                table: table.clone(),
                parent: parent.clone(),
            },
            Op::NoInherit {
                schema,
                table,
                parent,
            } => Op::Inherit {
                schema: schema.clone(),
                table: table.clone(),
                parent: parent.clone(),
            },
            Op::SetStorage {
                schema,
                table,
                index,
                with,
                existing,
            } => Op::SetStorage {
                schema: schema.clone(),
                table: table.clone(),
                index: index.clone(),
                with: existing
                    .clone()
                    .ok_or_else(|| missing("storage parameters", ".existing(..)"))?,
                existing: Some(with.clone()),
            },
            Op::CreateEnum { enum_type } => Op::DropEnum {
                schema: enum_type.schema.clone(),
                name: enum_type.name.clone(),
                existing: Some(enum_type.clone()),
            },
            Op::DropEnum { existing, .. } => Op::CreateEnum {
                enum_type: existing
                    .clone()
                    .ok_or_else(|| missing("definition", ".existing(values)"))?,
            },
            Op::CreateSequence { sequence } => Op::DropSequence {
                schema: sequence.schema.clone(),
                name: sequence.name.clone(),
                existing: Some(sequence.clone()),
            },
            Op::DropSequence { existing, .. } => Op::CreateSequence {
                sequence: existing
                    .clone()
                    .ok_or_else(|| missing("definition", ".existing(sequence)"))?,
            },
            Op::AlterSequence { sequence, existing } => {
                let old = existing
                    .clone()
                    .ok_or_else(|| missing("old definition", ".existing(sequence)"))?;
                Op::AlterSequence {
                    sequence: old,
                    existing: Some(sequence.clone()),
                }
            }
            // PostgreSQL cannot remove a value: the reverse recreates the type with the
            // values it had, by the safe swap `RecreateEnum` renders.
            Op::AddEnumValue {
                schema,
                enum_name,
                value,
                position,
                existing,
            } => {
                let before = existing.clone().ok_or_else(|| {
                    missing(
                        "values the enum type had before (PostgreSQL cannot remove a value, so the reverse recreates the type with them)",
                        ".existing(values)",
                    )
                })?;
                let mut after = before.clone();
                let at = insert_at(&after, position).map_err(|n| IrreversibleOp::Inherent {
                    op: self.call(),
                    why: format!("its existing values lack `{n}`, next to which it places the new value"),
                })?;
                after.insert(at, value.clone());
                Op::RecreateEnum {
                    schema: schema.clone(),
                    name: enum_name.clone(),
                    values: before,
                    existing: Some(after),
                }
            }
            Op::RecreateEnum {
                schema,
                name,
                values,
                existing,
            } => Op::RecreateEnum {
                schema: schema.clone(),
                name: name.clone(),
                values: existing
                    .clone()
                    .ok_or_else(|| missing("values the enum type had before", ".existing(values)"))?,
                existing: Some(values.clone()),
            },
            Op::CreateEntity { entity } => Op::DropEntity {
                key: entity.key(),
                existing: Some(entity.clone()),
            },
            Op::ReplaceEntity { entity, existing } => Op::ReplaceEntity {
                entity: existing
                    .clone()
                    .ok_or_else(|| missing("previous definition", ".existing(entity)"))?,
                existing: Some(entity.clone()),
            },
            Op::DropEntity { existing, .. } => Op::CreateEntity {
                entity: existing
                    .clone()
                    .ok_or_else(|| missing("definition", ".existing(entity)"))?,
            },
            Op::CreateSchema { name } => Op::DropSchema { name: name.clone() },
            Op::DropSchema { name } => Op::CreateSchema { name: name.clone() },
            // SQL that cannot run in a transaction is undone by SQL of the same kind
            // (`VACUUM` by `VACUUM`, a concurrent index by its concurrent drop).
            Op::Execute {
                sql,
                reverse_sql,
                outside_transaction,
            } => Op::Execute {
                sql: reverse_sql
                    .clone()
                    .ok_or_else(|| missing("reverse SQL", ".reverse_sql(..)"))?,
                reverse_sql: Some(sql.clone()),
                outside_transaction: *outside_transaction,
            },
            Op::CopyFrom { .. } => {
                return Err(IrreversibleOp::Inherent {
                    op: self.call(),
                    why: "it declares the table before the upgrade's rebuilds, not before the downgrade's (declare it again in downgrade(), before the operations it serves)".into(),
                })
            }
            Op::BulkInsert { .. } => {
                return Err(IrreversibleOp::Inherent {
                    op: self.call(),
                    why: "the inserted rows cannot be told from rows that were there before (delete them with op.execute(..) in downgrade())".into(),
                })
            }
        })
    }
}

/// The drop of a created constraint. An unnamed one (left to the database) is dropped by
/// its definition, which `existing` carries: a database that does not name constraints
/// (SQLite, which rebuilds the table to drop one) can run that; one that does
/// (PostgreSQL) refuses to render it, asking for the name the database gave.
fn drop_constraint(schema: &Option<String>, table: &str, name: Option<&str>, c: Constraint) -> Op {
    Op::DropConstraint {
        schema: schema.clone(),
        table: table.to_string(),
        name: name.unwrap_or_default().to_string(),
        kind: c.kind(),
        existing: Some(c),
    }
}

/// Swaps each changed property with its recorded old value. Unchanged `existing_*` context
/// is kept (the type of a column whose nullability changes is still that type after).
fn reverse_alter(a: &AlterColumn, op: &Op) -> Result<AlterColumn, IrreversibleOp> {
    let need = |property: &str| IrreversibleOp::MissingExisting {
        op: op.call(),
        property: property.into(),
    };
    // For each property: (change, existing) -> (change', existing').
    fn swap<T: Clone>(
        change: &Option<T>,
        existing: &Option<T>,
        err: impl FnOnce() -> IrreversibleOp,
    ) -> Result<(Option<T>, Option<T>), IrreversibleOp> {
        match change {
            None => Ok((None, existing.clone())),
            Some(new) => match existing {
                Some(old) => Ok((Some(old.clone()), Some(new.clone()))),
                None => Err(err()),
            },
        }
    }
    let (nullable, existing_nullable) =
        swap(&a.nullable, &a.existing_nullable, || need("nullable"))?;
    let (type_, existing_type) = swap(&a.type_, &a.existing_type, || need("type"))?;
    let (server_default, existing_server_default) =
        swap(&a.server_default, &a.existing_server_default, || {
            need("server_default")
        })?;
    let (comment, existing_comment) = swap(&a.comment, &a.existing_comment, || need("comment"))?;
    let (identity, existing_identity) =
        swap(&a.identity, &a.existing_identity, || need("identity"))?;
    let (computed, existing_computed) =
        swap(&a.computed, &a.existing_computed, || need("computed"))?;
    let (collation, existing_collation) =
        swap(&a.collation, &a.existing_collation, || need("collation"))?;
    let (column, new_name) = match &a.new_name {
        Some(new) => (new.clone(), Some(a.column.clone())),
        None => (a.column.clone(), None),
    };
    Ok(AlterColumn {
        schema: a.schema.clone(),
        table: a.table.clone(),
        column,
        nullable,
        existing_nullable,
        type_,
        // A cast written for one direction says nothing about the other.
        using: None,
        existing_type,
        server_default,
        existing_server_default,
        new_name,
        comment,
        existing_comment,
        identity,
        existing_identity,
        computed,
        existing_computed,
        collation,
        existing_collation,
    })
}

/// Reverses a whole script: each op reversed, in the opposite order (a downgrade from an
/// upgrade). Stops at the first op that cannot be reversed.
pub fn reverse_all(ops: &[Op]) -> Result<Vec<Op>, IrreversibleOp> {
    ops.iter().rev().map(Op::reverse).collect()
}
