//! The evolution suite's harness: one schema change (a [`Case`]: a model before, a model
//! after, optional seed rows) taken through what a user does with it, on a real database.
//!
//! [`run_case`] runs the loop of the autogenerate issues for one case on one dialect:
//!
//! 1. a fresh database; `create_all(before)`; the seed rows; autogenerate against it finds
//!    nothing (no false positive on the before-model);
//! 2. autogenerate (`retort_migrate::autogenerate`, what `revision --autogenerate` and
//!    `check` run) against the after-model: no warnings but those the case declares
//!    (`WARNINGS`), some ops, and the script bodies it
//!    writes (both ways, with the log) equal the case's `ops.<dialect>.snap`; a second run
//!    writes the same bytes;
//! 3. render and run the ops in one transaction (on SQLite with foreign keys off around a
//!    rebuild of a referenced table and `PRAGMA foreign_key_check` before the commit, as
//!    the runner does; on MariaDB, whose DDL commits implicitly, one after another on one
//!    session); autogenerate again finds nothing (`check` is clean); kept columns
//!    keep their places and new ones come last;
//! 4. the schema dump (`pg_dump -s`, `sqlite_master`, `SHOW CREATE TABLE`, normalised in `dump.rs`) equals
//!    that of a second fresh database made by `create_all(after)`,
//!    on which autogenerate also finds nothing (no false positive on the after-model);
//! 5. the downgrade (`reverse_all` of the upgrade, rendered against the schema the upgrade
//!    replays into) run the same way: `check` against the before-model is clean and the
//!    dump equals the one taken in step 1;
//! 6. after 3 and after 5 every seeded row is still there, with the same values in every
//!    column that exists with the same type on both sides; on SQLite
//!    `PRAGMA foreign_key_check` is empty, and every table a rebuild recreates must have
//!    seeded rows (so each rebuild case proves its data survives).
//! 7. after 3 and after 5 the case's [`Probe`]s, if it has any, run: statements (an insert
//!    that must take the next key without colliding with the seeded rows), a read of their
//!    effect that must give the rows expected, and statements that undo them.
//!
//! A case runs on PostgreSQL, SQLite and MariaDB/MySQL unless it names its dialects. A
//! dialect whose database cannot hold what the case asks (a partial index on MariaDB) is
//! declared in the case's `UNSUPPORTED` ([`Unsupported`]): the case still runs there and
//! must fail with the declared text, or the test says the declaration is stale;
//! `unsupported.md` lists every declaration.
//!
//! Cases that fail for a bug outside the harness live in `pending/` with the failure
//! (`pending/README.md`); the suite has no ignored tests.
//!
//! Failures panic with what differed, for the test that ran the case to report. Nothing
//! here knows a case: `build.rs` finds the folders, `tests/it` runs them.

mod cross;
mod db;
mod dump;
mod lint;
mod rows;
mod run;

pub use cross::{direction, run_cross, NotPortable};
pub use db::Live;
pub use dump::{normalise_mysql, normalise_sqlite, sort_table_bodies};
pub use lint::lint_case;
pub use run::run_case;

use retort_core::MetaData;

/// One case of the suite, as its folder's `case.rs` describes it.
#[derive(Debug, Clone)]
pub struct Case {
    /// The folder name (`07_add_column_not_null`).
    pub name: &'static str,
    /// The folder, where the snapshots live.
    pub dir: &'static str,
    pub before: MetaData,
    pub after: MetaData,
    /// Rows inserted after `create_all(before)`, checked after the upgrade and downgrade.
    pub seeds: Vec<Seed>,
    /// Checks of how the schema behaves, run after the upgrade and after the downgrade.
    pub probes: Vec<Probe>,
    /// The directions (`sqlite_to_postgres`, `postgres_to_sqlite`) this case cannot be
    /// carried across, with the error and the reason ([`run_cross`]).
    pub not_portable: &'static [NotPortable],
    /// The dialects whose database cannot hold what this case asks, with the error the
    /// case stops with there and why ([`run_case`]).
    pub unsupported: &'static [Unsupported],
    /// Roles the case grants to, by base name (`pub const ROLES`): created for the test with
    /// names unique to it ([`role`]) and dropped after it (`retort_testkit::TestRoles`).
    pub roles: &'static [&'static str],
    /// Statements run by hand (`pub fn by_hand()`) after `create_all` of either model, on
    /// the database upgraded and on the fresh one alike: what a user did outside Retort
    /// (a grant nobody declared), which autogenerate must leave alone.
    pub by_hand: Vec<String>,
    /// Text each of the upgrade's autogenerate warnings must contain, one a warning, in
    /// order (`pub const WARNINGS`); without it, a warning fails the case.
    pub warnings: &'static [&'static str],
}

/// The role a case calls `base` (one of its `ROLES`), as the test created it: unique to
/// the test process (`retort_testkit::test_role_name`).
pub fn role(base: &str) -> String {
    retort_testkit::test_role_name(base)
}

/// One dialect a case cannot run on, as its `case.rs` declares it: what the database
/// truly cannot express (a partial index, a deferrable key on MariaDB), not a bug to fix.
/// The case still runs there and must fail with an error containing `error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported {
    /// The testkit's name of the dialect (`"mysql"`).
    pub dialect: &'static str,
    /// Text the failure must contain (the refusal, naming the object).
    pub error: &'static str,
    /// Why the database cannot do it, and what a user does instead.
    pub reason: &'static str,
}

/// What a case's `pub fn probes()` returns: statements run (and committed) after the
/// upgrade and again after the downgrade, the rows of `table` on `columns` they must leave
/// (sorted, each the columns' text joined by `|`, NULL as `<null>`), and statements that
/// undo them so that the seeded rows are as they were.
#[derive(Debug, Clone)]
pub struct Probe {
    pub statements: &'static [&'static str],
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub expect: &'static [&'static str],
    pub undo: &'static [&'static str],
}

/// Rows for one table: the columns named, each row's values as SQL literals written the
/// same on every dialect the case runs on (`'text'`, `12`, `NULL`).
#[derive(Debug, Clone)]
pub struct Seed {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub rows: &'static [&'static [&'static str]],
}
