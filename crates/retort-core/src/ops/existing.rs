//! [`Op::with_existing`]: fill in the old values an op did not record, from the schema it
//! is about to change.
//!
//! A hand-written `op.drop_table("orders")` carries no definition, so on its own it cannot
//! be reversed. Replaying the history gives the schema just before each op, and with it
//! every old value; filling them in makes the reverse exact and lets the downgrade be
//! derived from the upgrade for any script ([`reverse_all_from`]).

use super::apply::{name_by_convention, name_index_by_convention, refers_to};
use super::error::{DowngradeError, ReplayError};
use super::op::{Constraint, ConstraintKind, Op};
use crate::{MetaData, Table};

impl Op {
    /// This op with every old value it lacks taken from `before`, the schema it applies to,
    /// and unnamed indexes and constraints named as `before`'s naming convention names them.
    /// Values the op recorded are kept. Objects missing from `before` are left as they are
    /// (applying the op will report them).
    pub fn with_existing(&self, before: &MetaData) -> Op {
        let mut op = self.clone();
        let table_of =
            |schema: &Option<String>, name: &str| before.get_table(schema.as_deref(), name);
        match &mut op {
            Op::DropTable {
                schema,
                name,
                existing,
                ..
            } if existing.is_none() => *existing = table_of(schema, name).cloned(),
            Op::DropColumn {
                schema,
                table,
                column,
                existing,
                ..
            } if existing.is_none() => {
                *existing = table_of(schema, table)
                    .and_then(|t| t.get_column(column))
                    .cloned()
            }
            Op::AlterColumn(a) => {
                if let Some(c) = table_of(&a.schema, &a.table).and_then(|t| t.get_column(&a.column))
                {
                    a.existing_nullable.get_or_insert(c.nullable);
                    a.existing_type.get_or_insert_with(|| c.ty.clone());
                    a.existing_server_default
                        .get_or_insert_with(|| c.server_default.clone());
                    a.existing_comment.get_or_insert_with(|| c.comment.clone());
                    a.existing_identity
                        .get_or_insert_with(|| c.identity.as_deref().cloned());
                    a.existing_computed
                        .get_or_insert_with(|| c.computed.clone());
                    a.existing_collation
                        .get_or_insert_with(|| c.collation.clone());
                }
            }
            Op::CreateIndex { table, index, .. } if index.name.is_none() => {
                name_index_by_convention(before.naming(), table, index)
            }
            Op::DropIndex {
                schema,
                table,
                name,
                existing,
                ..
            } if existing.is_none() => {
                *existing = table_of(schema, table).and_then(|t| {
                    t.indexes
                        .iter()
                        .find(|i| i.name.as_deref() == Some(name.as_str()))
                        .cloned()
                })
            }
            Op::CreateUniqueConstraint { table, unique, .. } if unique.name.is_none() => {
                let mut c = Constraint::Unique(unique.clone());
                name_by_convention(before.naming(), table, &mut c);
                if let Constraint::Unique(named) = c {
                    *unique = named;
                }
            }
            Op::CreateForeignKey {
                table, foreign_key, ..
            } if foreign_key.name.is_none() => {
                let mut c = Constraint::ForeignKey(foreign_key.clone());
                name_by_convention(before.naming(), table, &mut c);
                if let Constraint::ForeignKey(named) = c {
                    *foreign_key = named;
                }
            }
            Op::CreateCheckConstraint { table, check, .. } if check.name.is_none() => {
                let mut c = Constraint::Check(check.clone());
                name_by_convention(before.naming(), table, &mut c);
                if let Constraint::Check(named) = c {
                    *check = named;
                }
            }
            Op::CreatePrimaryKey {
                table, primary_key, ..
            } if primary_key.name.is_none() => {
                let mut c = Constraint::PrimaryKey(primary_key.clone());
                name_by_convention(before.naming(), table, &mut c);
                if let Constraint::PrimaryKey(named) = c {
                    *primary_key = named;
                }
            }
            Op::DropConstraint {
                schema,
                table,
                name,
                kind,
                existing,
            } if existing.is_none() => {
                *existing = table_of(schema, table).and_then(|t| find_constraint(t, name, *kind))
            }
            Op::CreateTableComment {
                schema,
                table,
                existing_comment,
                ..
            }
            | Op::DropTableComment {
                schema,
                table,
                existing_comment,
            } if existing_comment.is_none() => {
                *existing_comment = table_of(schema, table).and_then(|t| t.comment.clone())
            }
            // Without its old parameters the op sets what it names and keeps the rest; with
            // them it says the whole list, the kept ones included, so it means the same.
            Op::SetStorage {
                schema,
                table,
                index,
                with,
                existing,
            } if existing.is_none() => {
                if let Some(old) = table_of(schema, table).and_then(|t| storage_of(t, index)) {
                    let mut whole = old.clone();
                    for (name, value) in with.iter() {
                        match whole.iter_mut().find(|(n, _)| n == name) {
                            Some(kept) => kept.1.clone_from(value),
                            None => whole.push((name.clone(), value.clone())),
                        }
                    }
                    *with = whole;
                    *existing = Some(old);
                }
            }
            Op::DropEnum {
                schema,
                name,
                existing,
            } if existing.is_none() => {
                *existing = before.get_enum(schema.as_deref(), name).cloned()
            }
            Op::AddEnumValue {
                schema,
                enum_name: name,
                existing,
                ..
            }
            | Op::RecreateEnum {
                schema,
                name,
                existing,
                ..
            } if existing.is_none() => {
                *existing = before
                    .get_enum(schema.as_deref(), name)
                    .map(|e| e.values.clone())
            }
            Op::ReplaceEntity { entity, existing } if existing.is_none() => {
                *existing = before.get_entity_like(&entity.key(), entity).cloned()
            }
            Op::DropEntity { key, existing } if existing.is_none() => {
                *existing = before.get_entity(key).cloned()
            }
            _ => {}
        }
        op
    }
}

/// The constraint `drop_constraint(name, .., kind)` drops, as apply finds it: by name, and
/// for a primary key also an unnamed one (the database named it).
/// The storage parameters of `t` (`index: None`) or of its index, primary key or unique
/// constraint named `index`.
fn storage_of(t: &Table, index: &Option<String>) -> Option<Vec<(String, String)>> {
    let Some(name) = index else {
        return Some(t.with.clone());
    };
    let n = Some(name.as_str());
    t.indexes
        .iter()
        .find(|i| i.name.as_deref() == n)
        .map(|i| i.with.clone())
        .or_else(|| {
            t.primary_key
                .as_ref()
                .filter(|pk| pk.name.as_deref() == n)
                .map(|pk| pk.with.clone())
        })
        .or_else(|| {
            t.uniques
                .iter()
                .find(|u| u.name.as_deref() == n)
                .map(|u| u.with.clone())
        })
}

fn find_constraint(t: &Table, name: &str, kind: ConstraintKind) -> Option<Constraint> {
    let named = |n: &Option<String>| n.as_deref() == Some(name);
    match kind {
        ConstraintKind::PrimaryKey => t
            .primary_key
            .as_ref()
            .filter(|pk| pk.name.is_none() || named(&pk.name))
            .map(|pk| Constraint::PrimaryKey(pk.clone())),
        ConstraintKind::ForeignKey => t
            .foreign_keys
            .iter()
            .find(|f| named(&f.name))
            .map(|f| Constraint::ForeignKey(f.clone())),
        ConstraintKind::Unique => t
            .uniques
            .iter()
            .find(|u| named(&u.name))
            .map(|u| Constraint::Unique(u.clone())),
        ConstraintKind::Check => t
            .checks
            .iter()
            .find(|c| named(&c.name))
            .map(|c| Constraint::Check(c.clone())),
        ConstraintKind::Exclude => t
            .excludes
            .iter()
            .find(|x| named(&x.name))
            .map(|x| Constraint::Exclude(x.clone())),
    }
}

/// The downgrade of `ops` applied to `before`: each op completed with
/// [`Op::with_existing`] against the schema just before it, then reversed, in the opposite
/// order. Also checks that the ops replay onto `before`.
///
/// Dropping a column also drops, in the database, the key, foreign keys, unique
/// constraints and indexes of its table that use it; the downgrade re-creates those after
/// re-adding the column, so it restores everything the upgrade removed.
pub fn reverse_all_from(before: &MetaData, ops: &[Op]) -> Result<Vec<Op>, DowngradeError> {
    let mut md = before.clone();
    // One chunk of downgrade ops per upgrade op, each chunk in its own order.
    let mut chunks = Vec::with_capacity(ops.len());
    for (index, op) in ops.iter().enumerate() {
        let full = op.with_existing(&md);
        let restores = match &full {
            Op::DropColumn {
                schema,
                table,
                column,
                ..
            } => restores_after_drop_column(&md, schema, table, column),
            _ => Vec::new(),
        };
        full.apply(&mut md).map_err(|e| {
            DowngradeError::Apply(ReplayError {
                index,
                error: Box::new(e),
            })
        })?;
        let reverse = full.reverse().map_err(|e| DowngradeError::Irreversible {
            index,
            error: Box::new(e),
        })?;
        let mut chunk = vec![reverse];
        chunk.extend(restores);
        chunks.push(chunk);
    }
    Ok(chunks.into_iter().rev().flatten().collect())
}

/// The ops that re-create what dropping `table.column` drops along with it (see
/// `apply`): its table's primary key, foreign keys (own or self-referencing), unique and
/// exclusion constraints and indexes that use the column.
fn restores_after_drop_column(
    md: &MetaData,
    schema: &Option<String>,
    table: &str,
    column: &str,
) -> Vec<Op> {
    let Some(t) = md.get_table(schema.as_deref(), table) else {
        return Vec::new();
    };
    let has = |cols: &[String]| cols.iter().any(|c| c == column);
    let (schema, table) = (schema.clone(), table.to_string());
    let mut out = Vec::new();
    if let Some(pk) = t.primary_key.as_ref().filter(|pk| has(&pk.columns)) {
        out.push(Op::CreatePrimaryKey {
            schema: schema.clone(),
            table: table.clone(),
            primary_key: pk.clone(),
        });
    }
    for fk in &t.foreign_keys {
        let self_ref = refers_to(fk, md.default_schema(), t.schema.as_deref(), &t.name);
        if has(&fk.columns) || (self_ref && has(&fk.ref_columns)) {
            out.push(Op::CreateForeignKey {
                schema: schema.clone(),
                table: table.clone(),
                foreign_key: fk.clone(),
                not_valid: false,
            });
        }
    }
    for u in t.uniques.iter().filter(|u| has(&u.columns)) {
        out.push(Op::CreateUniqueConstraint {
            schema: schema.clone(),
            table: table.clone(),
            unique: u.clone(),
        });
    }
    for x in &t.excludes {
        if x.column_names().any(|c| c == column) || has(&x.include) {
            out.push(Op::CreateExcludeConstraint {
                schema: schema.clone(),
                table: table.clone(),
                exclude: x.clone(),
            });
        }
    }
    for ix in &t.indexes {
        if ix.column_names().any(|c| c == column) || has(&ix.include) {
            out.push(Op::CreateIndex {
                schema: schema.clone(),
                table: table.clone(),
                index: ix.clone(),
                concurrently: false,
            });
        }
    }
    out
}
