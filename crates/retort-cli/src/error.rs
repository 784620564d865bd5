//! [`CliError`]: why a command failed, which exit code that is, and what to do about it.
//!
//! The libraries' errors already name the file, line or revision and redact passwords;
//! this type sorts them into the exit codes documented in the crate root and adds a hint
//! where the fix is a command the user can run.

use retort_core::graph::GraphError;
use retort_migrate::{ConfigError, MigrateError};

pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_UNREACHABLE: u8 = 3;
/// `check` found differences between the model and the database (or the history).
pub const EXIT_DIFFERENCES: u8 = 4;
/// `lint` found findings at or above the level that fails it.
pub const EXIT_FINDINGS: u8 = 5;
/// `upgrade`/`downgrade` refused to drop a table holding rows or a column holding values
/// (the data-loss guard): nothing of the revision ran.
pub const EXIT_DATA_LOSS: u8 = 6;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// `retort.toml` is malformed, or an environment or URL is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The revision files or a revision identifier (unknown, ambiguous, duplicate...).
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// The runner failed (or could not connect: see [`CliError::exit_code`]). Boxed:
    /// it is large, and every command returns this type.
    #[error(transparent)]
    Migrate(Box<MigrateError>),
    /// The model (`metadata()`) is invalid: every problem, each naming the model and field.
    #[error(transparent)]
    Model(#[from] retort_core::SchemaErrors),
    /// Anything else the user can fix (a bad argument, a feature not available yet...).
    #[error("{message}")]
    Usage {
        /// What went wrong, in one sentence.
        message: String,
        /// What to do about it, printed as `hint:` under the error.
        hint: Option<String>,
    },
    /// The database is not in the expected state (`current --check-heads`).
    #[error("{message}")]
    State {
        /// What is not as expected.
        message: String,
        /// What to do about it, printed as `hint:` under the error.
        hint: Option<String>,
    },
    /// `check` found differences (listed on stdout before this error).
    #[error("{message}")]
    Differences {
        /// How many differences, and where.
        message: String,
        /// What to do about them (usually `revision --autogenerate`).
        hint: Option<String>,
    },
    /// `lint` found findings at or above `fail_on` (listed on stdout before this error).
    #[error("{message}")]
    Findings {
        /// How many findings, at which level.
        message: String,
        /// What to do about them.
        hint: Option<String>,
    },
    /// A file could not be read or written.
    #[error("cannot {what} {path}: {source}")]
    Io {
        /// The action that failed (`read`, `write`, `create`).
        what: &'static str,
        /// The file or folder.
        path: String,
        /// Why the operating system refused.
        #[source]
        source: std::io::Error,
    },
}

impl From<MigrateError> for CliError {
    fn from(e: MigrateError) -> Self {
        CliError::Migrate(Box::new(e))
    }
}

impl CliError {
    /// A usage error (exit 2) with an optional hint.
    pub fn usage(message: impl Into<String>, hint: impl Into<Option<String>>) -> CliError {
        CliError::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A file error naming the action and the path.
    pub fn io(what: &'static str, path: &std::path::Path, source: std::io::Error) -> CliError {
        CliError::Io {
            what,
            path: path.display().to_string(),
            source,
        }
    }

    /// The exit code (the table in the crate root): 1 for a failed migration or database,
    /// 2 for a usage or user error, 3 when the database cannot be reached, 4 when `check`
    /// found differences, 5 for `lint`'s findings, 6 when the data-loss guard refused.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Config(_)
            | CliError::Graph(_)
            | CliError::Model(_)
            | CliError::Usage { .. } => EXIT_USAGE,
            CliError::Io { .. } => EXIT_USAGE,
            CliError::State { .. } => EXIT_FAILURE,
            CliError::Differences { .. } => EXIT_DIFFERENCES,
            CliError::Findings { .. } => EXIT_FINDINGS,
            CliError::Migrate(e) => match **e {
                MigrateError::Connect { .. } => EXIT_UNREACHABLE,
                MigrateError::DataLoss { .. } => EXIT_DATA_LOSS,
                // The revision files and the applied history disagree: nothing ran, and
                // the fix is the user's (restore the files, or `repair`).
                MigrateError::Graph(_)
                | MigrateError::Integrity { .. }
                | MigrateError::OfflineRange { .. }
                | MigrateError::OfflineRebuild { .. }
                | MigrateError::MissingScript { .. }
                // Objects the history does not know depend on an enum type it changes:
                // nothing of the revision ran, and the fix is the user's.
                | MigrateError::UnknownDependents { .. }
                | MigrateError::LostObjects { .. } => EXIT_USAGE,
                _ => EXIT_FAILURE,
            },
        }
    }

    /// The message, with the causes a wrapper would hide (a driver error's detail).
    pub fn message(&self) -> String {
        let mut text = self.to_string();
        // Errors that display their source inline (`{source}`) need no repetition; the
        // others get their causes appended.
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            let c_text = c.to_string();
            if !text.contains(&c_text) {
                text.push_str(&format!(": {c_text}"));
            }
            cause = c.source();
        }
        // Every URL in a library error is already redacted, and the printer masks the
        // passwords it was given; redacting the whole message again would mangle text
        // such as `'head'; use 'label@head'`.
        text
    }

    /// What to do next, when the message does not already say it.
    pub fn hint(&self) -> Option<String> {
        if let CliError::Migrate(e) = self {
            return match &**e {
                MigrateError::Connect { source, .. } => Some(connect_hint(&source.to_string())),
                MigrateError::Step { .. } | MigrateError::Render { .. } => Some(
                    "fix the revision script (or the database), then run the command again; `current` shows where the database is".into(),
                ),
                MigrateError::LockTimeout { .. } => Some(
                    "`current` shows where the database is; pass --lock-timeout to wait longer".into(),
                ),
                MigrateError::Graph(GraphError::UnknownRevision { .. }) => {
                    Some("`history` lists the revisions; `heads` the heads".into())
                }
                _ => None,
            };
        }
        match self {
            CliError::Usage { hint, .. }
            | CliError::State { hint, .. }
            | CliError::Differences { hint, .. }
            | CliError::Findings { hint, .. } => hint.clone(),
            CliError::Config(ConfigError::Parse { path, .. }) => Some(format!(
                "fix the TOML at that position in {}; see `retort.toml` in the documentation for the keys",
                path.display()
            )),
            CliError::Config(ConfigError::UnknownEnvironment { path, name, .. }) => Some(format!(
                "pass one of the known names to --env, or add an [env.{name}] table to {}",
                path.display()
            )),
            CliError::Config(ConfigError::Url { .. }) => Some(
                "pass a valid URL with --url, set DATABASE_URL, or set `url` in retort.toml"
                    .into(),
            ),
            CliError::Graph(GraphError::UnknownRevision { .. }) => {
                Some("`history` lists the revisions; `heads` the heads".into())
            }
            CliError::Model(_) => Some(
                "fix the models (or the list in `metadata()`) as each line says; nothing was compared or written".into(),
            ),
            _ => None,
        }
    }
}

/// What to do about a failed connection; TLS failures get their own advice, since "is the
/// server running?" is no help when the certificate is what failed.
fn connect_hint(cause: &str) -> String {
    let tls = if cause.contains("UnknownIssuer") {
        "the server's certificate is not signed by the CA in sslrootcert (or, without sslrootcert, by a public CA): point sslrootcert at the CA that signed it"
    } else if cause.contains("NotValidForName") || cause.contains("not valid for name") {
        "the host in the URL is not a name in the server's certificate: connect with the name it was issued for, or use sslmode=verify-ca to check the CA only"
    } else if cause.contains("invalid port number") {
        "the URL's port is not a number; a URL without `@host` reads `user:password` as host and port: write postgres://user:password@host:5432/db"
    } else if cause.contains("this build of Retort has no") {
        "rebuild the migrations binary with that feature of `retort` (`postgres`, `sqlite`, `mysql`), or use a URL of a backend it has"
    } else if cause.contains("without TLS support") {
        "this build has no TLS: enable the `tls` feature of the `retort` crate, or connect with sslmode=disable where the server allows it"
    } else if cause.contains("no encryption") {
        "the server accepts only encrypted connections: add sslmode=require (better: verify-full with sslrootcert) to the URL"
    } else if cause.contains("certificate") || cause.contains("TLS") || cause.contains("tls") {
        "a TLS problem: check sslmode and sslrootcert in the URL (or PGSSLMODE, PGSSLROOTCERT)"
    } else {
        return "check that the database server is running and that the URL (from --url, DATABASE_URL, .env or retort.toml) names the right host, port, user and database".into();
    };
    tls.to_owned()
}

#[cfg(test)]
mod tests {
    use super::connect_hint;

    #[test]
    fn connect_hints_name_the_tls_or_build_problem() {
        let cases = [
            ("error communicating with database: invalid peer certificate: UnknownIssuer", "sslrootcert"),
            ("invalid peer certificate: NotValidForName", "verify-ca"),
            ("TLS upgrade required by connect options but SQLx was built without TLS support enabled", "`tls` feature"),
            ("no pg_hba.conf entry for host \"1.2.3.4\", user \"app\", database \"db\", no encryption", "sslmode=require"),
            ("this build of Retort has no postgres driver; enable the `postgres` feature", "rebuild"),
            ("error with configuration: invalid port number", "@host"),
            ("Connection refused (os error 111)", "server is running"),
        ];
        for (cause, want) in cases {
            let hint = connect_hint(cause);
            assert!(hint.contains(want), "{cause} -> {hint}");
        }
    }
}
