//! The fault suite: the runner attacked with real processes and real databases
//! (PostgreSQL on the test server, SQLite in a temporary file), each scenario repeated
//! `RETORT_FAULT_REPEAT` times (default 20 under `CI`, 2 locally).
//!
//! | module | promise it proves |
//! |---|---|
//! | `concurrent` | ten processes upgrading at once apply each revision exactly once, all exit 0 |
//! | `kill` | SIGKILL before any statement of a run leaves nothing applied-but-unrecorded or recorded-but-unapplied, and the next run completes |
//! | `lock` | a held lock makes a run wait its timeout, then fail naming the holder; a lost lock commits nothing more |
//! | `race` | differently spelled configurations share one lock; a version row moved under a run rolls its revision back |
//! | `failure` | a revision failing half-way leaves what its transaction mode promises, and the error names revision and statement; interrupted concurrent builds resume or refuse |
//! | `integrity` | an edited, deleted or inserted-below revision is refused before any SQL; `repair` |
//! | `secrets` | no password in any Display, Debug or error |
//! | `hostile` | hostile bookkeeping names are quoted; a role without privileges gets a clear error and no half-made table |

mod concurrent;
mod failure;
mod hostile;
mod integrity;
mod kill;
mod lock;
mod race;
mod rebuild;
mod secrets;
mod support;
mod timeouts;
