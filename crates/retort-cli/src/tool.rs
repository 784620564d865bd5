//! The `retort` tool: `init` and `list_templates` itself, every other command forwarded
//! to the project's migrations binary, because those commands need the project's
//! compiled revision scripts: the binary is built with `cargo build --manifest-path
//! <crate>/Cargo.toml` (its progress shown), then run with the arguments.
//! The migrations crate is found from `retort.toml` (in the current directory or
//! `migrations/`, or `-c FILE`), or by convention at `migrations/Cargo.toml`.

mod init;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{finish, CliError, Printer};

pub use init::{init, InitOptions, RetortSource, Scaffold};

/// Scaffold and run Alembic-style migrations for a Rust project.
#[derive(Debug, Parser)]
#[command(
    name = "retort",
    version,
    about = "Scaffold a migrations crate (`init`), or run any migration command through the project's migrations binary",
    after_help = "Every other command (upgrade, downgrade, revision, current, history, heads, branches, merge, stamp, show, check, repair, ensure_version) is forwarded to the project's migrations binary; see its --help.\n\nExit codes: 0 success, 1 migration or database failure (a revision whose code panicked included), 2 usage or configuration error, 3 database unreachable, 4 `check` found differences (a forwarded command's code is passed through)."
)]
struct ToolCli {
    /// The database `models --from-db` reads (no project needed for it).
    #[arg(long, global = true, value_name = "URL")]
    url: Option<String>,
    #[command(subcommand)]
    command: ToolCommand,
}

#[derive(Debug, Subcommand)]
enum ToolCommand {
    /// Initialize a new migrations crate (a migration environment).
    Init(InitArgs),
    /// List available templates.
    #[command(name = "list_templates", alias = "list-templates")]
    ListTemplates,
    /// Write `#[derive(Model)]` structs for the database at --url (the project's migrations
    /// binary does it without --url, for its configured database).
    Models(crate::args::ModelsArgs),
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// The folder of the new migrations crate, e.g. `migrations`.
    directory: PathBuf,
    /// Setup template for use with 'init'.
    #[arg(short = 't', long = "template", default_value = "generic")]
    template: String,
    /// The package name of the new crate (default: `<project>-migrations`).
    #[arg(long)]
    package: Option<String>,
    /// Depend on the `crates/retort` folder of this Retort checkout (by a relative path).
    /// Default: the checkout this tool was built from, when it still exists.
    #[arg(long, value_name = "DIR", conflicts_with = "retort_version")]
    retort_path: Option<PathBuf>,
    /// Depend on this version of `retort` from crates.io (default: the tool's own version,
    /// when it was not built from a checkout).
    #[arg(long, value_name = "VERSION")]
    retort_version: Option<String>,
}

/// Global flags of the migrations binary that take a value, skipped when looking for the
/// command name.
const VALUE_FLAGS: &[&str] = &["-c", "--config", "--env", "--url", "--lock-timeout"];

/// Runs the `retort` tool on `args` (`args[0]` is the program name).
pub fn run(args: Vec<OsString>, printer: &mut Printer) -> ExitCode {
    ExitCode::from(execute(args, printer))
}

/// [`run`], returning the exit code as a number (a forwarded command's own code).
pub fn execute(args: Vec<OsString>, printer: &mut Printer) -> u8 {
    let command = command_name(&args);
    // `models` with a URL needs no project (adopting a database comes before one); without
    // one it is the project's, for its configured database.
    let has_url = args.iter().any(|a| {
        let a = a.to_string_lossy();
        a == "--url" || a.starts_with("--url=")
    });
    let own = matches!(
        command.as_deref(),
        None | Some("init" | "list_templates" | "list-templates" | "help")
    ) || (command.as_deref() == Some("models") && has_url)
        || args.len() <= 1;
    if !own {
        return forward(&args[1..], printer);
    }
    let cli = match ToolCli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return printer.clap_error(&e),
    };
    let result = match cli.command {
        ToolCommand::ListTemplates => {
            crate::commands::list_templates(printer);
            Ok(())
        }
        ToolCommand::Models(a) => match &cli.url {
            Some(url) => crate::commands::models_standalone(url, &a, printer),
            None => Err(CliError::usage(
                "models: no --url",
                Some("pass --url, or run it in a project (its migrations binary reads the configured database)".to_owned()),
            )),
        },
        ToolCommand::Init(a) => {
            let options = InitOptions {
                directory: a.directory,
                template: a.template,
                package: a.package,
                retort: match (a.retort_path, a.retort_version) {
                    (Some(path), _) => RetortSource::Checkout(path),
                    (None, Some(version)) => RetortSource::Version(version),
                    (None, None) => default_retort_source(),
                },
            };
            init(&options, printer).map(|_| ())
        }
    };
    finish(result, printer)
}

/// The first argument that is neither a flag nor a flag's value.
fn command_name(args: &[OsString]) -> Option<String> {
    let mut skip_next = false;
    for a in args.iter().skip(1) {
        let a = a.to_string_lossy();
        if skip_next {
            skip_next = false;
            continue;
        }
        if VALUE_FLAGS.contains(&a.as_ref()) {
            skip_next = true;
            continue;
        }
        if a.starts_with('-') {
            if a == "--help" || a == "-h" || a == "--version" || a == "-V" {
                return None;
            }
            continue;
        }
        return Some(a.into_owned());
    }
    None
}

/// Where a new crate takes `retort` from: the checkout this tool was built from (`cargo
/// run`, or `cargo install --path crates/retort-cli`), when its `crates/retort` is still
/// there, by path; otherwise this tool's own version from crates.io. (Built from
/// crates.io, the tool's source folder is `retort-cli-<version>` in Cargo's registry,
/// with no `retort` folder beside it, so the version is taken.)
pub fn default_retort_source() -> RetortSource {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../retort");
    if dir.join("Cargo.toml").is_file() {
        RetortSource::Checkout(dir.canonicalize().unwrap_or(dir))
    } else {
        RetortSource::Version(env!("CARGO_PKG_VERSION").to_owned())
    }
}

/// Runs the project's migrations binary with `args`, passing its exit code through.
///
/// The binary is built first, in the open: `cargo build` shows its progress (the first
/// build of a migrations crate compiles every dependency and takes minutes), preceded by a
/// line saying what is being built; `--quiet` quiets both. A build that fails is reported
/// as such (exit 2), not as a failure of the command. The binary cargo names is then run
/// directly.
fn forward(args: &[OsString], printer: &mut Printer) -> u8 {
    let result = find_migrations_crate(args).and_then(|manifest| {
        let quiet = args.iter().any(|a| a == "-q" || a == "--quiet");
        let binary = build(&manifest, quiet, printer)?;
        let mut command = match &binary {
            Some(binary) => std::process::Command::new(binary),
            // More than one binary in the crate: let `cargo run` pick (its `default-run`).
            None => {
                let mut c = std::process::Command::new(cargo());
                c.args(["run", "-q", "--manifest-path"])
                    .arg(&manifest)
                    .arg("--");
                c
            }
        };
        let status = command.args(args).status().map_err(|e| {
            CliError::usage(
                format!(
                    "cannot run the migrations binary {}: {e}",
                    binary
                        .as_deref()
                        .unwrap_or(Path::new("(cargo run)"))
                        .display()
                ),
                Some(format!(
                    "build it with `cargo build --manifest-path {}` and run it directly",
                    manifest.display()
                )),
            )
        })?;
        // A signal has no code: report a failure.
        Ok(status
            .code()
            .map_or(crate::error::EXIT_FAILURE, |c| c as u8))
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            printer.error(&e);
            e.exit_code()
        }
    }
}

/// The `cargo` to run: the one running us (`$CARGO`), else the one on the `PATH`.
fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Builds the migrations crate of `manifest` with cargo's progress and diagnostics on
/// stderr, and returns its binary (`None` when the crate has several).
fn build(manifest: &Path, quiet: bool, printer: &mut Printer) -> Result<Option<PathBuf>, CliError> {
    use std::io::BufRead;
    use std::process::Stdio;

    if !quiet {
        printer.progress(&format!(
            "building the migrations binary (cargo build --manifest-path {})",
            manifest.display()
        ));
    }
    let mut command = std::process::Command::new(cargo());
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(manifest)
        // Diagnostics rendered on stderr as usual; stdout carries the artifacts as JSON.
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if quiet {
        command.arg("-q");
    }
    let mut child = command.spawn().map_err(|e| {
        CliError::usage(
            format!("cannot run cargo to build the migrations binary: {e}"),
            Some(
                "install Rust's cargo (https://rustup.rs), or run the migrations binary directly"
                    .to_owned(),
            ),
        )
    })?;
    let wanted = manifest
        .canonicalize()
        .unwrap_or_else(|_| manifest.to_owned());
    let mut binaries = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(binary) = built_binary(&line, &wanted) {
                binaries.push(binary);
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| CliError::usage(format!("cargo build did not finish: {e}"), None))?;
    if !status.success() {
        return Err(CliError::usage(
            format!(
                "building the migrations binary failed (cargo build --manifest-path {}): see cargo's errors above",
                manifest.display()
            ),
            Some("fix the errors cargo names (a revision script under versions/ or the models), then run the command again".to_owned()),
        ));
    }
    binaries.dedup();
    match binaries.len() {
        1 => Ok(binaries.pop()),
        _ => Ok(None),
    }
}

/// The executable of a binary target of the package at `manifest`, from one line of
/// cargo's JSON messages (`compiler-artifact`).
fn built_binary(line: &str, manifest: &Path) -> Option<PathBuf> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    if message.get("reason")?.as_str()? != "compiler-artifact" {
        return None;
    }
    let from = Path::new(message.get("manifest_path")?.as_str()?);
    if from != manifest && from.canonicalize().ok().as_deref() != Some(manifest) {
        return None;
    }
    let is_bin = message
        .get("target")?
        .get("kind")?
        .as_array()?
        .iter()
        .any(|k| k.as_str() == Some("bin"));
    if !is_bin {
        return None;
    }
    message.get("executable")?.as_str().map(PathBuf::from)
}

/// The migrations crate's `Cargo.toml`: beside the `retort.toml` named by `-c`, found in
/// `.` or `migrations/`, or `migrations/Cargo.toml` by convention.
fn find_migrations_crate(args: &[OsString]) -> Result<PathBuf, CliError> {
    let mut config: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        if a == "-c" || a == "--config" {
            config = it.next().map(PathBuf::from);
        } else if let Some(v) = a.strip_prefix("--config=") {
            config = Some(PathBuf::from(v));
        }
    }
    let candidates = match config {
        Some(c) => vec![c],
        None => vec![
            PathBuf::from(retort_migrate::config::CONFIG_FILE),
            Path::new("migrations").join(retort_migrate::config::CONFIG_FILE),
        ],
    };
    for c in &candidates {
        if c.is_file() {
            let cfg = retort_migrate::Config::load(c)?;
            let settings = cfg.settings(None, &retort_migrate::config::std_env)?;
            // `script_location = "."` joins as `dir/.`: name the manifest without the `.`.
            let manifest: PathBuf = settings
                .script_location
                .join("Cargo.toml")
                .components()
                .filter(|c| c != &std::path::Component::CurDir)
                .collect();
            if manifest.is_file() {
                return Ok(manifest);
            }
            return Err(CliError::usage(
                format!(
                    "{}: script_location {} holds no Cargo.toml, so there is no migrations binary to run",
                    c.display(),
                    settings.script_location.display()
                ),
                Some("set script_location to the migrations crate (\".\" when retort.toml is inside it)".to_owned()),
            ));
        }
    }
    let conventional = Path::new("migrations").join("Cargo.toml");
    if conventional.is_file() {
        return Ok(conventional);
    }
    Err(CliError::usage(
        "no migration environment here: neither retort.toml, migrations/retort.toml nor migrations/Cargo.toml exists",
        Some("run this from your project's root, pass -c path/to/retort.toml, or create one with `retort init migrations`".to_owned()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_name_skips_global_flags_and_their_values() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            command_name(&args(&["retort", "--url", "x", "upgrade", "head"])).as_deref(),
            Some("upgrade")
        );
        assert_eq!(
            command_name(&args(&["retort", "-q", "init", "m"])).as_deref(),
            Some("init")
        );
        assert_eq!(command_name(&args(&["retort", "--help"])), None);
        // --lock-timeout takes a value too: `30s` is not the command.
        assert_eq!(
            command_name(&args(&["retort", "--lock-timeout", "30s", "init", "m"])).as_deref(),
            Some("init")
        );
    }
}
