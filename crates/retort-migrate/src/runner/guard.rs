//! The data-loss guard: `upgrade` and `downgrade` refuse a revision that drops a table
//! holding rows or a column holding values, unless the op says the loss is intended
//! (`op.drop_table("t").data_loss_ok()`, a flag on the recorded [`Op`]) or the run allows it
//! ([`DataLossGuard::Warn`]: the CLI's `--allow-data-loss`, or `[lint] data_loss = "warn"`
//! for an environment).
//!
//! # Design
//!
//! * Checked per revision, just before its first statement is sent (inside the run's one
//!   transaction in all-in-one mode, before the revision's own one otherwise), with the rows
//!   as they are then: data an earlier revision of the same run put in or took out counts.
//!   A refusal sends nothing of that revision; earlier revisions of the run stay applied as
//!   with any other failure (rolled back too in all-in-one mode).
//! * The ops are the recorded ones (plain data), so the guard sees what the revision says,
//!   not how a backend spells it: a SQLite rebuild that drops a column is the `drop_column`
//!   it renders. A table the revision itself creates (or a column it adds) before dropping
//!   it is not asked about, nor a table the database does not have when the revision starts
//!   (raw SQL of the revision makes it, or the statement fails on its own).
//! * Only counts are read (`COUNT(*)`, `COUNT(column)`: the non-NULL values), never a lock
//!   taken beyond what a `SELECT` takes.
//! * A revision resumed after an interruption is not checked again: it was when it began.
//! * Offline `--sql` cannot count: the script gets a comment before each unmarked drop
//!   instead (`runner::offline`), and is not refused.

use retort_core::graph::Direction;
use retort_core::ops::Op;

use crate::driver::Driver;
use crate::{backends, Backend};

/// What `upgrade` and `downgrade` do with a drop that would lose rows or values and is not
/// marked `.data_loss_ok()` (`[lint] data_loss` in `retort.toml`, per environment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DataLossGuard {
    /// Refuse the revision before any of it runs, naming each object and its count (the
    /// default).
    #[default]
    Refuse,
    /// Run it, and report each loss as a warning (the CLI's `--allow-data-loss`).
    Warn,
    /// Neither count nor report.
    Off,
}

impl DataLossGuard {
    /// `refuse`, `warn` or `off`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "refuse" => Some(DataLossGuard::Refuse),
            "warn" => Some(DataLossGuard::Warn),
            "off" => Some(DataLossGuard::Off),
            _ => None,
        }
    }

    /// The word `retort.toml` spells it with.
    pub fn as_str(self) -> &'static str {
        match self {
            DataLossGuard::Refuse => "refuse",
            DataLossGuard::Warn => "warn",
            DataLossGuard::Off => "off",
        }
    }
}

/// One drop that would lose data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataLoss {
    /// `table` or `column`.
    pub kind: &'static str,
    /// `schema.table` (the schema when the op or the database names one), or `table.column`.
    pub object: String,
    /// The table's rows, or the column's non-NULL values.
    pub rows: u64,
    /// The op's line in the revision file (1-based), when the file could be read.
    pub line: Option<usize>,
    /// The recorder call as a revision writes it, marked (`op.drop_table("orders").data_loss_ok()`).
    pub marked: String,
}

impl DataLoss {
    /// `3 rows`, or for a column `2 non-NULL values`.
    pub fn count_text(&self) -> String {
        match self.kind {
            "table" => format!("{} row{}", self.rows, plural(self.rows)),
            _ => format!("{} non-NULL value{}", self.rows, plural(self.rows)),
        }
    }
}

impl std::fmt::Display for DataLoss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} holds {}",
            self.kind,
            self.object,
            self.count_text()
        )
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A drop the guard asks the database about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Candidate {
    /// Which op of the revision (its index), for its line.
    pub op: usize,
    pub schema: Option<String>,
    /// The table's name in the database when the revision starts.
    pub table: String,
    /// The column's name in the database when the revision starts (`None`: the table).
    pub column: Option<String>,
    /// The names as the op writes them, for the message.
    pub shown_table: String,
    pub shown_column: Option<String>,
    pub marked: String,
}

/// The unmarked drops of one revision's ops whose data exists before the revision starts:
/// tables and columns the revision itself makes are left out, and renames made earlier in
/// it are followed back to the names the database has.
pub(super) fn candidates(ops: &[Op]) -> Vec<Candidate> {
    type T = (Option<String>, String);
    // Tables this revision creates, under their current name.
    let mut created: Vec<T> = Vec::new();
    // (current name, name at the revision's start) of tables it renamed.
    let mut renamed: Vec<(T, String)> = Vec::new();
    // Columns it adds: (table now, column now).
    let mut added: Vec<(T, String)> = Vec::new();
    // (table now, column now) -> column at start.
    let mut col_renamed: Vec<((T, String), String)> = Vec::new();
    let original = |renamed: &[(T, String)], t: &T| -> String {
        renamed
            .iter()
            .find(|(now, _)| now == t)
            .map_or_else(|| t.1.clone(), |(_, was)| was.clone())
    };
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match op {
            Op::CreateTable { table } => created.push((table.schema.clone(), table.name.clone())),
            Op::RenameTable {
                schema,
                old_name,
                new_name,
            } => {
                let old = (schema.clone(), old_name.clone());
                let new = (schema.clone(), new_name.clone());
                if let Some(c) = created.iter_mut().find(|c| **c == old) {
                    *c = new.clone();
                } else {
                    let was = original(&renamed, &old);
                    renamed.retain(|(now, _)| *now != old);
                    renamed.push((new.clone(), was));
                }
                for (t, _) in added.iter_mut() {
                    if *t == old {
                        *t = new.clone();
                    }
                }
                for ((t, _), _) in col_renamed.iter_mut() {
                    if *t == old {
                        *t = new.clone();
                    }
                }
            }
            Op::AddColumn {
                schema,
                table,
                column,
            } => added.push(((schema.clone(), table.clone()), column.name.clone())),
            Op::AlterColumn(a) => {
                if let Some(new_name) = &a.new_name {
                    let t = (a.schema.clone(), a.table.clone());
                    let old = (t.clone(), a.column.clone());
                    if let Some(x) = added.iter_mut().find(|x| **x == old) {
                        x.1.clone_from(new_name);
                    } else {
                        let was = col_renamed
                            .iter()
                            .find(|(now, _)| *now == old)
                            .map_or_else(|| a.column.clone(), |(_, w)| w.clone());
                        col_renamed.retain(|(now, _)| *now != old);
                        col_renamed.push(((t, new_name.clone()), was));
                    }
                }
            }
            Op::DropTable {
                schema,
                name,
                data_loss_ok,
                ..
            } => {
                let t = (schema.clone(), name.clone());
                if let Some(at) = created.iter().position(|c| *c == t) {
                    created.remove(at);
                    continue;
                }
                if !data_loss_ok {
                    out.push(Candidate {
                        op: i,
                        schema: schema.clone(),
                        table: original(&renamed, &t),
                        column: None,
                        shown_table: name.clone(),
                        shown_column: None,
                        marked: format!("op.{}.data_loss_ok()", op.call()),
                    });
                }
            }
            Op::DropColumn {
                schema,
                table,
                column,
                data_loss_ok,
                ..
            } => {
                let t = (schema.clone(), table.clone());
                let key = (t.clone(), column.clone());
                if created.contains(&t) {
                    continue;
                }
                if let Some(at) = added.iter().position(|x| *x == key) {
                    added.remove(at);
                    continue;
                }
                if !data_loss_ok {
                    let was = col_renamed
                        .iter()
                        .find(|(now, _)| *now == key)
                        .map_or_else(|| column.clone(), |(_, w)| w.clone());
                    out.push(Candidate {
                        op: i,
                        schema: schema.clone(),
                        table: original(&renamed, &t),
                        column: Some(was),
                        shown_table: table.clone(),
                        shown_column: Some(column.clone()),
                        marked: format!("op.{}.data_loss_ok()", op.call()),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The line of each candidate's op in the revision file `source` (its `direction`
/// function), when found.
pub(super) fn lines(source: Option<&str>, direction: Direction, ops: &[Op]) -> Vec<Option<usize>> {
    let function = match direction {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    };
    match source {
        Some(src) => crate::lint::locate::op_lines(src, function, ops)
            .into_iter()
            .map(|(line, _)| line)
            .collect(),
        None => vec![None; ops.len()],
    }
}

/// Counts what each candidate would lose; the ones holding nothing are left out. Tables
/// the database does not have (yet) are skipped.
pub(super) async fn count<D: Driver>(
    driver: &mut D,
    candidates: &[Candidate],
    lines: &[Option<usize>],
) -> Result<Vec<DataLoss>, sqlx::Error> {
    let backend = driver.backend();
    let support = backends::support(backend);
    let dialect = support.dialect();
    let mut default_schema: Option<Option<String>> = None;
    let mut out = Vec::new();
    for c in candidates {
        if !driver.table_exists(c.schema.as_deref(), &c.table).await? {
            continue;
        }
        let table = dialect
            .qualified_name(c.schema.as_deref(), &c.table)
            .unwrap_or_else(|_| c.table.clone());
        let counted = match &c.column {
            None => "*".to_owned(),
            Some(col) => dialect
                .quote_identifier(col)
                .unwrap_or_else(|_| col.clone()),
        };
        let cast = match backend {
            Backend::Mysql => "CHAR",
            _ => "TEXT",
        };
        let rows = driver
            .query_text(&format!(
                "SELECT CAST(COUNT({counted}) AS {cast}) FROM {table}"
            ))
            .await?;
        let n: u64 = rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if n == 0 {
            continue;
        }
        let object = match &c.shown_column {
            Some(col) => format!("{}.{col}", c.shown_table),
            None => {
                let schema = match &c.schema {
                    Some(s) => Some(s.clone()),
                    None => {
                        if default_schema.is_none() {
                            default_schema = Some(match support.default_schema_sql() {
                                Some(sql) => driver
                                    .query_text(sql)
                                    .await?
                                    .first()
                                    .and_then(|r| r.first().cloned().flatten()),
                                None => None,
                            });
                        }
                        default_schema.clone().flatten()
                    }
                };
                match schema {
                    Some(s) => format!("{s}.{}", c.shown_table),
                    None => c.shown_table.clone(),
                }
            }
        };
        out.push(DataLoss {
            kind: if c.column.is_some() {
                "column"
            } else {
                "table"
            },
            object,
            rows: n,
            line: lines.get(c.op).copied().flatten(),
            marked: c.marked.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::ops::Operations;
    use retort_core::{Column, Type};

    fn record(f: impl FnOnce(&mut Operations)) -> Vec<Op> {
        let mut ops = Operations::new();
        f(&mut ops);
        ops.into_ops()
    }

    fn names(c: &[Candidate]) -> Vec<(String, Option<String>)> {
        c.iter()
            .map(|c| (c.table.clone(), c.column.clone()))
            .collect()
    }

    #[test]
    fn marked_drops_are_not_candidates() {
        let ops = record(|op| {
            op.drop_table("a").data_loss_ok();
            op.drop_table("b");
            op.drop_column("c", "x").data_loss_ok();
            op.drop_column("c", "y");
        });
        let c = candidates(&ops);
        assert_eq!(
            names(&c),
            vec![("b".into(), None), ("c".into(), Some("y".into()))]
        );
        assert_eq!(c[0].op, 1);
        assert_eq!(c[0].marked, r#"op.drop_table("b").data_loss_ok()"#);
        assert_eq!(c[1].marked, r#"op.drop_column("c", "y").data_loss_ok()"#);
    }

    #[test]
    fn what_the_revision_makes_is_not_asked_about() {
        let ops = record(|op| {
            op.create_table("t", |t| {
                t.column("id", Type::Integer);
            });
            op.drop_column("t", "id");
            op.drop_table("t");
            op.add_column("u", Column::new("n", Type::Integer));
            op.drop_column("u", "n");
        });
        assert!(candidates(&ops).is_empty());
    }

    #[test]
    fn renames_are_followed_back_to_the_database_names() {
        let ops = record(|op| {
            op.rename_table("old", "new");
            op.alter_column("new", "a").new_column_name("b");
            op.drop_column("new", "b");
            op.drop_table("new");
        });
        let c = candidates(&ops);
        assert_eq!(
            names(&c),
            vec![("old".into(), Some("a".into())), ("old".into(), None)]
        );
        assert_eq!(c[0].shown_table, "new");
        assert_eq!(c[0].shown_column.as_deref(), Some("b"));
    }

    #[test]
    fn levels_parse() {
        assert_eq!(DataLossGuard::parse("Refuse"), Some(DataLossGuard::Refuse));
        assert_eq!(DataLossGuard::parse("warn"), Some(DataLossGuard::Warn));
        assert_eq!(DataLossGuard::parse("off"), Some(DataLossGuard::Off));
        assert_eq!(DataLossGuard::parse("error"), None);
        assert_eq!(DataLossGuard::default(), DataLossGuard::Refuse);
    }
}
