//! The table rebuild: how SQLite does what its `ALTER TABLE` cannot.
//!
//! This is the procedure SQLite documents (<https://sqlite.org/lang_altertable.html>,
//! "Making Other Kinds Of Table Schema Changes"), rendered as plain statements from the
//! schema before and after the operations, so it runs in the revision's transaction and
//! shows in offline `--sql` output like any other op. The schema "before" is the table as
//! the database has it when the runner renders it ([`super::live`], which also fills
//! [`Around`]); rendered from the replayed history alone (`render_op`), it knows only what
//! the revisions recorded.
//!
//! 0. With foreign keys to check: a snapshot of the references already broken
//!    (`_retort_fk_before`); then [`Around::before`] (views and triggers that name the
//!    table, dropped so that the `RENAME` below does not fail on them).
//! 1. `CREATE TABLE "_retort_tmp_t" (..)`: the table as it will be.
//! 2. `INSERT INTO "_retort_tmp_t" (rowid, cols) SELECT rowid, cols FROM t`: the columns
//!    both versions have (a renamed column read under its old name; generated columns are
//!    computed, not copied; a new column takes its default, so a new NOT NULL column
//!    without one fails here if the table has rows, as PostgreSQL's `ADD COLUMN` would),
//!    and the rowid, so rows keep their identity (an `INTEGER PRIMARY KEY` carries it).
//! 3. With an AUTOINCREMENT key on both sides, its `sqlite_sequence` row moves to the new
//!    table, so ids of deleted rows are still never reused.
//! 4. `DROP TABLE t`, then `ALTER TABLE "_retort_tmp_t" RENAME TO t`: in this order,
//!    because renaming the *old* table away would rewrite other tables' foreign keys to
//!    follow it.
//! 5. The table's indexes, created again (they were dropped with it), then
//!    [`Around::after`]: its triggers, the views, and indexes the history does not know,
//!    from their own text.
//! 6. When the table has foreign keys or is referenced: a check that no row of it or of
//!    the tables referring to it breaks a key that was not broken before (step 0), failing
//!    the statement (and so the transaction) if one does. Left to the runner when it
//!    compares `foreign_key_check` before and after itself ([`Around::runner_checks_keys`]).
//!
//! Foreign keys: SQLite's step 1 is `PRAGMA foreign_keys=OFF`, and it must be, when another
//! table (or the table itself) refers to the rebuilt one: with keys on, `DROP TABLE t`
//! deletes every row first, and that delete *cascades* to the children (`ON DELETE
//! CASCADE` rows deleted, `SET NULL` keys cleared). `PRAGMA defer_foreign_keys=ON` only
//! defers the checks, not those actions, so it is no substitute. But `PRAGMA foreign_keys`
//! is a no-op inside a transaction, so it is the runner's part: before `BEGIN` it runs
//! [`super::FOREIGN_KEYS_OFF`], before `COMMIT` it runs [`super::FOREIGN_KEY_CHECK`] and
//! rolls back if it returns any row, and after the transaction it runs
//! [`super::FOREIGN_KEYS_ON`] ([`super::Sqlite::needs_foreign_keys_off`]: for every
//! rebuild, since a key added by raw SQL is not in the history, and with keys on the copy
//! of a table holding orphan rows from before would fail on rows it did not break).
//! Because silently losing child rows is the worst outcome, the rebuild of a referenced
//! table starts with a guard that fails, naming the pragma, when keys are still on.

use std::collections::HashMap;

use retort_core::ops::Op;
use retort_core::{MetaData, Table};

use crate::{Dialect, DialectError, TableName};

use super::ddl::rowid_identity;
use super::plan::{is_referenced, TableKey};
use super::types::lower_enums;

type Result<T> = std::result::Result<T, DialectError>;

/// The name of the table being built; it exists only inside the rebuild.
pub fn tmp_name(table: &str) -> String {
    format!("_retort_tmp_{table}")
}

/// The statements that rebuild `key` from its state in `before` to its state in `after`,
/// where `ops` (consecutive, all on this table) lead from one to the other.
pub fn rebuild<D: Dialect + ?Sized>(
    d: &D,
    ops: &[&Op],
    before: &MetaData,
    after: &MetaData,
    key: &TableKey,
    around: &Around,
) -> Result<Vec<String>> {
    let missing = |when: &str| {
        DialectError::unsupported(
            d.name(),
            format!(
                "rebuilding table `{}`, which the schema {when} the operations lacks",
                key.name
            ),
            "check the operations' table names and schema",
        )
    };
    let old = key.find(before).ok_or_else(|| missing("before"))?;
    let new = key.find(after).ok_or_else(|| missing("after"))?;
    let schema = new.schema.as_deref();
    let table = TableName::new(schema, &new.name);
    let tmp = tmp_name(&new.name);

    let mut out = Vec::new();
    let mut children = referencing_tables(after, key);
    for child in &around.children {
        if !children.iter().any(|c| c.eq_ignore_ascii_case(child)) {
            children.push(child.as_str());
        }
    }
    if is_referenced(before, key) || is_referenced(after, key) || !around.children.is_empty() {
        out.extend(foreign_keys_off_guard(d, &new.name)?);
    }
    let checked: Vec<&str> = if around.runner_checks_keys
        || old.foreign_keys.is_empty() && new.foreign_keys.is_empty() && children.is_empty()
    {
        Vec::new()
    } else {
        std::iter::once(new.name.as_str())
            .chain(children.iter().copied())
            .collect()
    };
    if !checked.is_empty() {
        out.push(format!(
            "CREATE TEMP TABLE {} AS {}",
            d.quote_identifier(FK_BEFORE)?,
            foreign_key_rows(d, &checked, schema)?
        ));
    }
    out.extend(around.before.iter().cloned());

    let mut tmp_table = lower_enums(d, after, new)?.into_owned();
    tmp_table.name.clone_from(&tmp);
    out.push(d.create_table(&tmp_table)?);

    let (mut targets, mut sources) = copied_columns(ops, old, new);
    // Rows keep their rowid (an INTEGER PRIMARY KEY column copies it by itself), so the
    // foreign-key check afterwards names the same rows as before.
    if !targets.is_empty() && !has_rowid_alias(d, new) {
        targets.insert(0, "rowid");
        sources.insert(0, "rowid");
    }
    if !targets.is_empty() {
        let quoted = |names: &[&str]| -> Result<String> {
            let q: Result<Vec<String>> = names
                .iter()
                .map(|n| match *n {
                    "rowid" => Ok("rowid".to_owned()),
                    n => d.quote_identifier(n),
                })
                .collect();
            Ok(q?.join(", "))
        };
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            d.qualified_name(schema, &tmp)?,
            quoted(&targets)?,
            quoted(&sources)?,
            d.table_name(table)?
        ));
    }

    let autoincrement = |t: &Table| rowid_identity(d, t).ok().flatten().is_some();
    if autoincrement(old) && autoincrement(new) {
        let seq = d.qualified_name(schema, "sqlite_sequence")?;
        let (old_lit, tmp_lit) = (d.string_literal(&new.name)?, d.string_literal(&tmp)?);
        out.push(format!(
            "DELETE FROM {seq} WHERE name = {tmp_lit} \
             AND EXISTS (SELECT 1 FROM {seq} WHERE name = {old_lit})"
        ));
        out.push(format!(
            "UPDATE {seq} SET name = {tmp_lit} WHERE name = {old_lit}"
        ));
    }

    out.push(d.drop_table(table)?);
    out.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        d.qualified_name(schema, &tmp)?,
        d.quote_identifier(&new.name)?
    ));
    for index in &new.indexes {
        out.push(d.create_index(table, index)?);
    }
    out.extend(around.after.iter().cloned());
    if !checked.is_empty() {
        out.extend(foreign_key_check_guard(d, &new.name, schema, &checked)?);
    }
    Ok(out)
}

/// What a rebuild must do beyond the table itself, from the live database
/// ([`super::live`]); empty when rendering from the replayed history alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Around {
    /// Run first: `DROP VIEW` / `DROP TRIGGER` of the objects that name the table, which
    /// would make the `RENAME` fail (SQLite checks every view and trigger then).
    pub before: Vec<String>,
    /// Run after the swap: the `CREATE` text of those objects, of the table's triggers
    /// (dropped with the old table) and of its indexes the history does not know.
    pub after: Vec<String>,
    /// Tables other than itself whose foreign keys refer to it, as the database has them.
    pub children: Vec<String>,
    /// The runner compares `PRAGMA foreign_key_check` before and after the transaction and
    /// names the rows, so the rebuild need not check itself.
    pub runner_checks_keys: bool,
}

/// The snapshot of broken references taken before a rebuild, so that only those the
/// rebuild adds fail it.
const FK_BEFORE: &str = "_retort_fk_before";

/// Whether `t`'s primary key is its rowid (a single `INTEGER` column), so copying that
/// column copies the rowid.
fn has_rowid_alias<D: Dialect + ?Sized>(d: &D, t: &Table) -> bool {
    let Some(pk) = t.primary_key.as_ref().filter(|pk| pk.columns.len() == 1) else {
        return false;
    };
    t.get_column(&pk.columns[0])
        .and_then(|c| d.column_type(&c.ty).ok())
        .is_some_and(|ty| ty.eq_ignore_ascii_case("INTEGER"))
}

/// `SELECT "table", rowid, parent` of every broken reference held by the `tables`.
fn foreign_key_rows<D: Dialect + ?Sized>(
    d: &D,
    tables: &[&str],
    schema: Option<&str>,
) -> Result<String> {
    let schema_arg = match schema {
        Some(s) => format!(", {}", d.string_literal(s)?),
        None => String::new(),
    };
    let mut selects = Vec::new();
    for t in tables {
        selects.push(format!(
            "SELECT \"table\" AS t, rowid AS r, parent AS p FROM pragma_foreign_key_check({}{schema_arg})",
            d.string_literal(t)?
        ));
    }
    Ok(selects.join(" UNION ALL "))
}

/// The tables (in `key`'s schema, as SQLite requires) whose foreign keys refer to `key`,
/// other than itself.
fn referencing_tables<'m>(md: &'m MetaData, key: &TableKey) -> Vec<&'m str> {
    md.tables()
        .iter()
        .filter(|t| t.schema == key.schema && t.name != key.name)
        .filter(|t| {
            t.foreign_keys.iter().any(|fk| {
                fk.ref_table == key.name
                    && fk.ref_schema.as_deref().or(t.schema.as_deref()) == key.schema.as_deref()
            })
        })
        .map(|t| t.name.as_str())
        .collect()
}

/// `(new names, old names)` of the columns copied: every stored column of the new table
/// that the old table had, under its old name if the ops renamed it.
fn copied_columns<'a>(
    ops: &[&'a Op],
    old: &'a Table,
    new: &'a Table,
) -> (Vec<&'a str>, Vec<&'a str>) {
    // current name -> name in the old table, followed through the ops in order.
    let mut origin: HashMap<&str, &str> = old
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.name.as_str()))
        .collect();
    for op in ops {
        match op {
            Op::AlterColumn(a) => {
                if let Some(new_name) = &a.new_name {
                    if let Some(o) = origin.remove(a.column.as_str()) {
                        origin.insert(new_name.as_str(), o);
                    }
                }
            }
            Op::DropColumn { column, .. } => {
                origin.remove(column.as_str());
            }
            Op::AddColumn { column, .. } => {
                origin.remove(column.name.as_str());
            }
            _ => {}
        }
    }
    new.columns
        .iter()
        .filter(|c| c.computed.is_none())
        .filter_map(|c| {
            let from = *origin.get(c.name.as_str())?;
            old.get_column(from).map(|_| (c.name.as_str(), from))
        })
        .unzip()
}

/// Statements that fail with `message` unless `value` (a SQL expression) is 0: a CHECK
/// failure is the one error plain SQL can raise with a message of its own (SQLite names
/// the failed constraint).
fn guard<D: Dialect + ?Sized>(d: &D, value: &str, message: &str) -> Result<Vec<String>> {
    let guard = d.quote_identifier("_retort_guard")?;
    let message = d.quote_identifier(message)?;
    Ok(vec![
        format!("CREATE TEMP TABLE {guard} (n INTEGER CONSTRAINT {message} CHECK (n = 0))"),
        format!("INSERT INTO {guard} SELECT {value}"),
        format!("DROP TABLE temp.{guard}"),
    ])
}

/// Fails, naming the pragma, when foreign keys are on (see the module notes).
fn foreign_keys_off_guard<D: Dialect + ?Sized>(d: &D, table: &str) -> Result<Vec<String>> {
    guard(
        d,
        "foreign_keys FROM pragma_foreign_keys",
        &format!("rebuilding table {table} needs PRAGMA foreign_keys=OFF before the transaction"),
    )
}

/// Fails when a row of the rebuilt table or of a table that refers to it breaks a foreign
/// key that was not already broken before the rebuild (the `FK_BEFORE` snapshot): with
/// keys off nothing else checks them, so the rebuild checks itself and does not depend on
/// the runner's `PRAGMA foreign_key_check` (offline SQL run by hand included). Orphans that
/// were there before are not the rebuild's doing and do not fail it.
fn foreign_key_check_guard<D: Dialect + ?Sized>(
    d: &D,
    table: &str,
    schema: Option<&str>,
    checked: &[&str],
) -> Result<Vec<String>> {
    let before = d.quote_identifier(FK_BEFORE)?;
    let mut out = guard(
        d,
        &format!(
            "count(*) FROM ({} EXCEPT SELECT t, r, p FROM temp.{before})",
            foreign_key_rows(d, checked, schema)?
        ),
        &format!(
            "rebuilding table {table} left rows that break a foreign key: see PRAGMA foreign_key_check"
        ),
    )?;
    out.push(format!("DROP TABLE temp.{before}"));
    Ok(out)
}
