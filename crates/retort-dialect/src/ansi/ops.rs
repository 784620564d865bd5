//! The default [`Dialect::render_op`]: every [`Op`] variant dispatched onto the dialect's
//! statement methods, so a dialect that overrides a statement (PostgreSQL's `alter_column`,
//! its concurrent indexes) changes the op's SQL without touching this dispatch, and a
//! dialect that cannot ALTER something (SQLite) overrides `render_op` for those ops only and
//! calls back here for the rest.
//!
//! The `schema` argument is the schema before the op. It is used for what an op leaves to
//! its surroundings, exactly as [`Op::apply`] resolves it, so that the SQL and the replayed
//! schema agree: a table without a schema is in the metadata's default schema, an enum type
//! without a schema is the one the metadata defines, and an unnamed constraint or index gets
//! the metadata's naming-convention name.

use retort_core::ops::{recreate_enum_ops, Constraint, Op};
use retort_core::{EnumRef, Index, MetaData, Sequence, Table, Type};

use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

/// See [`Dialect::render_op`] and the module notes.
pub fn render_op<D: Dialect + ?Sized>(d: &D, op: &Op, md: &MetaData) -> Result<Vec<String>> {
    // Each database gets its own variant of a type or default (see `Type::with_variant`).
    // The schema is resolved only for ops that read its columns: resolving means looking
    // at every column, which per op of a 10,000-table revision cost seconds.
    // An entity declared for other databases only (`.only_on`) is nothing here.
    if !op.runs_on(d.kind()) {
        return Ok(Vec::new());
    }
    let op = &*op.for_dialect(d.kind());
    // The naming convention's names (`conv`) as this database keeps them (PostgreSQL: 63
    // bytes); the ops record them whole.
    let op = &*op.with_conv_names(d.max_identifier_length());
    let md = &*if reads_columns(op) {
        md.for_dialect(d.kind())
    } else {
        std::borrow::Cow::Borrowed(md)
    };
    let one = |s: Result<String>| s.map(|s| vec![s]);
    match op {
        Op::CreateTable { table } => create_table(d, table, md),
        Op::DropTable { schema, name, .. } => one(d.drop_table(tn(md, schema, name))),
        Op::RenameTable {
            schema,
            old_name,
            new_name,
        } => one(d.rename_table(tn(md, schema, old_name), new_name)),
        Op::AddColumn {
            schema,
            table,
            column,
        } => {
            let t = tn(md, schema, table);
            let mut column = column.clone();
            resolve_enum_schema(md, t.schema, &mut column.ty);
            let (before, after) = d.serial_column(t, &column, false)?;
            let mut out = before;
            out.push(d.add_column(t, &column)?);
            out.extend(after);
            if let Some(comment) = &column.comment {
                out.push(d.comment_on_column(t, &column.name, Some(comment))?);
            }
            Ok(out)
        }
        Op::DropColumn {
            schema,
            table,
            column,
            ..
        } => one(d.drop_column(tn(md, schema, table), column)),
        Op::AlterColumn(alter) => {
            let mut alter = alter.clone();
            alter.schema = tn(md, &alter.schema, &alter.table)
                .schema
                .map(str::to_owned);
            if let Some(ty) = &mut alter.type_ {
                resolve_enum_schema(md, alter.schema.as_deref(), ty);
            }
            d.alter_column(&alter, md)
        }
        Op::CreateIndex {
            schema,
            table,
            index,
            concurrently,
        } => {
            let t = tn(md, schema, table);
            let index = named_index(md, table, index);
            if *concurrently {
                one(d.create_index_concurrently(t, &index))
            } else {
                one(d.create_index(t, &index))
            }
        }
        Op::DropIndex {
            schema,
            table,
            name,
            concurrently,
            ..
        } => {
            let t = tn(md, schema, table);
            require_name(name, || format!("the index dropped from `{table}`"))?;
            if *concurrently {
                one(d.drop_index_concurrently(t, name))
            } else {
                one(d.drop_index(t, name))
            }
        }
        Op::CreateUniqueConstraint {
            schema,
            table,
            unique,
        } => add_constraint(d, md, schema, table, Constraint::Unique(unique.clone())),
        Op::CreateForeignKey {
            schema,
            table,
            foreign_key,
            not_valid,
        } => not_valid_if(
            d,
            *not_valid,
            add_constraint(
                d,
                md,
                schema,
                table,
                Constraint::ForeignKey(foreign_key.clone()),
            )?,
        ),
        Op::CreateCheckConstraint {
            schema,
            table,
            check,
            not_valid,
        } => not_valid_if(
            d,
            *not_valid,
            add_constraint(d, md, schema, table, Constraint::Check(check.clone()))?,
        ),
        Op::ValidateConstraint {
            schema,
            table,
            name,
            ..
        } => d.validate_constraint(tn(md, schema, table), name),
        Op::SwapColumnType(s) => d.swap_column_type(s, md),
        Op::CreateExcludeConstraint {
            schema,
            table,
            exclude,
        } => add_constraint(d, md, schema, table, Constraint::Exclude(exclude.clone())),
        Op::CreatePrimaryKey {
            schema,
            table,
            primary_key,
        } => add_constraint(
            d,
            md,
            schema,
            table,
            Constraint::PrimaryKey(primary_key.clone()),
        ),
        Op::DropConstraint {
            schema,
            table,
            name,
            kind,
            existing,
        } => {
            // Never an unnamed drop: the database would have to guess which constraint. One
            // dropped by its definition takes the name the database gave that definition.
            let given = match existing {
                Some(c) if name.trim().is_empty() => md
                    .get_table(schema.as_deref(), table)
                    .and_then(|t| d.unnamed_constraint_name(t, c)),
                _ => None,
            };
            let name = given.as_deref().unwrap_or(name);
            require_name(name, || {
                format!("the {} dropped from `{table}`", kind.as_str())
            })?;
            one(d.drop_constraint(tn(md, schema, table), name))
        }
        Op::CreateTableComment {
            schema,
            table,
            comment,
            ..
        } => one(d.comment_on_table(tn(md, schema, table), Some(comment))),
        Op::DropTableComment { schema, table, .. } => {
            one(d.comment_on_table(tn(md, schema, table), None))
        }
        Op::Inherit {
            schema,
            table,
            parent,
        } => one(d.inherit(tn(md, schema, table), parent, true)),
        Op::NoInherit {
            schema,
            table,
            parent,
        } => one(d.inherit(tn(md, schema, table), parent, false)),
        Op::SetStorage {
            schema,
            table,
            index,
            with,
            existing,
        } => d.set_storage(
            tn(md, schema, table),
            index.as_deref(),
            with,
            existing.as_deref(),
        ),
        // Without named enum types the values live inline in each column's type (as in
        // `create_all`), so creating or dropping the type itself renders nothing.
        Op::CreateEnum { .. } | Op::DropEnum { .. } if !d.supports_enum_types() => Ok(vec![]),
        Op::CreateEnum { enum_type } => {
            let mut e = enum_type.clone();
            if e.schema.is_none() {
                e.schema = md.default_schema().map(str::to_owned);
            }
            one(d.create_enum_type(&e))
        }
        Op::DropEnum { schema, name, .. } => one(d.drop_enum_type(&enum_ref(md, schema, name))),
        Op::CreateSequence { sequence } => {
            let mut s = sequence.clone();
            if s.schema.is_none() {
                s.schema = md.default_schema().map(str::to_owned);
            }
            match &s.owned_by {
                Some(o) => d.make_serial(TableName::new(s.schema.as_deref(), &o.table), &s),
                None => d.create_sequence(&s),
            }
        }
        Op::DropSequence {
            schema,
            name,
            existing,
        } => {
            let schema = schema.as_deref().or(md.default_schema());
            let owned = existing
                .clone()
                .filter(|s| s.owned_by.is_some())
                .or_else(|| serial_sequence(md, schema, name));
            match owned {
                Some(s) => {
                    let o = s
                        .owned_by
                        .as_ref()
                        .map(|o| o.table.as_str())
                        .unwrap_or_default();
                    d.drop_serial(TableName::new(schema, o), &s)
                }
                None => one(d.drop_sequence(schema, name)),
            }
        }
        Op::AlterSequence { sequence, existing } => {
            let mut s = sequence.clone();
            if s.schema.is_none() {
                s.schema = md.default_schema().map(str::to_owned);
            }
            d.alter_sequence(&s, existing.as_ref())
        }
        Op::AddEnumValue {
            schema,
            enum_name,
            value,
            position,
            ..
        } => one(d.add_enum_value(&enum_ref(md, schema, enum_name), value, position.as_ref())),
        // Without named enum types the values live in each column's type, and a dialect
        // like that rebuilds the tables using it (SQLite overrides this op).
        Op::RecreateEnum { .. } if !d.supports_enum_types() => Ok(vec![]),
        Op::RecreateEnum {
            schema,
            name,
            values,
            ..
        } => {
            // The same swap through text the diff writes out, for the columns the schema
            // before the op has (see `retort_core::ops::enum_swap_ops`).
            let steps = recreate_enum_ops(md, schema.as_deref(), name, values).ok_or_else(|| {
                DialectError::unsupported(
                    d.name(),
                    format!(
                        "recreating enum type `{name}`, which the schema before the operation does not have"
                    ),
                    "create the type first, or check the revision's order",
                )
            })?;
            render_ops(d, &steps, md)
        }
        // Read by the SQLite rebuild offline; no SQL of its own.
        Op::CopyFrom { .. } => Ok(vec![]),
        Op::CreateEntity { entity } => d.create_entity(&entity_in(md, entity)),
        // Without a recorded old definition, the schema before the op has it.
        Op::ReplaceEntity { entity, existing } => d.replace_entity(
            &entity_in(md, entity),
            existing
                .as_ref()
                .or_else(|| md.get_entity(&entity.key()))
                .map(|e| entity_in(md, e))
                .as_ref(),
        ),
        Op::DropEntity { key, .. } => {
            let mut key = key.clone();
            if key.schema.is_none() {
                key.schema = md.default_schema().map(str::to_owned);
            }
            d.drop_entity(&key)
        }
        Op::CreateSchema { name } => one(d.create_schema(name)),
        Op::DropSchema { name } => one(d.drop_schema(name)),
        Op::Execute { sql, .. } => {
            // Passed through as written; only the final `;` goes, as for every statement,
            // also when comments follow it (they stay: `crate::sql_text`). A comment alone
            // stays a statement, so the statement numbers of progress rows do not move.
            let sql = crate::sql_text::without_terminator(sql.trim_start());
            Ok(if sql.is_empty() { vec![] } else { vec![sql] })
        }
        Op::BulkInsert {
            schema,
            table,
            columns,
            rows,
        } => one(d.insert_rows(tn(md, schema, table), columns, rows)),
    }
}

/// See [`Dialect::render_ops`].
pub fn render_ops<D: Dialect + ?Sized>(d: &D, ops: &[Op], md: &MetaData) -> Result<Vec<String>> {
    let mut current = md.clone();
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        out.extend(d.render_op(op, &current)?);
        op.apply(&mut current)
            .map_err(|source| DialectError::Replay {
                index: i + 1,
                op: op.describe(),
                source: Box::new(source),
            })?;
    }
    Ok(out)
}

/// Whether rendering `op` reads column types or defaults from the schema (an alter's
/// current column, the columns an enum swap converts), so it needs them resolved.
fn reads_columns(op: &Op) -> bool {
    !matches!(
        op,
        Op::CreateTable { .. }
            | Op::DropTable { .. }
            | Op::AddColumn { .. }
            | Op::CreateIndex { .. }
            | Op::DropIndex { .. }
            | Op::CreateUniqueConstraint { .. }
            | Op::CreateForeignKey { .. }
            | Op::CreateCheckConstraint { .. }
            | Op::CreateExcludeConstraint { .. }
            | Op::CreatePrimaryKey { .. }
            | Op::DropConstraint { .. }
            | Op::CreateTableComment { .. }
            | Op::DropTableComment { .. }
            | Op::Inherit { .. }
            | Op::NoInherit { .. }
            | Op::SetStorage { .. }
            | Op::CreateEnum { .. }
            | Op::CreateSequence { .. }
            | Op::AlterSequence { .. }
            | Op::CreateSchema { .. }
            | Op::DropSchema { .. }
            | Op::CreateEntity { .. }
            | Op::ReplaceEntity { .. }
            | Op::DropEntity { .. }
            | Op::Execute { .. }
            | Op::BulkInsert { .. }
    )
}

/// An entity without a schema is in the metadata's default schema, as a table is.
fn entity_in(md: &MetaData, entity: &retort_core::Entity) -> retort_core::Entity {
    let mut e = entity.clone();
    if e.schema().is_none() {
        *e.schema_mut() = md.default_schema().map(str::to_owned);
    }
    e
}

/// The sequence a serial column of `md` owns under that name, as a sequence owned by it.
fn serial_sequence(md: &MetaData, schema: Option<&str>, name: &str) -> Option<Sequence> {
    md.tables()
        .iter()
        .filter(|t| t.schema.as_deref() == schema)
        .find_map(|t| {
            t.columns.iter().find_map(|c| {
                let s = c.serial.as_ref()?;
                (s.sequence_name(&t.name, &c.name) == name)
                    .then(|| s.sequence(schema, &t.name, &c.name, &c.ty))
            })
        })
}

/// A table as the op names it; no schema means the metadata's default schema.
pub(crate) fn tn<'a>(md: &'a MetaData, schema: &'a Option<String>, name: &'a str) -> TableName<'a> {
    TableName::new(schema.as_deref().or(md.default_schema()), name)
}

fn enum_ref(md: &MetaData, schema: &Option<String>, name: &str) -> EnumRef {
    EnumRef {
        schema: schema
            .clone()
            .or_else(|| md.default_schema().map(str::to_owned)),
        name: name.to_owned(),
    }
}

/// An enum type that names no schema means the one the metadata defines (the table's
/// schema first, as validation looks it up), whose schema the SQL must spell out.
pub(crate) fn resolve_enum_schema(md: &MetaData, table_schema: Option<&str>, ty: &mut Type) {
    match ty {
        Type::Array(inner) => resolve_enum_schema(md, table_schema, inner),
        Type::Enum(r) if r.schema.is_none() => {
            let found = md
                .get_enum(table_schema, &r.name)
                .or_else(|| md.get_enum(None, &r.name));
            if let Some(e) = found {
                r.schema.clone_from(&e.schema);
            }
        }
        _ => {}
    }
}

fn require_name(name: &str, what: impl FnOnce() -> String) -> Result<()> {
    if name.trim().is_empty() {
        return Err(DialectError::Unnamed {
            what: what(),
            hint: "record the name it has in the database (see the table's definition)".into(),
        });
    }
    Ok(())
}

/// `CREATE TABLE` with everything the op carries that the statement does not: indexes and
/// comments, in `create_all`'s order.
fn create_table<D: Dialect + ?Sized>(d: &D, table: &Table, md: &MetaData) -> Result<Vec<String>> {
    let mut table = table.clone();
    if table.schema.is_none() {
        table.schema = md.default_schema().map(str::to_owned);
    }
    md.qualify_foreign_keys(&mut table);
    md.naming().apply(&mut table);
    let schema = table.schema.clone();
    for c in &mut table.columns {
        resolve_enum_schema(md, schema.as_deref(), &mut c.ty);
    }
    let t = TableName::of(&table);
    let mut out = Vec::new();
    let mut after = Vec::new();
    // An inherited column's sequence is its parent's.
    for c in table
        .columns
        .iter()
        .filter(|c| c.serial.is_some() && !c.inherited)
    {
        let (b, a) = d.serial_column(t, c, true)?;
        out.extend(b);
        after.extend(a);
    }
    out.push(d.create_table(&table)?);
    out.extend(after);
    for index in &table.indexes {
        out.push(d.create_index(t, index)?);
    }
    if let Some(comment) = &table.comment {
        out.push(d.comment_on_table(t, Some(comment))?);
    }
    for c in &table.columns {
        if let Some(comment) = &c.comment {
            out.push(d.comment_on_column(t, &c.name, Some(comment))?);
        }
    }
    Ok(out)
}

/// An unnamed constraint gets the naming convention's name, as `apply` gives it, through
/// a scratch table (the convention works on tables).
fn add_constraint<D: Dialect + ?Sized>(
    d: &D,
    md: &MetaData,
    schema: &Option<String>,
    table: &str,
    mut c: Constraint,
) -> Result<Vec<String>> {
    let mut tmp = Table::new(table);
    match &mut c {
        Constraint::PrimaryKey(pk) => {
            tmp.primary_key = Some(pk.clone());
            md.naming().apply(&mut tmp);
            *pk = tmp.primary_key.take().unwrap_or_else(|| pk.clone());
        }
        Constraint::ForeignKey(fk) => {
            tmp.foreign_keys.push(fk.clone());
            md.qualify_foreign_keys(&mut tmp);
            md.naming().apply(&mut tmp);
            *fk = tmp.foreign_keys.pop().unwrap_or_else(|| fk.clone());
        }
        Constraint::Unique(u) => {
            tmp.uniques.push(u.clone());
            md.naming().apply(&mut tmp);
            *u = tmp.uniques.pop().unwrap_or_else(|| u.clone());
        }
        Constraint::Check(ch) => {
            tmp.checks.push(ch.clone());
            md.naming().apply(&mut tmp);
            *ch = tmp.checks.pop().unwrap_or_else(|| ch.clone());
        }
        // Always named: no convention names an exclusion constraint.
        Constraint::Exclude(_) => {}
    }
    Ok(vec![d.add_constraint(tn(md, schema, table), &c)?])
}

/// The `ADD CONSTRAINT` statement with the dialect's `NOT VALID` when asked for and the
/// dialect has one; otherwise as it is (the plain form, `docs/online.md`).
fn not_valid_if<D: Dialect + ?Sized>(
    d: &D,
    not_valid: bool,
    mut stmts: Vec<String>,
) -> Result<Vec<String>> {
    if let (true, Some(clause)) = (not_valid, d.not_valid_clause()) {
        if let Some(last) = stmts.last_mut() {
            last.push(' ');
            last.push_str(clause);
        }
    }
    Ok(stmts)
}

fn named_index(md: &MetaData, table: &str, index: &Index) -> Index {
    let mut tmp = Table::new(table);
    tmp.indexes.push(index.clone());
    md.naming().apply(&mut tmp);
    tmp.indexes.pop().unwrap_or_else(|| index.clone())
}
