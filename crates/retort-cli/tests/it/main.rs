//! The command line, run in-process (`retort_cli::execute` with a capturing printer)
//! against a small environment of compiled test revisions and a fresh PostgreSQL database
//! per test. Snapshots hold the exit code, stdout and stderr with times, temporary paths,
//! database names and generated ids made stable.

mod autogenerate;
mod baseline;
mod erd;
mod errors;
mod fleet;
mod forward;
mod graph_commands;
mod implicit_commits;
mod init;
mod lint;
mod models;
mod offline;
mod online;
mod revision;
mod squash;
mod support;
mod tls;
mod validate;
