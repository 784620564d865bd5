//! Column types in standard SQL spelling. Types the standard lacks (UUID, JSONB, named
//! enums, arrays) are [`DialectError::Unsupported`] here; a dialect that has them overrides
//! [`crate::Dialect::column_type`] and falls back to [`column_type`] for the rest.

use retort_core::Type;

use crate::{Dialect, DialectError};

/// The standard spelling of `ty`, or `Unsupported`.
pub fn column_type<D: Dialect + ?Sized>(d: &D, ty: &Type) -> Result<String, DialectError> {
    let unsupported = |hint: &str| {
        Err(DialectError::unsupported(
            d.name(),
            format!("the column type {ty}"),
            hint,
        ))
    };
    Ok(match ty {
        Type::SmallInt => "SMALLINT".into(),
        Type::Integer => "INTEGER".into(),
        Type::BigInt => "BIGINT".into(),
        Type::Real => "REAL".into(),
        Type::Double => "DOUBLE PRECISION".into(),
        Type::Numeric { precision, scale } => match (precision, scale) {
            (None, None) => "NUMERIC".into(),
            (Some(p), None) => format!("NUMERIC({p})"),
            (Some(p), Some(s)) => format!("NUMERIC({p}, {s})"),
            (None, Some(_)) => {
                return unsupported(
                    "a scale needs a precision: use Type::numeric(precision, scale)",
                )
            }
        },
        Type::Boolean => "BOOLEAN".into(),
        Type::Varchar(Some(n)) => format!("VARCHAR({n})"),
        Type::Varchar(None) => "VARCHAR".into(),
        // Not in the standard (it has CLOB), but every database Retort targets spells it so.
        Type::Text => "TEXT".into(),
        Type::Char(Some(n)) => format!("CHAR({n})"),
        Type::Char(None) => "CHAR".into(),
        Type::Date => "DATE".into(),
        Type::Time { tz: false } => "TIME".into(),
        Type::Time { tz: true } => "TIME WITH TIME ZONE".into(),
        Type::Timestamp { tz: false } => "TIMESTAMP".into(),
        Type::Timestamp { tz: true } => "TIMESTAMP WITH TIME ZONE".into(),
        Type::Interval => "INTERVAL".into(),
        Type::Json => "JSON".into(),
        Type::Binary => "BLOB".into(),
        Type::Custom(sql) => sql.clone(),
        // Normally resolved before rendering (`MetaData::for_dialect`); rendering one as the
        // dialect would pick it keeps a direct call correct too.
        Type::Variant { .. } => return d.column_type(&ty.for_dialect(d.kind())),
        Type::Uuid => return unsupported("store it as CHAR(36) or use Type::custom"),
        Type::Jsonb => return unsupported("use Type::Json"),
        Type::Enum(_) => {
            return unsupported("use a VARCHAR column with a CHECK constraint on its values")
        }
        Type::Array(_) => return unsupported("use a child table or a JSON column"),
        other => return unsupported(&format!("no mapping for {other} yet; use Type::custom")),
    })
}
