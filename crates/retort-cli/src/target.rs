//! The `Target:` line every command that connects prints first (on stderr, with the other
//! progress lines, so `--sql` scripts and `current` stay clean on stdout): what the URL
//! points at (dialect, host, port, user, database, or the SQLite file) and where it came
//! from, so a run against the wrong database, or on the SQLite default because nothing was
//! configured, is visible before it does anything.

use std::path::PathBuf;

use retort_migrate::{DatabaseUrl, Target};

use crate::context::Context;

/// Where the URL in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    CommandLine,
    EnvironmentVariable,
    /// `DATABASE_URL` in this `.env` file.
    DotEnv(PathBuf),
    Config,
    /// Nothing configured: the SQLite file beside the config.
    Default,
}

/// `Target: postgresql://app@db.example:5432/shop (from --url)`.
pub(crate) fn line(url: &DatabaseUrl, origin: &Origin, ctx: &Context<'_>, offline: bool) -> String {
    let config = ctx.config_file.as_ref().map(|p| p.display().to_string());
    let env = ctx
        .settings
        .environment
        .as_deref()
        .map(|e| format!(", [env.{e}]"))
        .unwrap_or_default();
    let from = match origin {
        Origin::CommandLine => "from --url".to_owned(),
        Origin::EnvironmentVariable => "from DATABASE_URL".to_owned(),
        Origin::DotEnv(path) => format!("from DATABASE_URL in {}", path.display()),
        Origin::Config => format!("from {}{env}", config.unwrap_or_default()),
        Origin::Default => match config {
            Some(path) => format!("default: no URL configured in {path}{env}"),
            None => "default: no URL configured, no retort.toml found".to_owned(),
        },
    };
    let what = Target::from(url).describe();
    if offline {
        format!("Target: {what} ({from}; offline --sql: not connected)")
    } else {
        format!("Target: {what} ({from})")
    }
}
