//! Running the post-write hook on a freshly written revision file.
//!
//! By default nothing runs: the writer lays the file out as rustfmt would
//! (`writer::layout`). `post_write_hook = "rustfmt"` runs rustfmt only when present: a
//! machine without rustfmt still gets its revision file as written. A command named in `retort.toml` must run: its
//! absence is an error, since the user asked for it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::PostWriteHook;

/// What the hook did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HookOutcome {
    /// The command ran and succeeded.
    Ran {
        /// The command, as run.
        command: String,
    },
    /// No hook is configured (`post_write_hook = "none"`).
    Disabled,
    /// `rustfmt` (`post_write_hook = "rustfmt"`) is not installed; the file was left as written.
    RustfmtMissing,
}

/// Why the post-write hook failed. The revision file stays as written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HookError {
    /// The command could not be started.
    #[error("post_write_hook `{command}` could not be started for {file}: {source}; install it or change post_write_hook in retort.toml")]
    Spawn {
        /// The command, as configured.
        command: String,
        /// The revision file it was run on.
        file: PathBuf,
        /// Why it could not be started.
        #[source]
        source: std::io::Error,
    },
    /// The command exited with a failure.
    #[error("post_write_hook `{command}` failed on {file} ({status}): {stderr}")]
    Failed {
        /// The command, as configured.
        command: String,
        /// The revision file it was run on.
        file: PathBuf,
        /// Its exit status.
        status: String,
        /// What it printed on stderr.
        stderr: String,
    },
}

impl PostWriteHook {
    /// Runs the hook on `file`, appending the path to the command's arguments.
    pub fn run(&self, file: &Path) -> Result<HookOutcome, HookError> {
        let args: Vec<String> = match self {
            PostWriteHook::None => return Ok(HookOutcome::Disabled),
            PostWriteHook::Rustfmt => vec!["rustfmt".into(), "--edition".into(), "2021".into()],
            PostWriteHook::Command(args) => args.clone(),
        };
        let Some((program, rest)) = args.split_first() else {
            return Ok(HookOutcome::Disabled);
        };
        let command = args.join(" ");
        let output = match Command::new(program).args(rest).arg(file).output() {
            Ok(output) => output,
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && *self == PostWriteHook::Rustfmt =>
            {
                return Ok(HookOutcome::RustfmtMissing)
            }
            Err(source) => {
                return Err(HookError::Spawn {
                    command,
                    file: file.to_owned(),
                    source,
                })
            }
        };
        if output.status.success() {
            Ok(HookOutcome::Ran { command })
        } else {
            Err(HookError::Failed {
                command,
                file: file.to_owned(),
                status: output.status.to_string(),
                stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            })
        }
    }
}
