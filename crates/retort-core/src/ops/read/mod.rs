//! Reading a revision file's recorded ops from its text, without compiling it.
//!
//! `revision --autogenerate` writes files that only record ops: a `REVISION` constant and
//! `upgrade`/`downgrade` bodies made of `op.` calls with literal arguments. Compiling
//! thousands of them made every rebuild of a migrations crate linear in the history, so
//! `retort-build` reads each file with [`read_revision`] at build time: a file it reads is
//! embedded as text (`include_str!`) and read again here at run time; a file it does not
//! (hand-written Rust, a call this reader does not know) is compiled as before. The reader
//! knows a strict subset of the writer's output and refuses anything else with the line,
//! so "readable" means "records exactly what compiling it would": `retort-script-check`
//! checks that on every file the writer's snapshot tests produce.
//!
//! The subset: everything `retort_migrate::writer` writes but a default variant with
//! neither base nor first variant (a struct literal no constructor makes).
//! `Revision::new(..)` with `.message`, `.down_revision`, `.down_revisions`,
//! `.branch_labels`, `.depends_on`, `.replaces` (a squash); every `op.` call of the recorder
//! with the modifiers its handle has (`create_table`/`drop_table`/`rename_table`/
//! `copy_from`, columns, indexes on columns or `IndexElement`s, constraints, exclusion
//! constraints, comments, enums, schemas, sequences, `bulk_insert`, `swap_column_type`,
//! `execute`, entities); values built with the constructors the writer uses (`eval.rs`
//! the statements, `table.rs` the table builder, `values.rs` types, defaults and their
//! dialect variants, identities, serials, sequences, literals, indexes and constraints,
//! `entity.rs` views, functions, grants and the other entities). Where rustc would refuse
//! a spelling the reader refuses it too (`values.rs` says which), so a file that would not
//! build is compiled and rustc's error shown.

pub mod bundle;
mod entity;
mod eval;
mod syntax;
mod table;
mod values;

use crate::ops::Op;

pub use eval::ReadRevision;

/// Why a file is not one this reader reads: the line and what it met there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {what}")]
pub struct ReadError {
    /// 1-based line in the file.
    pub line: u32,
    /// What was there, or what was expected.
    pub what: String,
}

impl ReadError {
    pub(crate) fn new(line: u32, what: impl Into<String>) -> Self {
        ReadError {
            line,
            what: what.into(),
        }
    }
}

/// Reads a revision file's `REVISION` and the ops its `upgrade` and `downgrade` record.
pub fn read_revision(text: &str) -> Result<ReadRevision, ReadError> {
    eval::file(text)
}

/// The ops one direction of a read revision records (`upgrade` when `up`).
pub fn read_ops(text: &str, up: bool) -> Result<Vec<Op>, ReadError> {
    let r = read_revision(text)?;
    Ok(if up { r.upgrade } else { r.downgrade })
}

#[cfg(test)]
mod tests;
