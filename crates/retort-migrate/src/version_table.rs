//! The SQL of the runner's two bookkeeping tables, as text.
//!
//! * the version table (`retort_version`): one row per applied head, `version_num
//!   VARCHAR(255)` as its primary key (`retort_version_pkc`, shortened like a naming
//!   convention's names when longer than the database keeps), as `alembic_version`;
//! * the log table (`retort_log`): one row per applied or reverted step, with the
//!   revision's checksum, the time and the duration.
//!
//! What differs between databases (the log table's generated columns, quoting, the name
//! length limit) is asked of the backend's [`BackendSupport`](retort_dialect::BackendSupport)
//! through [`crate::backends`].
//!
//! Statements are produced as plain SQL text with literals inlined (quotes doubled), so
//! that the online runner and the offline `--sql` output are byte for byte the same
//! statements.

use retort_core::graph::VersionChange;

use crate::backends;
use crate::driver::literal;
use crate::url::Backend;
use crate::Tables;

/// The direction recorded in the log table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LogDirection {
    /// The revision was applied.
    Upgrade,
    /// The revision was undone.
    Downgrade,
    /// `stamp`: the version table was set without running any script.
    Stamp,
    /// `repair`: the current file of the revision was accepted as the truth (its checksum
    /// is the one recorded), or, with no checksum, a revision whose file is gone was
    /// forgotten. See [`crate::Migrator::repair`].
    Repair,
    /// A revision with statements that run outside a transaction (PostgreSQL's
    /// `CREATE INDEX CONCURRENTLY`) committed part of its work: stored as
    /// `upgrade:N` / `downgrade:N`, N statements done ([`LogEntry::progress`]). Where DDL
    /// commits implicitly (MySQL), `upgrade:N?` is the intent row written just before
    /// statement N+1: the statement was begun and may have run ([`LogEntry::in_doubt`]).
    Partial,
}

impl LogDirection {
    /// The word stored in the log's `direction` column.
    pub fn as_str(self) -> &'static str {
        match self {
            LogDirection::Upgrade => "upgrade",
            LogDirection::Downgrade => "downgrade",
            LogDirection::Stamp => "stamp",
            LogDirection::Repair => "repair",
            LogDirection::Partial => "partial",
        }
    }
    /// The direction column read back: the direction, a progress row's (direction, done),
    /// and whether it is an intent row (`upgrade:N?`).
    fn parse(s: &str) -> Option<ParsedDirection> {
        if let Some((dir, done)) = s.split_once(':') {
            let (done, in_doubt) = match done.strip_suffix('?') {
                Some(done) => (done, true),
                None => (done, false),
            };
            let dir = match dir {
                "upgrade" => LogDirection::Upgrade,
                "downgrade" => LogDirection::Downgrade,
                _ => return None,
            };
            return Some((
                LogDirection::Partial,
                Some((dir, done.parse().ok()?)),
                in_doubt,
            ));
        }
        Some((
            match s {
                "upgrade" => LogDirection::Upgrade,
                "downgrade" => LogDirection::Downgrade,
                "stamp" => LogDirection::Stamp,
                "repair" => LogDirection::Repair,
                _ => return None,
            },
            None,
            false,
        ))
    }
}

impl std::fmt::Display for LogDirection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// [`LogDirection::parse`]'s answer.
type ParsedDirection = (LogDirection, Option<(LogDirection, usize)>, bool);

/// One row of the log table, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogEntry {
    /// The row's id (the order of the steps).
    pub id: i64,
    /// The revision's id.
    pub revision: String,
    /// What was done.
    pub direction: LogDirection,
    /// The checksum of the script as compiled when the step ran (`None` for stamps).
    pub checksum: Option<String>,
    /// When the step finished, as the database prints its timestamp.
    pub applied_at: String,
    /// How long the step took (`None` when written by offline SQL).
    pub duration_ms: Option<i64>,
    /// For a [`LogDirection::Partial`] row: the direction of the interrupted step and how
    /// many of its statements had been committed.
    pub progress: Option<(LogDirection, usize)>,
    /// For a [`LogDirection::Partial`] row written where DDL commits implicitly: the
    /// statement after the `progress` ones was begun, and the run ended before its
    /// progress row, so it may have run (`upgrade:N?`).
    pub in_doubt: bool,
}

/// An identifier as the backend's dialect quotes it (keywords and mixed case quoted);
/// should the dialect refuse the name (too long, NUL), it is double-quoted anyway and the
/// database gives the error.
pub(crate) fn ident_for(backend: Backend, name: &str) -> String {
    match backends::support(backend).dialect().quote_identifier(name) {
        Ok(q) => q,
        Err(_) => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// SQL for the bookkeeping tables of one database.
#[derive(Debug, Clone)]
pub struct VersionSql {
    backend: Backend,
    tables: Tables,
}

impl VersionSql {
    /// The bookkeeping SQL for `backend` with these table names.
    pub fn new(backend: Backend, tables: Tables) -> Self {
        VersionSql { backend, tables }
    }

    /// The version and log tables this SQL names.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    fn qualified(&self, table: &str) -> String {
        match &self.tables.schema {
            Some(s) => format!("{}.{}", self.ident(s), self.ident(table)),
            None => self.ident(table),
        }
    }

    fn ident(&self, name: &str) -> String {
        ident_for(self.backend, name)
    }

    /// `<table>_<suffix>`, shortened as a naming convention's names are when the database
    /// would cut it: PostgreSQL cuts at 63 bytes, so a 63-byte version table's `_pkc` would
    /// be cut back to the table's own name and collide with it.
    fn key_name(&self, table: &str, suffix: &str) -> String {
        let name = format!("{table}_{suffix}");
        match backends::support(self.backend)
            .dialect()
            .max_identifier_length()
        {
            Some(max) => retort_core::truncate_name(&name, max),
            None => name,
        }
    }

    fn version(&self) -> String {
        self.qualified(&self.tables.version)
    }

    fn log(&self) -> String {
        self.qualified(&self.tables.log)
    }

    /// `CREATE TABLE` of the version table.
    pub fn create_version_table(&self) -> String {
        format!(
            "CREATE TABLE {} (\n    version_num VARCHAR(255) NOT NULL,\n    CONSTRAINT {} PRIMARY KEY (version_num)\n)",
            self.version(),
            self.ident(&self.key_name(&self.tables.version, "pkc")),
        )
    }

    /// `CREATE TABLE` of the log table.
    pub fn create_log_table(&self) -> String {
        let columns = backends::support(self.backend).log_table_columns();
        let (id, at) = (columns.id, columns.applied_at);
        format!(
            "CREATE TABLE {} (\n    id {id} NOT NULL,\n    revision VARCHAR(255) NOT NULL,\n    direction VARCHAR(16) NOT NULL,\n    checksum VARCHAR(64),\n    applied_at {at},\n    duration_ms BIGINT,\n    CONSTRAINT {} PRIMARY KEY (id)\n)",
            self.log(),
            self.ident(&self.key_name(&self.tables.log, "pkey")),
        )
    }

    /// `INSERT` of a head into the version table.
    pub fn insert_version(&self, id: &str) -> String {
        format!(
            "INSERT INTO {} (version_num) VALUES ({})",
            self.version(),
            literal(id)
        )
    }

    /// `DELETE` of a head from the version table.
    pub fn delete_version(&self, id: &str) -> String {
        format!(
            "DELETE FROM {} WHERE version_num = {}",
            self.version(),
            literal(id)
        )
    }

    /// `UPDATE` of the version table from one head to the next.
    pub fn update_version(&self, from: &str, to: &str) -> String {
        format!(
            "UPDATE {} SET version_num = {} WHERE version_num = {}",
            self.version(),
            literal(to),
            literal(from)
        )
    }

    /// The statements that make the version table follow one planned step.
    pub fn change(&self, change: &VersionChange) -> Vec<String> {
        match change {
            VersionChange::Insert(id) => vec![self.insert_version(id)],
            VersionChange::Delete(id) => vec![self.delete_version(id)],
            VersionChange::Update { from, to } => vec![self.update_version(from, to)],
            VersionChange::Merge { delete, from, to } => delete
                .iter()
                .map(|d| self.delete_version(d))
                .chain(std::iter::once(self.update_version(from, to)))
                .collect(),
            VersionChange::Unmerge { from, to, insert } => {
                std::iter::once(self.update_version(from, to))
                    .chain(insert.iter().map(|i| self.insert_version(i)))
                    .collect()
            } // VersionChange is matched exhaustively on purpose: a new kind of change must
              // be written here before it can be planned.
        }
    }

    /// The rows the version table holds once `change` moved it from `before` (sorted):
    /// what the runner's compare-and-set expects to read back inside the step's
    /// transaction.
    pub fn rows_after(before: &[String], change: &VersionChange) -> Vec<String> {
        let mut rows = before.to_vec();
        let remove = |rows: &mut Vec<String>, id: &str| rows.retain(|r| r != id);
        match change {
            VersionChange::Insert(id) => rows.push(id.clone()),
            VersionChange::Delete(id) => remove(&mut rows, id),
            VersionChange::Update { from, to } => {
                remove(&mut rows, from);
                rows.push(to.clone());
            }
            VersionChange::Merge { delete, from, to } => {
                for d in delete {
                    remove(&mut rows, d);
                }
                remove(&mut rows, from);
                rows.push(to.clone());
            }
            VersionChange::Unmerge { from, to, insert } => {
                remove(&mut rows, from);
                rows.push(to.clone());
                rows.extend(insert.iter().cloned());
            }
        }
        rows.sort();
        rows
    }

    /// `DELETE` of every head (`stamp base`, `downgrade base`).
    pub fn delete_all_versions(&self) -> String {
        format!("DELETE FROM {}", self.version())
    }

    /// `SELECT` of the applied heads, sorted.
    pub fn select_versions(&self) -> String {
        format!(
            "SELECT version_num FROM {} ORDER BY version_num",
            self.version()
        )
    }

    /// `INSERT` of a log row for a step.
    pub fn insert_log(
        &self,
        revision: &str,
        direction: LogDirection,
        checksum: Option<&str>,
        duration_ms: Option<u128>,
    ) -> String {
        format!(
            "INSERT INTO {} (revision, direction, checksum, duration_ms) VALUES ({}, {}, {}, {})",
            self.log(),
            literal(revision),
            literal(direction.as_str()),
            checksum.map_or_else(|| "NULL".to_owned(), literal),
            duration_ms.map_or_else(|| "NULL".to_owned(), |d| d.to_string()),
        )
    }

    /// A [`LogDirection::Partial`] row: `done` statements of `direction` of `revision` are
    /// committed (see the runner's notes on statements outside a transaction).
    pub fn insert_progress(
        &self,
        revision: &str,
        direction: LogDirection,
        checksum: &str,
        done: usize,
    ) -> String {
        format!(
            "INSERT INTO {} (revision, direction, checksum, duration_ms) VALUES ({}, {}, {}, NULL)",
            self.log(),
            literal(revision),
            literal(&format!("{}:{done}", direction.as_str())),
            literal(checksum),
        )
    }

    /// The intent row written just before statement `done + 1` where DDL commits
    /// implicitly (`upgrade:N?`), in the open transaction: a DDL statement's implicit
    /// commit makes it durable before the statement runs, so a run killed before the
    /// statement's progress row leaves it recorded as in doubt rather than not begun.
    pub fn insert_intent(
        &self,
        revision: &str,
        direction: LogDirection,
        checksum: &str,
        done: usize,
    ) -> String {
        format!(
            "INSERT INTO {} (revision, direction, checksum, duration_ms) VALUES ({}, {}, {}, NULL)",
            self.log(),
            literal(revision),
            literal(&format!("{}:{done}?", direction.as_str())),
            literal(checksum),
        )
    }

    /// Every log row, oldest first, each column cast to text. Ordered by `l.id`, the
    /// column: a bare `id` would name the output column `CAST(id AS TEXT)` on PostgreSQL
    /// and sort as text, putting row 10 before row 2.
    pub fn select_log(&self) -> String {
        let text = |expr: &str| backends::support(self.backend).cast_to_text(expr);
        format!(
            "SELECT {}, l.revision, l.direction, l.checksum, {}, {} FROM {} AS l ORDER BY l.id",
            text("l.id"),
            text("l.applied_at"),
            text("l.duration_ms"),
            self.log()
        )
    }

    /// Reads the rows of [`VersionSql::select_log`]; rows that cannot be read are skipped
    /// rather than failing a read-only command.
    pub fn parse_log(rows: crate::driver::TextRows) -> Vec<LogEntry> {
        rows.into_iter()
            .filter_map(|r| {
                let mut it = r.into_iter();
                let id = it.next()??.parse().ok()?;
                let revision = it.next()??;
                let (direction, progress, in_doubt) = LogDirection::parse(&it.next()??)?;
                let checksum = it.next()?;
                let applied_at = it.next()??;
                let duration_ms = it.next()?.and_then(|d| d.parse().ok());
                Some(LogEntry {
                    id,
                    revision,
                    direction,
                    checksum,
                    applied_at,
                    duration_ms,
                    progress,
                    in_doubt,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_and_intent_rows_read_back() {
        let row = |id: &str, direction: &str| {
            vec![
                Some(id.to_owned()),
                Some("r1".to_owned()),
                Some(direction.to_owned()),
                Some("c".to_owned()),
                Some("t".to_owned()),
                None,
            ]
        };
        let log = VersionSql::parse_log(vec![
            row("1", "upgrade:0?"),
            row("2", "upgrade:1"),
            row("3", "downgrade:12?"),
            row("4", "upgrade"),
            row("5", "upgrade:x?"),
        ]);
        let read: Vec<_> = log
            .iter()
            .map(|e| (e.id, e.direction, e.progress, e.in_doubt))
            .collect();
        assert_eq!(
            read,
            [
                (
                    1,
                    LogDirection::Partial,
                    Some((LogDirection::Upgrade, 0)),
                    true
                ),
                (
                    2,
                    LogDirection::Partial,
                    Some((LogDirection::Upgrade, 1)),
                    false
                ),
                (
                    3,
                    LogDirection::Partial,
                    Some((LogDirection::Downgrade, 12)),
                    true
                ),
                (4, LogDirection::Upgrade, None, false),
            ],
            "a malformed row is skipped"
        );
        let sql = VersionSql::new(Backend::Mysql, Tables::default());
        assert!(sql
            .insert_intent("r1", LogDirection::Upgrade, "c", 2)
            .contains("'upgrade:2?'"));
    }

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        for backend in [Backend::Postgres, Backend::Sqlite] {
            let ident = |n: &str| ident_for(backend, n);
            assert_eq!(ident("retort_version"), "retort_version");
            assert_eq!(ident("Versions"), "\"Versions\"");
            assert_eq!(ident("select"), "\"select\"");
            assert_eq!(ident("limit"), "\"limit\"");
            assert_eq!(ident("a\"b"), "\"a\"\"b\"");
            assert_eq!(ident("x; DROP TABLE t"), "\"x; DROP TABLE t\"");
        }
    }

    #[test]
    fn rows_after_follows_every_change() {
        let v = |ids: &[&str]| ids.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let after = VersionSql::rows_after;
        assert_eq!(after(&[], &VersionChange::Insert("a".into())), v(&["a"]));
        assert_eq!(
            after(&v(&["a", "b"]), &VersionChange::Delete("a".into())),
            v(&["b"])
        );
        let update = VersionChange::Update {
            from: "a".into(),
            to: "c".into(),
        };
        assert_eq!(after(&v(&["a", "b"]), &update), v(&["b", "c"]));
        let merge = VersionChange::Merge {
            delete: vec!["a".into()],
            from: "b".into(),
            to: "m".into(),
        };
        assert_eq!(after(&v(&["a", "b"]), &merge), v(&["m"]));
        let unmerge = VersionChange::Unmerge {
            from: "m".into(),
            to: "b".into(),
            insert: vec!["a".into()],
        };
        assert_eq!(after(&v(&["m"]), &unmerge), v(&["a", "b"]));
    }

    #[test]
    fn values_are_escaped() {
        let sql = VersionSql::new(Backend::Postgres, Tables::default());
        assert_eq!(
            sql.insert_version("it's"),
            "INSERT INTO retort_version (version_num) VALUES ('it''s')"
        );
    }

    #[test]
    fn schema_qualifies_both_tables() {
        let tables = Tables {
            schema: Some("ops".into()),
            ..Tables::default()
        };
        let sql = VersionSql::new(Backend::Postgres, tables);
        assert!(sql
            .create_version_table()
            .starts_with("CREATE TABLE ops.retort_version ("));
        assert!(sql.select_log().contains("FROM ops.retort_log"));
    }
}
