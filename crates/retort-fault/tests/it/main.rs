//! The fault suite: the runner attacked with real processes and real databases
//! (PostgreSQL and MariaDB on the test servers, SQLite in a temporary file), each scenario
//! repeated `RETORT_FAULT_REPEAT` times (default 20 under `CI`, 2 locally). On MariaDB,
//! which commits each DDL statement on its own, "applied or not" becomes "applied, or
//! recorded half-way and finished by `--resume`" (`support::assert_recorded`).
//!
//! | module | promise it proves |
//! |---|---|
//! | `concurrent` | ten processes upgrading at once apply each revision exactly once, all exit 0 |
//! | `kill` | SIGKILL before any statement of a run leaves nothing applied-but-unrecorded or recorded-but-unapplied, and the next run completes (MariaDB: with `--resume`, to the straight upgrade's schema) |
//! | `lock` | a held lock makes a run wait its timeout, then fail naming the holder; a lost lock commits nothing more |
//! | `race` | differently spelled configurations share one lock; a version row moved under a run rolls its revision back |
//! | `failure` | a revision failing half-way leaves what its transaction mode promises, and the error names revision and statement; interrupted concurrent builds resume or refuse |
//! | `integrity` | an edited, deleted or inserted-below revision is refused before any SQL; `repair` |
//! | `secrets` | no password in any Display, Debug or error, for PostgreSQL and MySQL URLs |
//! | `hostile` | hostile bookkeeping names are quoted; a role without privileges gets a clear error and no half-made table |
//! | `timeouts` | the DDL lock timeout and its retries (PostgreSQL, MariaDB), the statement timeout (PostgreSQL), SQLite's keys around a rebuild |
//! | `rebuild` | SIGKILL at every statement of a SQLite table rebuild loses nothing |
//! | `spelling` | SIGKILL before each statement of autogenerate's read leaves the database's view as it was, no scratch table of the rolled-back spelling transaction, no lingering session (PostgreSQL) |

mod concurrent;
mod failure;
mod hostile;
mod integrity;
mod kill;
mod lock;
mod online;
mod race;
mod rebuild;
mod secrets;
mod spelling;
mod support;
mod swap;
mod timeouts;
