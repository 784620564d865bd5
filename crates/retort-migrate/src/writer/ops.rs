//! Each [`Op`] as the statement a script writes to record it: `op.<method>(..)` followed
//! by the modifiers that set the rest of the op, so that running the statement against an
//! `Operations` recorder yields the same `Op` again (tested in `retort-script-check`).

use retort_core::diff::{RenameHint, RenameKind};
use retort_core::ops::{AlterColumn, ConstraintKind, EnumValuePosition, Op, SwapStep};
use retort_core::Table;

use super::layout::{Expr, Stmt};
use super::values::{
    column, column_modifiers, computed, constraint, entity, exclude, exclude_elements,
    exclude_modifiers, fk_modifiers, identity, index, index_elements, index_modifiers, literal,
    name_value, names, plain_columns, sequence, server_default, storage_list, str_, table_ref, ty,
    unique_modifiers, with_modifiers,
};
use super::WriteError;

fn op() -> Expr {
    Expr::atom("op")
}

/// A constraint or index name, or `Unnamed` (left to the naming convention).
fn name_arg(name: &Option<String>) -> Expr {
    match name {
        Some(n) => str_(n),
        None => Expr::atom("Unnamed"),
    }
}

/// [`name_arg`] for a name that may be the naming convention's: `conv("..")` then.
fn conv_name_arg(name: &Option<String>, conv: bool) -> Expr {
    match name {
        Some(n) => name_value(n, conv),
        None => Expr::atom("Unnamed"),
    }
}

fn with_schema(e: Expr, schema: &Option<String>) -> Expr {
    match schema {
        Some(s) => e.method("schema", vec![str_(s)]),
        None => e,
    }
}

fn constraint_kind(k: ConstraintKind) -> Expr {
    Expr::atom(match k {
        ConstraintKind::PrimaryKey => "ConstraintKind::PrimaryKey",
        ConstraintKind::ForeignKey => "ConstraintKind::ForeignKey",
        ConstraintKind::Unique => "ConstraintKind::Unique",
        ConstraintKind::Check => "ConstraintKind::Check",
        ConstraintKind::Exclude => "ConstraintKind::Exclude",
    })
}

/// The body of `|t| { .. }` that builds `table` with the `create_table` builder.
fn table_body(table: &Table) -> Result<Vec<Stmt>, WriteError> {
    let t = || Expr::atom("t");
    let mut out = Vec::new();
    if let Some(s) = &table.schema {
        out.push(t().method("schema", vec![str_(s)]));
    }
    for c in &table.columns {
        let e = t().method("column", vec![str_(&c.name), ty(&c.ty)?]);
        out.push(column_modifiers(e, c));
    }
    if let Some(pk) = &table.primary_key {
        let mut e = t().method("primary_key", vec![names(&pk.columns)]);
        if let Some(n) = &pk.name {
            e = e.method("name", vec![name_value(n, pk.conv)]);
        }
        out.push(with_modifiers(e, &pk.with));
    }
    for fk in &table.foreign_keys {
        let e = t().method(
            "foreign_key",
            vec![
                names(&fk.columns),
                str_(&fk.ref_table),
                names(&fk.ref_columns),
            ],
        );
        out.push(fk_modifiers(e, fk, "ref_schema", true));
    }
    for u in &table.uniques {
        let mut e = t().method("unique", vec![names(&u.columns)]);
        if let Some(n) = &u.name {
            e = e.method("name", vec![name_value(n, u.conv)]);
        }
        out.push(unique_modifiers(e, u));
    }
    for c in &table.checks {
        let mut e = t().method("check", vec![str_(&c.expr)]);
        if let Some(n) = &c.name {
            e = e.method("name", vec![name_value(n, c.conv)]);
        }
        out.push(e);
    }
    for x in &table.excludes {
        out.push(t().method("exclude", vec![exclude(x)]));
    }
    for ix in &table.indexes {
        let e = match plain_columns(ix) {
            Some(cols) => t().method(
                "index",
                vec![conv_name_arg(&ix.name, ix.conv), names(&cols)],
            ),
            None => t().method(
                "index_on",
                vec![conv_name_arg(&ix.name, ix.conv), index_elements(ix)],
            ),
        };
        out.push(index_modifiers(e, ix));
    }
    if let Some(c) = &table.comment {
        out.push(t().method("comment", vec![str_(c)]));
    }
    for p in &table.inherits {
        out.push(t().method("inherits", vec![table_ref(p)]));
    }
    for (k, v) in &table.with {
        out.push(t().method("with", vec![str_(k), str_(v)]));
    }
    Ok(out.into_iter().map(Stmt::Expr).collect())
}

/// `|t| { .. }`, or `|_| {}` for a table without columns.
fn table_closure(table: &Table) -> Result<Expr, WriteError> {
    let body = table_body(table)?;
    let param = if body.is_empty() { "_" } else { "t" };
    Ok(Expr::closure(param, body))
}

fn alter_column(a: &AlterColumn) -> Result<Expr, WriteError> {
    let mut e = with_schema(
        op().method("alter_column", vec![str_(&a.table), str_(&a.column)]),
        &a.schema,
    );
    let m = |e: Expr, name: &str, args: Vec<Expr>| e.method(name, args);
    let b = |v: bool| Expr::atom(v.to_string());
    if let Some(v) = a.nullable {
        e = m(e, "nullable", vec![b(v)]);
    }
    if let Some(v) = a.existing_nullable {
        e = m(e, "existing_nullable", vec![b(v)]);
    }
    if let Some(t) = &a.type_ {
        e = m(e, "type_", vec![ty(t)?]);
    }
    if let Some(u) = &a.using {
        e = m(e, "using", vec![str_(u)]);
    }
    if let Some(t) = &a.existing_type {
        e = m(e, "existing_type", vec![ty(t)?]);
    }
    match &a.server_default {
        Some(Some(d)) => e = m(e, "server_default", vec![server_default(d)]),
        Some(None) => e = m(e, "drop_server_default", vec![]),
        None => {}
    }
    match &a.existing_server_default {
        Some(Some(d)) => e = m(e, "existing_server_default", vec![server_default(d)]),
        Some(None) => e = m(e, "existing_no_server_default", vec![]),
        None => {}
    }
    if let Some(n) = &a.new_name {
        e = m(e, "new_column_name", vec![str_(n)]);
    }
    match &a.comment {
        Some(Some(c)) => e = m(e, "comment", vec![str_(c)]),
        Some(None) => e = m(e, "drop_comment", vec![]),
        None => {}
    }
    match &a.existing_comment {
        Some(Some(c)) => e = m(e, "existing_comment", vec![str_(c)]),
        Some(None) => e = m(e, "existing_no_comment", vec![]),
        None => {}
    }
    match &a.identity {
        Some(Some(i)) => e = m(e, "identity", vec![identity(i)]),
        Some(None) => e = m(e, "drop_identity", vec![]),
        None => {}
    }
    match &a.existing_identity {
        Some(Some(i)) => e = m(e, "existing_identity", vec![identity(i)]),
        Some(None) => e = m(e, "existing_no_identity", vec![]),
        None => {}
    }
    match &a.computed {
        Some(Some(c)) => e = m(e, "computed", vec![computed(c)]),
        Some(None) => e = m(e, "drop_computed", vec![]),
        None => {}
    }
    match &a.existing_computed {
        Some(Some(c)) => e = m(e, "existing_computed", vec![computed(c)]),
        Some(None) => e = m(e, "existing_no_computed", vec![]),
        None => {}
    }
    match &a.collation {
        Some(Some(c)) => e = m(e, "collation", vec![str_(c)]),
        Some(None) => e = m(e, "default_collation", vec![]),
        None => {}
    }
    match &a.existing_collation {
        Some(Some(c)) => e = m(e, "existing_collation", vec![str_(c)]),
        Some(None) => e = m(e, "existing_default_collation", vec![]),
        None => {}
    }
    Ok(e)
}

/// The statement that records `o`.
pub(super) fn op_expr(o: &Op) -> Result<Expr, WriteError> {
    Ok(match o {
        Op::CreateTable { table } => op().method(
            "create_table",
            vec![str_(&table.name), table_closure(table)?],
        ),
        Op::DropTable {
            schema,
            name,
            existing,
            data_loss_ok,
        } => {
            let mut e = with_schema(op().method("drop_table", vec![str_(name)]), schema);
            if let Some(t) = existing {
                let build = Expr::call("Table::build", vec![str_(&t.name), table_closure(t)?]);
                e = e.method("existing", vec![build]);
            }
            if *data_loss_ok {
                e = e.method("data_loss_ok", vec![]);
            }
            e
        }
        Op::RenameTable {
            schema,
            old_name,
            new_name,
        } => with_schema(
            op().method("rename_table", vec![str_(old_name), str_(new_name)]),
            schema,
        ),
        Op::AddColumn {
            schema,
            table,
            column: c,
        } => with_schema(
            op().method("add_column", vec![str_(table), column(c)?]),
            schema,
        ),
        Op::DropColumn {
            schema,
            table,
            column: c,
            existing,
            data_loss_ok,
        } => {
            let mut e = with_schema(
                op().method("drop_column", vec![str_(table), str_(c)]),
                schema,
            );
            if let Some(col) = existing {
                e = e.method("existing", vec![column(col)?]);
            }
            if *data_loss_ok {
                e = e.method("data_loss_ok", vec![]);
            }
            e
        }
        Op::AlterColumn(a) => alter_column(a)?,
        Op::SwapColumnType(s) => {
            let step = Expr::atom(match s.step {
                SwapStep::Start => "SwapStep::Start",
                SwapStep::Backfill => "SwapStep::Backfill",
                SwapStep::Finish => "SwapStep::Finish",
            });
            let mut e = with_schema(
                op().method(
                    "swap_column_type",
                    vec![str_(&s.table), str_(&s.column), ty(&s.type_)?, step],
                ),
                &s.schema,
            );
            if let Some(t) = &s.existing_type {
                e = e.method("existing_type", vec![ty(t)?]);
            }
            if let Some(u) = &s.using {
                e = e.method("using", vec![str_(u)]);
            }
            if let Some(u) = &s.reverse_using {
                e = e.method("reverse_using", vec![str_(u)]);
            }
            if s.step == SwapStep::Backfill {
                e = e.method("batch_size", vec![Expr::atom(s.batch_size.to_string())]);
            }
            e
        }
        Op::CreateIndex {
            schema,
            table,
            index: ix,
            concurrently,
        } => {
            let e = match plain_columns(ix) {
                Some(cols) => op().method(
                    "create_index",
                    vec![conv_name_arg(&ix.name, ix.conv), str_(table), names(&cols)],
                ),
                None => op().method(
                    "create_index_on",
                    vec![
                        conv_name_arg(&ix.name, ix.conv),
                        str_(table),
                        index_elements(ix),
                    ],
                ),
            };
            let mut e = index_modifiers(with_schema(e, schema), ix);
            if *concurrently {
                e = e.method("concurrently", vec![]);
            }
            e
        }
        Op::DropIndex {
            schema,
            table,
            name,
            existing,
            concurrently,
        } => {
            let mut e = with_schema(
                op().method("drop_index", vec![str_(name), str_(table)]),
                schema,
            );
            if *concurrently {
                e = e.method("concurrently", vec![]);
            }
            if let Some(ix) = existing {
                e = e.method("existing", vec![index(ix)]);
            }
            e
        }
        Op::CreateUniqueConstraint {
            schema,
            table,
            unique,
        } => unique_modifiers(
            with_schema(
                op().method(
                    "create_unique_constraint",
                    vec![
                        conv_name_arg(&unique.name, unique.conv),
                        str_(table),
                        names(&unique.columns),
                    ],
                ),
                schema,
            ),
            unique,
        ),
        Op::CreateForeignKey {
            schema,
            table,
            foreign_key: fk,
            not_valid,
        } => {
            let e = op().method(
                "create_foreign_key",
                vec![
                    conv_name_arg(&fk.name, fk.conv),
                    str_(table),
                    str_(&fk.ref_table),
                    names(&fk.columns),
                    names(&fk.ref_columns),
                ],
            );
            let e = fk_modifiers(with_schema(e, schema), fk, "referent_schema", false);
            if *not_valid {
                e.method("not_valid", vec![])
            } else {
                e
            }
        }
        Op::CreateCheckConstraint {
            schema,
            table,
            check,
            not_valid,
        } => {
            let e = with_schema(
                op().method(
                    "create_check_constraint",
                    vec![
                        conv_name_arg(&check.name, check.conv),
                        str_(table),
                        str_(&check.expr),
                    ],
                ),
                schema,
            );
            if *not_valid {
                e.method("not_valid", vec![])
            } else {
                e
            }
        }
        Op::ValidateConstraint {
            schema,
            table,
            name,
            kind,
        } => with_schema(
            op().method(
                "validate_constraint",
                vec![str_(name), str_(table), constraint_kind(*kind)],
            ),
            schema,
        ),
        Op::CreateExcludeConstraint {
            schema,
            table,
            exclude: x,
        } => {
            let name = x.name.clone().ok_or_else(|| WriteError::Unsupported {
                what: format!("an exclusion constraint without a name on `{table}` (name it)"),
            })?;
            let e = op().method(
                "create_exclude_constraint",
                vec![str_(&name), str_(table), exclude_elements(x)],
            );
            exclude_modifiers(with_schema(e, schema), x)
        }
        Op::CreatePrimaryKey {
            schema,
            table,
            primary_key,
        } => with_modifiers(
            with_schema(
                op().method(
                    "create_primary_key",
                    vec![
                        conv_name_arg(&primary_key.name, primary_key.conv),
                        str_(table),
                        names(&primary_key.columns),
                    ],
                ),
                schema,
            ),
            &primary_key.with,
        ),
        Op::DropConstraint {
            schema,
            table,
            name,
            kind,
            existing,
        } => {
            let e = op().method(
                "drop_constraint",
                // An empty name is an unnamed drop (by the definition in `existing`).
                vec![
                    name_arg(&(!name.is_empty()).then(|| name.clone())),
                    str_(table),
                    constraint_kind(*kind),
                ],
            );
            let mut e = with_schema(e, schema);
            if let Some(c) = existing {
                e = e.method("existing", vec![constraint(c)]);
            }
            e
        }
        Op::CreateTableComment {
            schema,
            table,
            comment,
            existing_comment,
        } => {
            let e = op().method("create_table_comment", vec![str_(table), str_(comment)]);
            existing_comment_of(with_schema(e, schema), existing_comment)
        }
        Op::DropTableComment {
            schema,
            table,
            existing_comment,
        } => {
            let e = op().method("drop_table_comment", vec![str_(table)]);
            existing_comment_of(with_schema(e, schema), existing_comment)
        }
        Op::Inherit {
            schema,
            table,
            parent,
        } => with_schema(
            op().method("inherit", vec![str_(table), table_ref(parent)]),
            schema,
        ),
        Op::NoInherit {
            schema,
            table,
            parent,
        } => with_schema(
            op().method("no_inherit", vec![str_(table), table_ref(parent)]),
            schema,
        ),
        Op::SetStorage {
            schema,
            table,
            index,
            with,
            existing,
        } => {
            let e = match index {
                None => op().method("set_table_storage", vec![str_(table), storage_list(with)]),
                Some(i) => op().method(
                    "set_index_storage",
                    vec![str_(table), str_(i), storage_list(with)],
                ),
            };
            let e = with_schema(e, schema);
            match existing {
                Some(old) => e.method("existing", vec![storage_list(old)]),
                None => e,
            }
        }
        Op::CreateEnum { enum_type } => with_schema(
            op().method(
                "create_enum",
                vec![str_(&enum_type.name), names(&enum_type.values)],
            ),
            &enum_type.schema,
        ),
        Op::DropEnum {
            schema,
            name,
            existing,
        } => {
            let mut e = with_schema(op().method("drop_enum", vec![str_(name)]), schema);
            if let Some(t) = existing {
                // `.existing(values)` takes the schema and name from the op.
                if t.schema != *schema || t.name != *name {
                    return Err(WriteError::Unsupported {
                        what: format!(
                            "drop_enum of {name} whose existing definition names another type ({})",
                            t.name
                        ),
                    });
                }
                e = e.method("existing", vec![names(&t.values)]);
            }
            e
        }
        Op::CreateSequence { sequence: s } => op().method("create_sequence", vec![sequence(s)?]),
        Op::DropSequence {
            schema,
            name,
            existing,
        } => {
            let e = with_schema(op().method("drop_sequence", vec![str_(name)]), schema);
            match existing {
                Some(s) => e.method("existing", vec![sequence(s)?]),
                None => e,
            }
        }
        Op::AlterSequence {
            sequence: s,
            existing,
        } => {
            let e = op().method("alter_sequence", vec![sequence(s)?]);
            match existing {
                Some(s) => e.method("existing", vec![sequence(s)?]),
                None => e,
            }
        }
        Op::CreateEntity { entity: e } => op().method("create_entity", vec![entity(e)?]),
        Op::ReplaceEntity {
            entity: e,
            existing,
        } => {
            let x = op().method("replace_entity", vec![entity(e)?]);
            match existing {
                Some(old) => x.method("existing", vec![entity(old)?]),
                None => x,
            }
        }
        Op::DropEntity { key, existing } => match existing {
            Some(old) => op().method("drop_entity", vec![entity(old)?]),
            None => {
                return Err(WriteError::Unsupported {
                    what: format!("a drop of {key} without its definition"),
                })
            }
        },
        Op::AddEnumValue {
            schema,
            enum_name,
            value,
            position,
            existing,
        } => {
            let e = op().method("add_enum_value", vec![str_(enum_name), str_(value)]);
            let e = with_schema(e, schema);
            let e = match position {
                Some(EnumValuePosition::Before(v)) => e.method("before", vec![str_(v)]),
                Some(EnumValuePosition::After(v)) => e.method("after", vec![str_(v)]),
                None => e,
            };
            match existing {
                Some(values) => e.method("existing", vec![names(values)]),
                None => e,
            }
        }
        Op::RecreateEnum {
            schema,
            name,
            values,
            existing,
        } => {
            let e = op().method("recreate_enum", vec![str_(name), names(values)]);
            let e = with_schema(e, schema);
            match existing {
                Some(values) => e.method("existing", vec![names(values)]),
                None => e,
            }
        }
        Op::CopyFrom { table } => {
            let build = Expr::call(
                "Table::build",
                vec![str_(&table.name), table_closure(table)?],
            );
            // The schema is the table's own (`t.schema(..)` in the closure).
            op().method("copy_from", vec![build])
        }
        Op::CreateSchema { name } => op().method("create_schema", vec![str_(name)]),
        Op::DropSchema { name } => op().method("drop_schema", vec![str_(name)]),
        Op::Execute {
            sql,
            reverse_sql,
            outside_transaction,
        } => {
            let e = op().method("execute", vec![str_(sql)]);
            let e = match reverse_sql {
                Some(r) => e.method("reverse_sql", vec![str_(r)]),
                None => e,
            };
            if *outside_transaction {
                e.method("outside_transaction", vec![])
            } else {
                e
            }
        }
        Op::BulkInsert {
            schema,
            table,
            columns,
            rows,
        } => {
            let rows = rows
                .iter()
                .map(|r| Expr::Array("vec!", r.iter().map(literal).collect()))
                .collect();
            with_schema(
                op().method(
                    "bulk_insert",
                    vec![str_(table), names(columns), Expr::Array("vec!", rows)],
                ),
                schema,
            )
        }
    })
}

fn existing_comment_of(e: Expr, existing: &Option<String>) -> Expr {
    match existing {
        Some(c) => e.method("existing_comment", vec![str_(c)]),
        None => e,
    }
}

/// The call a rename hint suggests, as a statement of the same API.
pub(super) fn hint_suggestion(h: &RenameHint) -> Expr {
    match h.kind {
        RenameKind::Table => with_schema(
            op().method("rename_table", vec![str_(&h.old_name), str_(&h.new_name)]),
            &h.schema,
        ),
        RenameKind::Column => with_schema(
            op().method("alter_column", vec![str_(&h.table), str_(&h.old_name)]),
            &h.schema,
        )
        .method("new_column_name", vec![str_(&h.new_name)]),
    }
}
