//! `squash <from> <to>`: a straight run of revisions folded into one (issue 16, item 5).
//!
//! Design notes:
//!
//! * The range is replayed, not concatenated: the schema before `<from>` and the schema at
//!   `<to>` are both replayed from base in memory (`Op::apply`, as `--offline`
//!   autogenerate does), and the squashed upgrade is their diff (entities included),
//!   compared as the configured backend would compare them; the downgrade is its exact
//!   reverse. A table created in the range and dropped again leaves nothing.
//! * The squashed revision keeps `<to>`'s id and declares the others in
//!   `Revision::replaces`. So the revisions after `<to>` keep pointing at it unchanged; a
//!   database at `<to>` or past it needs nothing (its log's old checksums are accepted:
//!   `runner/integrity.rs`); a fresh one runs the squash; one stopped inside the range is
//!   refused by name (`IntegrityProblem::InsideSquash`), since no compiled revision starts
//!   there. Django's `replaces` keeps the old files beside the squash for that case;
//!   compiled-in revisions cannot choose a path per database at run time, so Retort moves
//!   them to `versions/squashed/` (not compiled) and asks to bring such databases past
//!   `<to>` first.
//! * What replay cannot see is refused by file and line: raw SQL (`op.execute`), which may
//!   be a data migration or DDL the replay misses, and rows (`op.bulk_insert`), unless `keep_raw`, which carries those
//!   ops in their order after the schema change (and their reverses before the downgrade).
//! * Branches and merges inside the range are refused naming them: the range must be one
//!   straight line, each revision but `<to>` with exactly one child.
//! * [`verify`] is the proof: one scratch database upgraded through the old chain, one
//!   through the revisions before `<from>` and then the squash, both read back through the
//!   catalog and compared; every difference is reported.

use std::sync::Mutex;

use retort_core::diff::Diff;
use retort_core::graph::Direction;
use retort_core::ops::{reverse_all, Op};
use retort_core::MetaData;

use crate::autogenerate::{self, AutogenerateSettings, CurrentSchema, Source};
use crate::driver::Driver;
use crate::lint::locate::op_lines;
use crate::runner::{MigrateError, Migrator};
use crate::url::Backend;
use crate::writer::{self, RevisionHeader, WriteError};
use crate::Script;

/// Why a range cannot be squashed (or its proof failed).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SquashError {
    /// An identifier did not resolve, or a script is missing or panicked.
    #[error(transparent)]
    Migrate(#[from] Box<MigrateError>),
    /// `<from>` is not below `<to>`.
    #[error("revision {from} is not an ancestor of {to}: `squash <from> <to>` takes the oldest revision of the range first")]
    NotAncestor {
        /// The first revision asked for.
        from: String,
        /// The last one.
        to: String,
    },
    /// The range is not one straight line.
    #[error("the range {from}..{to} is not one straight line of revisions, which squash needs:\n  {}\nSquash the straight parts on either side of it instead.", .places.join("\n  "))]
    NotLinear {
        /// The first revision.
        from: String,
        /// The last one.
        to: String,
        /// Each branch point, merge point or dependency, described.
        places: Vec<String>,
    },
    /// Revisions in the range run raw SQL that a replay cannot see.
    #[error("these revisions run raw SQL (op.execute) or insert rows (op.bulk_insert), which a replayed schema cannot see (a data migration, or DDL the squash would lose):\n  {}\nPass --keep-raw to carry them into the squash in their order after the schema change, or squash around them.", .places.join("\n  "))]
    RawSql {
        /// `file:line: the op`, each.
        places: Vec<String>,
    },
    /// An op of the range does not replay onto the schema before it.
    #[error("revision {revision} ({path}): `{op}` does not replay ({why}), so the squash cannot know the schema it leaves")]
    NotReplayable {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
        /// The op, described.
        op: String,
        /// The replay's error.
        why: String,
    },
    /// The squashed upgrade has no exact reverse.
    #[error("the squash's downgrade cannot be derived: {0}")]
    Irreversible(String),
    /// The writer cannot spell an op of the squash.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Reading a scratch database back failed.
    #[error(transparent)]
    Autogenerate(#[from] Box<autogenerate::AutogenerateError>),
    /// The proof found the two scratch databases different.
    #[error("the squash does not build the schema the old revisions build ({backend}); differences (old chain -> squash):\n  {}", .differences.join("\n  "))]
    Differs {
        /// The backend compared on.
        backend: &'static str,
        /// One line a difference.
        differences: Vec<String>,
    },
}

fn migrate(e: MigrateError) -> SquashError {
    SquashError::Migrate(Box::new(e))
}

/// A range folded into one revision, ready to be written.
#[derive(Debug, Clone)]
pub struct Squash {
    /// The replaced revisions, oldest first; the last is `<to>`, whose id the squash keeps.
    pub revisions: Vec<String>,
    /// Their files, in the same order (as compiled: relative to the migrations crate).
    pub paths: Vec<String>,
    /// `<from>`'s down revision: what the squash revises (`None`: it is a base).
    pub down_revision: Option<String>,
    /// The branch labels the range introduced, kept on the squash.
    pub branch_labels: Vec<String>,
    /// The squashed upgrade.
    pub upgrade: Vec<Op>,
    /// Its exact reverse.
    pub downgrade: Vec<Op>,
    /// What the user should know (raw SQL carried, a possible data migration...).
    pub warnings: Vec<String>,
}

impl Squash {
    /// The squash's id (`<to>`'s).
    pub fn id(&self) -> &str {
        self.revisions.last().map_or("", String::as_str)
    }

    /// The ids it replaces besides its own (`REVISION.replaces`).
    pub fn replaced(&self) -> &[String] {
        &self.revisions[..self.revisions.len().saturating_sub(1)]
    }

    /// The revision file's text, through the script writer.
    pub fn render(&self, message: &str, create_date: &str) -> Result<String, SquashError> {
        let header = RevisionHeader {
            id: self.id().to_owned(),
            down_revisions: self.down_revision.iter().cloned().collect(),
            branch_labels: self.branch_labels.clone(),
            depends_on: Vec::new(),
            message: message.to_owned(),
            create_date: create_date.to_owned(),
            replaces: self.replaced().to_vec(),
        };
        Ok(writer::render_revision(
            &header,
            &self.upgrade,
            &self.downgrade,
            &[],
        )?)
    }
}

/// Plans the squash of `from..=to` of `migrator`'s history (identifiers as `upgrade`
/// takes them: ids, partial ids, `head`, `label@head`; `base` as `from` is the first
/// revision below `to`), compared as a `backend` database would be.
pub fn plan(
    migrator: &Migrator,
    from: &str,
    to: &str,
    backend: Backend,
    settings: &AutogenerateSettings,
    keep_raw: bool,
) -> Result<Squash, SquashError> {
    let graph = migrator.graph();
    let resolve = |ident: &str| {
        graph
            .resolve_one(ident)
            .map_err(|e| migrate(MigrateError::Graph(e)))
    };
    let to_id = resolve(to)?.ok_or_else(|| SquashError::NotAncestor {
        from: from.to_owned(),
        to: to.to_owned(),
    })?;
    let from_id = resolve(from)?;
    // Walk down from `to` to `from`, refusing anything but one straight line.
    let mut revisions = Vec::new();
    let mut places = Vec::new();
    let mut at = to_id.clone();
    loop {
        let info = graph.revision(&at).ok_or_else(|| {
            migrate(MigrateError::MissingScript {
                revision: at.clone(),
            })
        })?;
        if at != to_id && graph.children(&at).len() > 1 {
            places.push(format!(
                "{} ({}) is a branch point: {}",
                at,
                info.source,
                graph.children(&at).join(", ")
            ));
        }
        if info.down_revisions.len() > 1 {
            places.push(format!(
                "{} ({}) is a merge point of {}",
                at,
                info.source,
                info.down_revisions.join(", ")
            ));
        }
        if !info.depends_on.is_empty() {
            places.push(format!(
                "{} ({}) depends on {}",
                at,
                info.source,
                info.depends_on.join(", ")
            ));
        }
        revisions.push(at.clone());
        if from_id.as_deref() == Some(at.as_str()) {
            break;
        }
        match info.down_revisions.as_slice() {
            [] if from_id.is_none() => break,
            [] => {
                return Err(SquashError::NotAncestor {
                    from: from.to_owned(),
                    to: to_id,
                })
            }
            [one, ..] => at = one.clone(),
        }
    }
    revisions.reverse();
    if !places.is_empty() {
        return Err(SquashError::NotLinear {
            from: revisions[0].clone(),
            to: to_id,
            places,
        });
    }
    let first = graph
        .revision(&revisions[0])
        .expect("walked through the graph");
    let down_revision = first.down_revisions.first().cloned();
    let branch_labels = revisions
        .iter()
        .flat_map(|r| graph.branch_labels(r))
        .collect();

    // Replay from base to just before `from`, then through the range.
    let parents: Vec<String> = down_revision.iter().cloned().collect();
    let before = autogenerate::history_schema(migrator, &parents)
        .map_err(|e| SquashError::Autogenerate(Box::new(e)))?;
    let mut after = before.metadata.clone();
    let mut raw: Vec<Op> = Vec::new();
    // The raw SQL's undoing, per revision: its `reverse_sql`s, else the raw SQL of the
    // revision's own downgrade (what the old chain ran on the way down).
    let mut raw_down: Vec<Vec<Op>> = Vec::new();
    let mut raw_places = Vec::new();
    let mut warnings = Vec::new();
    let mut paths = Vec::new();
    for rev in &revisions {
        let (script, ops) = migrator
            .step_ops(rev, Direction::Upgrade)
            .map_err(migrate)?;
        paths.push(script.path.to_owned());
        let lines = script_lines(migrator, script, &ops);
        let raw_here: Vec<Op> = ops.iter().filter(|o| is_raw(o)).cloned().collect();
        if !raw_here.is_empty() {
            raw_down.push(match reverse_all(&raw_here) {
                Ok(down) => down,
                Err(_) => {
                    let (_, down) = migrator
                        .step_ops(rev, Direction::Downgrade)
                        .map_err(migrate)?;
                    down.into_iter().filter(is_raw).collect()
                }
            });
        }
        for (op, line) in ops.iter().zip(lines) {
            if is_raw(op) {
                let call = match op {
                    Op::Execute { sql, .. } => format!(
                        "op.execute({:?}{})",
                        sql.lines().next().unwrap_or_default(),
                        if sql.lines().nth(1).is_some() {
                            " ..."
                        } else {
                            ""
                        }
                    ),
                    Op::BulkInsert { table, rows, .. } => format!(
                        "op.bulk_insert({table}, {} row(s)): a data migration",
                        rows.len()
                    ),
                    other => other.describe(),
                };
                raw_places.push(format!(
                    "{}:{}: revision {rev}: {call}",
                    script.path,
                    line.map_or_else(|| "?".to_owned(), |l| l.to_string()),
                ));
                raw.push(op.clone());
                continue;
            }
            op.apply(&mut after)
                .map_err(|e| SquashError::NotReplayable {
                    revision: rev.clone(),
                    path: script.path.to_owned(),
                    op: op.describe(),
                    why: e.to_string(),
                })?;
        }
    }
    if !raw_places.is_empty() && !keep_raw {
        return Err(SquashError::RawSql { places: raw_places });
    }
    let options = settings.diff_options(None);
    let diff: Diff = autogenerate::compare(&before, &after, &options, Source::History(backend));
    warnings.extend(diff.warnings.iter().cloned());
    let mut upgrade = diff.ops.clone();
    let mut downgrade =
        reverse_all(&diff.ops).map_err(|e| SquashError::Irreversible(e.to_string()))?;
    if !raw.is_empty() {
        for p in &raw_places {
            warnings.push(format!(
                "{p}: carried into the squash after its schema change, in order; it ran between other changes before, so check it still does what it did (a data migration runs on a fresh database too)"
            ));
        }
        upgrade.extend(raw);
        downgrade.splice(0..0, raw_down.into_iter().rev().flatten());
    }
    Ok(Squash {
        revisions,
        paths,
        down_revision,
        branch_labels,
        upgrade,
        downgrade,
        warnings,
    })
}

/// Raw SQL and inserted rows: what replaying the schema cannot see or carry.
fn is_raw(op: &Op) -> bool {
    matches!(op, Op::Execute { .. } | Op::BulkInsert { .. })
}

/// The line of each op in its file, when the migrations crate's folder is known.
fn script_lines(migrator: &Migrator, script: &Script, ops: &[Op]) -> Vec<Option<usize>> {
    match migrator.script_source(script) {
        Some(source) => op_lines(&source, "upgrade", ops)
            .into_iter()
            .map(|(l, _)| l)
            .collect(),
        None => vec![None; ops.len()],
    }
}

/// The ops the squash's stand-in script records while [`verify`] runs it: a compiled
/// script is a plain `fn`, and the squash exists only as data until its file is compiled.
static STAND_IN: Mutex<(Vec<Op>, Vec<Op>)> = Mutex::new((Vec::new(), Vec::new()));

fn stand_in_upgrade(op: &mut retort_core::ops::Operations) {
    for o in STAND_IN.lock().unwrap_or_else(|e| e.into_inner()).0.clone() {
        op.push(o);
    }
}

fn stand_in_downgrade(op: &mut retort_core::ops::Operations) {
    for o in STAND_IN.lock().unwrap_or_else(|e| e.into_inner()).1.clone() {
        op.push(o);
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// The scripts of `migrator` with the squash in place of the revisions it replaces (the
/// squash recorded from `squash`'s ops): what the build after the squash compiles.
pub fn squashed_scripts(migrator: &Migrator, squash: &Squash) -> Vec<Script> {
    {
        let mut slot = STAND_IN.lock().unwrap_or_else(|e| e.into_inner());
        *slot = (squash.upgrade.clone(), squash.downgrade.clone());
    }
    let mut scripts: Vec<Script> = migrator
        .scripts()
        .filter(|s| !squash.revisions.iter().any(|r| r == s.revision.id))
        .copied()
        .collect();
    let replaced: Vec<&'static str> = squash.replaced().iter().map(|r| leak(r)).collect();
    let labels: Vec<&'static str> = squash.branch_labels.iter().map(|r| leak(r)).collect();
    let mut revision = retort_core::graph::Revision::new(leak(squash.id()))
        .message("squash")
        .branch_labels(Box::leak(labels.into_boxed_slice()))
        .replaces(Box::leak(replaced.into_boxed_slice()));
    if let Some(d) = &squash.down_revision {
        revision = revision.down_revision(leak(d));
    }
    scripts.push(Script {
        revision,
        upgrade: stand_in_upgrade,
        downgrade: stand_in_downgrade,
        path: "versions/<squash>.rs",
        checksum: "squash",
    });
    scripts
}

/// The proof: `old_db` is upgraded through `migrator`'s revisions to the squash's id,
/// `new_db` through those before the range and then the squash; both are read back
/// through the catalog and compared. Both must be empty databases of one backend.
/// `Ok` carries the differences' count (zero); [`SquashError::Differs`] lists them.
pub async fn verify<D: Driver>(
    migrator: &Migrator,
    squash: &Squash,
    old_db: &mut D,
    new_db: &mut D,
) -> Result<(), SquashError> {
    migrator
        .upgrade(old_db, squash.id())
        .await
        .map_err(migrate)?;
    let squashed = Migrator::new(squashed_scripts(migrator, squash))
        .map_err(migrate)?
        .with_tables(migrator.tables().clone());
    squashed
        .upgrade(new_db, squash.id())
        .await
        .map_err(migrate)?;
    let model = migrator.schema_at(&[squash.id()]);
    let settings = AutogenerateSettings::default();
    let read = |e| SquashError::Autogenerate(Box::new(e));
    let old = autogenerate::database_schema(old_db, migrator.tables(), &model, &settings)
        .await
        .map_err(read)?;
    let new = autogenerate::database_schema(new_db, migrator.tables(), &model, &settings)
        .await
        .map_err(read)?;
    let differences = differences(&old, &new.metadata, old_db.backend());
    if differences.is_empty() {
        Ok(())
    } else {
        Err(SquashError::Differs {
            backend: crate::render::dialect_for(old_db.backend()).name(),
            differences,
        })
    }
}

/// What turns `old` into `new`, one line an op, compared as `backend`'s database is.
fn differences(old: &CurrentSchema, new: &MetaData, backend: Backend) -> Vec<String> {
    // Everything the old chain made is under version control here: nothing is left out
    // of the comparison as "made outside the history".
    let mut old = old.clone();
    old.versioned_entities = None;
    old.versioned_sequences = None;
    let options = AutogenerateSettings::default().diff_options(None);
    autogenerate::compare(&old, new, &options, Source::Database(backend))
        .ops
        .iter()
        .map(Op::describe)
        .collect()
}
