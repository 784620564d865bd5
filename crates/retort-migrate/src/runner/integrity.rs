//! The integrity of the applied history, checked on every run before any migration SQL.
//!
//! The log table records every step with the checksum of the script as it ran. Before
//! planning, [`Migrator::integrity_problems`] compares it, and the version table, with the
//! compiled scripts:
//!
//! * [`IntegrityProblem::Edited`]: an applied revision whose file changed since (the
//!   checksum of its last `upgrade`, or of a later `repair`, differs);
//! * [`IntegrityProblem::Gone`]: a revision the log says is applied (its last step an
//!   `upgrade`) but no compiled file declares;
//! * [`IntegrityProblem::UnknownHead`]: a head in the version table that no compiled
//!   file declares, so the history no longer reaches it;
//! * [`IntegrityProblem::InsertedBelow`]: a compiled revision among the ancestors of the
//!   applied heads that the log never saw applied: it was inserted below an applied one
//!   and would never run.
//!
//! Any of these stops `upgrade` and `downgrade` before they run anything
//! ([`MigrateError::Integrity`]). [`Migrator::repair`] accepts the current files as the
//! truth and logs it (`repair` rows), for teams that edit applied revisions on purpose.
//! An unknown head is the one thing `repair` cannot settle: which revision the database
//! should be recorded at instead is the user's call (the error suggests the one the log
//! shows applied before it), made with `stamp --purge <revision>`, which also logs the
//! revisions no file declares as forgotten, so that one command is enough.
//! A revision only stamped (no `upgrade` row) has no recorded checksum and is not
//! compared; a stamp covers its ancestors.

use std::collections::{HashMap, HashSet};

use super::{MigrateError, Migrator};
use crate::driver::Driver;
use crate::version_table::{LogDirection, LogEntry};

/// One way the applied history and the compiled scripts disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntegrityProblem {
    /// The file of an applied revision changed since it was applied.
    Edited {
        /// The revision's id.
        revision: String,
        /// Its script's file.
        path: String,
        /// The checksum logged when it was applied.
        recorded: String,
        /// The checksum of the script compiled now.
        compiled: String,
    },
    /// An applied revision has no compiled script any more (its file was deleted).
    Gone {
        /// The revision's id.
        revision: String,
    },
    /// The version table holds a revision the compiled scripts do not know.
    UnknownHead {
        /// The revision's id.
        revision: String,
        /// The revision the log shows applied before it (`None`: none, so base): what
        /// `stamp --purge` can leave the database at once its changes are undone.
        before: Option<String>,
    },
    /// A revision was inserted below an applied one (its parent was changed after it ran), so it would never run.
    InsertedBelow {
        /// The inserted revision's id.
        revision: String,
        /// Its script's file.
        path: String,
        /// The applied head it was inserted under.
        below: String,
    },
    /// The version table holds a revision that a squash folded into a compiled one
    /// (`Revision::replaces`), other than the squash's own id: the database stopped inside
    /// the squashed range, where no compiled revision starts (`docs/guide/squash.md`).
    InsideSquash {
        /// The replaced revision the database is at.
        revision: String,
        /// The compiled revision that replaces it.
        squash: String,
    },
    /// Reported by [`Migrator::repair`] only: a revision interrupted after `done`
    /// statements outside a transaction, whose progress `repair` forgot (so the next run
    /// starts it from its first statement: undo what it committed by hand first). A run
    /// resumes such a revision by itself while its file is unchanged.
    Interrupted {
        /// The revision's id.
        revision: String,
        /// How many of its statements were committed.
        done: usize,
    },
}

impl IntegrityProblem {
    /// The revision the problem is about.
    pub fn revision(&self) -> &str {
        match self {
            IntegrityProblem::Edited { revision, .. }
            | IntegrityProblem::Gone { revision }
            | IntegrityProblem::UnknownHead { revision, .. }
            | IntegrityProblem::InsideSquash { revision, .. }
            | IntegrityProblem::InsertedBelow { revision, .. }
            | IntegrityProblem::Interrupted { revision, .. } => revision,
        }
    }
}

impl std::fmt::Display for IntegrityProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntegrityProblem::Edited { revision, path, recorded, compiled } => write!(
                f,
                "revision {revision} ({path}) was edited after it was applied: checksum {} when applied, {} now",
                short(recorded),
                short(compiled)
            ),
            IntegrityProblem::Gone { revision } => write!(
                f,
                "revision {revision} is applied, but no file in versions/ declares it any more (deleted or renamed?)"
            ),
            IntegrityProblem::UnknownHead { revision, before } => {
                let to = before.as_deref().unwrap_or("base");
                write!(
                    f,
                    "the database is at revision {revision}, which no file in versions/ declares: the history no longer reaches it. Restore its file (from version control); or, to leave it behind, undo its changes by hand so the schema is what {to} left, and run `stamp --purge {to}` (which logs {revision} as forgotten)"
                )
            }
            IntegrityProblem::InsideSquash { revision, squash } => write!(
                f,
                "the database is at revision {revision}, which revision {squash} squashed together with the revisions around it: no compiled revision starts there. Bring it to {squash} (or past it) with the build from before the squash (its files are in version control), then run this one"
            ),
            IntegrityProblem::InsertedBelow { revision, path, below } => write!(
                f,
                "revision {revision} ({path}) sits below the applied revision {below} but was never applied: it was inserted into applied history and would never run"
            ),
            IntegrityProblem::Interrupted { revision, done } => write!(
                f,
                "revision {revision} was interrupted after {done} statement(s); its progress is forgotten and it will run from its start"
            ),
        }
    }
}

fn short(checksum: &str) -> &str {
    checksum.get(..12).unwrap_or(checksum)
}

impl Migrator {
    /// Every disagreement between the applied history (`heads` from the version table,
    /// `log` from the log table) and the compiled scripts. Pure; see the module notes.
    pub fn integrity_problems(&self, heads: &[String], log: &[LogEntry]) -> Vec<IntegrityProblem> {
        let mut problems = Vec::new();
        // The checksum each revision is held to, and whether the log has it applied.
        let mut recorded: HashMap<&str, &str> = HashMap::new();
        let mut applied: HashMap<&str, bool> = HashMap::new();
        let mut covered: HashSet<String> = HashSet::new();
        for e in log {
            match e.direction {
                LogDirection::Upgrade => {
                    if let Some(c) = &e.checksum {
                        recorded.insert(&e.revision, c);
                    }
                    applied.insert(&e.revision, true);
                    covered.insert(e.revision.clone());
                }
                LogDirection::Downgrade => {
                    applied.insert(&e.revision, false);
                }
                LogDirection::Repair => match &e.checksum {
                    Some(c) => {
                        recorded.insert(&e.revision, c);
                        covered.insert(e.revision.clone());
                    }
                    None => {
                        applied.insert(&e.revision, false);
                        recorded.remove(e.revision.as_str());
                    }
                },
                LogDirection::Stamp => {
                    covered.extend(self.ancestors(std::slice::from_ref(&e.revision)));
                }
                LogDirection::Partial => {}
            }
        }
        // A squash's replaced ids, to the revision that replaced them.
        let replaced_by: HashMap<&str, &str> = self
            .scripts
            .values()
            .flat_map(|s| s.revision.replaces.iter().map(|r| (*r, s.revision.id)))
            .collect();
        for head in heads {
            if let (None, Some(squash)) = (self.script(head), replaced_by.get(head.as_str())) {
                problems.push(IntegrityProblem::InsideSquash {
                    revision: head.clone(),
                    squash: (*squash).to_owned(),
                });
            } else if self.script(head).is_none() {
                problems.push(IntegrityProblem::UnknownHead {
                    revision: head.clone(),
                    before: self.applied_before(head, log),
                });
            }
        }
        let mut gone: Vec<&str> = applied
            .iter()
            .filter(|(rev, on)| {
                **on && self.script(rev).is_none()
                    && !replaced_by.contains_key(*rev)
                    && !heads.iter().any(|h| h == *rev)
            })
            .map(|(rev, _)| *rev)
            .collect();
        gone.sort_unstable();
        problems.extend(gone.into_iter().map(|r| IntegrityProblem::Gone {
            revision: r.to_owned(),
        }));
        let mut ancestry: Vec<String> = self.ancestors(heads).into_iter().collect();
        ancestry.sort();
        for rev in &ancestry {
            let Some(script) = self.script(rev) else {
                continue;
            };
            // A squash keeps the id of the last revision it replaces: a database that came
            // through the replaced revisions logged the old file's checksum under it.
            let came_through_squash = script
                .revision
                .replaces
                .iter()
                .any(|r| applied.contains_key(r) || covered.contains(*r));
            if let Some(old) = recorded.get(rev.as_str()) {
                if *old != script.checksum && !came_through_squash {
                    problems.push(IntegrityProblem::Edited {
                        revision: rev.clone(),
                        path: script.path.to_owned(),
                        recorded: (*old).to_owned(),
                        compiled: script.checksum.to_owned(),
                    });
                }
            }
            // Only a log that saw this history applied can tell an insertion.
            if !log.is_empty() && !covered.contains(rev) {
                let below = heads
                    .iter()
                    .find(|h| self.ancestors(&[(*h).clone()]).contains(rev))
                    .cloned()
                    .unwrap_or_default();
                problems.push(IntegrityProblem::InsertedBelow {
                    revision: rev.clone(),
                    path: script.path.to_owned(),
                    below,
                });
            }
        }
        problems
    }

    /// The last revision a file declares that the log shows applied (upgraded or stamped)
    /// before `revision`'s last upgrade: where the database stood before it, as far as the
    /// log can tell.
    fn applied_before(&self, revision: &str, log: &[LogEntry]) -> Option<String> {
        let end = log
            .iter()
            .rposition(|e| e.revision == revision && e.direction == LogDirection::Upgrade)
            .unwrap_or(log.len());
        log[..end]
            .iter()
            .rev()
            .find(|e| {
                matches!(e.direction, LogDirection::Upgrade | LogDirection::Stamp)
                    && self.script(&e.revision).is_some()
            })
            .map(|e| e.revision.clone())
    }

    /// `heads` and every revision below them (by `down_revision`), as far as the compiled
    /// graph knows them.
    fn ancestors(&self, heads: &[String]) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut todo: Vec<String> = heads.to_vec();
        while let Some(rev) = todo.pop() {
            if !seen.insert(rev.clone()) {
                continue;
            }
            if let Some(info) = self.graph.revision(&rev) {
                todo.extend(info.down_revisions.iter().cloned());
            }
        }
        seen
    }

    /// Reads the log and checks it (under the lock, before any migration SQL).
    pub(super) async fn verify<D: Driver>(
        &self,
        driver: &mut D,
        heads: &[String],
    ) -> Result<Vec<LogEntry>, MigrateError> {
        let log = self.log(driver).await?;
        let problems = self.integrity_problems(heads, &log);
        if problems.is_empty() {
            Ok(log)
        } else {
            Err(MigrateError::Integrity { problems })
        }
    }

    /// `repair`: accepts the current files as the truth. Under the lock, for each
    /// [`IntegrityProblem`] it logs a `repair` row: with the compiled checksum for an
    /// edited or inserted revision (now held to the file as it is; an inserted one counts
    /// as applied without running), without one for a gone revision (forgotten). A head no
    /// file declares cannot be repaired this way: the error names the `stamp --purge` that
    /// resets the version table.
    /// Returns what it repaired (empty when the history was sound).
    pub async fn repair<D: Driver>(
        &self,
        driver: &mut D,
    ) -> Result<Vec<IntegrityProblem>, MigrateError> {
        self.lock(driver).await?;
        let result = self.repair_locked(driver).await;
        self.unlock(driver, result).await
    }

    async fn repair_locked<D: Driver>(
        &self,
        driver: &mut D,
    ) -> Result<Vec<IntegrityProblem>, MigrateError> {
        let heads = self.current(driver).await?;
        let log = self.log(driver).await?;
        let mut problems = self.integrity_problems(&heads, &log);
        // Where DDL commits implicitly, a certain `upgrade:0` (the first statement refused)
        // is nothing done, as the runner reads it: nothing to forget.
        let implicit_commits = !driver.transactional_ddl();
        problems.extend(
            super::run::interrupted(&log)
                .into_iter()
                .filter(|i| !(implicit_commits && i.done == 0 && !i.in_doubt))
                .map(|i| IntegrityProblem::Interrupted {
                    revision: i.revision.to_owned(),
                    done: i.done,
                }),
        );
        if let Some(p) = problems.iter().find(|p| {
            matches!(
                p,
                IntegrityProblem::UnknownHead { .. } | IntegrityProblem::InsideSquash { .. }
            )
        }) {
            return Err(MigrateError::Integrity {
                problems: vec![p.clone()],
            });
        }
        if problems.is_empty() {
            return Ok(problems);
        }
        let sql = self.sql(driver.backend());
        self.begin(driver).await?;
        let written = async {
            for p in &problems {
                let checksum = match p {
                    IntegrityProblem::Interrupted { .. } => None,
                    _ => self.script(p.revision()).map(|s| s.checksum),
                };
                let row = sql.insert_log(p.revision(), LogDirection::Repair, checksum, None);
                self.bookkeeping(driver, &row, "logging the repair").await?;
            }
            self.commit(driver).await
        }
        .await;
        if let Err(e) = written {
            let _ = driver.execute("ROLLBACK").await;
            return Err(e);
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Script;
    use retort_core::graph::Revision;
    use retort_core::ops::Operations;

    fn nothing(_: &mut Operations) {}

    fn script(revision: Revision, checksum: &'static str) -> Script {
        Script {
            revision,
            upgrade: nothing,
            downgrade: nothing,
            path: "versions/x.rs",
            checksum,
        }
    }

    fn upgraded(id: i64, revision: &str, checksum: &str) -> LogEntry {
        LogEntry {
            id,
            revision: revision.to_owned(),
            direction: LogDirection::Upgrade,
            checksum: Some(checksum.to_owned()),
            applied_at: String::new(),
            duration_ms: None,
            progress: None,
            in_doubt: false,
        }
    }

    /// a <- b <- c applied through the old files; the build now has c squashed over a and b.
    fn old_log() -> Vec<LogEntry> {
        vec![
            upgraded(1, "a", "old-a"),
            upgraded(2, "b", "old-b"),
            upgraded(3, "c", "old-c"),
        ]
    }

    #[test]
    fn a_database_that_came_through_the_squashed_revisions_is_sound() {
        let squashed = Migrator::new(vec![script(
            Revision::new("c").replaces(&["a", "b"]),
            "new-c",
        )])
        .unwrap();
        assert_eq!(
            squashed.integrity_problems(&["c".to_owned()], &old_log()),
            []
        );
        // The same files without `replaces` are an edit and two deletions.
        let edited = Migrator::new(vec![script(Revision::new("c"), "new-c")]).unwrap();
        let problems = edited.integrity_problems(&["c".to_owned()], &old_log());
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn a_database_inside_the_squashed_range_is_named() {
        let squashed = Migrator::new(vec![script(
            Revision::new("c").replaces(&["a", "b"]),
            "new-c",
        )])
        .unwrap();
        let problems = squashed.integrity_problems(&["b".to_owned()], &old_log()[..2]);
        assert_eq!(
            problems,
            [IntegrityProblem::InsideSquash {
                revision: "b".into(),
                squash: "c".into()
            }]
        );
        assert!(problems[0]
            .to_string()
            .contains("build from before the squash"));
    }

    #[test]
    fn a_squash_run_as_itself_is_held_to_its_checksum() {
        let squashed = Migrator::new(vec![script(
            Revision::new("c").replaces(&["a", "b"]),
            "edited-c",
        )])
        .unwrap();
        let log = [upgraded(1, "c", "new-c")];
        let problems = squashed.integrity_problems(&["c".to_owned()], &log);
        assert!(
            matches!(&problems[..], [IntegrityProblem::Edited { revision, .. }] if revision == "c"),
            "{problems:?}"
        );
    }
}
