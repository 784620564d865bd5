//! The one place where recorded operations become SQL for the runner.
//!
//! `retort-dialect` will grow `Dialect::render_op`; until then [`ops_to_sql`] renders
//! `Op::Execute` itself, maps the operations the dialect already has statements for
//! (create/drop table, index, foreign key, constraint, enum type, schema, table comment)
//! onto those, and reports every other operation as [`RenderError::Unsupported`]. When
//! `render_op` lands only this function changes.

use retort_core::ops::Op;
use retort_dialect::{Dialect, DialectError, TableName};

use crate::url::Backend;

/// Why an operation could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    #[error("{dialect} cannot run `{op}` yet; write it as op.execute(\"...\") for now")]
    Unsupported { dialect: String, op: String },
    #[error("`{op}`: {source}")]
    Dialect {
        op: String,
        #[source]
        source: DialectError,
    },
}

/// The dialect of a backend, when `retort-dialect` has one.
pub fn dialect_for(backend: Backend) -> Option<Box<dyn Dialect + Send + Sync>> {
    match backend {
        Backend::Postgres => Some(Box::new(retort_dialect::Postgres)),
        Backend::Sqlite => None,
    }
}

/// The statements of `ops`, in order, without trailing `;`. `dialect` is `None` for a
/// database `retort-dialect` cannot render yet: then only `Op::Execute` is accepted.
pub fn ops_to_sql(
    dialect: Option<&dyn Dialect>,
    backend: Backend,
    ops: &[Op],
) -> Result<Vec<String>, RenderError> {
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        if let Op::Execute { sql, .. } = op {
            out.push(sql.trim().trim_end_matches(';').to_owned());
            continue;
        }
        let unsupported = || RenderError::Unsupported {
            dialect: dialect.map_or_else(|| backend.name().to_owned(), |d| d.name().to_owned()),
            op: op.describe(),
        };
        let Some(d) = dialect else {
            return Err(unsupported());
        };
        let rendered = match op {
            Op::CreateTable { table } => d.create_table(table),
            Op::DropTable { schema, name, .. } => {
                d.drop_table(TableName::new(schema.as_deref(), name))
            }
            Op::CreateIndex {
                schema,
                table,
                index,
                concurrently: false,
            } => d.create_index(TableName::new(schema.as_deref(), table), index),
            Op::DropIndex {
                schema,
                table,
                name,
                concurrently: false,
                ..
            } => d.drop_index(TableName::new(schema.as_deref(), table), name),
            Op::CreateForeignKey {
                schema,
                table,
                foreign_key,
            } => d.add_foreign_key(TableName::new(schema.as_deref(), table), foreign_key),
            Op::DropConstraint {
                schema,
                table,
                name,
                ..
            } => d.drop_constraint(TableName::new(schema.as_deref(), table), name),
            Op::CreateEnum { enum_type } => d.create_enum_type(enum_type),
            Op::CreateSchema { name } => d.create_schema(name),
            Op::DropSchema { name } => d.drop_schema(name),
            Op::CreateTableComment {
                schema,
                table,
                comment,
                ..
            } => d.comment_on_table(TableName::new(schema.as_deref(), table), Some(comment)),
            Op::DropTableComment { schema, table, .. } => {
                d.comment_on_table(TableName::new(schema.as_deref(), table), None)
            }
            _ => return Err(unsupported()),
        };
        out.push(rendered.map_err(|source| RenderError::Dialect {
            op: op.describe(),
            source,
        })?);
    }
    Ok(out)
}
