//! A column type change by add-copy-swap ([`Op::SwapColumnType`](retort_core::ops::Op)),
//! the online form of `ALTER COLUMN .. TYPE` (`docs/online.md`):
//!
//! * **start** (in the revision's transaction): `ADD COLUMN <col>__retort_new <type>`
//!   (nullable, no default: no rewrite; the column's collation) and a `BEFORE INSERT OR UPDATE OF <col>` trigger
//!   that sets the copy from the column, so writes from now on keep it in step;
//! * **backfill** (outside the transaction, one `DO` block): copies the rows in batches
//!   ordered by the primary key, each batch an `UPDATE` committed with its last key in a
//!   progress table `<table>_<col>__retort_backfill`; run again after a kill, it reads the
//!   table and goes on after the last committed batch. A `NOT NULL` column then gets
//!   `CHECK (copy IS NOT NULL) NOT VALID`, committed, and validated (a scan under `SHARE
//!   UPDATE EXCLUSIVE`); the progress table is dropped last;
//! * **finish** (in the revision's transaction, all short): drop the trigger and its
//!   function, rename the column to `<col>__retort_old` and the copy to the column's name,
//!   `SET NOT NULL` (proved by the validated check, no scan) and drop the check, set the
//!   default and comment again, drop the old column (a copy by now).
//!
//! The column moves to the end of the table. What the drop of the old column would take
//! with it (indexes, constraints, a referencing foreign key, ...) is refused, named, before
//! any SQL runs ([`retort_core::ops::swap_key`]).

use retort_core::ops::{swap_key, ColumnSwap, SwapStep};
use retort_core::MetaData;

use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

/// The statements of one step of `s`, against `md`, the schema before the swap.
pub(super) fn swap_column_type<D: Dialect + ?Sized>(
    d: &D,
    s: &ColumnSwap,
    md: &MetaData,
) -> Result<Vec<String>> {
    let key = swap_key(md, s.schema.as_deref(), &s.table, &s.column)
        .map_err(|r| DialectError::unsupported("PostgreSQL", r.what, r.hint))?;
    let schema = s.schema.as_deref().or(md.default_schema());
    let t = d.table_name(TableName::new(schema, &s.table))?;
    let q = |n: &str| d.quote_identifier(n);
    let col = q(&s.column)?;
    let copy = q(&s.copy_column())?;
    let trigger = q(&s.trigger_name())?;
    let function = d.qualified_name(schema, &s.trigger_name())?;
    let column = md
        .get_table(s.schema.as_deref(), &s.table)
        .and_then(|t| t.get_column(&s.column))
        .cloned()
        .ok_or_else(|| {
            DialectError::unsupported(
                "PostgreSQL",
                format!(
                    "an add-copy-swap of unknown column `{}.{}`",
                    s.table, s.column
                ),
                "check the column's name",
            )
        })?;
    let ty = d.column_type(&s.type_)?;
    Ok(match s.step {
        SwapStep::Start => {
            // The conversion reads the row's columns by name, as `USING` does.
            let conv = convert(s, &col);
            vec![
                match &column.collation {
                    Some(c) => format!("ALTER TABLE {t} ADD COLUMN {copy} {ty} COLLATE {}", q(c)?),
                    None => format!("ALTER TABLE {t} ADD COLUMN {copy} {ty}"),
                },
                format!(
                    "CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $retort$\n\
                     BEGIN\n    \
                     NEW.{copy} := (SELECT {conv} FROM (SELECT NEW.*) AS r);\n    \
                     RETURN NEW;\nEND\n$retort$"
                ),
                format!(
                    "CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF {col} ON {t} \
                     FOR EACH ROW EXECUTE FUNCTION {function}()"
                ),
            ]
        }
        SwapStep::Backfill => {
            let k = q(&key)?;
            let progress = d.qualified_name(schema, &s.progress_table())?;
            let key_type = format!("{t}.{k}%TYPE");
            let conv = convert(s, &col);
            let n = s.batch_size.max(1);
            let check = q(&s.not_null_check())?;
            let check_lit = d.string_literal(&s.not_null_check())?;
            let t_lit = d.string_literal(&t)?;
            let not_null = if column.nullable {
                String::new()
            } else {
                format!(
                    "    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = {t_lit}::regclass \
                     AND conname = {check_lit}) THEN\n        \
                     ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({copy} IS NOT NULL) NOT VALID;\n    \
                     END IF;\n    \
                     COMMIT;\n    \
                     ALTER TABLE {t} VALIDATE CONSTRAINT {check};\n    \
                     COMMIT;\n"
                )
            };
            vec![format!(
                "DO $retort$\n\
                 DECLARE\n    \
                 last_key {key_type};\n    \
                 upper_key {key_type};\n\
                 BEGIN\n    \
                 CREATE TABLE IF NOT EXISTS {progress} (last_key text);\n    \
                 SELECT p.last_key INTO last_key FROM {progress} AS p;\n    \
                 COMMIT;\n    \
                 LOOP\n        \
                 IF last_key IS NULL THEN\n            \
                 SELECT max(b.k) INTO upper_key FROM (SELECT {k} AS k FROM {t} ORDER BY {k} LIMIT {n}) AS b;\n            \
                 EXIT WHEN upper_key IS NULL;\n            \
                 UPDATE {t} SET {copy} = {conv} WHERE {k} <= upper_key;\n        \
                 ELSE\n            \
                 SELECT max(b.k) INTO upper_key FROM (SELECT {k} AS k FROM {t} WHERE {k} > last_key ORDER BY {k} LIMIT {n}) AS b;\n            \
                 EXIT WHEN upper_key IS NULL;\n            \
                 UPDATE {t} SET {copy} = {conv} WHERE {k} > last_key AND {k} <= upper_key;\n        \
                 END IF;\n        \
                 DELETE FROM {progress};\n        \
                 INSERT INTO {progress} VALUES (upper_key::text);\n        \
                 last_key := upper_key;\n        \
                 COMMIT;\n    \
                 END LOOP;\n\
                 {not_null}    \
                 DROP TABLE {progress};\n\
                 END\n$retort$"
            )]
        }
        SwapStep::Finish => {
            let old = q(&s.old_column())?;
            let mut out = vec![
                format!("DROP TRIGGER {trigger} ON {t}"),
                format!("DROP FUNCTION {function}()"),
                format!("ALTER TABLE {t} RENAME COLUMN {col} TO {old}"),
                format!("ALTER TABLE {t} RENAME COLUMN {copy} TO {col}"),
            ];
            if !column.nullable {
                out.push(format!("ALTER TABLE {t} ALTER COLUMN {col} SET NOT NULL"));
                out.push(format!(
                    "ALTER TABLE {t} DROP CONSTRAINT {}",
                    q(&s.not_null_check())?
                ));
            }
            if let Some(default) = &column.server_default {
                out.push(format!(
                    "ALTER TABLE {t} ALTER COLUMN {col} SET {}",
                    d.default_clause(default)?
                ));
            }
            if let Some(comment) = &column.comment {
                out.push(d.comment_on_column(
                    TableName::new(schema, &s.table),
                    &s.column,
                    Some(comment),
                )?);
            }
            out.push(format!("ALTER TABLE {t} DROP COLUMN {old}"));
            out
        }
    })
}

/// The new value from the row's columns: `using`, or the column. Not cast explicitly: it is
/// assigned to the copy, so an assignment cast converts it, as `ALTER .. TYPE` does (an
/// explicit cast would cut a too-long string to a `varchar(n)` instead of refusing it).
fn convert(s: &ColumnSwap, col: &str) -> String {
    match &s.using {
        Some(expr) => format!("({expr})"),
        None => col.to_owned(),
    }
}
