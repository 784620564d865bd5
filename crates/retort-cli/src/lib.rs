//! Retort's command line: Alembic's commands for a project's migrations binary, and the
//! `retort` tool that scaffolds such a binary (`retort init`) and forwards to it.
//!
//! A migrations crate's `main.rs` (its `env.py`) is one line:
//!
//! ```text
//! fn main() -> std::process::ExitCode {
//!     retort::cli::main(retort::Environment::new(my_app::metadata(), retort::versions!()))
//! }
//! ```
//!
//! # Layout
//!
//! Only the entry points below, [`Environment`], [`Printer`], [`CliError`] and [`tool`] are
//! public; the rest is internal.
//!
//! * `args`: the clap definitions, and nothing else;
//! * `commands/`: one file a command, each a function from parsed arguments to a result;
//! * `printer`: the one module that writes to stdout or stderr (colour, `--quiet`,
//!   password masking); libraries below never print;
//! * `error`: [`CliError`] and the exit code of each kind of failure;
//! * `context`: configuration lookup (`-c`, `./retort.toml`, the migrations crate's), URL
//!   (with `DATABASE_URL` from `./.env`, see `dotenv`) and migrator, shared by the commands;
//!   `target`: the `Target:` line every command that connects prints first.
//!
//! # Exit codes
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | a migration or the database failed (a statement, the lock lost or timed out, the version table moved under the run), a revision's code panicked (the error names the revision, its file and the panic's message; nothing ran), or the database is not where the command needs it (`current --check-heads` not at head; `revision --autogenerate` or `check` on a database behind the head) |
//! | 2 | usage or user error: bad arguments, malformed `retort.toml`, unknown environment, unknown or ambiguous revision, duplicate or missing revision id, revision files that disagree with the applied history (edited, deleted or inserted below: restore them or `repair`), objects the history does not know depending on an enum type a revision changes, or on a table a revision drops (a trigger, policy or rule; nothing of it ran), an invalid model (`check` and `revision --autogenerate` validate it first: foreign keys to missing tables or columns, keys of another type, `back_populates` naming a missing field, relationships to unregistered models), a feature not available yet |
//! | 3 | the database cannot be reached (down, wrong host or credentials) |
//! | 4 | `check` found differences between the model and the database (or, with `--offline`, the replayed history); each is listed on stdout |
//! | 5 | `lint` found findings at or above `fail_on` (`--fail-on`, else `[lint] fail_on` of the environment, else `error`); each is listed on stdout (`--format json`: one JSON document) |
//! | 6 | `upgrade` or `downgrade` refused to drop a table holding rows or a column holding values that the revision does not mark `.data_loss_ok()` (the data-loss guard; the error names each object, its count, the file and line); nothing of that revision ran. `--allow-data-loss`, or `data_loss = "warn"` under `[lint]` for the environment, lets it run |

mod args;
mod commands;
mod context;
mod dotenv;
mod environment;
mod error;
mod printer;
mod target;
mod templates;
pub mod tool;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser as _;

pub use environment::Environment;
pub use error::CliError;
pub use printer::Printer;

/// Runs the migrations binary's command line on the process arguments, printing to the
/// terminal, and returns its exit code.
pub fn main(env: Environment) -> ExitCode {
    let mut printer = Printer::terminal();
    EXITS_AFTER.store(true, std::sync::atomic::Ordering::Relaxed);
    let code = run(std::env::args_os(), &env, &mut printer);
    // The process ends here: the model is left to it rather than freed a table at a time
    // (see `leave_to_exit`).
    leave_to_exit(env);
    code
}

/// Set by [`main`]: the process ends when the command does, so what a command holds
/// until its end may be left to the exit ([`leave_to_exit`]). [`run`] and [`execute`]
/// (tests, an application running a command in-process) free everything as usual.
static EXITS_AFTER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Frees `value`, or, under [`main`], leaves it to the process's exit (`std::mem::forget`):
/// the model and the live schema of a 10,000-table `check` are a few million small
/// allocations, and freeing them one by one just before the process ended was 8% of its CPU
/// (bench/README.md, issue 16). For memory only: nothing left this way has a `Drop` with
/// an effect outside the process (no connection, file or lock).
pub(crate) fn leave_to_exit<T>(value: T) {
    if EXITS_AFTER.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

/// Runs one command line (`args[0]` is the program name) against `env`, writing through
/// `printer`; what [`main`] does, callable in-process (tests capture the printer).
pub fn run<I, T>(args: I, env: &Environment, printer: &mut Printer) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    ExitCode::from(execute(args, env, printer))
}

/// [`run`], returning the exit code as a number (see the table above).
pub fn execute<I, T>(args: I, env: &Environment, printer: &mut Printer) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return printer.clap_error(&e),
    };
    printer.set_quiet(cli.global.quiet);
    let result = commands::dispatch(&cli, env, printer);
    finish(result, printer)
}

/// Prints the error of a failed command and turns the result into an exit code.
pub(crate) fn finish(result: Result<(), CliError>, printer: &mut Printer) -> u8 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            printer.error(&e);
            e.exit_code()
        }
    }
}
