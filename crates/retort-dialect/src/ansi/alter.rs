//! Statements that change an existing table or type, one per migration operation kind
//! (`AddColumn`, `DropColumn`, `RenameTable`, `Create*Constraint`, `AddEnumValue`,
//! `BulkInsert`), so that rendering an [`retort_core::ops::Op`] is a dispatch onto them.
//! `ALTER COLUMN` is left to that work: its shape differs most between databases.

use retort_core::ops::{Constraint, EnumValuePosition};
use retort_core::{Column, EnumRef, Literal};

use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

/// `ALTER TABLE .. ADD COLUMN ..` with the column's whole definition.
pub fn add_column<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    column: &Column,
) -> Result<String> {
    Ok(format!(
        "ALTER TABLE {} ADD COLUMN {}",
        d.table_name(table)?,
        d.column_definition(column)?
    ))
}

/// `ALTER TABLE .. DROP COLUMN ..`.
pub fn drop_column<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    column: &str,
) -> Result<String> {
    Ok(format!(
        "ALTER TABLE {} DROP COLUMN {}",
        d.table_name(table)?,
        d.quote_identifier(column)?
    ))
}

/// The new name stays in the table's schema, so it is not qualified.
pub fn rename_table<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    new_name: &str,
) -> Result<String> {
    Ok(format!(
        "ALTER TABLE {} RENAME TO {}",
        d.table_name(table)?,
        d.quote_identifier(new_name)?
    ))
}

/// `ALTER TABLE t ADD [CONSTRAINT name] ..` for any constraint kind; a foreign key goes
/// through [`Dialect::add_foreign_key`] so it is always named.
pub fn add_constraint<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    constraint: &Constraint,
) -> Result<String> {
    let clause = match constraint {
        Constraint::ForeignKey(fk) => return d.add_foreign_key(table, fk),
        Constraint::PrimaryKey(pk) => d.primary_key_clause(pk)?,
        Constraint::Unique(u) => d.unique_clause(u)?,
        Constraint::Check(c) => d.check_clause(c)?,
        Constraint::Exclude(x) => d.exclude_clause(table.name, x)?,
    };
    Ok(format!("ALTER TABLE {} ADD {clause}", d.table_name(table)?))
}

/// `ALTER TYPE e ADD VALUE 'v' [BEFORE | AFTER 'w']` (PostgreSQL's spelling).
pub fn add_enum_value<D: Dialect + ?Sized>(
    d: &D,
    e: &EnumRef,
    value: &str,
    position: Option<&EnumValuePosition>,
) -> Result<String> {
    let mut out = format!(
        "ALTER TYPE {} ADD VALUE {}",
        d.qualified_name(e.schema.as_deref(), &e.name)?,
        d.string_literal(value)?
    );
    match position {
        Some(EnumValuePosition::Before(v)) => {
            out.push_str(&format!(" BEFORE {}", d.string_literal(v)?))
        }
        Some(EnumValuePosition::After(v)) => {
            out.push_str(&format!(" AFTER {}", d.string_literal(v)?))
        }
        None => {}
    }
    Ok(out)
}

/// `INSERT INTO t (cols) VALUES (..), (..)`: every value a rendered literal, never
/// interpolated text. A row whose length differs from the column list is an error.
pub fn insert_rows<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    columns: &[String],
    rows: &[Vec<Literal>],
) -> Result<String> {
    let mut values = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if row.len() != columns.len() {
            return Err(DialectError::InvalidLiteral {
                what: format!("row {} of the insert into `{}`", i + 1, table.name),
                reason: format!("it has {} values for {} columns", row.len(), columns.len()),
            });
        }
        let lits: Result<Vec<String>> = row.iter().map(|l| d.literal(l)).collect();
        values.push(format!("({})", lits?.join(", ")));
    }
    if values.is_empty() {
        return Err(DialectError::InvalidLiteral {
            what: format!("the insert into `{}`", table.name),
            reason: "it has no rows".into(),
        });
    }
    Ok(format!(
        "INSERT INTO {} ({}) VALUES {}",
        d.table_name(table)?,
        crate::ansi::ddl::name_list(d, columns)?,
        values.join(", ")
    ))
}
