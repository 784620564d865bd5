//! Per-dialect variants back into the diff's ops.
//!
//! The comparison sees both schemas as one database has them (`MetaData::for_dialect`), so
//! an introspected SQLite schema is compared with the model's SQLite variants. The ops it
//! writes must still carry every dialect's choice, or a revision generated against one
//! database would hard-code that database's values and the history would not run the same
//! on the other: [`restore_variants`] puts the model's (and, for old values, the current
//! schema's) variant-carrying types and defaults back where a resolved one stands.

use crate::ops::Op;
use crate::{Column, MetaData, Table};

fn find_table<'a>(md: &'a MetaData, schema: Option<&str>, name: &str) -> Option<&'a Table> {
    let default = md.default_schema();
    md.tables()
        .iter()
        .find(|t| t.name == name && t.schema.as_deref().or(default) == schema.or(default))
}

fn variant_column<'a>(
    md: &'a MetaData,
    schema: Option<&str>,
    table: &str,
    column: &str,
) -> Option<&'a Column> {
    find_table(md, schema, table)?
        .columns
        .iter()
        .find(|c| c.name == column && c.has_variant())
}

/// See the module notes. `current` and `model` are the schemas before resolving.
pub fn restore_variants(ops: &mut [Op], current: &MetaData, model: &MetaData) {
    if !current.has_variant() && !model.has_variant() {
        return;
    }
    for op in ops {
        match op {
            Op::CreateTable { table } => {
                let (schema, name) = (table.schema.clone(), table.name.clone());
                for c in &mut table.columns {
                    if let Some(m) = variant_column(model, schema.as_deref(), &name, &c.name) {
                        *c = m.clone();
                    }
                }
            }
            Op::AddColumn {
                schema,
                table,
                column,
            } => {
                if let Some(m) = variant_column(model, schema.as_deref(), table, &column.name) {
                    *column = m.clone();
                }
            }
            Op::DropTable {
                schema,
                name,
                existing: Some(t),
            } => {
                for c in &mut t.columns {
                    if let Some(m) = variant_column(current, schema.as_deref(), name, &c.name) {
                        *c = m.clone();
                    }
                }
            }
            Op::DropColumn {
                schema,
                table,
                column,
                existing: Some(c),
            } => {
                if let Some(m) = variant_column(current, schema.as_deref(), table, column) {
                    *c = m.clone();
                }
            }
            Op::AlterColumn(a) => {
                let (schema, table, column) = (a.schema.as_deref(), &a.table, &a.column);
                if let Some(m) = variant_column(model, schema, table, column) {
                    if a.type_.is_some() && m.ty.has_variant() {
                        a.type_ = Some(m.ty.clone());
                    }
                    if a.server_default.is_some() {
                        if let Some(d) = m.server_default.as_ref().filter(|d| d.has_variant()) {
                            a.server_default = Some(Some(d.clone()));
                        }
                    }
                }
                if let Some(c) = variant_column(current, schema, table, column) {
                    if a.existing_type.is_some() && c.ty.has_variant() {
                        a.existing_type = Some(c.ty.clone());
                    }
                    if a.existing_server_default.is_some() {
                        if let Some(d) = c.server_default.as_ref().filter(|d| d.has_variant()) {
                            a.existing_server_default = Some(Some(d.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
