//! Human text for ops: [`Op::describe`] for logs and progress ("add column orders.note"),
//! [`Op::call`] for error messages, spelled as the recorder call that records the op
//! (`drop_table("x")`) so the user finds it in their revision script.

use std::fmt;

use super::op::{qualified, Op};
use crate::IndexTarget;

/// ` NOT VALID` for a constraint added so (its rows are checked by a later validation).
fn not_valid_suffix(not_valid: bool) -> &'static str {
    if not_valid {
        " NOT VALID"
    } else {
        ""
    }
}

impl Op {
    /// One line of human text: "create table customers", "add column orders.note".
    pub fn describe(&self) -> String {
        let q = qualified;
        match self {
            Op::CreateTable { table } => {
                format!("create table {}", q(table.schema.as_deref(), &table.name))
            }
            Op::DropTable { schema, name, .. } => {
                format!("drop table {}", q(schema.as_deref(), name))
            }
            Op::RenameTable {
                schema,
                old_name,
                new_name,
            } => format!(
                "rename table {} to {new_name}",
                q(schema.as_deref(), old_name)
            ),
            Op::AddColumn {
                schema,
                table,
                column,
            } => format!("add column {}.{}", q(schema.as_deref(), table), column.name),
            Op::DropColumn {
                schema,
                table,
                column,
                ..
            } => format!("drop column {}.{column}", q(schema.as_deref(), table)),
            Op::SwapColumnType(s) => format!(
                "swap column type {}.{} to {} ({})",
                q(s.schema.as_deref(), &s.table),
                s.column,
                s.type_.to_string().to_ascii_lowercase(),
                match s.step {
                    super::SwapStep::Start => "start: add the copy column and its sync trigger",
                    super::SwapStep::Backfill => "backfill: copy the rows in batches",
                    super::SwapStep::Finish => "finish: swap the names and drop the old column",
                }
            ),
            Op::AlterColumn(a) => {
                let target = format!("{}.{}", q(a.schema.as_deref(), &a.table), a.column);
                let changed = a.changed();
                if changed.is_empty() {
                    format!("alter column {target} (no change)")
                } else {
                    format!("alter column {target} ({})", changed.join(", "))
                }
            }
            Op::CreateIndex {
                schema,
                table,
                index,
                ..
            } => {
                let cols: Vec<String> = index
                    .elements
                    .iter()
                    .map(|e| match &e.target {
                        IndexTarget::Column(c) => c.clone(),
                        IndexTarget::Expr(x) => format!("({x})"),
                    })
                    .collect();
                format!(
                    "create {}index {} on {} ({})",
                    if index.unique { "unique " } else { "" },
                    index.name.as_deref().unwrap_or("(unnamed)"),
                    q(schema.as_deref(), table),
                    cols.join(", ")
                )
            }
            Op::DropIndex {
                schema,
                table,
                name,
                ..
            } => format!("drop index {name} on {}", q(schema.as_deref(), table)),
            Op::CreateUniqueConstraint {
                schema,
                table,
                unique,
            } => format!(
                "create unique constraint {} on {} ({})",
                unique.name.as_deref().unwrap_or("(unnamed)"),
                q(schema.as_deref(), table),
                unique.columns.join(", ")
            ),
            Op::CreateForeignKey {
                schema,
                table,
                foreign_key: fk,
                not_valid,
            } => format!(
                "create foreign key {} on {} ({}) -> {} ({}){}",
                fk.name.as_deref().unwrap_or("(unnamed)"),
                q(schema.as_deref(), table),
                fk.columns.join(", "),
                q(fk.ref_schema.as_deref(), &fk.ref_table),
                fk.ref_columns.join(", "),
                not_valid_suffix(*not_valid)
            ),
            Op::CreateCheckConstraint {
                schema,
                table,
                check,
                not_valid,
            } => format!(
                "create check constraint {} on {}{}",
                check.name.as_deref().unwrap_or("(unnamed)"),
                q(schema.as_deref(), table),
                not_valid_suffix(*not_valid)
            ),
            Op::CreateExcludeConstraint {
                schema,
                table,
                exclude,
            } => format!(
                "create exclusion constraint {} on {}",
                exclude.name.as_deref().unwrap_or("(unnamed)"),
                q(schema.as_deref(), table)
            ),
            Op::CreatePrimaryKey {
                schema,
                table,
                primary_key: pk,
            } => format!(
                "create primary key {} on {} ({})",
                pk.name.as_deref().unwrap_or("(unnamed)"),
                q(schema.as_deref(), table),
                pk.columns.join(", ")
            ),
            Op::DropConstraint {
                schema,
                table,
                name,
                kind,
                ..
            } => format!(
                "drop {} {} on {}",
                kind.as_str(),
                if name.is_empty() {
                    "(unnamed, by its definition)"
                } else {
                    name
                },
                q(schema.as_deref(), table)
            ),
            Op::ValidateConstraint {
                schema,
                table,
                name,
                kind,
            } => format!(
                "validate {} {name} on {}",
                kind.as_str(),
                q(schema.as_deref(), table)
            ),
            Op::CreateTableComment { schema, table, .. } => {
                format!("set comment on table {}", q(schema.as_deref(), table))
            }
            Op::DropTableComment { schema, table, .. } => {
                format!("drop comment on table {}", q(schema.as_deref(), table))
            }
            Op::Inherit {
                schema,
                table,
                parent,
            } => format!(
                "make table {} inherit from {}",
                q(schema.as_deref(), table),
                parent.qualified_name()
            ),
            Op::NoInherit {
                schema,
                table,
                parent,
            } => format!(
                "make table {} no longer inherit from {}",
                q(schema.as_deref(), table),
                parent.qualified_name()
            ),
            Op::SetStorage {
                schema,
                table,
                index: None,
                ..
            } => format!(
                "set storage parameters of table {}",
                q(schema.as_deref(), table)
            ),
            Op::SetStorage {
                schema,
                table,
                index: Some(index),
                ..
            } => format!(
                "set storage parameters of index {index} on {}",
                q(schema.as_deref(), table)
            ),
            Op::CreateEnum { enum_type } => format!(
                "create enum type {}",
                q(enum_type.schema.as_deref(), &enum_type.name)
            ),
            Op::DropEnum { schema, name, .. } => {
                format!("drop enum type {}", q(schema.as_deref(), name))
            }
            Op::CreateSequence { sequence } => match &sequence.owned_by {
                Some(o) => format!(
                    "create sequence {} owned by {}.{}",
                    q(sequence.schema.as_deref(), &sequence.name),
                    o.table,
                    o.column
                ),
                None => format!(
                    "create sequence {}",
                    q(sequence.schema.as_deref(), &sequence.name)
                ),
            },
            Op::DropSequence { schema, name, .. } => {
                format!("drop sequence {}", q(schema.as_deref(), name))
            }
            Op::AlterSequence { sequence, .. } => format!(
                "alter sequence {}",
                q(sequence.schema.as_deref(), &sequence.name)
            ),
            Op::AddEnumValue {
                schema,
                enum_name,
                value,
                ..
            } => format!(
                "add value '{value}' to enum type {}",
                q(schema.as_deref(), enum_name)
            ),
            Op::RecreateEnum {
                schema,
                name,
                values,
                ..
            } => format!(
                "recreate enum type {} with values ({})",
                q(schema.as_deref(), name),
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Op::CopyFrom { table } => format!(
                "declare table {} as the database has it (copy_from)",
                q(table.schema.as_deref(), &table.name)
            ),
            Op::CreateEntity { entity } => format!("create {}", entity.key()),
            Op::ReplaceEntity { entity, .. } => format!("replace {}", entity.key()),
            Op::DropEntity { key, .. } => format!("drop {key}"),
            Op::CreateSchema { name } => format!("create schema {name}"),
            Op::DropSchema { name } => format!("drop schema {name}"),
            Op::Execute {
                sql,
                outside_transaction,
                ..
            } => format!(
                "execute SQL{}: {}",
                if *outside_transaction {
                    " outside a transaction"
                } else {
                    ""
                },
                first_line(sql, 60)
            ),
            Op::BulkInsert {
                schema,
                table,
                rows,
                ..
            } => format!(
                "insert {} row{} into {}",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" },
                q(schema.as_deref(), table)
            ),
        }
    }

    /// The recorder call that records this op, for error messages: `drop_table("x")`,
    /// `alter_column("orders", "note").schema("s")`.
    pub fn call(&self) -> String {
        let s = |v: &str| format!("{v:?}");
        let opt = |v: Option<&str>| v.map_or_else(|| "None".to_string(), s);
        let (call, schema) = match self {
            Op::CreateTable { table } => (
                format!("create_table({})", s(&table.name)),
                table.schema.as_deref(),
            ),
            Op::DropTable { schema, name, .. } => {
                (format!("drop_table({})", s(name)), schema.as_deref())
            }
            Op::RenameTable {
                schema,
                old_name,
                new_name,
            } => (
                format!("rename_table({}, {})", s(old_name), s(new_name)),
                schema.as_deref(),
            ),
            Op::AddColumn {
                schema,
                table,
                column,
            } => (
                format!("add_column({}, {})", s(table), s(&column.name)),
                schema.as_deref(),
            ),
            Op::DropColumn {
                schema,
                table,
                column,
                ..
            } => (
                format!("drop_column({}, {})", s(table), s(column)),
                schema.as_deref(),
            ),
            Op::AlterColumn(a) => (
                format!("alter_column({}, {})", s(&a.table), s(&a.column)),
                a.schema.as_deref(),
            ),
            Op::SwapColumnType(c) => (
                format!(
                    "swap_column_type({}, {}, .., SwapStep::{:?})",
                    s(&c.table),
                    s(&c.column),
                    c.step
                ),
                c.schema.as_deref(),
            ),
            Op::CreateIndex {
                schema,
                table,
                index,
                ..
            } => (
                format!("create_index({}, {})", opt(index.name.as_deref()), s(table)),
                schema.as_deref(),
            ),
            Op::DropIndex {
                schema,
                table,
                name,
                ..
            } => (
                format!("drop_index({}, {})", s(name), s(table)),
                schema.as_deref(),
            ),
            Op::CreateUniqueConstraint {
                schema,
                table,
                unique,
            } => (
                format!(
                    "create_unique_constraint({}, {})",
                    opt(unique.name.as_deref()),
                    s(table)
                ),
                schema.as_deref(),
            ),
            Op::CreateForeignKey {
                schema,
                table,
                foreign_key,
                ..
            } => (
                format!(
                    "create_foreign_key({}, {}, {})",
                    opt(foreign_key.name.as_deref()),
                    s(table),
                    s(&foreign_key.ref_table)
                ),
                schema.as_deref(),
            ),
            Op::CreateCheckConstraint {
                schema,
                table,
                check,
                ..
            } => (
                format!(
                    "create_check_constraint({}, {})",
                    opt(check.name.as_deref()),
                    s(table)
                ),
                schema.as_deref(),
            ),
            Op::CreateExcludeConstraint {
                schema,
                table,
                exclude,
            } => (
                format!(
                    "create_exclude_constraint({}, {}, ..)",
                    opt(exclude.name.as_deref()),
                    s(table)
                ),
                schema.as_deref(),
            ),
            Op::CreatePrimaryKey {
                schema,
                table,
                primary_key,
            } => (
                format!(
                    "create_primary_key({}, {})",
                    opt(primary_key.name.as_deref()),
                    s(table)
                ),
                schema.as_deref(),
            ),
            Op::DropConstraint {
                schema,
                table,
                name,
                kind,
                ..
            } => (
                format!(
                    "drop_constraint({}, {}, {kind:?})",
                    if name.is_empty() {
                        "Unnamed".to_string()
                    } else {
                        s(name)
                    },
                    s(table)
                ),
                schema.as_deref(),
            ),
            Op::ValidateConstraint {
                schema,
                table,
                name,
                kind,
            } => (
                format!("validate_constraint({}, {}, {kind:?})", s(name), s(table)),
                schema.as_deref(),
            ),
            Op::CreateTableComment { schema, table, .. } => (
                format!("create_table_comment({})", s(table)),
                schema.as_deref(),
            ),
            Op::DropTableComment { schema, table, .. } => (
                format!("drop_table_comment({})", s(table)),
                schema.as_deref(),
            ),
            Op::Inherit {
                schema,
                table,
                parent,
            } => (
                format!("inherit({}, {})", s(table), s(&parent.qualified_name())),
                schema.as_deref(),
            ),
            Op::NoInherit {
                schema,
                table,
                parent,
            } => (
                format!("no_inherit({}, {})", s(table), s(&parent.qualified_name())),
                schema.as_deref(),
            ),
            Op::SetStorage {
                schema,
                table,
                index: None,
                ..
            } => (
                format!("set_table_storage({}, ..)", s(table)),
                schema.as_deref(),
            ),
            Op::SetStorage {
                schema,
                table,
                index: Some(index),
                ..
            } => (
                format!("set_index_storage({}, {}, ..)", s(table), s(index)),
                schema.as_deref(),
            ),
            Op::CreateEnum { enum_type } => (
                format!("create_enum({})", s(&enum_type.name)),
                enum_type.schema.as_deref(),
            ),
            Op::DropEnum { schema, name, .. } => {
                (format!("drop_enum({})", s(name)), schema.as_deref())
            }
            Op::CreateSequence { sequence } => (
                format!("create_sequence({})", s(&sequence.name)),
                sequence.schema.as_deref(),
            ),
            Op::DropSequence { schema, name, .. } => {
                (format!("drop_sequence({})", s(name)), schema.as_deref())
            }
            Op::AlterSequence { sequence, .. } => (
                format!("alter_sequence({})", s(&sequence.name)),
                sequence.schema.as_deref(),
            ),
            Op::AddEnumValue {
                schema,
                enum_name,
                value,
                ..
            } => (
                format!("add_enum_value({}, {})", s(enum_name), s(value)),
                schema.as_deref(),
            ),
            Op::RecreateEnum { schema, name, .. } => {
                (format!("recreate_enum({})", s(name)), schema.as_deref())
            }
            Op::CopyFrom { table } => (
                format!("copy_from({})", s(&table.name)),
                table.schema.as_deref(),
            ),
            Op::CreateEntity { entity } => (
                format!("create_entity({})", s(&entity.key().to_string())),
                None,
            ),
            Op::ReplaceEntity { entity, .. } => (
                format!("replace_entity({})", s(&entity.key().to_string())),
                None,
            ),
            Op::DropEntity { key, .. } => (format!("drop_entity({})", s(&key.to_string())), None),
            Op::CreateSchema { name } => (format!("create_schema({})", s(name)), None),
            Op::DropSchema { name } => (format!("drop_schema({})", s(name)), None),
            Op::Execute { sql, .. } => (format!("execute({})", s(&first_line(sql, 40))), None),
            Op::BulkInsert { schema, table, .. } => {
                (format!("bulk_insert({})", s(table)), schema.as_deref())
            }
        };
        match schema {
            Some(schema) => format!("{call}.schema({})", s(schema)),
            None => call,
        }
    }
}

/// An op displays as its [`Op::describe`] line.
impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The first line of `text`, cut to `max` characters, with "..." when anything was cut.
fn first_line(text: &str, max: usize) -> String {
    let trimmed = text.trim();
    let line = trimmed.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(max).collect();
    if out.len() < trimmed.len() {
        out.push_str("...");
    }
    out
}
