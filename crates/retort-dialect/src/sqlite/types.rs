//! Column types on SQLite, and enums lowered to a `VARCHAR` with a `CHECK`.
//!
//! SQLite stores values by *affinity*, which it derives from the declared type name by
//! substring rules (<https://sqlite.org/datatype3.html#determination_of_column_affinity>):
//! `INT` -> INTEGER; `CHAR`, `CLOB`, `TEXT` -> TEXT; `BLOB` -> BLOB; `REAL`, `FLOA`, `DOUB`
//! -> REAL; anything else -> NUMERIC. It keeps the declared name as written, so the standard
//! spellings are kept wherever they already get the right affinity: then a type reads back
//! from `pragma_table_info` exactly as it was declared (`SMALLINT`, `BIGINT`,
//! `DOUBLE PRECISION` (REAL), `NUMERIC(10, 2)`, `BOOLEAN`, `VARCHAR(50)`, `CHAR(3)`, `DATE`,
//! `TIME`, `TIMESTAMP [WITH TIME ZONE]` (NUMERIC, which leaves ISO text as text), `BLOB`).
//!
//! Where the standard name would get the wrong affinity, the type is stored as what it is:
//!
//! * `Uuid` -> `CHAR(36)` (TEXT affinity; a 16-byte BLOB is kept as a BLOB too). `UUID`
//!   would have NUMERIC affinity.
//! * `Json` -> `TEXT`: under `JSON`'s NUMERIC affinity the JSON text `'1'` would become the
//!   integer 1.
//!
//! These two read back as `CHAR(36)` and `TEXT`, so a comparison of a live SQLite database
//! with a model must treat them as equal to `Uuid` and `Json`.
//!
//! Enums: SQLite has no enum types, so an enum column is a `VARCHAR(n)` (`n` the longest
//! value) with a table check named after the enum type, `CONSTRAINT e CHECK (col IN (..))`,
//! as SQLAlchemy renders `Enum(create_constraint=True)` without native enums; the name is
//! what lets introspection read it back as the enum (`super::enums`). The values live in
//! the [`MetaData`], so [`lower_enums`] rewrites a table before
//! it is rendered (by `create_all` and `render_op`, which have the metadata); rendering an
//! enum column without it is an error rather than a column that silently takes any value.
//!
//! `INTERVAL`, `JSONB` and arrays have no SQLite counterpart and are `Unsupported` with a
//! hint.

use std::borrow::Cow;

use retort_core::{EnumRef, MetaData, Table, Type};

use super::enums::{enum_check, stored_length};
use crate::{ansi, Dialect, DialectError};

type Result<T> = std::result::Result<T, DialectError>;

/// The declared type of `ty` on SQLite (see the module notes).
pub fn column_type<D: Dialect + ?Sized>(d: &D, ty: &Type) -> Result<String> {
    let unsupported = |hint: &str| {
        Err(DialectError::unsupported(
            d.name(),
            format!("the column type {ty}"),
            hint,
        ))
    };
    Ok(match ty {
        Type::Uuid => "CHAR(36)".into(),
        Type::Json => "TEXT".into(),
        Type::Binary => "BLOB".into(),
        Type::Jsonb => return unsupported("use Type::Json, stored as TEXT"),
        Type::Interval => {
            return unsupported("store a number of seconds (Type::BigInt) or ISO text (Type::Text)")
        }
        Type::Array(_) => {
            return unsupported("SQLite has no arrays: use a child table or a JSON column")
        }
        Type::Enum(r) => {
            return Err(DialectError::unsupported(
                d.name(),
                format!(
                    "an enum column of `{}` rendered without its metadata",
                    r.name
                ),
                "render it through create_all or render_op, which write it as a VARCHAR \
                 with a CHECK on the enum's values",
            ))
        }
        other => ansi::types::column_type(d, other)?,
    })
}

/// `table` with every enum column turned into a `VARCHAR(n)` plus a table check named
/// after the enum, `CONSTRAINT e CHECK (col IN (..))` (see the module notes). The enum is looked up as validation does: in the
/// table's schema first, then with no schema. Borrowed when the table has no enum column.
pub fn lower_enums<'a, D: Dialect + ?Sized>(
    d: &D,
    md: &MetaData,
    table: &'a Table,
) -> Result<Cow<'a, Table>> {
    if !table.columns.iter().any(|c| matches!(c.ty, Type::Enum(_))) {
        return Ok(Cow::Borrowed(table));
    }
    let mut out = table.clone();
    for column in &mut out.columns {
        let Type::Enum(r) = &column.ty else {
            continue;
        };
        let values = enum_values(d, md, table, r)?;
        let literals: Result<Vec<String>> = values.iter().map(|v| d.string_literal(v)).collect();
        out.checks.push(enum_check(
            &r.name,
            &d.quote_identifier(&column.name)?,
            &literals?,
        ));
        column.ty = Type::Varchar(Some(stored_length(values)));
    }
    Ok(Cow::Owned(out))
}

fn enum_values<'m, D: Dialect + ?Sized>(
    d: &D,
    md: &'m MetaData,
    table: &Table,
    r: &EnumRef,
) -> Result<&'m [String]> {
    let found = match &r.schema {
        Some(s) => md.get_enum(Some(s), &r.name),
        None => md
            .get_enum(table.schema.as_deref(), &r.name)
            .or_else(|| md.get_enum(None, &r.name)),
    };
    match found {
        Some(e) => Ok(&e.values),
        None => Err(DialectError::unsupported(
            d.name(),
            format!(
                "the enum column type `{}` of table `{}`, which the metadata does not define",
                r.name,
                table.qualified_name()
            ),
            "add the enum type to the metadata (or create it in an earlier operation)",
        )),
    }
}
