//! Test support for the fault suite (not published): the revision histories compiled into
//! the `retort-fault` binary, a [`PausingDriver`] that stops a run at its n-th statement
//! so a test can SIGKILL it there, and what the database must hold for each applied state.
//!
//! The binary (`src/main.rs`) is a migrations binary like any project's, driven by the
//! environment so tests can run many at once:
//!
//! | variable | meaning |
//! |---|---|
//! | `RETORT_FAULT_URL` | the database URL (required) |
//! | `RETORT_FAULT_HISTORY` | `good` (default), `fail-last` (R3 fails at its 2nd statement), `fail-after-concurrent` (R2 fails after its concurrent index), `unique-concurrent` (R2's concurrent unique index fails on duplicate rows) |
//! | `RETORT_FAULT_MODE` | `per-revision` (default) or `all` |
//! | `RETORT_FAULT_LOCK_TIMEOUT_MS` | the migration-lock wait |
//! | `RETORT_FAULT_PAUSE_AT` | before the n-th statement the run sends to the database, print `PAUSE n` and sleep, so the test can kill it |
//! | `RETORT_FAULT_RESUME` | `stdin`: a pause ends at a line on stdin and the run goes on (the test changes the world meanwhile) |
//! | `RETORT_FAULT_VERSION_SCHEMA` | the version table's schema, spelled as a `retort.toml` would (`public`; unset: the default) |
//!
//! Arguments: `spell <view>` reads the database as autogenerate does for a model holding
//! the view `<view>` as `SELECT 1 AS one` (a database whose view differs is spelled in
//! autogenerate's rolled-back transaction, which a test kills the run in). Or
//! `upgrade <target>` or `downgrade <target>`, optionally followed by `--resume`
//! (go on with a revision that a database committing DDL implicitly left half-done, as the
//! command line's `upgrade --resume`). It prints `DONE <steps> <statements sent>` and exits
//! 0, or prints the error to stderr and exits 1. On MySQL/MariaDB the histories build R2's
//! index without `concurrently` ([`history_on`]).

mod history;
mod pause;

pub use history::{
    expected_objects, history, history_on, Variant, FAULT_TABLES, FAULT_VIEWS, R1, R2, R3,
    SWAP_BATCH, SWAP_ROWS,
};
pub use pause::{PausingDriver, Resume};
