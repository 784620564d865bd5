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

use retort_core::graph::Plan;
use retort_dialect::sqlite as sqlite_dialect;

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
        let mut out = String::from("BEGIN;\n\n");
        let mut emit = |s: &str| {
            out.push_str(s);
            out.push_str(";\n\n");
        };
        if from.is_none() {
            emit(&sql.create_version_table());
            emit(&sql.create_log_table());
        }
        if purge {
            emit(&sql.delete_all_versions());
        }
        for step in &plan.steps {
            for s in sql.change(&step.change) {
                emit(&s);
            }
            for rev in &step.to {
                emit(&sql.insert_log(rev, LogDirection::Stamp, None, None));
            }
        }
        emit("COMMIT");
        Ok(out)
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
        let run_fk_off = all_in_one && rendered.iter().any(|r| r.fk_off);
        let mut out = String::new();
        let mut emit = |s: &str| {
            if s.starts_with("--") {
                out.push_str(s);
                out.push('\n');
            } else {
                out.push_str(s);
                out.push_str(";\n\n");
            }
        };
        if run_fk_off {
            emit(sqlite_dialect::FOREIGN_KEYS_OFF);
        }
        if all_in_one || from_base {
            emit("BEGIN");
        }
        if from_base {
            emit(&sql.create_version_table());
            emit(&sql.create_log_table());
            if !all_in_one {
                emit("COMMIT");
            }
        }
        for (step, r) in plan.steps.iter().zip(rendered) {
            let (script, log_dir, statements) = (r.script, r.direction, r.statements);
            let step_fk_off = r.fk_off && !all_in_one;
            emit(&format!(
                "-- Running {} {} -> {} ({})",
                log_dir.as_str(),
                join_or_base(&step.from),
                join_or_base(&step.to),
                script.path,
            ));
            if step_fk_off {
                emit(sqlite_dialect::FOREIGN_KEYS_OFF);
            }
            if !all_in_one {
                emit("BEGIN");
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
                            emit(&format!(
                                "-- No database was read: table {tables} is rebuilt from the \
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
                            emit(&format!(
                                "-- No database was read: table {tables} is rebuilt as the \
                                 revision history builds it (--assume-history-shape); a \
                                 column, index, trigger or view added outside the history is \
                                 not in this rebuild and would be lost."
                            ));
                            rebuild.history.clone().map_err(|e| render_error(&e))?
                        }
                    };
                    for sql in &statements {
                        emit(sql);
                    }
                } else if s.autocommit {
                    // The same progress rows as online, so a run that stops here can
                    // be resumed (or refused) by the online runner.
                    emit(&sql.insert_progress(&step.revision, log_dir, script.checksum, n));
                    emit("COMMIT");
                    emit(&s.sql);
                    emit(&sql.insert_progress(&step.revision, log_dir, script.checksum, n + 1));
                    emit("BEGIN");
                } else {
                    emit(&s.sql);
                }
            }
            for s in sql.change(&step.change) {
                emit(&s);
            }
            emit(&sql.insert_log(&step.revision, log_dir, Some(script.checksum), None));
            if step_fk_off {
                emit(FK_CHECK_NOTE);
                emit(sqlite_dialect::FOREIGN_KEY_CHECK);
            }
            if !all_in_one {
                emit("COMMIT");
            }
            if step_fk_off {
                emit(sqlite_dialect::FOREIGN_KEYS_ON);
            }
        }
        if run_fk_off {
            emit(FK_CHECK_NOTE);
            emit(sqlite_dialect::FOREIGN_KEY_CHECK);
        }
        if all_in_one {
            emit("COMMIT");
        }
        if run_fk_off {
            emit(sqlite_dialect::FOREIGN_KEYS_ON);
        }
        Ok(out)
    }
}

/// A script cannot roll back on the check's rows as the online runner does: it shows them.
const FK_CHECK_NOTE: &str =
    "-- Any row below is a reference the rebuild broke: roll back instead of committing.";

fn join_or_base(ids: &[String]) -> String {
    if ids.is_empty() {
        "base".to_owned()
    } else {
        ids.join(", ")
    }
}
