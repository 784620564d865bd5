//! Autogenerate's comparison: two [`MetaData`] in, the [`Op`]s that turn the first (the
//! database, introspected or replayed from the history) into the second (the model) out.
//!
//! Pure and in memory. Split by object kind, as Alembic's `autogenerate/compare/*`:
//! `schemas_enums` (schemas, enum types and their values), `tables` (which tables come and
//! go, and in what order), `columns`, `constraints` (primary, foreign, unique and check keys,
//! paired by `matching`), `indexes`, `hints` (rename suggestions). Equality that depends on the database (type
//! synonyms, printed defaults, names the database gives) comes in through
//! [`CompareDialect`]; [`ExactCompare`] is the dialect-free default. A dialect crate
//! implements the trait for its own type, overriding only what its catalog prints
//! differently (PostgreSQL: `int4`, `'x'::character varying`, `((a > 0))`, `t_a_check`).
//!
//! The ops are grouped in phases whose order makes every op valid where it stands, and
//! every op carries the old values it replaces, so that the downgrade is exactly
//! `reverse_all(upgrade)`:
//!
//! 1. create schemas; create enum types, add their values, recreate an enum whose values
//!    were removed or reordered (through `text`, the safe type swap); create standalone
//!    sequences (defaults use them) and alter changed ones;
//! 2. drop foreign keys that change or go, those that tie tables being dropped into a
//!    cycle, and those that refer to a key phase 4 drops (created again in phase 6);
//! 3. drop tables, dependents first;
//! 4. per kept table: drop indexes, constraints and columns; add and alter columns; set
//!    the comment; create constraints and indexes;
//! 5. create tables, referenced ones first, without the foreign keys that close a cycle;
//! 6. create foreign keys (new ones on kept tables, and the deferred cycle ones);
//! 7. drop enum types nothing uses any more, and standalone sequences the model lacks.
//!
//! A serial column's sequence goes with its column (`Column::serial`): created and dropped
//! with its table or column; on a kept column, a serial that goes is a `drop_sequence`
//! before the column's alter, one that comes a `create_sequence` owned by the column after
//! it, and changed options an `alter_sequence`.
//!
//! Everything iterates in the order of the `MetaData` vectors (tables in SQLAlchemy's
//! rounds: referenced ones first, ties in insertion order), never a hash map's, so the same
//! inputs give the same ops, log and script byte for byte. Column order alone is never a
//! difference; new columns go last.
//!
//! Unnamed constraints: a model constraint left to the database to name matches the
//! database's constraint by content; a database constraint without a name (a schema
//! replayed from the history) is taken to have the name the database gave it. Constraints
//! and indexes the diff adds to existing tables are always named, and drops always name
//! what they drop, so reverses never meet an unnamed constraint.
//!
//! Last, the upgrade is replayed into a copy of the database schema ([`Op::apply`]); if it
//! does not fit, [`Diff::warnings`] says so rather than handing over a script that fails.

mod columns;
mod constraints;
mod dialect;
mod hints;
mod indexes;
mod matching;
mod options;
mod schemas_enums;
mod sequences;
mod tables;
mod variants;

#[cfg(test)]
mod tests;

pub use columns::default_is_null;
pub(crate) use dialect::identifiers;
pub use dialect::{sql_text_equal, CompareDialect, ExactCompare};
pub use hints::{RenameHint, RenameKind};
pub use options::{glob_match, DiffOptions, IncludeObject, ObjectKind, ObjectRef};
pub use variants::restore_variants;

use crate::ops::{apply_all, Op};
use crate::MetaData;

/// What the comparison found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diff {
    /// The upgrade, in a valid order; the downgrade is `reverse_all(&ops)`.
    pub ops: Vec<Op>,
    /// Drop-plus-add pairs that may be renames (the ops stay a drop and an add).
    pub hints: Vec<RenameHint>,
    /// One line per detected change, in Alembic's wording, in op order.
    pub log: Vec<String>,
    /// Things the comparison saw but could not turn into ops; each says what to do.
    pub warnings: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// Compares `db` with `model` using exact equality ([`ExactCompare`]).
pub fn diff(db: &MetaData, model: &MetaData, options: &DiffOptions) -> Diff {
    diff_with(db, model, options, &ExactCompare)
}

/// Compares `db` (the current schema) with `model` (the wanted one): the ops turn `db` into
/// `model`. See the module notes for the order.
pub fn diff_with(
    db: &MetaData,
    model: &MetaData,
    options: &DiffOptions,
    dialect: &dyn CompareDialect,
) -> Diff {
    let original = db;
    let mut plan = Plan::default();
    schemas_enums::compare_schemas(db, model, options, &mut plan);
    schemas_enums::compare_enums(db, model, options, &mut plan);
    // Enum swaps alter columns; what follows compares against the schema after them.
    let swapped;
    let db = if plan
        .enums
        .iter()
        .any(|s| matches!(s.op, Op::AlterColumn(_)))
    {
        let mut work = db.clone();
        let ops: Vec<Op> = plan.enums.iter().map(|s| s.op.clone()).collect();
        match apply_all(&ops, &mut work) {
            Ok(()) => {
                swapped = work;
                &swapped
            }
            Err(e) => {
                plan.warnings.push(format!(
                    "the enum type changes could not be replayed ({e}); columns are compared with the schema before them"
                ));
                db
            }
        }
    } else {
        db
    };
    let cx = Cx {
        db,
        model,
        opts: options,
        dialect,
    };
    sequences::compare_sequences(&cx, &mut plan);
    tables::compare_tables(&cx, &mut plan);
    schemas_enums::drop_unused_enums(db, model, options, &mut plan);
    let mut diff = plan.finish();
    self_check(original, &mut diff);
    diff
}

/// Replays the upgrade into a copy of the database schema: an op that does not fit means
/// the comparison missed a dependency (or the inputs disagree, say a foreign key to a
/// table left out by the filters), and the user should hear of it before running it.
fn self_check(db: &MetaData, diff: &mut Diff) {
    if diff.ops.is_empty() {
        return;
    }
    let mut replay = db.clone();
    if let Err(e) = apply_all(&diff.ops, &mut replay) {
        diff.warnings.push(format!(
            "the generated operations do not replay cleanly on the compared schema ({e}); review the script before running it"
        ));
    }
}

/// Everything one comparison consults.
pub(crate) struct Cx<'a> {
    pub db: &'a MetaData,
    pub model: &'a MetaData,
    pub opts: &'a DiffOptions,
    pub dialect: &'a dyn CompareDialect,
}

/// One op and the log lines of the changes it makes (none for ops that only make another
/// op possible, like dropping a cycle's foreign key before its table).
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub op: Op,
    pub log: Vec<String>,
}

impl Step {
    pub fn new(op: Op, log: impl Into<String>) -> Self {
        Self {
            op,
            log: vec![log.into()],
        }
    }
    pub fn quiet(op: Op) -> Self {
        Self {
            op,
            log: Vec::new(),
        }
    }
}

/// The ops by phase (see the module notes), concatenated at the end.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub schemas: Vec<Step>,
    pub enums: Vec<Step>,
    pub create_sequences: Vec<Step>,
    pub drop_foreign_keys: Vec<Step>,
    pub drop_tables: Vec<Step>,
    pub alter_tables: Vec<Step>,
    pub create_tables: Vec<Step>,
    pub create_foreign_keys: Vec<Step>,
    pub drop_enums: Vec<Step>,
    pub drop_sequences: Vec<Step>,
    pub hints: Vec<RenameHint>,
    pub warnings: Vec<String>,
}

impl Plan {
    fn finish(self) -> Diff {
        let steps = [
            self.schemas,
            self.enums,
            self.create_sequences,
            self.drop_foreign_keys,
            self.drop_tables,
            self.alter_tables,
            self.create_tables,
            self.create_foreign_keys,
            self.drop_enums,
            self.drop_sequences,
        ]
        .into_iter()
        .flatten();
        let mut ops = Vec::new();
        let mut log = Vec::new();
        for s in steps {
            log.extend(s.log);
            ops.push(s.op);
        }
        log.extend(self.hints.iter().map(RenameHint::message));
        Diff {
            ops,
            hints: self.hints,
            log,
            warnings: self.warnings,
        }
    }
}
