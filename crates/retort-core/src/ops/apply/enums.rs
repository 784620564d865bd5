//! Dropping enum types, adding their values, and recreating them with other values.

use super::super::error::ApplyError;
use super::super::op::{qualified, EnumValuePosition};
use super::context::{resolve, Cx};
use crate::{MetaData, Type};

pub(in crate::ops) fn uses_enum(
    ty: &Type,
    md: &MetaData,
    schema: Option<&str>,
    name: &str,
) -> bool {
    match ty {
        Type::Enum(r) => r.name == name && r.schema.as_deref().or(md.default_schema()) == schema,
        Type::Array(inner) => uses_enum(inner, md, schema, name),
        _ => false,
    }
}

pub(in crate::ops) fn drop_enum(
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

pub(in crate::ops) fn add_enum_value(
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
    let at = insert_at(&e.values, position).map_err(|n| ApplyError::UnknownEnumValue {
        op: cx.op.clone(),
        name: enum_name.to_string(),
        value: n.to_string(),
    })?;
    e.values.insert(at, value.to_string());
    Ok(())
}

/// Where `ALTER TYPE .. ADD VALUE` at `position` puts a value among `values`; the error is
/// the neighbour `values` lacks.
pub(in crate::ops) fn insert_at<'p>(
    values: &[String],
    position: &'p Option<EnumValuePosition>,
) -> Result<usize, &'p str> {
    match position {
        None => Ok(values.len()),
        Some(EnumValuePosition::Before(n)) => values.iter().position(|v| v == n).ok_or(n),
        Some(EnumValuePosition::After(n)) => {
            values.iter().position(|v| v == n).map(|i| i + 1).ok_or(n)
        }
    }
}

/// `RecreateEnum`: the type keeps its name and place and takes the new values.
pub(in crate::ops) fn recreate_enum(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    name: &str,
    values: &[String],
) -> Result<(), ApplyError> {
    let resolved = resolve(md, schema.as_deref());
    let e = md
        .enums_mut()
        .iter_mut()
        .find(|e| e.name == name && e.schema == resolved)
        .ok_or_else(|| ApplyError::UnknownEnum {
            op: cx.op.clone(),
            name: qualified(schema.as_deref(), name),
        })?;
    e.values = values.to_vec();
    Ok(())
}
