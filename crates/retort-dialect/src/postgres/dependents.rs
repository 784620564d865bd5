//! What the database has that depends on an enum type, checked before the type is swapped.
//!
//! Recreating an enum type ([`retort_core::ops::enum_swap_ops`]), or moving a column off
//! one, carries the dependents the schema knows (partial indexes, checks, generated
//! columns, defaults). Anything else that depends on the type or on a column of it (a view,
//! a function, an index or a check made by raw SQL) would either stop the swap half-way with
//! a message that does not say why, or be lost; so the runner first runs
//! [`enum_dependents_sql`] (`queries/postgres/enum_dependents.sql`, which reads `pg_depend`
//! on the type, its array type and its columns), and [`unknown_dependents`] names what the
//! schema at that point does not have. The runner refuses the revision when the list is not
//! empty. [`enum_changed_by`] says which ops need the check.

use retort_core::ops::Op;
use retort_core::{MetaData, Table, Type};

use super::introspect::Row;

/// The file the check's SQL comes from, for messages.
pub const ENUM_DEPENDENTS_FILE: &str = "queries/postgres/enum_dependents.sql";

/// The catalog query listing what depends on the enum type `schema.name` (`schema`
/// `None`: the connection's current schema), with the names written in as escaped
/// literals, for a driver that runs text without parameters.
pub fn enum_dependents_sql(schema: Option<&str>, name: &str) -> String {
    let lit = |s: &str| format!("E'{}'", s.replace('\\', "\\\\").replace('\'', "''"));
    include_str!("../../queries/postgres/enum_dependents.sql")
        .replace(
            "$1::text",
            &schema.map_or_else(|| "NULL::text".to_owned(), lit),
        )
        .replace("$2::text", &lit(name))
}

/// The enum type (schema as the op or the schema names it, name) whose dependents must be
/// checked before `op` runs on the schema `md`: a recreated or dropped type, or the type a
/// column leaves by a type change. `None` for every other op.
pub fn enum_changed_by(op: &Op, md: &MetaData) -> Option<(Option<String>, String)> {
    let resolve = |schema: Option<&str>, name: &str| {
        let e = md.get_enum(schema, name);
        let schema = e
            .and_then(|e| e.schema.clone())
            .or_else(|| schema.map(str::to_owned))
            .or_else(|| md.default_schema().map(str::to_owned));
        Some((schema, name.to_owned()))
    };
    match op {
        Op::RecreateEnum { schema, name, .. } | Op::DropEnum { schema, name, .. } => {
            resolve(schema.as_deref(), name)
        }
        Op::AlterColumn(a) => {
            let new = a.type_.as_ref()?;
            let table_schema = a.schema.as_deref().or(md.default_schema());
            let current = md
                .get_table(table_schema, &a.table)
                .and_then(|t| t.get_column(&a.column))
                .map(|c| c.ty.clone())
                .or_else(|| a.existing_type.clone())?;
            let r = enum_of(&current)?;
            if enum_of(new) == Some(r) {
                return None;
            }
            let schema = r.schema.as_deref().or(table_schema);
            match md.get_enum(schema, &r.name) {
                Some(e) => resolve(e.schema.as_deref(), &e.name),
                None => resolve(r.schema.as_deref(), &r.name),
            }
        }
        _ => None,
    }
}

fn enum_of(ty: &Type) -> Option<&retort_core::EnumRef> {
    match ty {
        Type::Enum(r) => Some(r),
        Type::Array(inner) => enum_of(inner),
        _ => None,
    }
}

/// The descriptions (`view public.open_orders`, as `pg_describe_object` words them, with
/// the schema) of the rows of [`enum_dependents_sql`] that `md` does not know: a column,
/// index, constraint or default of a table `md` has under that name (or, for an index or
/// constraint, an unnamed one of its kind, which the database named), or a column's
/// generation expression, is known; views, rules, functions, triggers and types never are.
pub fn unknown_dependents(rows: &[Row], md: &MetaData) -> Vec<String> {
    let mut out = Vec::new();
    for row in rows {
        let field = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
        let (kind, schema, table, name) = (field(0), field(1), field(2), field(3));
        let (contype, current, describe) = (field(4), field(5) == "true", field(6));
        let t = find_table(md, &schema, current, &table);
        let known = t.is_some_and(|t| match kind.as_str() {
            "column" => t.get_column(&name).is_some(),
            "default" => t
                .get_column(&name)
                .is_some_and(|c| c.server_default.is_some() || c.computed.is_some()),
            // An unnamed index (a naming convention without `ix`) got its name from the
            // database, as an unnamed constraint does.
            "index" => t
                .indexes
                .iter()
                .any(|ix| ix.name.is_none() || ix.name.as_deref() == Some(&name)),
            "constraint" => constraint_known(t, &name, &contype),
            _ => false,
        });
        if !known {
            let item = match kind.as_str() {
                // `pg_describe_object` words a view as its `_RETURN` rule.
                "view" => format!("view {schema}.{table}"),
                _ if describe.is_empty() => format!("{kind} {name} (schema {schema})"),
                _ => format!("{describe} (schema {schema})"),
            };
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out
}

fn find_table<'m>(md: &'m MetaData, schema: &str, current: bool, name: &str) -> Option<&'m Table> {
    md.tables().iter().find(|t| {
        t.name == name
            && match t.schema.as_deref().or(md.default_schema()) {
                Some(s) => s == schema,
                None => current,
            }
    })
}

/// A constraint of that name, or an unnamed one of that kind (the database named it).
fn constraint_known(t: &Table, name: &str, contype: &str) -> bool {
    let named = |n: &Option<String>| n.as_deref() == Some(name);
    match contype {
        "p" => t
            .primary_key
            .as_ref()
            .is_some_and(|pk| named(&pk.name) || pk.name.is_none()),
        "u" => t.uniques.iter().any(|u| named(&u.name) || u.name.is_none()),
        "c" => t.checks.iter().any(|c| named(&c.name) || c.name.is_none()),
        "x" => t.excludes.iter().any(|x| named(&x.name)),
        "f" => t
            .foreign_keys
            .iter()
            .any(|f| named(&f.name) || f.name.is_none()),
        _ => false,
    }
}
