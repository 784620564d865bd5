//! Pure classification of one op against the schema before it: the lock PostgreSQL takes,
//! whether the table is rewritten or scanned, and the candidate findings, each with the
//! live condition (`Check`) that decides whether it is reported when a database is at hand.

//!
//! One module per kind of op (`tables`, `columns`, `constraints`, `enums`); `classify`
//! matches every op exhaustively and hands it to its kind's module. `mysql` adds the
//! MySQL/MariaDB ALTERs that cannot run online (copied, or in place with writes waiting).

mod columns;
mod constraints;
mod enums;
mod mysql;
mod tables;

use std::collections::HashSet;

use retort_core::ops::{AlterColumn, ColumnSwap, ConstraintKind, Op, SwapStep};
use retort_core::{Column, DialectKind, ForeignKey, IndexTarget, MetaData, ServerDefault, Type};

use super::raw_sql;
use super::rules::Rule;
use crate::Backend;

/// A table as `schema.name` (`None`: the default schema).
pub(crate) type TableRef = (Option<String>, String);

/// What one op does on PostgreSQL (the lock is PostgreSQL's; other backends report none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effect {
    /// The strongest lock the statement takes on an existing table (`ACCESS EXCLUSIVE`,
    /// `SHARE`, ...); `None` when it takes none worth naming.
    pub lock: Option<&'static str>,
    /// Whether every row is rewritten.
    pub rewrites: bool,
    /// Whether every row is read (a validation or an index build).
    pub scans: bool,
}

/// The live condition under which a candidate is reported.
#[derive(Debug, Clone)]
pub(crate) enum Check {
    /// Reported whatever the data.
    Always,
    /// Reported when the table's size reaches `large_table_bytes` (PostgreSQL's catalog);
    /// offline, reported with the size unknown.
    TableLarge(TableRef),
    /// Reported when the table holds a row.
    TableHasRows(TableRef),
    /// Reported when the column holds a value (not NULL) in some row.
    ColumnHasValues(TableRef, String),
    /// Reported when some row matches `condition` (SQL over alias `o`); `what` names those rows.
    RowsMatch {
        table: TableRef,
        condition: String,
        what: String,
    },
    /// Reported when the columns hold duplicated values.
    Duplicates {
        table: TableRef,
        columns: Vec<String>,
        nulls_distinct: bool,
        predicate: Option<String>,
    },
    /// Reported when rows refer to no row of the referenced table.
    Orphans {
        table: TableRef,
        foreign_key: ForeignKey,
        /// The referenced table is created by this run (so every reference is an orphan).
        referenced_is_new: bool,
    },
    /// Reported when a column of the enum type holds one of `values`.
    EnumInUse {
        columns: Vec<(TableRef, String)>,
        values: Vec<String>,
    },
}

impl Check {
    /// Whether the check reads one of `columns` (columns the run adds: not in the
    /// database yet). A condition is searched for the column's name, which may be too
    /// careful, never too little.
    pub(crate) fn reads_any(&self, columns: &HashSet<(TableRef, String)>) -> bool {
        let hit = |t: &TableRef, c: &str| columns.contains(&(t.clone(), c.to_owned()));
        match self {
            Check::Always | Check::TableLarge(_) | Check::TableHasRows(_) => false,
            Check::ColumnHasValues(t, c) => hit(t, c),
            Check::RowsMatch {
                table, condition, ..
            } => columns
                .iter()
                .any(|(t, c)| t == table && condition.contains(c.as_str())),
            Check::Duplicates {
                table, columns: cs, ..
            } => cs.iter().any(|c| hit(table, c)),
            Check::Orphans {
                table, foreign_key, ..
            } => foreign_key.columns.iter().any(|c| hit(table, c)),
            Check::EnumInUse { columns: cs, .. } => cs.iter().any(|(t, c)| hit(t, c)),
        }
    }
}

/// A finding before its live check.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub rule: Rule,
    /// What the finding is about, in the op's words (`orders.note`).
    pub object: String,
    /// What the op does that the rule is about.
    pub detail: String,
    pub check: Check,
    /// Whether it is reported without a database.
    pub offline: bool,
}

impl Candidate {
    fn new(rule: Rule, object: impl Into<String>, detail: impl Into<String>, check: Check) -> Self {
        Candidate {
            rule,
            object: object.into(),
            detail: detail.into(),
            check,
            offline: true,
        }
    }
    fn live_only(mut self) -> Self {
        self.offline = false;
        self
    }
}

/// What classification needs besides the op.
pub(crate) struct Ctx<'a> {
    pub backend: Backend,
    /// The schema before the op (replayed from the history).
    pub schema: &'a MetaData,
    /// Tables created earlier in this run (empty, and unknown to running code).
    pub new_tables: &'a HashSet<TableRef>,
}

impl Ctx<'_> {
    fn kind(&self) -> DialectKind {
        match self.backend {
            Backend::Postgres => DialectKind::Postgres,
            Backend::Sqlite => DialectKind::Sqlite,
            Backend::Mysql => DialectKind::Mysql,
        }
    }
    fn is_new(&self, t: &TableRef) -> bool {
        self.new_tables.contains(t)
    }
    fn pg(&self) -> bool {
        self.backend == Backend::Postgres
    }
}

fn tref(schema: &Option<String>, table: &str) -> TableRef {
    (schema.clone(), table.to_owned())
}

fn show(t: &TableRef) -> String {
    match &t.0 {
        Some(s) => format!("{s}.{}", t.1),
        None => t.1.clone(),
    }
}

/// The effect and candidate findings of `op`.
pub(crate) fn classify(op: &Op, ctx: &Ctx<'_>) -> (Effect, Vec<Candidate>) {
    let mut out = Vec::new();
    let effect = match op {
        Op::CreateTable { .. } | Op::DropTable { .. } | Op::RenameTable { .. } => {
            tables::classify(op, ctx, &mut out)
        }
        Op::AddColumn { .. }
        | Op::DropColumn { .. }
        | Op::AlterColumn(_)
        | Op::SwapColumnType(_) => columns::classify(op, ctx, &mut out),
        Op::CreateIndex { .. }
        | Op::DropIndex { .. }
        | Op::CreateUniqueConstraint { .. }
        | Op::CreatePrimaryKey { .. }
        | Op::CreateForeignKey { .. }
        | Op::CreateCheckConstraint { .. }
        | Op::CreateExcludeConstraint { .. }
        | Op::ValidateConstraint { .. }
        | Op::DropConstraint { .. } => constraints::classify(op, ctx, &mut out),
        Op::CreateTableComment { .. } | Op::DropTableComment { .. } => Effect {
            lock: Some("SHARE UPDATE EXCLUSIVE"),
            ..Effect::default()
        },
        // Storage parameters (fillfactor, autovacuum_*) are changed under SHARE UPDATE
        // EXCLUSIVE; a change of parents takes the child's ACCESS EXCLUSIVE lock.
        Op::SetStorage { .. } => Effect {
            lock: Some("SHARE UPDATE EXCLUSIVE"),
            ..Effect::default()
        },
        Op::Inherit { .. } | Op::NoInherit { .. } => Effect {
            lock: Some("ACCESS EXCLUSIVE"),
            ..Effect::default()
        },
        Op::AddEnumValue { .. } | Op::RecreateEnum { .. } => enums::classify(op, ctx, &mut out),
        Op::Execute {
            sql,
            outside_transaction,
            ..
        } => {
            raw_sql::scan(ctx.backend, sql, *outside_transaction, &mut out);
            Effect::default()
        }
        Op::BulkInsert { .. } => Effect {
            lock: Some("ROW EXCLUSIVE"),
            ..Effect::default()
        },
        Op::CreateEnum { .. }
        | Op::DropEnum { .. }
        | Op::CreateSequence { .. }
        | Op::DropSequence { .. }
        | Op::AlterSequence { .. }
        | Op::CreateEntity { .. }
        | Op::ReplaceEntity { .. }
        | Op::DropEntity { .. }
        | Op::CreateSchema { .. }
        | Op::DropSchema { .. }
        | Op::CopyFrom { .. } => Effect::default(),
    };
    if ctx.backend == Backend::Sqlite {
        tables::sqlite_rebuild(op, ctx, &mut out);
    }
    if ctx.backend == Backend::Mysql {
        mysql::online(op, ctx, &mut out);
    }
    let effect = if ctx.pg() { effect } else { Effect::default() };
    (effect, out)
}

fn access_exclusive() -> Effect {
    Effect {
        lock: Some("ACCESS EXCLUSIVE"),
        ..Effect::default()
    }
}

pub(crate) fn quote(d: &(dyn retort_dialect::Dialect + Send + Sync), name: &str) -> String {
    d.quote_identifier(name)
        .unwrap_or_else(|_| format!("\"{}\"", name.replace('"', "\"\"")))
}

fn plain_columns<'a>(targets: impl Iterator<Item = &'a IndexTarget>) -> Option<Vec<String>> {
    targets
        .map(|t| match t {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expr(_) => None,
        })
        .collect()
}

/// The existing table an op locks, if any.
pub(crate) fn op_table(op: &Op) -> Option<TableRef> {
    Some(match op {
        Op::DropTable { schema, name, .. } => tref(schema, name),
        Op::RenameTable {
            schema, old_name, ..
        } => tref(schema, old_name),
        Op::AlterColumn(a) => tref(&a.schema, &a.table),
        Op::AddColumn { schema, table, .. }
        | Op::DropColumn { schema, table, .. }
        | Op::CreateIndex { schema, table, .. }
        | Op::DropIndex { schema, table, .. }
        | Op::CreateUniqueConstraint { schema, table, .. }
        | Op::CreateForeignKey { schema, table, .. }
        | Op::CreateCheckConstraint { schema, table, .. }
        | Op::CreateExcludeConstraint { schema, table, .. }
        | Op::CreatePrimaryKey { schema, table, .. }
        | Op::DropConstraint { schema, table, .. } => tref(schema, table),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::columns::{binary_coercible, narrowing, proves_not_null};
    use super::*;

    #[test]
    fn not_null_checks_are_recognised_in_any_spelling() {
        assert!(proves_not_null("(\"email\" IS NOT NULL)", "email"));
        assert!(proves_not_null("email is not null", "email"));
        assert!(!proves_not_null("email IS NOT NULL AND x > 0", "email"));
    }

    #[test]
    fn widening_is_not_narrowing() {
        assert!(narrowing(&Type::Integer, &Type::BigInt, "c", true).is_none());
        assert!(narrowing(
            &Type::Varchar(Some(10)),
            &Type::Varchar(Some(20)),
            "c",
            true
        )
        .is_none());
        assert!(narrowing(&Type::Varchar(Some(10)), &Type::Text, "c", true).is_none());
        assert!(narrowing(&Type::Text, &Type::Varchar(Some(5)), "c", true).is_some());
        assert!(narrowing(&Type::BigInt, &Type::Integer, "c", true).is_some());
        assert!(narrowing(&Type::Text, &Type::Integer, "c", true).is_some());
        assert!(binary_coercible(&Type::Varchar(Some(10)), &Type::Text));
        assert!(!binary_coercible(&Type::Integer, &Type::BigInt));
    }
}
