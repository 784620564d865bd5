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

use super::apply_alter::apply_alter;
use super::error::{ApplyError, ReplayError};
use super::op::{qualified, Constraint, ConstraintKind, EnumValuePosition, Op};
use crate::{ForeignKey, MetaData, NamingConvention, Table, Type};

impl Op {
    /// Replays this op into `md`. On error `md` is left unchanged.
    pub fn apply(&self, md: &mut MetaData) -> Result<(), ApplyError> {
        let cx = Cx {
            op: self.describe(),
        };
        match self {
            Op::CreateTable { table } => {
                if md.get_table(table.schema.as_deref(), &table.name).is_some() {
                    return Err(cx.table_exists(table.schema.as_deref(), &table.name));
                }
                let mut table = table.clone();
                table.schema = resolve(md, table.schema.as_deref());
                md.naming().clone().apply(&mut table);
                for name in index_like_names(&table) {
                    cx.check_schema_name_free(md, table.schema.as_deref(), name)?;
                }
                md.add_table(table);
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
                md.tables_mut().remove(pos);
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
                for owner in md.tables_mut().iter_mut() {
                    let owner_schema = owner.schema.clone();
                    for fk in &mut owner.foreign_keys {
                        if refers_to(fk, owner_schema.as_deref(), resolved.as_deref(), old_name) {
                            fk.ref_table.clone_from(new_name);
                        }
                    }
                }
                md.tables_mut()[pos].name.clone_from(new_name);
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
            }
            Op::DropColumn {
                schema,
                table,
                column,
                ..
            } => drop_column(&cx, md, schema, table, column)?,
            Op::AlterColumn(a) => apply_alter(&cx.op, md, a)?,
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
                // Named as the naming convention would, through a scratch table so that
                // nothing else is touched.
                let mut tmp = Table::new(&t.name).index(index.clone());
                naming.apply(&mut tmp);
                let index = tmp.indexes.pop().unwrap_or_else(|| index.clone());
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
            } => add_constraint(&cx, md, schema, table, Constraint::Check(check.clone()))?,
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
                ..
            } => drop_constraint(&cx, md, schema, table, name, *kind)?,
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
            Op::AddEnumValue {
                schema,
                enum_name,
                value,
                position,
            } => add_enum_value(&cx, md, schema, enum_name, value, position)?,
            Op::CreateSchema { .. } | Op::Execute { .. } => {}
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
                    });
                if let Some(what) = what {
                    return Err(ApplyError::SchemaNotEmpty {
                        op: cx.op,
                        schema: name.clone(),
                        what,
                    });
                }
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

/// The error context of one apply: the op's description, which every error starts with.
pub(super) struct Cx {
    pub op: String,
}

impl Cx {
    fn table_exists(&self, schema: Option<&str>, name: &str) -> ApplyError {
        ApplyError::TableExists {
            op: self.op.clone(),
            table: qualified(schema, name),
        }
    }
    pub fn unknown_table(&self, schema: &Option<String>, name: &str) -> ApplyError {
        ApplyError::UnknownTable {
            op: self.op.clone(),
            table: qualified(schema.as_deref(), name),
        }
    }
    pub fn column_exists(&self, t: &Table, column: &str) -> ApplyError {
        ApplyError::ColumnExists {
            op: self.op.clone(),
            table: t.qualified_name(),
            column: column.to_string(),
        }
    }
    pub fn need_column(&self, t: &Table, column: &str) -> Result<(), ApplyError> {
        match t.get_column(column) {
            Some(_) => Ok(()),
            None => Err(ApplyError::UnknownColumn {
                op: self.op.clone(),
                table: t.qualified_name(),
                column: column.to_string(),
            }),
        }
    }
    fn table_pos(
        &self,
        md: &MetaData,
        schema: &Option<String>,
        name: &str,
    ) -> Result<usize, ApplyError> {
        let resolved = resolve(md, schema.as_deref());
        md.tables()
            .iter()
            .position(|t| t.name == name && t.schema == resolved)
            .ok_or_else(|| self.unknown_table(schema, name))
    }
    pub fn table<'m>(
        &self,
        md: &'m MetaData,
        schema: &Option<String>,
        name: &str,
    ) -> Result<&'m Table, ApplyError> {
        md.get_table(schema.as_deref(), name)
            .ok_or_else(|| self.unknown_table(schema, name))
    }
    pub fn table_mut<'m>(
        &self,
        md: &'m mut MetaData,
        schema: &Option<String>,
        name: &str,
    ) -> Result<&'m mut Table, ApplyError> {
        md.get_table_mut(schema.as_deref(), name)
            .ok_or_else(|| self.unknown_table(schema, name))
    }
    /// PostgreSQL keeps indexes (and the indexes behind primary keys and unique
    /// constraints) in one namespace per schema.
    fn check_schema_name_free(
        &self,
        md: &MetaData,
        schema: Option<&str>,
        name: &str,
    ) -> Result<(), ApplyError> {
        let taken = md
            .tables()
            .iter()
            .filter(|t| t.schema.as_deref() == schema)
            .any(|t| index_like_names(t).any(|n| n == name));
        if taken {
            return Err(ApplyError::NameInUse {
                op: self.op.clone(),
                schema: schema.unwrap_or("the default schema").to_string(),
                name: name.to_string(),
            });
        }
        Ok(())
    }
    fn check_table_comment(&self, t: &Table, existing: &Option<String>) -> Result<(), ApplyError> {
        // `None` means "none or not recorded" (Alembic's meaning), so only a recorded
        // comment is checked.
        match existing {
            Some(old) if t.comment.as_ref() != Some(old) => Err(ApplyError::ExistingMismatch {
                op: self.op.clone(),
                target: t.qualified_name(),
                property: "comment".into(),
                recorded: format!("{old:?}"),
                actual: format!("{:?}", t.comment),
            }),
            _ => Ok(()),
        }
    }
}

/// The schema an op's `None` means: the metadata's default.
fn resolve(md: &MetaData, schema: Option<&str>) -> Option<String> {
    schema.or(md.default_schema()).map(str::to_string)
}

/// Names of a table's indexes and index-backed constraints (primary key, unique).
fn index_like_names(t: &Table) -> impl Iterator<Item = &str> {
    let pk = t.primary_key.iter().filter_map(|p| p.name.as_deref());
    let uq = t.uniques.iter().filter_map(|u| u.name.as_deref());
    let ix = t.indexes.iter().filter_map(|i| i.name.as_deref());
    pk.chain(uq).chain(ix)
}

/// Names of all of a table's constraints (one namespace per table in PostgreSQL).
fn constraint_names(t: &Table) -> impl Iterator<Item = &str> {
    let pk = t.primary_key.iter().filter_map(|p| p.name.as_deref());
    let fk = t.foreign_keys.iter().filter_map(|f| f.name.as_deref());
    let uq = t.uniques.iter().filter_map(|u| u.name.as_deref());
    let ck = t.checks.iter().filter_map(|c| c.name.as_deref());
    pk.chain(fk).chain(uq).chain(ck)
}

/// Whether `fk` (declared on a table in `owner_schema`) refers to table `schema.name`. An
/// unqualified reference means the owner's schema, as validation reads it.
pub(super) fn refers_to(
    fk: &ForeignKey,
    owner_schema: Option<&str>,
    schema: Option<&str>,
    name: &str,
) -> bool {
    fk.ref_table == name && fk.ref_schema.as_deref().or(owner_schema) == schema
}

/// Foreign keys of *other* tables that refer to `target` (to `column` of it, if given), as
/// `table.fk_name` for messages.
pub(super) fn referencing_fks(md: &MetaData, target: &Table, column: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for owner in md.tables() {
        if owner.name == target.name && owner.schema == target.schema {
            continue;
        }
        for fk in &owner.foreign_keys {
            let hits_column = column.map_or(true, |c| fk.ref_columns.iter().any(|r| r == c));
            if refers_to(
                fk,
                owner.schema.as_deref(),
                target.schema.as_deref(),
                &target.name,
            ) && hits_column
            {
                let name = fk.name.as_deref().unwrap_or("(unnamed)");
                out.push(format!("`{name}` of table `{}`", owner.qualified_name()));
            }
        }
    }
    out
}

fn drop_column(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    column: &str,
) -> Result<(), ApplyError> {
    let t = cx.table(md, schema, table)?;
    cx.need_column(t, column)?;
    if let Some(by) = referencing_fks(md, t, Some(column)).first() {
        return Err(ApplyError::StillReferenced {
            op: cx.op.clone(),
            what: format!("column `{}.{column}`", t.qualified_name()),
            by: by.clone(),
        });
    }
    let t = cx.table_mut(md, schema, table)?;
    let own_schema = t.schema.clone();
    let own_name = t.name.clone();
    let has = |cols: &[String]| cols.iter().any(|c| c == column);
    t.columns.retain(|c| c.name != column);
    // As PostgreSQL does: constraints and indexes of this table that use the column go too.
    if t.primary_key.as_ref().is_some_and(|pk| has(&pk.columns)) {
        t.primary_key = None;
    }
    t.foreign_keys.retain(|fk| {
        let self_ref = refers_to(fk, own_schema.as_deref(), own_schema.as_deref(), &own_name);
        !(has(&fk.columns) || self_ref && has(&fk.ref_columns))
    });
    t.uniques.retain(|u| !has(&u.columns));
    t.indexes
        .retain(|i| !i.column_names().any(|c| c == column) && !has(&i.include));
    Ok(())
}

fn add_constraint(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    c: Constraint,
) -> Result<(), ApplyError> {
    let naming = md.naming().clone();
    let t = cx.table(md, schema, table)?;
    let columns: &[String] = match &c {
        Constraint::PrimaryKey(pk) => &pk.columns,
        Constraint::ForeignKey(fk) => &fk.columns,
        Constraint::Unique(u) => &u.columns,
        Constraint::Check(_) => &[],
    };
    for col in columns {
        cx.need_column(t, col)?;
    }
    if matches!(c, Constraint::PrimaryKey(_)) && t.primary_key.is_some() {
        return Err(ApplyError::PrimaryKeyExists {
            op: cx.op.clone(),
            table: t.qualified_name(),
        });
    }
    let mut c = c;
    name_by_convention(&naming, &t.name, &mut c);
    if let Some(name) = c.name() {
        let resolved = t.schema.clone();
        if constraint_names(t).any(|n| n == name) {
            return Err(ApplyError::NameInUse {
                op: cx.op.clone(),
                schema: t.qualified_name(),
                name: name.to_string(),
            });
        }
        if matches!(
            c.kind(),
            ConstraintKind::PrimaryKey | ConstraintKind::Unique
        ) {
            cx.check_schema_name_free(md, resolved.as_deref(), name)?;
        }
    }
    let t = cx.table_mut(md, schema, table)?;
    match c {
        Constraint::PrimaryKey(pk) => t.primary_key = Some(pk),
        Constraint::ForeignKey(fk) => t.foreign_keys.push(fk),
        Constraint::Unique(u) => t.uniques.push(u),
        Constraint::Check(ck) => t.checks.push(ck),
    }
    Ok(())
}

/// Names an unnamed constraint as the metadata's naming convention would, through a
/// scratch table so that nothing else is touched.
pub(super) fn name_by_convention(naming: &NamingConvention, table: &str, c: &mut Constraint) {
    let mut tmp = Table::new(table);
    match c {
        Constraint::PrimaryKey(pk) => {
            tmp.primary_key = Some(pk.clone());
            naming.apply(&mut tmp);
            if let Some(named) = tmp.primary_key {
                *pk = named;
            }
        }
        Constraint::ForeignKey(fk) => {
            tmp.foreign_keys.push(fk.clone());
            naming.apply(&mut tmp);
            if let Some(named) = tmp.foreign_keys.pop() {
                *fk = named;
            }
        }
        Constraint::Unique(u) => {
            tmp.uniques.push(u.clone());
            naming.apply(&mut tmp);
            if let Some(named) = tmp.uniques.pop() {
                *u = named;
            }
        }
        Constraint::Check(ck) => {
            tmp.checks.push(ck.clone());
            naming.apply(&mut tmp);
            if let Some(named) = tmp.checks.pop() {
                *ck = named;
            }
        }
    }
}

fn drop_constraint(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    table: &str,
    name: &str,
    kind: ConstraintKind,
) -> Result<(), ApplyError> {
    let t = cx.table_mut(md, schema, table)?;
    let named = |n: &Option<String>| n.as_deref() == Some(name);
    let found = match kind {
        // A table has one primary key; an unnamed one is named by the database, so any
        // name drops it.
        ConstraintKind::PrimaryKey => {
            let hit = t
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.name.is_none() || named(&pk.name));
            if hit {
                t.primary_key = None;
            }
            hit
        }
        ConstraintKind::ForeignKey => remove_first(&mut t.foreign_keys, |f| named(&f.name)),
        ConstraintKind::Unique => remove_first(&mut t.uniques, |u| named(&u.name)),
        ConstraintKind::Check => remove_first(&mut t.checks, |c| named(&c.name)),
    };
    if !found {
        return Err(ApplyError::UnknownConstraint {
            op: cx.op.clone(),
            table: t.qualified_name(),
            kind: kind.as_str().into(),
            name: name.to_string(),
        });
    }
    Ok(())
}

fn remove_first<T>(v: &mut Vec<T>, pred: impl Fn(&T) -> bool) -> bool {
    match v.iter().position(pred) {
        Some(i) => {
            v.remove(i);
            true
        }
        None => false,
    }
}

fn uses_enum(ty: &Type, md: &MetaData, schema: Option<&str>, name: &str) -> bool {
    match ty {
        Type::Enum(r) => r.name == name && r.schema.as_deref().or(md.default_schema()) == schema,
        Type::Array(inner) => uses_enum(inner, md, schema, name),
        _ => false,
    }
}

fn drop_enum(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    name: &str,
) -> Result<(), ApplyError> {
    let resolved = resolve(md, schema.as_deref());
    let pos = md
        .enums()
        .iter()
        .position(|e| e.name == name && e.schema == resolved)
        .ok_or_else(|| ApplyError::UnknownEnum {
            op: cx.op.clone(),
            name: qualified(schema.as_deref(), name),
        })?;
    for t in md.tables() {
        if let Some(c) = t
            .columns
            .iter()
            .find(|c| uses_enum(&c.ty, md, resolved.as_deref(), name))
        {
            return Err(ApplyError::EnumInUse {
                op: cx.op.clone(),
                name: name.to_string(),
                table: t.qualified_name(),
                column: c.name.clone(),
            });
        }
    }
    md.enums_mut().remove(pos);
    Ok(())
}

fn add_enum_value(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    enum_name: &str,
    value: &str,
    position: &Option<EnumValuePosition>,
) -> Result<(), ApplyError> {
    let resolved = resolve(md, schema.as_deref());
    let e = md
        .enums_mut()
        .iter_mut()
        .find(|e| e.name == enum_name && e.schema == resolved)
        .ok_or_else(|| ApplyError::UnknownEnum {
            op: cx.op.clone(),
            name: qualified(schema.as_deref(), enum_name),
        })?;
    if e.values.iter().any(|v| v == value) {
        return Err(ApplyError::EnumValueExists {
            op: cx.op.clone(),
            name: enum_name.to_string(),
            value: value.to_string(),
        });
    }
    let at = match position {
        None => e.values.len(),
        Some(EnumValuePosition::Before(n) | EnumValuePosition::After(n)) => {
            let i = e.values.iter().position(|v| v == n).ok_or_else(|| {
                ApplyError::UnknownEnumValue {
                    op: cx.op.clone(),
                    name: enum_name.to_string(),
                    value: n.clone(),
                }
            })?;
            if matches!(position, Some(EnumValuePosition::After(_))) {
                i + 1
            } else {
                i
            }
        }
    };
    e.values.insert(at, value.to_string());
    Ok(())
}
