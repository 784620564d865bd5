//! What every apply needs: the error context, table lookup, name namespaces and foreign-key
//! references.

use super::super::error::ApplyError;
use super::super::op::qualified;
use crate::{ForeignKey, MetaData, Table};

/// The error context of one apply: the op's description, which every error starts with.
pub(in crate::ops) struct Cx {
    pub op: String,
}

impl Cx {
    pub fn table_exists(&self, schema: Option<&str>, name: &str) -> ApplyError {
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
    pub fn table_pos(
        &self,
        md: &MetaData,
        schema: &Option<String>,
        name: &str,
    ) -> Result<usize, ApplyError> {
        md.table_position(schema.as_deref(), name)
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
    pub fn check_schema_name_free(
        &self,
        md: &MetaData,
        schema: Option<&str>,
        name: &str,
    ) -> Result<(), ApplyError> {
        if md.index_like_name_taken(schema, name) {
            return Err(ApplyError::NameInUse {
                op: self.op.clone(),
                schema: schema.unwrap_or("the default schema").to_string(),
                name: name.to_string(),
            });
        }
        Ok(())
    }
    pub fn check_table_comment(
        &self,
        t: &Table,
        existing: &Option<String>,
    ) -> Result<(), ApplyError> {
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
pub(in crate::ops) fn resolve(md: &MetaData, schema: Option<&str>) -> Option<String> {
    schema.or(md.default_schema()).map(str::to_string)
}

/// Names of a table's indexes and index-backed constraints (primary key, unique, exclusion).
pub(in crate::ops) fn index_like_names(t: &Table) -> impl Iterator<Item = &str> {
    let pk = t.primary_key.iter().filter_map(|p| p.name.as_deref());
    let uq = t.uniques.iter().filter_map(|u| u.name.as_deref());
    let ex = t.excludes.iter().filter_map(|x| x.name.as_deref());
    let ix = t.indexes.iter().filter_map(|i| i.name.as_deref());
    pk.chain(uq).chain(ex).chain(ix)
}

/// Names of all of a table's constraints (one namespace per table in PostgreSQL).
pub(in crate::ops) fn constraint_names(t: &Table) -> impl Iterator<Item = &str> {
    let pk = t.primary_key.iter().filter_map(|p| p.name.as_deref());
    let fk = t.foreign_keys.iter().filter_map(|f| f.name.as_deref());
    let uq = t.uniques.iter().filter_map(|u| u.name.as_deref());
    let ck = t.checks.iter().filter_map(|c| c.name.as_deref());
    let ex = t.excludes.iter().filter_map(|x| x.name.as_deref());
    pk.chain(fk).chain(uq).chain(ck).chain(ex)
}

/// Whether `fk` refers to table `schema.name`. An unqualified reference means
/// `default_schema` (the metadata's), whatever schema the owner is in, as validation reads it.
pub(in crate::ops) fn refers_to(
    fk: &ForeignKey,
    default_schema: Option<&str>,
    schema: Option<&str>,
    name: &str,
) -> bool {
    fk.ref_table == name && fk.ref_schema.as_deref().or(default_schema) == schema
}

/// Foreign keys of *other* tables that refer to `target` (to `column` of it, if given), as
/// `table.fk_name` for messages.
pub(in crate::ops) fn referencing_fks(
    md: &MetaData,
    target: &Table,
    column: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    for owner in md.tables() {
        if owner.name == target.name && owner.schema == target.schema {
            continue;
        }
        for fk in &owner.foreign_keys {
            let hits_column = column.map_or(true, |c| fk.ref_columns.iter().any(|r| r == c));
            if refers_to(
                fk,
                md.default_schema(),
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
