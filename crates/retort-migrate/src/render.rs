//! The one place where recorded operations become SQL for the runner.
//!
//! [`ops_to_statements`] hands each operation to [`Dialect::render_op`] of the backend's
//! dialect ([`dialect_for`]), against the schema the history builds before it.

use retort_core::ops::Op;
use retort_core::MetaData;
use retort_dialect::{Dialect, DialectError};

use crate::url::Backend;

/// Why an operation could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    #[error("`{op}`: {source}")]
    Dialect {
        op: String,
        #[source]
        source: DialectError,
    },
}

/// The dialect of a backend.
pub fn dialect_for(backend: Backend) -> Box<dyn Dialect + Send + Sync> {
    match backend {
        Backend::Postgres => Box::new(retort_dialect::Postgres),
        Backend::Sqlite => Box::new(retort_dialect::Sqlite),
    }
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
    dialect: &dyn Dialect,
    ops: &[Op],
    schema: &mut MetaData,
) -> Result<Vec<String>, RenderError> {
    Ok(ops_to_statements(dialect, ops, schema)?
        .into_iter()
        .map(|s| s.sql)
        .collect())
}

/// One statement to run, and whether it must run outside any transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    /// PostgreSQL's `CREATE/DROP INDEX CONCURRENTLY` (and `VACUUM`, on SQLite too, when
    /// declared `.outside_transaction()`) cannot run in a transaction block:
    /// the runner commits before it and begins again after it (Alembic's
    /// `autocommit_block`), giving up the revision's atomicity at that point.
    pub autocommit: bool,
}

/// [`ops_to_sql`], each statement flagged with whether it must run outside a transaction
/// ([`Dialect::op_needs_autocommit`]).
pub fn ops_to_statements(
    d: &dyn Dialect,
    ops: &[Op],
    schema: &mut MetaData,
) -> Result<Vec<Statement>, RenderError> {
    Ok(render_checked(d, ops, schema, false)?.0)
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

/// [`ops_to_statements`], and with `check_enums` (PostgreSQL) the [`EnumCheck`]s before
/// each op that recreates or drops an enum type or moves a column off one.
pub(crate) fn render_checked(
    d: &dyn Dialect,
    ops: &[Op],
    schema: &mut MetaData,
    check_enums: bool,
) -> Result<(Vec<Statement>, Vec<EnumCheck>), RenderError> {
    let mut out = Vec::with_capacity(ops.len());
    let mut checks = Vec::new();
    for op in ops {
        let statements = d
            .render_op(op, schema)
            .map_err(|source| RenderError::Dialect {
                op: op.describe(),
                source,
            })?;
        if check_enums && !statements.is_empty() {
            if let Some((s, name)) = retort_dialect::postgres::enum_changed_by(op, schema) {
                checks.push(EnumCheck {
                    at: out.len(),
                    schema: s,
                    name,
                    known: schema.clone(),
                });
            }
        }
        let autocommit = d.op_needs_autocommit(op);
        out.extend(
            statements
                .into_iter()
                .map(|sql| Statement { sql, autocommit }),
        );
        // A failed replay leaves the schema as it was: see above.
        let _ = op.apply(schema);
    }
    Ok((out, checks))
}
