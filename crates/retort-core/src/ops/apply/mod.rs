//! [`Op::apply`]: symbolic replay of one op into a [`MetaData`], with no database.
//!
//! Replaying a revision history from an empty `MetaData` yields the schema the history
//! builds, so autogenerate and `check` can work offline. Apply behaves as PostgreSQL does
//! where that is cheap to know: dropping a column also drops the indexes and constraints
//! of its own table that use it, renames follow into foreign keys that refer to the
//! renamed table or column, and dropping something another table's foreign key still
//! refers to is an error. What it cannot see it leaves alone: `execute` SQL is opaque (a
//! no-op here) and schemas exist implicitly (a schema holds what names it).
//!
//! The recorded old values of an alter (`existing_*`) are checked against the schema: a
//! wrong one would make the derived downgrade restore the wrong thing.

mod column;
mod constraint;
mod context;
mod entities;
mod enums;
mod sequences;
mod storage;

use super::error::{ApplyError, ReplayError};
use super::op::{qualified, Constraint, Op};
use crate::MetaData;
use column::{apply_alter, drop_column};
use constraint::{add_constraint, drop_constraint};
pub(super) use constraint::{name_by_convention, name_index_by_convention};
pub(super) use context::refers_to;
use context::{index_like_names, referencing_fks, resolve, Cx};
pub(super) use enums::insert_at;
use enums::{add_enum_value, drop_enum};
use sequences::{alter_sequence, create_sequence, drop_sequence};

impl Op {
    /// Replays this op into `md`. On error `md` is left unchanged. The naming convention's
    /// names the op carries (`conv`) are first shortened to the limit `md` was made for
    /// (`MetaData::set_max_identifier_length`), as its own are, so a drop finds them.
    pub fn apply(&self, md: &mut MetaData) -> Result<(), ApplyError> {
        self.with_conv_names(md.naming().max_length())
            .apply_resolved(md)
    }

    /// [`Op::apply`] taking the op: a created table moves into `md` rather than being
    /// copied, so a replay of a history holds each table once, not once in its recorded
    /// ops and again in the schema it builds (at 10,000 tables, tens of megabytes).
    pub fn apply_owned(self, md: &mut MetaData) -> Result<(), ApplyError> {
        let resolved = match self.with_conv_names(md.naming().max_length()) {
            std::borrow::Cow::Owned(op) => Some(op),
            std::borrow::Cow::Borrowed(_) => None,
        };
        let op = resolved.unwrap_or(self);
        if !matches!(op, Op::CreateTable { .. }) {
            return op.apply_resolved(md);
        }
        let cx = Cx { op: op.describe() };
        let Op::CreateTable { table } = op else {
            unreachable!("matched above")
        };
        if md.get_table(table.schema.as_deref(), &table.name).is_some() {
            return Err(cx.table_exists(table.schema.as_deref(), &table.name));
        }
        create_table(md, table, &cx)
    }

    fn apply_resolved(&self, md: &mut MetaData) -> Result<(), ApplyError> {
        let cx = Cx {
            op: self.describe(),
        };
        match self {
            Op::CreateTable { table } => {
                if md.get_table(table.schema.as_deref(), &table.name).is_some() {
                    return Err(cx.table_exists(table.schema.as_deref(), &table.name));
                }
                create_table(md, table.clone(), &cx)?;
            }
            Op::DropTable { schema, name, .. } => {
                let pos = cx.table_pos(md, schema, name)?;
                let dropped = &md.tables()[pos];
                if let Some(by) = referencing_fks(md, dropped, None).first() {
                    return Err(ApplyError::StillReferenced {
                        op: cx.op,
                        what: format!("table `{}`", dropped.qualified_name()),
                        by: by.clone(),
                    });
                }
                let gone = md.tables_mut().remove(pos);
                entities::drop_table_triggers(md, gone.schema.as_deref(), &gone.name);
            }
            Op::RenameTable {
                schema,
                old_name,
                new_name,
            } => {
                let pos = cx.table_pos(md, schema, old_name)?;
                let resolved = md.tables()[pos].schema.clone();
                if md.get_table(resolved.as_deref(), new_name).is_some() {
                    return Err(cx.table_exists(resolved.as_deref(), new_name));
                }
                let default_schema = md.default_schema().map(str::to_owned);
                for owner in md.tables_mut().iter_mut() {
                    for fk in &mut owner.foreign_keys {
                        if refers_to(fk, default_schema.as_deref(), resolved.as_deref(), old_name) {
                            fk.ref_table.clone_from(new_name);
                        }
                    }
                }
                for child in md.tables_mut().iter_mut() {
                    for p in &mut child.inherits {
                        if storage::is_parent(
                            p,
                            default_schema.as_deref(),
                            resolved.as_deref(),
                            old_name,
                        ) {
                            p.name.clone_from(new_name);
                        }
                    }
                }
                md.tables_mut()[pos].name.clone_from(new_name);
                entities::rename_table_triggers(md, resolved.as_deref(), old_name, new_name);
            }
            Op::AddColumn {
                schema,
                table,
                column,
            } => {
                let t = cx.table_mut(md, schema, table)?;
                if t.get_column(&column.name).is_some() {
                    return Err(cx.column_exists(t, &column.name));
                }
                t.columns.push(column.clone());
                let (s, n) = (t.schema.clone(), t.name.clone());
                storage::add_to_children(md, s.as_deref(), &n, column);
            }
            Op::DropColumn {
                schema,
                table,
                column,
                ..
            } => {
                let t = cx.table(md, schema, table)?;
                let (s, n) = (t.schema.clone(), t.name.clone());
                drop_column(&cx, md, schema, table, column)?;
                storage::drop_from_children(md, s.as_deref(), &n, column);
            }
            Op::AlterColumn(a) => apply_alter(&cx.op, md, a)?,
            // The copy column and its trigger are the swap's own: the schema sees the
            // column change type at the finish, as if one `ALTER .. TYPE` ran there.
            Op::SwapColumnType(s) => {
                let t = cx.table_mut(md, &s.schema, &s.table)?;
                cx.need_column(t, &s.column)?;
                if s.step == super::SwapStep::Finish {
                    if let Some(c) = t.columns.iter_mut().find(|c| c.name == s.column) {
                        c.ty = s.type_.clone();
                    }
                }
            }
            Op::CreateIndex {
                schema,
                table,
                index,
                ..
            } => {
                let naming = md.naming().clone();
                let t = cx.table(md, schema, table)?;
                for c in index
                    .column_names()
                    .chain(index.include.iter().map(String::as_str))
                {
                    cx.need_column(t, c)?;
                }
                let mut index = index.clone();
                name_index_by_convention(&naming, &t.name, &mut index);
                let resolved = t.schema.clone();
                if let Some(name) = &index.name {
                    cx.check_schema_name_free(md, resolved.as_deref(), name)?;
                }
                cx.table_mut(md, schema, table)?.indexes.push(index);
            }
            Op::DropIndex {
                schema,
                table,
                name,
                ..
            } => {
                let t = cx.table_mut(md, schema, table)?;
                let pos = t
                    .indexes
                    .iter()
                    .position(|i| i.name.as_deref() == Some(name))
                    .ok_or_else(|| ApplyError::UnknownIndex {
                        op: cx.op.clone(),
                        table: t.qualified_name(),
                        name: name.clone(),
                    })?;
                t.indexes.remove(pos);
            }
            Op::CreateUniqueConstraint {
                schema,
                table,
                unique,
            } => add_constraint(&cx, md, schema, table, Constraint::Unique(unique.clone()))?,
            Op::CreateForeignKey {
                schema,
                table,
                foreign_key,
                ..
            } => {
                if foreign_key.columns.len() != foreign_key.ref_columns.len() {
                    return Err(ApplyError::ForeignKeyArity {
                        op: cx.op,
                        columns: foreign_key.columns.len(),
                        ref_columns: foreign_key.ref_columns.len(),
                    });
                }
                let fk = Constraint::ForeignKey(foreign_key.clone());
                add_constraint(&cx, md, schema, table, fk)?
            }
            Op::CreateCheckConstraint {
                schema,
                table,
                check,
                ..
            } => add_constraint(&cx, md, schema, table, Constraint::Check(check.clone()))?,
            Op::CreateExcludeConstraint {
                schema,
                table,
                exclude,
            } => add_constraint(&cx, md, schema, table, Constraint::Exclude(exclude.clone()))?,
            Op::CreatePrimaryKey {
                schema,
                table,
                primary_key,
            } => {
                let pk = Constraint::PrimaryKey(primary_key.clone());
                add_constraint(&cx, md, schema, table, pk)?
            }
            Op::DropConstraint {
                schema,
                table,
                name,
                kind,
                existing,
            } => drop_constraint(&cx, md, schema, table, name, *kind, existing.as_ref())?,
            // Validity is not part of the schema model: a constraint added `NOT VALID` is
            // already in it, and validating changes nothing the model says.
            Op::ValidateConstraint { .. } => {}
            Op::CreateTableComment {
                schema,
                table,
                comment,
                existing_comment,
            } => {
                let t = cx.table_mut(md, schema, table)?;
                cx.check_table_comment(t, existing_comment)?;
                t.comment = Some(comment.clone());
            }
            Op::DropTableComment {
                schema,
                table,
                existing_comment,
            } => {
                let t = cx.table_mut(md, schema, table)?;
                cx.check_table_comment(t, existing_comment)?;
                t.comment = None;
            }
            Op::Inherit {
                schema,
                table,
                parent,
            } => storage::inherit(&cx, md, schema, table, parent)?,
            Op::NoInherit {
                schema,
                table,
                parent,
            } => storage::no_inherit(&cx, md, schema, table, parent)?,
            Op::SetStorage {
                schema,
                table,
                index,
                with,
                existing,
            } => storage::set_storage(&cx, md, schema, table, index, with, existing)?,
            Op::CreateEnum { enum_type } => {
                if md
                    .get_enum(enum_type.schema.as_deref(), &enum_type.name)
                    .is_some()
                {
                    return Err(ApplyError::EnumExists {
                        op: cx.op,
                        name: qualified(enum_type.schema.as_deref(), &enum_type.name),
                    });
                }
                md.add_enum(enum_type.clone());
            }
            Op::DropEnum { schema, name, .. } => drop_enum(&cx, md, schema, name)?,
            Op::CreateSequence { sequence } => create_sequence(&cx, md, sequence)?,
            Op::DropSequence { schema, name, .. } => drop_sequence(&cx, md, schema, name)?,
            Op::AlterSequence { sequence, .. } => alter_sequence(&cx, md, sequence)?,
            Op::AddEnumValue {
                schema,
                enum_name,
                value,
                position,
                ..
            } => add_enum_value(&cx, md, schema, enum_name, value, position)?,
            Op::RecreateEnum {
                schema,
                name,
                values,
                ..
            } => enums::recreate_enum(&cx, md, schema, name, values)?,
            Op::CreateEntity { entity } => entities::create_entity(&cx, md, entity)?,
            Op::ReplaceEntity { entity, .. } => entities::replace_entity(&cx, md, entity)?,
            Op::DropEntity { key, existing } => {
                entities::drop_entity(&cx, md, key, existing.as_ref())?
            }
            // A declaration for offline rendering: the history's own schema stands.
            Op::CreateSchema { .. } | Op::Execute { .. } | Op::CopyFrom { .. } => {}
            Op::DropSchema { name } => {
                let what = md
                    .tables()
                    .iter()
                    .find(|t| t.schema.as_deref() == Some(name))
                    .map(|t| format!("table `{}`", t.name))
                    .or_else(|| {
                        md.enums()
                            .iter()
                            .find(|e| e.schema.as_deref() == Some(name))
                            .map(|e| format!("enum type `{}`", e.name))
                    })
                    .or_else(|| {
                        md.entities()
                            .iter()
                            .filter(|e| !matches!(e, crate::Entity::SchemaComment(_)))
                            .find(|e| e.schema() == Some(name))
                            .map(|e| e.key().to_string())
                    });
                if let Some(what) = what {
                    return Err(ApplyError::SchemaNotEmpty {
                        op: cx.op,
                        schema: name.clone(),
                        what,
                    });
                }
                // Its comment goes with it, as in the database.
                md.entities_mut().retain(|e| {
                    !matches!(e, crate::Entity::SchemaComment(c) if c.schema.as_deref() == Some(name))
                });
            }
            Op::BulkInsert {
                schema,
                table,
                columns,
                rows,
            } => {
                let t = cx.table(md, schema, table)?;
                for c in columns {
                    cx.need_column(t, c)?;
                }
                if let Some((row, r)) = rows
                    .iter()
                    .enumerate()
                    .find(|(_, r)| r.len() != columns.len())
                {
                    return Err(ApplyError::RowWidth {
                        op: cx.op,
                        row,
                        expected: columns.len(),
                        found: r.len(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Adds `table` (checked not to exist) to `md`: its schema resolved, the convention's names
/// given, refused when a key or index names a column it lacks or an index-like name is taken.
fn create_table(md: &mut MetaData, mut table: crate::Table, cx: &Cx) -> Result<(), ApplyError> {
    table.schema = resolve(md, table.schema.as_deref());
    md.naming().clone().apply(&mut table);
    // A parent of `INHERITS` must be there first.
    for p in &table.inherits {
        cx.table(md, &p.schema, &p.name)?;
    }
    // What the database would refuse: keys and indexes on columns it lacks.
    let pk = table.primary_key.iter().flat_map(|p| &p.columns);
    let fk = table.foreign_keys.iter().flat_map(|f| &f.columns);
    let uq = table.uniques.iter().flat_map(|u| &u.columns);
    let ix = table
        .indexes
        .iter()
        .flat_map(|i| i.column_names().chain(i.include.iter().map(String::as_str)));
    let ex = table
        .excludes
        .iter()
        .flat_map(|x| x.column_names().chain(x.include.iter().map(String::as_str)));
    for column in pk
        .chain(fk)
        .chain(uq)
        .map(String::as_str)
        .chain(ix)
        .chain(ex)
    {
        cx.need_column(&table, column)?;
    }
    for name in index_like_names(&table) {
        cx.check_schema_name_free(md, table.schema.as_deref(), name)?;
    }
    // Not `add_table`: the op's names are final (autogenerate built them), and
    // the model's convention must not template them again.
    md.push_table(table);
    Ok(())
}

/// Replays ops in order into `md`, stopping at the first that does not fit (the ops
/// before it stay applied). The error says which op it was.
pub fn apply_all(ops: &[Op], md: &mut MetaData) -> Result<(), ReplayError> {
    for (index, op) in ops.iter().enumerate() {
        op.apply(md).map_err(|e| ReplayError {
            index,
            error: Box::new(e),
        })?;
    }
    Ok(())
}
