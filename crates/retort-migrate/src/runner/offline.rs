//! Offline `--sql`: the statements a run would execute, as a script, with no database.
//!
//! The same [`VersionSql`] and the online runner's rendering (`run::render_plan`) produce
//! the text, so the script is what the online runner would have run, transactions included (`BEGIN`/`COMMIT` per revision, or
//! around the whole script in all-in-one mode). With no database to read, the starting
//! heads come from the range: `upgrade a:b` starts at `a`, `upgrade b` at base (and then
//! creates the bookkeeping tables first, as Alembic does); a downgrade needs `from:to`.
//! Log rows carry no duration: nothing was timed. Around a statement that runs outside a
//! transaction the script writes the same progress rows (`upgrade:N`) as the online runner,
//! and around a SQLite rebuild it turns foreign keys off and on again as the online runner
//! does (its `PRAGMA foreign_key_check` rows are for the reader: a script cannot roll back
//! on them).
//!
//! A SQLite rebuild online is built from the live table; a script has none to read. So a
//! script that would rebuild a table is refused ([`MigrateError::OfflineRebuild`]) unless
//! the revision declares the table as the database has it with `op.copy_from(..)`
//! (Alembic's batch `copy_from`), used from there on in that revision, or the caller
//! accepts the replayed history's shape ([`Migrator::with_assumed_history_shape`], the
//! CLI's `--assume-history-shape`). A comment before each rebuild says which it is and what
//! it cannot know.
//!
//! The data-loss guard cannot count rows offline: a script is not refused for it, and each
//! unmarked drop of a table or column gets a `-- data-loss guard:` comment after its
//! revision's `Running` line instead.
//!
//! Every statement ends with `;`, on a line of its own when raw SQL ends in a `-- comment`
//! that would swallow it; a PostgreSQL script starts with `\set ON_ERROR_STOP on`, so
//! `psql -f` stops at the first failed statement instead of running on and recording a
//! version whose statements failed.

use retort_core::graph::Plan;
use retort_dialect::sql_text;

use super::{MigrateError, Migrator};
use crate::render::RenderError;
use crate::version_table::{LogDirection, VersionSql};
use crate::{Backend, TransactionMode};
use retort_dialect::sqlite::live::render_op_declared;

impl Migrator {
    /// The SQL script of `upgrade <range>` (`to` or `from:to`) for `backend`.
    pub fn offline_upgrade(&self, backend: Backend, range: &str) -> Result<String, MigrateError> {
        let (from, to) = match range.split_once(':') {
            Some((from, to)) => (Some(from), to),
            None => (None, range),
        };
        let current = match from {
            Some(from) => self.graph.resolve(from)?,
            None => Vec::new(),
        };
        let plan = self.graph.plan_upgrade(&current, to)?;
        self.render_script(backend, &plan, current.is_empty())
    }

    /// The SQL script of `downgrade <from>:<to>` for `backend`.
    pub fn offline_downgrade(&self, backend: Backend, range: &str) -> Result<String, MigrateError> {
        let Some((from, to)) = range.split_once(':') else {
            return Err(MigrateError::OfflineRange {
                what: format!("downgrade {range}"),
                example: format!("head:{range}"),
            });
        };
        let current = self.graph.resolve(from)?;
        let plan = self.graph.plan_downgrade(&current, to)?;
        self.render_script(backend, &plan, false)
    }

    /// The SQL script of `stamp <targets> [--purge]` for `backend`. The first target may
    /// be a range `from:to`; without one the script starts from base and creates the
    /// bookkeeping tables first.
    pub fn offline_stamp(
        &self,
        backend: Backend,
        targets: &[&str],
        purge: bool,
    ) -> Result<String, MigrateError> {
        let (from, first) = match targets.first().and_then(|t| t.split_once(':')) {
            Some((from, to)) => (Some(from), Some(to)),
            None => (None, targets.first().copied()),
        };
        let mut wanted: Vec<&str> = first.into_iter().collect();
        wanted.extend(targets.iter().skip(1).copied());
        let current = match from {
            Some(from) => self.graph.resolve(from)?,
            None => Vec::new(),
        };
        let plan = self.graph.plan_stamp(&current, &wanted, purge)?;
        let sql = VersionSql::new(backend, self.tables.clone());
        let mut out = ScriptText::new(backend);
        out.statement("BEGIN");
        if from.is_none() {
            out.statement(&sql.create_version_table());
            out.statement(&sql.create_log_table());
        }
        if purge {
            out.statement(&sql.delete_all_versions());
        }
        for step in &plan.steps {
            for s in sql.change(&step.change) {
                out.statement(&s);
            }
            for rev in &step.to {
                out.statement(&sql.insert_log(rev, LogDirection::Stamp, None, None));
            }
        }
        out.statement("COMMIT");
        Ok(out.finish())
    }

    /// The SQL script of `ensure_version --sql`: the version and log tables.
    pub fn offline_ensure_version(&self, backend: Backend) -> String {
        let sql = VersionSql::new(backend, self.tables.clone());
        let mut out = ScriptText::new(backend);
        out.statement(&sql.create_version_table());
        out.statement(&sql.create_log_table());
        out.finish()
    }

    fn render_script(
        &self,
        backend: Backend,
        plan: &Plan,
        from_base: bool,
    ) -> Result<String, MigrateError> {
        let sql = VersionSql::new(backend, self.tables.clone());
        let all_in_one = self.mode == TransactionMode::All;
        let rendered = self.render_plan(backend, plan)?;
        if !self.assume_history_shape {
            for (step, r) in plan.steps.iter().zip(&rendered) {
                let tables: Vec<String> = r
                    .statements
                    .iter()
                    .filter_map(|s| s.rebuild.as_ref())
                    .filter(|rb| rb.declared.is_none())
                    .flat_map(|rb| rb.tables.iter().cloned())
                    .collect();
                if !tables.is_empty() {
                    return Err(MigrateError::OfflineRebuild {
                        revision: step.revision.clone(),
                        path: r.script.path.to_owned(),
                        tables,
                    });
                }
            }
        }
        // As online: SQLite's foreign keys off around a transaction rebuilding a table
        // others refer to (else the rebuild's DROP TABLE cascades into the children).
        let fk = crate::backends::support(backend).foreign_key_switch();
        let run_fk_off = fk.filter(|_| all_in_one && rendered.iter().any(|r| r.fk_off));
        let mut out = ScriptText::new(backend);
        if let Some(fk) = run_fk_off {
            out.statement(fk.off);
        }
        if all_in_one || from_base {
            out.statement("BEGIN");
        }
        if from_base {
            out.statement(&sql.create_version_table());
            out.statement(&sql.create_log_table());
            if !all_in_one {
                out.statement("COMMIT");
            }
        }
        for (step, r) in plan.steps.iter().zip(rendered) {
            // No database to count rows in: each unmarked drop is said, not refused.
            let unmarked = match self.data_loss {
                super::DataLossGuard::Off => Vec::new(),
                _ => super::guard::candidates(&r.ops),
            };
            let lines = if unmarked.is_empty() {
                Vec::new()
            } else {
                super::guard::lines(
                    self.script_source(r.script).as_deref(),
                    r.step_direction,
                    &r.ops,
                )
            };
            let (script, log_dir, statements) = (r.script, r.direction, r.statements);
            let step_fk_off = fk.filter(|_| r.fk_off && !all_in_one);
            out.comment(&format!(
                "Running {} {} -> {} ({})",
                log_dir.as_str(),
                join_or_base(&step.from),
                join_or_base(&step.to),
                script.path,
            ));
            for c in &unmarked {
                let at = match lines.get(c.op).copied().flatten() {
                    Some(line) => format!("{}:{line}", script.path),
                    None => script.path.to_owned(),
                };
                let object = match &c.shown_column {
                    Some(col) => format!("column {}.{col}", c.shown_table),
                    None => format!("table {}", c.shown_table),
                };
                out.comment(&format!(
                    "data-loss guard: drops {object} ({at}), not marked .data_loss_ok(); rows not counted offline, online this revision is refused if it holds any"
                ));
            }
            if let Some(fk) = step_fk_off {
                out.statement(fk.off);
            }
            if !all_in_one {
                out.statement("BEGIN");
            }
            for (n, s) in statements.iter().enumerate() {
                if let Some(rebuild) = &s.rebuild {
                    let render_error = |e: &retort_dialect::DialectError| MigrateError::Render {
                        revision: step.revision.clone(),
                        path: script.path.to_owned(),
                        direction: log_dir,
                        source: Box::new(RenderError::Dialect {
                            op: rebuild.op.describe(),
                            source: e.clone(),
                        }),
                        applied: Vec::new(),
                        rolled_back_all: false,
                    };
                    let tables = rebuild.tables.join(", ");
                    let statements = match &rebuild.declared {
                        Some(declared) => {
                            out.comment(&format!(
                                "No database was read: table {tables} is rebuilt from the \
                                 definition op.copy_from(..) gives; a trigger on it, or a view \
                                 over it, is not known here."
                            ));
                            render_op_declared(
                                &retort_dialect::Sqlite,
                                &rebuild.op,
                                &rebuild.schema,
                                declared,
                            )
                            .map_err(|e| render_error(&e))?
                        }
                        None => {
                            out.comment(&format!(
                                "No database was read: table {tables} is rebuilt as the \
                                 revision history builds it (--assume-history-shape); a \
                                 column, index, trigger or view added outside the history is \
                                 not in this rebuild and would be lost."
                            ));
                            rebuild.history.clone().map_err(|e| render_error(&e))?
                        }
                    };
                    for sql in &statements {
                        out.statement(sql);
                    }
                } else if s.autocommit {
                    // The same progress rows as online, so a run that stops here can
                    // be resumed (or refused) by the online runner.
                    out.statement(&sql.insert_progress(
                        &step.revision,
                        log_dir,
                        script.checksum,
                        n,
                    ));
                    out.statement("COMMIT");
                    out.statement(&s.sql);
                    out.statement(&sql.insert_progress(
                        &step.revision,
                        log_dir,
                        script.checksum,
                        n + 1,
                    ));
                    out.statement("BEGIN");
                } else {
                    out.statement(&s.sql);
                }
            }
            for s in sql.change(&step.change) {
                out.statement(&s);
            }
            out.statement(&sql.insert_log(&step.revision, log_dir, Some(script.checksum), None));
            if let Some(fk) = step_fk_off {
                out.comment(FK_CHECK_NOTE);
                out.statement(fk.check);
            }
            if !all_in_one {
                out.statement("COMMIT");
            }
            if let Some(fk) = step_fk_off {
                out.statement(fk.on);
            }
        }
        if let Some(fk) = run_fk_off {
            out.comment(FK_CHECK_NOTE);
            out.statement(fk.check);
        }
        if all_in_one {
            out.statement("COMMIT");
        }
        if let Some(fk) = run_fk_off {
            out.statement(fk.on);
        }
        Ok(out.finish())
    }
}

/// A script cannot roll back on the check's rows as the online runner does: it shows them.
const FK_CHECK_NOTE: &str =
    "Any row below is a reference the rebuild broke: roll back instead of committing.";

/// The text of a script: each statement ends with `;` (on a line of its own when the
/// statement's last line is a `-- comment`, which would swallow it), a blank line after.
struct ScriptText {
    out: String,
    backend: Backend,
}

impl ScriptText {
    fn new(backend: Backend) -> Self {
        let mut out = String::new();
        if let Some(preamble) = crate::backends::support(backend).script_preamble() {
            out.push_str(preamble);
            out.push_str("\n\n");
        }
        Self { out, backend }
    }

    fn statement(&mut self, sql: &str) {
        if let Some(text) = crate::backends::support(self.backend).script_statement(sql) {
            self.out.push_str(&text);
            return;
        }
        self.out.push_str(sql);
        if sql_text::ends_in_line_comment(sql) {
            self.out.push('\n');
        }
        self.out.push_str(";\n\n");
    }

    /// A `-- ` comment line for the reader.
    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            self.out.push_str("-- ");
            self.out.push_str(line);
            self.out.push('\n');
        }
    }

    fn finish(self) -> String {
        self.out
    }
}

fn join_or_base(ids: &[String]) -> String {
    if ids.is_empty() {
        "base".to_owned()
    } else {
        ids.join(", ")
    }
}
