//! The one place where recorded operations become SQL for the runner.
//!
//! [`ops_to_statements`] hands each operation to [`Dialect::render_op`] of the backend's
//! dialect ([`dialect_for`]), against the schema the history builds before it.

use retort_core::ops::Op;
use retort_core::MetaData;
use retort_dialect::{BackendSupport, Dialect, DialectError};

use crate::backends;
use crate::url::Backend;

/// Why an operation could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The dialect cannot render the op.
    #[error("`{op}`: {source}")]
    Dialect {
        /// The op, described in one line.
        op: String,
        /// The dialect's error.
        #[source]
        source: DialectError,
    },
}

/// The dialect of a backend (its [`BackendSupport::dialect`]).
pub fn dialect_for(backend: Backend) -> &'static (dyn Dialect + Send + Sync) {
    backends::support(backend).dialect()
}

/// The statements of `ops`, in order, without trailing `;`.
///
/// Each op is rendered by [`Dialect::render_op`] against `schema`, the schema as the
/// history before it leaves it (the runner replays the applied revisions with
/// [`Migrator::schema_at`](crate::Migrator::schema_at)), and then applied to it with
/// [`Op::apply`] so the next op sees its effect. Raw SQL (`op.execute`) is opaque to the
/// replay, so an op on a table only raw SQL created cannot be replayed; it is still
/// rendered (PostgreSQL needs no schema), and the replay goes on with what it knows.
pub fn ops_to_sql(
    backend: Backend,
    ops: &[Op],
    schema: &mut MetaData,
) -> Result<Vec<String>, RenderError> {
    let mut out = Vec::new();
    for s in ops_to_statements(backend, ops, schema)? {
        match s.rebuild {
            Some(r) => out.extend(r.history.map_err(|source| RenderError::Dialect {
                op: r.op.describe(),
                source,
            })?),
            None => out.push(s.sql),
        }
    }
    Ok(out)
}

/// One statement to run, and whether it must run outside any transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The SQL; for a SQLite rebuild ([`Statement::rebuild`]), its statements as the
    /// replayed history renders them, one a line (what offline `--sql` can show).
    pub sql: String,
    /// PostgreSQL's `CREATE/DROP INDEX CONCURRENTLY` (and `VACUUM`, on SQLite too, when
    /// declared `.outside_transaction()`) cannot run in a transaction block:
    /// the runner commits before it and begins again after it (Alembic's
    /// `autocommit_block`), giving up the revision's atomicity at that point.
    pub autocommit: bool,
    /// A SQLite table rebuild: the runner renders it when it runs, from the table as the
    /// database then has it (`retort_dialect::sqlite::live`), not from `sql`.
    pub rebuild: Option<Box<LiveRebuild>>,
}

/// A SQLite table rebuild to render at run time from the live table.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveRebuild {
    /// The op that rebuilds.
    pub op: Op,
    /// The replayed schema before it.
    pub schema: MetaData,
    /// The tables it rebuilds.
    pub tables: Vec<String>,
    /// Its statements as the replayed history renders them, or why the history could not
    /// render it (a table raw SQL made, say). Online this does not matter; offline it is
    /// what `--assume-history-shape` prints, or the error.
    pub history: Result<Vec<String>, DialectError>,
    /// The schema before it with the definitions `op.copy_from(..)` gave earlier in the
    /// revision in place of the history's tables, when every rebuilt table has one: what
    /// offline `--sql` rebuilds from.
    pub declared: Option<MetaData>,
}

impl Eq for LiveRebuild {}

/// [`ops_to_sql`], each statement flagged with whether it must run outside a transaction
/// ([`Dialect::op_needs_autocommit`]).
pub fn ops_to_statements(
    backend: Backend,
    ops: &[Op],
    schema: &mut MetaData,
) -> Result<Vec<Statement>, RenderError> {
    Ok(render_checked(backends::support(backend), ops, schema, false, false)?.statements)
}

/// An enum type whose live dependents the runner checks before statement `at` (0-based,
/// in the step) runs, against `known`, the schema at that point (see
/// `retort_dialect::postgres::enum_dependents`).
#[derive(Debug, Clone)]
pub(crate) struct EnumCheck {
    pub at: usize,
    pub schema: Option<String>,
    pub name: String,
    pub known: MetaData,
}

/// A table a statement drops, whose live triggers (PostgreSQL: also policies and rules) the
/// runner looks for before statement `at` runs: none may be there, since nothing in the
/// history knows them and `DROP TABLE` would take them along without a word.
#[derive(Debug, Clone)]
pub(crate) struct DropCheck {
    pub at: usize,
    pub schema: Option<String>,
    pub name: String,
}

/// What [`render_checked`] gives: the statements and the live checks before them.
pub(crate) struct Checked {
    pub statements: Vec<Statement>,
    pub enum_checks: Vec<EnumCheck>,
    pub drop_checks: Vec<DropCheck>,
}

/// [`ops_to_statements`] (each statement in its online form with `online`,
/// [`Dialect::online_statement`]), and with `check_enums` the [`EnumCheck`]s before each op that
/// the backend says recreates or drops an enum type or moves a column off one
/// ([`BackendSupport::enum_changed_by`]); on every backend the [`DropCheck`]s before each
/// `DROP TABLE`.
pub(crate) fn render_checked(
    backend: &dyn BackendSupport,
    ops: &[Op],
    schema: &mut MetaData,
    check_enums: bool,
    online: bool,
) -> Result<Checked, RenderError> {
    let d = backend.dialect();
    let mut out = Vec::with_capacity(ops.len());
    // The schema as `op.copy_from(..)` declared it, kept up to date by every later op.
    // With the names of the tables declared (SQLite: the `main` database's).
    let mut declared: Option<(MetaData, Vec<String>)> = None;
    let mut checks = Vec::new();
    let mut drop_checks = Vec::new();
    for op in ops {
        if let Op::CopyFrom { table } = op {
            let (md, names) = declared.get_or_insert_with(|| (schema.clone(), Vec::new()));
            let mut table = table.clone();
            if table.schema.is_none() {
                table.schema = md.default_schema().map(str::to_owned);
            }
            names.push(table.name.clone());
            let tables = md.tables_mut();
            tables.retain(|t| !(t.schema == table.schema && t.name == table.name));
            tables.push(table);
        }
        let tables = backend.rebuilt_tables(op, schema);
        if !tables.is_empty() {
            let history = d.render_op(op, schema);
            let sql = history
                .as_ref()
                .map_or_else(|_| String::new(), |s| s.join(";\n"));
            let declared_before = declared.as_ref().and_then(|(md, names)| {
                let covered = tables.iter().all(|t| names.iter().any(|name| name == t));
                covered.then(|| md.clone())
            });
            out.push(Statement {
                sql,
                autocommit: false,
                rebuild: Some(Box::new(LiveRebuild {
                    op: op.clone(),
                    schema: schema.clone(),
                    tables,
                    history,
                    declared: declared_before,
                })),
            });
        } else {
            let statements = d
                .render_op(op, schema)
                .map_err(|source| RenderError::Dialect {
                    op: op.describe(),
                    source,
                })?;
            if check_enums && !statements.is_empty() {
                if let Some((s, name)) = backend.enum_changed_by(op, schema) {
                    checks.push(EnumCheck {
                        at: out.len(),
                        schema: s,
                        name,
                        known: schema.clone(),
                    });
                }
            }
            if let Op::DropTable {
                schema: s, name, ..
            } = op
            {
                if !statements.is_empty() {
                    drop_checks.push(DropCheck {
                        at: out.len(),
                        schema: s.clone(),
                        name: name.clone(),
                    });
                }
            }
            let autocommit = d.op_needs_autocommit(op);
            out.extend(statements.into_iter().map(|sql| Statement {
                sql: if online {
                    d.online_statement(op, sql)
                } else {
                    sql
                },
                autocommit,
                rebuild: None,
            }));
        }
        // A failed replay leaves the schema as it was: see above.
        let _ = op.apply(schema);
        if let Some((md, _)) = &mut declared {
            let _ = op.apply(md);
        }
    }
    Ok(Checked {
        statements: out,
        enum_checks: checks,
        drop_checks,
    })
}
