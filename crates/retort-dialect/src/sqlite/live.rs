//! A table rebuild built from the table as the database has it, not only as the revision
//! history replays it (SQLite's procedure:
//! <https://www.sqlite.org/lang_altertable.html#otheralter>).
//!
//! The replayed history knows what revisions recorded as operations; raw SQL
//! (`op.execute(..)`) and hand edits are opaque to it. A rebuild rendered from the history
//! alone would leave out a column added by raw SQL (and its rows), its indexes, the
//! table's triggers (dropped with the old table) and would fail on a view over the table.
//! So the runner reads the catalog just before the rebuild runs (inside the revision's
//! transaction, after the statements before it) and hands the rows to
//! [`render_op_live`], which stays pure:
//!
//! * **the table**: its introspected shape, each part taken in the history's form where the
//!   two agree (so an enum column stays the enum the operations know) and in the live form
//!   where they do not (a column, check, unique or key the history lacks, or one changed
//!   by hand); the operation is applied to that. Every column the new shape keeps is
//!   copied, with its rowid.
//! * **indexes** the history does not know are re-created from their own `CREATE INDEX`
//!   text after the swap; those it knows are rendered from the new shape, as before.
//! * **triggers** on the table are re-created from their text after the swap.
//! * **views** that name the table (and views that name those) are dropped before the swap
//!   and re-created after it, with the triggers on them; triggers of other tables that name
//!   any of these are dropped and re-created too (SQLite checks every view and trigger when
//!   the new table is renamed into place, and fails on one that names a missing table).
//! * **foreign keys**: the tables whose keys refer to it are read from the database, so a
//!   key added by raw SQL is known as well. The runner that calls this turns keys off
//!   around every rebuild and compares `PRAGMA foreign_key_check` before and after the
//!   transaction, naming the rows it broke, so the rebuild does not check itself.
//!
//! Refused, with [`DialectError::Rebuild`] naming the object, rather than dropped: a clause
//! of the table the model cannot carry (`COLLATE` on a key's column, `ON CONFLICT`,
//! `WITHOUT ROWID`, `STRICT`; a column's own `COLLATE` is carried as its collation); an index, trigger or view whose text names a column the operation drops or
//! renames (its text cannot be rewritten safely); a table the history has and the database
//! does not, or one in an attached database (only `main`'s catalog is read). Names are
//! matched as whole tokens, so a refusal can be cautious (a view that names `qty` of
//! another table), never a silent loss.

use retort_core::ops::Op;
use retort_core::{DialectKind, MetaData, Table};

use crate::{Dialect, DialectError};

use super::enums::{adopt_unnamed_enum_checks, lower_read_enums};
use super::introspect::{
    build_sqlite_metadata, names, normalise_table, unmodelled_clauses, Row, SqliteCatalogRows,
    SqliteIntrospectOptions,
};
use super::plan::{plan, Plan, TableKey};
use super::rebuild::{rebuild, Around};
use super::render::{applied, render_op};

type Result<T> = std::result::Result<T, DialectError>;

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;

/// The catalog query whose rows are [`LiveCatalog::objects`].
pub const SCHEMA_OBJECTS_SQL: &str = include_str!("../../queries/sqlite/schema_objects.sql");

/// What the runner read from the database just before a rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveCatalog {
    /// The rows of every [`super::introspect::SqliteCatalogQuery`], with no table excluded.
    pub tables: SqliteCatalogRows,
    /// The rows of [`SCHEMA_OBJECTS_SQL`]: type, name, table, `CREATE` text.
    pub objects: Vec<Row>,
}

/// The tables `op` rebuilds on SQLite, `schema` being the replayed schema before it; empty
/// when it rebuilds none.
pub fn rebuilt_tables(op: &Op, schema: &MetaData) -> Vec<String> {
    // SQLite's own variant of each type and default, as `render_op` plans with.
    let kind = Some(DialectKind::Sqlite);
    match plan(&op.for_dialect(kind), &schema.for_dialect(kind)) {
        Plan::Rebuild(keys) => keys.into_iter().map(|k| k.name).collect(),
        _ => Vec::new(),
    }
}

/// The statements of `op`, its rebuilds built from `live` (see the module notes); `history`
/// is the replayed schema before the op. An op that rebuilds nothing renders as usual.
pub fn render_op_live<D: Dialect + ?Sized>(
    d: &D,
    op: &Op,
    history: &MetaData,
    live: &LiveCatalog,
) -> Result<Vec<String>> {
    // SQLite's own variant of each type and default (`Type::with_variant`), as `render_op`
    // resolves them: an unresolved one is refused by the DDL.
    let (op, history) = (&*op.for_dialect(d.kind()), &*history.for_dialect(d.kind()));
    let Plan::Rebuild(keys) = plan(op, history) else {
        return render_op(d, op, history);
    };
    let objects: Vec<Object> = live.objects.iter().filter_map(Object::of_row).collect();
    let mut before = history.clone();
    for key in &keys {
        let table = live_table(history, live, key)?;
        put_table(&mut before, key, table);
    }
    let after = applied(op, &before, 1).map_err(|e| DialectError::Rebuild {
        table: keys.first().map(|k| k.name.clone()).unwrap_or_default(),
        object: "the table as the database has it".into(),
        problem: format!("does not fit the operation: {e}"),
        hint: "the database differs from what the revision history built; compare them with \
               `check` and bring the history in line (or change the table with op.execute(..))"
            .into(),
    })?;
    let mut out = Vec::new();
    for key in &keys {
        let around = around(key, op, &before, &objects, &live.tables)?;
        out.extend(rebuild(d, &[op], &before, &after, key, &around)?);
    }
    Ok(out)
}

/// The statements of `op`, its rebuilds built from the tables as `declared` has them (the
/// replayed schema with the definitions `op.copy_from(..)` gave in place of the history's),
/// for offline SQL, which has no database to read. Nothing but those definitions is known:
/// no trigger or view is carried over, and the rebuild checks its own foreign keys.
pub fn render_op_declared<D: Dialect + ?Sized>(
    d: &D,
    op: &Op,
    history: &MetaData,
    declared: &MetaData,
) -> Result<Vec<String>> {
    let (op, history) = (&*op.for_dialect(d.kind()), &*history.for_dialect(d.kind()));
    let declared = &*declared.for_dialect(d.kind());
    let Plan::Rebuild(keys) = plan(op, history) else {
        return render_op(d, op, history);
    };
    let mut before = history.clone();
    for key in &keys {
        let table = key
            .find(declared)
            .cloned()
            .ok_or_else(|| DialectError::Rebuild {
                table: key.name.clone(),
                object: "the table".into(),
                problem: "has no definition from op.copy_from(..) in this revision".into(),
                hint: "declare it with op.copy_from(..) before the operation, or pass \
                   --assume-history-shape"
                    .into(),
            })?;
        put_table(&mut before, key, table);
    }
    let after = applied(op, &before, 1).map_err(|e| DialectError::Rebuild {
        table: keys.first().map(|k| k.name.clone()).unwrap_or_default(),
        object: "the definition given by op.copy_from(..)".into(),
        problem: format!("does not fit the operation: {e}"),
        hint: "give the table as the database has it before this operation".into(),
    })?;
    let mut out = Vec::new();
    for key in &keys {
        out.extend(rebuild(d, &[op], &before, &after, key, &Around::default())?);
    }
    Ok(out)
}

/// One row of [`SCHEMA_OBJECTS_SQL`].
struct Object {
    kind: String,
    name: String,
    table: String,
    sql: String,
}

impl Object {
    fn of_row(row: &Row) -> Option<Self> {
        let text = |i: usize| row.get(i).cloned().flatten();
        Some(Object {
            kind: text(0)?,
            name: text(1)?,
            table: text(2)?,
            sql: text(3)?,
        })
    }
    fn refuse(&self, table: &str, problem: String) -> DialectError {
        DialectError::Rebuild {
            table: table.to_owned(),
            object: format!("{} `{}`", self.kind, self.name),
            problem,
            hint: format!(
                "drop the {} with op.execute(..) before this operation and create it again \
                 after it, written for the new columns",
                self.kind
            ),
        }
    }
}

/// The table `key` as the database has it, in the history's form where they agree.
fn live_table(history: &MetaData, live: &LiveCatalog, key: &TableKey) -> Result<Table> {
    let refuse = |object: &str, problem: String, hint: &str| DialectError::Rebuild {
        table: key.name.clone(),
        object: object.to_owned(),
        problem,
        hint: hint.to_owned(),
    };
    // The catalog rows are the `main` database's: a table of an attached one could be
    // mistaken for a `main` table of the same name.
    if key.schema.as_deref().is_some_and(|s| s != "main") {
        return Err(refuse(
            "the table",
            format!(
                "is in the attached database `{}`, whose catalog the rebuild does not read",
                key.schema.as_deref().unwrap_or_default()
            ),
            "make this change with op.execute(..) following SQLite's ALTER TABLE procedure",
        ));
    }
    let mine = |rows: &[Row]| -> Vec<Row> {
        rows.iter()
            .filter(|r| {
                r.first()
                    .cloned()
                    .flatten()
                    .is_some_and(|t| t.eq_ignore_ascii_case(&key.name))
            })
            .cloned()
            .collect()
    };
    let rows = SqliteCatalogRows {
        columns: mine(&live.tables.columns),
        foreign_keys: mine(&live.tables.foreign_keys),
        indexes: mine(&live.tables.indexes),
    };
    let Some(sql) = rows
        .columns
        .first()
        .and_then(|r| r.get(1).cloned().flatten())
    else {
        return Err(refuse(
            "the table",
            "is not in the database, though the revision history has it".into(),
            "check which database this is (`current`), or stamp it to the revision it is at",
        ));
    };
    if let Some(clause) = unmodelled_clauses(&sql).first() {
        return Err(refuse(
            "its CREATE TABLE text",
            format!(
                "declares {clause}, which Retort's model does not carry, so the rebuilt table \
                 would lose it"
            ),
            "make this change with op.execute(..) following SQLite's ALTER TABLE procedure, \
             or remove the clause first",
        ));
    }
    let options = SqliteIntrospectOptions::default().exclude_tables(Vec::<String>::new());
    let md = build_sqlite_metadata(&rows, &options).map_err(|e| {
        refuse(
            "its definition",
            format!("cannot be read ({e})"),
            "make this change with op.execute(..)",
        )
    })?;
    let Some(found) = md.tables().first() else {
        return Err(refuse(
            "the table",
            "could not be read from the database".into(),
            "make this change with op.execute(..)",
        ));
    };
    let mut table = match key.find(history) {
        Some(known) => merge(history, known, found, &md),
        None => found.clone(),
    };
    table.schema.clone_from(&key.schema);
    Ok(table)
}

/// `live` in `known`'s form wherever the two agree (see the module notes).
/// `read` is the metadata `live` was read into, with the enum types of its columns.
fn merge(md: &MetaData, known: &Table, live: &Table, read: &MetaData) -> Table {
    // `known` as SQLite would give it back; it keeps `known`'s order of keys, uniques and
    // checks. An enum column stored in the earlier unnamed form is read as the enum the
    // history has, when it has exactly its values (the rebuild writes the named form). An
    // enum whose values in the table are not the history's (changed by hand) stays as it is
    // stored, a column and a check the history lacks, so the rebuild keeps its values.
    let stored_md = normalise_table(md, known);
    let Some(stored) = stored_md.tables().first() else {
        return live.clone();
    };
    let changed: Vec<String> = read
        .enums()
        .iter()
        .filter(|e| {
            stored_md
                .enums()
                .iter()
                .any(|k| k.name == e.name && k.values != e.values)
        })
        .map(|e| e.name.clone())
        .collect();
    let mut live_md = MetaData::new();
    live_md
        .tables_mut()
        .push(lower_read_enums(read, live, &changed));
    adopt_unnamed_enum_checks(&mut live_md, &stored_md);
    let Some(live) = live_md.tables().first() else {
        return live.clone();
    };
    let mut out = known.clone();
    out.columns = live
        .columns
        .iter()
        .map(
            |lc| match (known.get_column(&lc.name), stored.get_column(&lc.name)) {
                (Some(kc), Some(sc)) if sc == lc => kc.clone(),
                _ => lc.clone(),
            },
        )
        .collect();
    out.primary_key = if stored.primary_key == live.primary_key {
        known.primary_key.clone()
    } else {
        live.primary_key.clone()
    };
    out.foreign_keys = live
        .foreign_keys
        .iter()
        .map(
            |lf| match stored.foreign_keys.iter().position(|sf| sf == lf) {
                Some(i) => known.foreign_keys[i].clone(),
                None => lf.clone(),
            },
        )
        .collect();
    out.uniques = live
        .uniques
        .iter()
        .map(|lu| match stored.uniques.iter().position(|su| su == lu) {
            Some(i) => known.uniques[i].clone(),
            None => lu.clone(),
        })
        .collect();
    let checks = live
        .checks
        .iter()
        .map(|lc| match known.checks.iter().find(|kc| *kc == lc) {
            Some(kc) => kc.clone(),
            None => lc.clone(),
        })
        .collect();
    out.checks = checks;
    // An index the history knows (same name, uniqueness and columns) is rendered from the
    // new shape; any other index of the table is re-created from its own text.
    out.indexes = known
        .indexes
        .iter()
        .filter(|ki| {
            live.indexes.iter().any(|li| {
                li.name == ki.name
                    && li.unique == ki.unique
                    && li.column_names().eq(ki.column_names())
            })
        })
        .cloned()
        .collect();
    out
}

/// What the rebuild of `key` must drop before and re-create after, and who refers to it.
fn around(
    key: &TableKey,
    op: &Op,
    before: &MetaData,
    objects: &[Object],
    tables: &SqliteCatalogRows,
) -> Result<Around> {
    let name = key.name.as_str();
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let table = key.find(before);
    let known_index = |index: &str| {
        table.is_some_and(|t| {
            t.indexes
                .iter()
                .any(|i| i.name.as_deref().is_some_and(|n| same(n, index)))
        })
    };
    // Views that name the table, then views that name those, in discovery order (so each
    // is re-created after what it uses).
    let mut named: Vec<&str> = vec![name];
    let mut views: Vec<&Object> = Vec::new();
    loop {
        let next = objects.iter().find(|o| {
            o.kind == "view"
                && !named.iter().any(|n| same(n, &o.name))
                && named.iter().any(|n| names(&o.sql, n))
        });
        let Some(view) = next else { break };
        named.push(&view.name);
        views.push(view);
    }
    let on_named = |o: &&Object| named.iter().any(|n| same(n, &o.table));
    let triggers: Vec<&Object> = objects
        .iter()
        .filter(|o| o.kind == "trigger")
        .filter(|o| on_named(o) || named.iter().any(|n| names(&o.sql, n)))
        .collect();
    let indexes: Vec<&Object> = objects
        .iter()
        .filter(|o| o.kind == "index" && same(&o.table, name) && !known_index(&o.name))
        .collect();

    let lost = lost_columns(op);
    for object in indexes.iter().chain(&triggers).chain(&views) {
        if let Some(column) = lost.iter().find(|c| names(&object.sql, c)) {
            return Err(object.refuse(
                name,
                format!("uses column `{column}`, which this operation drops or renames"),
            ));
        }
    }

    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = Around {
        runner_checks_keys: true,
        ..Around::default()
    };
    // Triggers of the table and of the views go with them; the others are dropped here.
    for t in triggers.iter().filter(|t| !on_named(t)) {
        out.before.push(format!("DROP TRIGGER {}", quote(&t.name)));
    }
    for v in views.iter().rev() {
        out.before.push(format!("DROP VIEW {}", quote(&v.name)));
    }
    out.after.extend(indexes.iter().map(|o| o.sql.clone()));
    out.after.extend(views.iter().map(|o| o.sql.clone()));
    out.after.extend(triggers.iter().map(|o| o.sql.clone()));
    for row in &tables.foreign_keys {
        let text = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
        let (owner, parent) = (text(0), text(3));
        if same(&parent, name) && !same(&owner, name) && !out.children.contains(&owner) {
            out.children.push(owner);
        }
    }
    Ok(out)
}

/// The columns that `op` drops or renames: text that names them breaks.
fn lost_columns(op: &Op) -> Vec<String> {
    match op {
        Op::DropColumn { column, .. } => vec![column.clone()],
        Op::AlterColumn(a) if a.new_name.is_some() => vec![a.column.clone()],
        _ => Vec::new(),
    }
}

/// Puts `table` in `md` in place of the table `key` names, or adds it.
fn put_table(md: &mut MetaData, key: &TableKey, table: Table) {
    let tables = md.tables_mut();
    match tables
        .iter_mut()
        .find(|t| t.schema == key.schema && t.name == key.name)
    {
        Some(t) => *t = table,
        None => tables.push(table),
    }
}
