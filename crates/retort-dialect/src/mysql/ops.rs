//! MySQL's migration operations where they differ from the standard dispatch
//! ([`crate::ansi::ops`]):
//!
//! * `ALTER COLUMN` can only set or drop a default in MySQL; any other change restates the
//!   whole column (`MODIFY COLUMN`, or `CHANGE COLUMN old new ..` when it is renamed too), so
//!   the column after the op is built from the schema before it (or the op's recorded old
//!   values) and the op's changes. A column whose definition is unknown is refused, since
//!   what is not restated (its comment, default, nullability) would be lost.
//! * Constraints are dropped by kind: `DROP PRIMARY KEY`, `DROP FOREIGN KEY n`,
//!   `DROP INDEX n` (a unique constraint is a unique index), `DROP CONSTRAINT n` (a check).
//!   InnoDB gives a foreign key that no index leads with its columns an index of its own,
//!   named after the key, and keeps it when the key goes (introspection hides it while the
//!   key stands): such a key is dropped with its index, in the same `ALTER TABLE`.
//! * Enum values live in each column's type: adding a value or recreating the enum restates
//!   every column that uses it, with the values the op leaves.
//! * Comments are in the definitions (see `ddl`): a new table or column carries its own.
//! * Schemas: a MySQL schema is a database, which a migration of one database does not
//!   create or drop: refused.

use retort_core::ops::{AlterColumn, ConstraintKind, Op};
use retort_core::{MetaData, Table, Type};

use crate::ansi;
use crate::{Dialect, DialectError, TableName};

use super::ddl;
use super::types::{inline_enum, inline_enums};

type Result<T> = std::result::Result<T, DialectError>;

/// See the module notes.
pub fn render_op<D: Dialect + ?Sized>(d: &D, op: &Op, md: &MetaData) -> Result<Vec<String>> {
    // An entity declared for other databases only (`.only_on`) is nothing here.
    if !op.runs_on(d.kind()) {
        return Ok(Vec::new());
    }
    let op = &*op.for_dialect(d.kind());
    // The naming convention's names (`conv`) within MySQL's 64 bytes; the ops record them
    // whole.
    let op = &*op.with_conv_names(d.max_identifier_length());
    let md = &*md.for_dialect(d.kind());
    let tn = |schema: &Option<String>, table: &str| -> (Option<String>, String) {
        (
            schema
                .clone()
                .or_else(|| md.default_schema().map(str::to_owned)),
            table.to_owned(),
        )
    };
    match op {
        Op::CreateTable { table } => create_table(d, table, md),
        Op::AddColumn {
            schema,
            table,
            column,
        } => {
            let (s, t) = tn(schema, table);
            let mut column = column.clone();
            inline_enum(d, md, s.as_deref(), &t, &mut column.ty)?;
            Ok(vec![d
                .add_column(TableName::new(s.as_deref(), &t), &column)
                .map_err(|e| in_table(e, &t))?])
        }
        Op::CreateIndex {
            schema,
            table,
            index,
            ..
        } => {
            if let Some(t) = md.get_table(schema.as_deref(), table) {
                ddl::check_key_columns(d, t, "an index", &mut index.column_names())?;
            }
            ansi::ops::render_op(d, op, md)
        }
        Op::CreateUniqueConstraint {
            schema,
            table,
            unique,
        } => {
            if let Some(t) = md.get_table(schema.as_deref(), table) {
                ddl::check_key_columns(
                    d,
                    t,
                    "a unique constraint",
                    &mut unique.columns.iter().map(String::as_str),
                )?;
            }
            ansi::ops::render_op(d, op, md)
        }
        Op::CreatePrimaryKey {
            schema,
            table,
            primary_key,
        } => {
            if let Some(t) = md.get_table(schema.as_deref(), table) {
                ddl::check_key_columns(
                    d,
                    t,
                    "a primary key",
                    &mut primary_key.columns.iter().map(String::as_str),
                )?;
            }
            ansi::ops::render_op(d, op, md)
        }
        Op::DropConstraint {
            schema,
            table,
            name,
            kind,
            existing,
        } => {
            let (s, t) = tn(schema, table);
            let table_name = TableName::new(s.as_deref(), &t);
            let name = match existing {
                Some(c) if name.trim().is_empty() => match md.get_table(s.as_deref(), &t) {
                    Some(real) => d.unnamed_constraint_name(real, c),
                    None => ddl::constraint_name(table_name, c),
                }
                .unwrap_or_default(),
                _ => name.clone(),
            };
            if name.trim().is_empty() && *kind != ConstraintKind::PrimaryKey {
                return Err(DialectError::Unnamed {
                    what: format!("the {} dropped from `{t}`", kind.as_str()),
                    hint: "record the name it has in the database (see SHOW CREATE TABLE)".into(),
                });
            }
            let target = d.table_name(table_name)?;
            let q = |n: &str| d.quote_identifier(n);
            Ok(vec![match kind {
                ConstraintKind::PrimaryKey => format!("ALTER TABLE {target} DROP PRIMARY KEY"),
                ConstraintKind::ForeignKey => {
                    let drop = ddl::drop_foreign_key(d, table_name, &name)?;
                    match md.get_table(s.as_deref(), &t) {
                        Some(real) if innodb_made_an_index(real, &name) => {
                            format!("{drop}, DROP INDEX {}", q(&name)?)
                        }
                        _ => drop,
                    }
                }
                ConstraintKind::Unique => format!("ALTER TABLE {target} DROP INDEX {}", q(&name)?),
                ConstraintKind::Check | ConstraintKind::Exclude => {
                    format!("ALTER TABLE {target} DROP CONSTRAINT {}", q(&name)?)
                }
            }])
        }
        Op::CreateCheckConstraint {
            schema,
            table,
            check,
            ..
        } if check.name.is_none() => {
            // Named as `create_table` names it: by the convention, else by the column it
            // checks (which needs the table's columns), numbered past the table's checks.
            let mut check = check.clone();
            if let Some(real) = md.get_table(schema.as_deref(), table) {
                let mut tmp = real.clone();
                tmp.checks.push(check.clone());
                md.naming().apply(&mut tmp);
                let named = ddl::name_constraints(&tmp);
                check.name = named.checks.last().and_then(|c| c.name.clone());
            }
            // MySQL has no NOT VALID: the check is added plainly (`docs/online.md`).
            let op = Op::CreateCheckConstraint {
                schema: schema.clone(),
                table: table.clone(),
                check,
                not_valid: false,
            };
            ansi::ops::render_op(d, &op, md)
        }
        Op::AddEnumValue { .. } | Op::RecreateEnum { .. } => restate_enum_columns(d, op, md),
        Op::CreateSchema { name } | Op::DropSchema { name } => Err(DialectError::unsupported(
            d.name(),
            format!("creating or dropping schema `{name}`"),
            "a MySQL schema is a database: create it outside the migrations and name it in the URL",
        )),
        _ => ansi::ops::render_op(d, op, md),
    }
}

/// A column name in an error message gains its table (`(column `t.c`)`).
fn in_table(e: DialectError, table: &str) -> DialectError {
    match e {
        DialectError::Unsupported {
            dialect,
            what,
            hint,
        } => DialectError::Unsupported {
            dialect,
            what: what.replace("(column `", &format!("(column `{table}.")),
            hint,
        },
        other => other,
    }
}

/// `CREATE TABLE` and its indexes, the table resolved as [`Op::apply`] resolves it.
fn create_table<D: Dialect + ?Sized>(d: &D, table: &Table, md: &MetaData) -> Result<Vec<String>> {
    let mut table = table.clone();
    if table.schema.is_none() {
        table.schema = md.default_schema().map(str::to_owned);
    }
    md.qualify_foreign_keys(&mut table);
    md.naming().apply(&mut table);
    let table = inline_enums(d, md, &table)?.into_owned();
    ddl::check_table_keys(d, &table)?;
    let t = TableName::of(&table);
    let mut out = vec![d.create_table(&table)?];
    for index in &table.indexes {
        out.push(d.create_index(t, index)?);
    }
    Ok(out)
}

/// `MODIFY COLUMN` of every column using the enum the op changes, with its values after it.
fn restate_enum_columns<D: Dialect + ?Sized>(d: &D, op: &Op, md: &MetaData) -> Result<Vec<String>> {
    let (schema, name) = match op {
        Op::AddEnumValue {
            schema, enum_name, ..
        } => (schema, enum_name),
        Op::RecreateEnum { schema, name, .. } => (schema, name),
        _ => return Ok(vec![]),
    };
    let mut after = md.clone();
    op.apply(&mut after).map_err(|e| {
        DialectError::unsupported(
            d.name(),
            format!("changing the values of enum `{name}`: {e}"),
            "create the enum first, or check the revision's order",
        )
    })?;
    let mut out = Vec::new();
    for table in after.tables() {
        for column in &table.columns {
            let Type::Enum(r) = &column.ty else { continue };
            let same =
                r.name == *name && (r.schema.is_none() || schema.is_none() || r.schema == *schema);
            if !same {
                continue;
            }
            let mut column = column.clone();
            inline_enum(
                d,
                &after,
                table.schema.as_deref(),
                &table.name,
                &mut column.ty,
            )?;
            out.push(format!(
                "ALTER TABLE {} MODIFY COLUMN {}",
                d.table_name(TableName::of(table))?,
                d.column_definition(&column)
                    .map_err(|e| in_table(e, &table.name))?
            ));
        }
    }
    Ok(out)
}

/// See the module notes.
pub fn alter_column<D: Dialect + ?Sized>(
    d: &D,
    a: &AlterColumn,
    md: &MetaData,
) -> Result<Vec<String>> {
    let table = TableName::new(a.schema.as_deref(), &a.table);
    let target = d.table_name(table)?;
    let what = |w: &str| format!("{w} (column `{}.{}`)", a.table, a.column);
    if a.using.is_some() {
        return Err(DialectError::unsupported(
            d.name(),
            what("a type change with USING"),
            "MySQL converts the values itself: drop `using`, or convert them with \
             op.execute(\"UPDATE ..\") around the change",
        ));
    }
    let current = md
        .get_table(table.schema, table.name)
        .and_then(|t| t.columns.iter().find(|c| c.name == a.column))
        .cloned();
    let only_default = a.type_.is_none()
        && a.nullable.is_none()
        && a.identity.is_none()
        && a.computed.is_none()
        && a.comment.is_none()
        && a.collation.is_none();
    let col = d.quote_identifier(&a.column)?;
    let mut out = Vec::new();
    if only_default {
        // The one change ALTER COLUMN can make without restating the column.
        if let Some(default) = &a.server_default {
            let ty = a
                .existing_type
                .clone()
                .or_else(|| current.as_ref().map(|c| c.ty.clone()))
                .unwrap_or(Type::Integer);
            out.push(match default {
                Some(def) => format!(
                    "ALTER TABLE {target} ALTER COLUMN {col} SET {}",
                    ddl::default_clause(d, def, &ty)?
                ),
                None => format!("ALTER TABLE {target} ALTER COLUMN {col} DROP DEFAULT"),
            });
        }
        if let Some(new_name) = &a.new_name {
            out.push(d.rename_column(table, &a.column, new_name)?);
        }
        return Ok(out);
    }
    let Some(mut column) = current.or_else(|| {
        a.existing_type.clone().map(|ty| retort_core::Column {
            name: a.column.clone(),
            ty,
            nullable: a.existing_nullable.unwrap_or(true),
            identity: a.existing_identity.clone().flatten().map(Box::new),
            server_default: a.existing_server_default.clone().flatten(),
            computed: a.existing_computed.clone().flatten(),
            comment: a.existing_comment.clone().flatten(),
            collation: a.existing_collation.clone().flatten(),
            serial: None,
            inherited: false,
        })
    }) else {
        return Err(DialectError::unsupported(
            d.name(),
            what("changing a column whose definition is unknown"),
            "MySQL restates the whole column (MODIFY COLUMN): record its old values \
             (`.existing_type(..)`, `.existing_nullable(..)`, ...) or render the op with the \
             schema it runs on",
        ));
    };
    if let Some(ty) = &a.type_ {
        column.ty = ty.clone();
    }
    if let Some(n) = a.nullable {
        column.nullable = n;
    }
    if let Some(def) = &a.server_default {
        column.server_default = def.clone();
    }
    if let Some(identity) = &a.identity {
        column.identity = identity.clone().map(Box::new);
    }
    if let Some(computed) = &a.computed {
        column.computed = computed.clone();
    }
    if let Some(comment) = &a.comment {
        column.comment = comment.clone();
    }
    if let Some(collation) = &a.collation {
        column.collation = collation.clone();
    }
    inline_enum(d, md, table.schema, table.name, &mut column.ty)?;
    let statement = match &a.new_name {
        Some(new_name) => {
            column.name = new_name.clone();
            format!(
                "ALTER TABLE {target} CHANGE COLUMN {col} {}",
                d.column_definition(&column)
                    .map_err(|e| in_table(e, &a.table))?
            )
        }
        None => format!(
            "ALTER TABLE {target} MODIFY COLUMN {}",
            d.column_definition(&column)
                .map_err(|e| in_table(e, &a.table))?
        ),
    };
    out.push(statement);
    Ok(out)
}

/// Whether InnoDB made an index for the foreign key `name` of `table` (as the model has the
/// table, without that index): no primary key, unique constraint or index of the table
/// starts with the key's columns, in order. An unnamed key has the name `create_table`
/// gives it.
fn innodb_made_an_index(table: &Table, name: &str) -> bool {
    let table = &ddl::name_constraints(table);
    let Some(fk) = table
        .foreign_keys
        .iter()
        .find(|f| f.name.as_deref() == Some(name))
    else {
        return false;
    };
    let leads = |cols: Vec<&str>| {
        cols.len() >= fk.columns.len() && fk.columns.iter().zip(&cols).all(|(a, b)| a == b)
    };
    let pk = table
        .primary_key
        .as_ref()
        .is_some_and(|pk| leads(pk.columns.iter().map(String::as_str).collect()));
    let unique = table
        .uniques
        .iter()
        .any(|u| leads(u.columns.iter().map(String::as_str).collect()));
    let index = table.indexes.iter().any(|i| {
        i.predicate.is_none()
            && leads(
                i.elements
                    .iter()
                    .map_while(|e| match &e.target {
                        retort_core::IndexTarget::Column(c) => Some(c.as_str()),
                        _ => None,
                    })
                    .collect(),
            )
    });
    !(pk || unique || index)
}
