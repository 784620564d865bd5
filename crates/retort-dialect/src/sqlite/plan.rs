//! Which operations SQLite's `ALTER TABLE` can do, and which need a table rebuild.
//!
//! SQLite's `ALTER TABLE` knows only `RENAME TO`, `RENAME COLUMN`, `ADD COLUMN` and
//! `DROP COLUMN` (<https://sqlite.org/lang_altertable.html>), each with limits:
//!
//! * `ADD COLUMN`: no PRIMARY KEY or UNIQUE, no expression default (so not
//!   `CURRENT_TIMESTAMP`), NOT NULL only with a non-NULL default, no STORED generated
//!   column. Outside these limits (and for an enum column, whose CHECK is a table
//!   constraint) the table is rebuilt.
//! * `DROP COLUMN`: not a primary-key, unique, indexed or foreign-key column, nor one that
//!   a CHECK, a generated column or an index expression mentions. Expressions are not
//!   parsed: a column whose name appears in one as a word is taken to be used, and the
//!   table is rebuilt, which is always correct, only slower.
//! * Everything `ALTER COLUMN` changes (type, nullability, default, identity, generated
//!   expression) and every constraint added or dropped: rebuild. A pure column rename stays
//!   `RENAME COLUMN`; comment changes are no SQL at all.
//! * Adding an enum value changes the CHECK of every column of that enum: each table that
//!   has one is rebuilt.

use retort_core::ops::Op;
use retort_core::{ForeignKey, IndexTarget, MetaData, Table, Type};

/// A table as the rebuild names it: its schema as resolved by the metadata, and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableKey {
    pub schema: Option<String>,
    pub name: String,
}

impl TableKey {
    fn of_op(md: &MetaData, schema: &Option<String>, name: &str) -> Self {
        Self {
            schema: schema
                .clone()
                .or_else(|| md.default_schema().map(str::to_string)),
            name: name.to_string(),
        }
    }
    pub fn find<'m>(&self, md: &'m MetaData) -> Option<&'m Table> {
        md.get_table(self.schema.as_deref(), &self.name)
    }
}

/// How one op is rendered on SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// No SQL: comments, and enum types (which live in their columns' CHECKs).
    Nothing,
    /// Statements of its own: a native `ALTER TABLE`, `CREATE`, `DROP`, raw SQL.
    Native,
    /// The op changes these tables in ways `ALTER TABLE` cannot: rebuild each.
    Rebuild(Vec<TableKey>),
}

/// See the module notes. `md` is the schema before the op.
pub fn plan(op: &Op, md: &MetaData) -> Plan {
    let rebuild = |schema: &Option<String>, table: &str| {
        Plan::Rebuild(vec![TableKey::of_op(md, schema, table)])
    };
    match op {
        Op::AddColumn {
            schema,
            table,
            column,
        } => {
            if native_add_column(column) {
                Plan::Native
            } else {
                rebuild(schema, table)
            }
        }
        Op::DropColumn {
            schema,
            table,
            column,
            ..
        } => {
            let key = TableKey::of_op(md, schema, table);
            match key.find(md) {
                Some(t) if !native_drop_column(t, column) => Plan::Rebuild(vec![key]),
                // An unknown table or column is left to the statement (and replay) to report.
                _ => Plan::Native,
            }
        }
        Op::AlterColumn(a) => {
            let changed: Vec<&str> = a
                .changed()
                .into_iter()
                .filter(|c| *c != "comment")
                .collect();
            match changed.as_slice() {
                [] => Plan::Nothing,
                ["name"] => Plan::Native,
                _ => rebuild(&a.schema, &a.table),
            }
        }
        // SQLite has no exclusion constraints: rendered natively, so the dialect refuses it
        // by name instead of planning a rebuild that cannot hold it.
        Op::CreateExcludeConstraint { .. } => Plan::Native,
        Op::CreateUniqueConstraint { schema, table, .. }
        | Op::CreateForeignKey { schema, table, .. }
        | Op::CreateCheckConstraint { schema, table, .. }
        | Op::CreatePrimaryKey { schema, table, .. }
        | Op::DropConstraint { schema, table, .. } => rebuild(schema, table),
        Op::CreateTableComment { .. }
        | Op::DropTableComment { .. }
        | Op::CreateEnum { .. }
        | Op::DropEnum { .. } => Plan::Nothing,
        Op::AddEnumValue {
            schema, enum_name, ..
        }
        | Op::RecreateEnum {
            schema,
            name: enum_name,
            ..
        } => {
            let keys: Vec<TableKey> = md
                .tables()
                .iter()
                .filter(|t| uses_enum(md, t, schema.as_deref(), enum_name))
                .map(|t| TableKey {
                    schema: t.schema.clone(),
                    name: t.name.clone(),
                })
                .collect();
            if keys.is_empty() {
                Plan::Nothing
            } else {
                Plan::Rebuild(keys)
            }
        }
        _ => Plan::Native,
    }
}

/// Whether `ALTER TABLE .. ADD COLUMN` can add `column` (see the module notes).
fn native_add_column(column: &retort_core::Column) -> bool {
    use retort_core::{Literal, ServerDefault};
    let literal_default = match &column.server_default {
        None => Some(false),
        Some(ServerDefault::Literal(Literal::Null)) => Some(false),
        Some(ServerDefault::Literal(_)) => Some(true),
        Some(ServerDefault::Expr(_) | ServerDefault::Variant { .. }) => None,
    };
    let Some(has_value_default) = literal_default else {
        return false;
    };
    // NOT NULL needs a non-NULL default; a generated column must be VIRTUAL (and nullable).
    let allowed = match &column.computed {
        None => column.nullable || has_value_default,
        Some(c) => !c.stored && column.nullable,
    };
    column.identity.is_none() && !matches!(column.ty, Type::Enum(_)) && allowed
}

/// Whether `ALTER TABLE .. DROP COLUMN` can drop `column` of `t` (see the module notes).
fn native_drop_column(t: &Table, column: &str) -> bool {
    let has = |cols: &[String]| cols.iter().any(|c| c == column);
    let Some(col) = t.get_column(column) else {
        return true;
    };
    let in_key = t.is_primary_key(column)
        || t.uniques.iter().any(|u| has(&u.columns))
        || t.foreign_keys
            .iter()
            .any(|fk| has(&fk.columns) || (fk.ref_table == t.name && has(&fk.ref_columns)));
    let in_index = t.indexes.iter().any(|i| {
        has(&i.include)
            || i.predicate.as_deref().is_some_and(|p| mentions(p, column))
            || i.elements.iter().any(|e| match &e.target {
                IndexTarget::Column(c) => c == column,
                IndexTarget::Expr(sql) => mentions(sql, column),
            })
    });
    let in_expression = t.checks.iter().any(|c| mentions(&c.expr, column))
        || t.columns.iter().any(|c| {
            c.name != column
                && c.computed
                    .as_ref()
                    .is_some_and(|g| mentions(&g.expr, column))
        });
    !(in_key || in_index || in_expression || matches!(col.ty, Type::Enum(_)))
}

/// Whether `name` occurs in `sql` as a whole word, case-insensitively (quoted or not).
pub fn mentions(sql: &str, name: &str) -> bool {
    let hay = sql.to_lowercase();
    let needle = name.to_lowercase();
    if needle.is_empty() {
        return false;
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    let mut from = 0;
    while let Some(pos) = hay[from..].find(&needle) {
        let start = from + pos;
        let end = start + needle.len();
        if !word(hay[..start].chars().next_back()) && !word(hay[end..].chars().next()) {
            return true;
        }
        from = start + needle.len().max(1);
    }
    false
}

/// Whether a column of `t` has the enum `name` (in `schema`, or the one validation finds).
fn uses_enum(md: &MetaData, t: &Table, schema: Option<&str>, name: &str) -> bool {
    let wanted = schema.or(md.default_schema());
    t.columns.iter().any(|c| match &c.ty {
        Type::Enum(r) if r.name == name => {
            // Resolved as validation does: the column's schema, else the table's, else none.
            let resolved = match r.schema.as_deref() {
                Some(s) => Some(s),
                None if md.get_enum(t.schema.as_deref(), name).is_some() => t.schema.as_deref(),
                None => None,
            };
            resolved.or(md.default_schema()) == wanted
        }
        _ => false,
    })
}

/// Whether any foreign key of `md` (a self-reference included) refers to the table `key`.
pub fn is_referenced(md: &MetaData, key: &TableKey) -> bool {
    md.tables().iter().any(|owner| {
        owner
            .foreign_keys
            .iter()
            .any(|fk| refers_to(fk, owner.schema.as_deref(), key))
    })
}

fn refers_to(fk: &ForeignKey, owner_schema: Option<&str>, key: &TableKey) -> bool {
    fk.ref_table == key.name && fk.ref_schema.as_deref().or(owner_schema) == key.schema.as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::{Check, Column, Computed, Literal, ServerDefault};

    fn t() -> Table {
        Table::new("t")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("a", Type::Integer))
            .column(Column::new("b", Type::Integer))
            .primary_key(["id"])
    }

    #[test]
    fn add_column_is_native_only_within_sqlites_limits() {
        let native = |c: Column| native_add_column(&c);
        assert!(native(Column::new("x", Type::Text)));
        assert!(native(
            Column::new("x", Type::Integer)
                .not_null()
                .server_default(ServerDefault::int(0))
        ));
        assert!(native(Column::new("x", Type::Integer).computed(Computed {
            expr: "a + 1".into(),
            stored: false
        })));
        assert!(!native(Column::new("x", Type::Integer).not_null()));
        assert!(!native(
            Column::new("x", Type::Integer)
                .not_null()
                .server_default(ServerDefault::Literal(Literal::Null))
        ));
        assert!(!native(
            Column::new("x", Type::Text).server_default(ServerDefault::expr("now()"))
        ));
        assert!(!native(
            Column::new("x", Type::Integer).computed(Computed::stored("a + 1"))
        ));
        assert!(!native(Column::new("x", Type::enumeration("e"))));
    }

    #[test]
    fn drop_column_is_native_only_for_unused_columns() {
        assert!(native_drop_column(&t(), "a"));
        assert!(!native_drop_column(&t(), "id"));
        assert!(!native_drop_column(&t().unique(["a"]), "a"));
        let mut checked = t();
        checked.checks.push(Check {
            conv: false,
            name: None,
            expr: "a > b".into(),
        });
        assert!(!native_drop_column(&checked, "b"));
        let generated =
            t().column(Column::new("c", Type::Integer).computed(Computed::stored("a * 2")));
        assert!(!native_drop_column(&generated, "a"));
        assert!(native_drop_column(&generated, "b"));
    }

    #[test]
    fn mentions_finds_whole_words_only() {
        assert!(mentions("age >= 0", "age"));
        assert!(mentions("\"Age\" < 200", "age"));
        assert!(mentions("lower(email)", "email"));
        assert!(!mentions("page >= 0", "age"));
        assert!(!mentions("age_days > 1", "age"));
        assert!(!mentions("x > 1", "age"));
    }
}
