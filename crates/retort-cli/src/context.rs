//! What most commands start from: the configuration file, the chosen environment's
//! settings, the database URL, the migrator over the compiled scripts, a runtime, and a
//! connection. Read-only commands use [`Context::connect_existing`], which does not
//! create a SQLite file that is not there.

use std::future::Future;
use std::path::PathBuf;

use retort_migrate::config::{self, CONFIG_FILE};
use retort_migrate::{
    parse_duration, AnyDriver, Config, ConfigError, DatabaseUrl, Migrator, Settings, UrlSource,
};

use crate::args::GlobalArgs;
use crate::dotenv;
use crate::target::{self, Origin};
use crate::{CliError, Environment, Printer};

pub(crate) struct Context<'a> {
    pub env: &'a Environment,
    pub settings: Settings,
    pub global: &'a GlobalArgs,
    /// The `retort.toml` in use; `None` when there is none (every default).
    pub config_file: Option<PathBuf>,
    /// The current directory, where `retort.toml` and `.env` are looked for.
    cwd: PathBuf,
}

impl<'a> Context<'a> {
    /// Loads `retort.toml` (`-c`, else the current directory's, else the migrations
    /// crate's, else defaults) and the `--env` settings.
    pub fn load(global: &'a GlobalArgs, env: &'a Environment) -> Result<Self, CliError> {
        let crate_dir = env.crate_dir().map(PathBuf::from);
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let config_file = match &global.config {
            Some(path) => Some(path.clone()),
            // The current directory first, as Alembic's `alembic.ini`: a project can keep
            // several configurations and run from the one it means.
            None => std::iter::once(&cwd)
                .chain(crate_dir.iter())
                .map(|d| d.join(CONFIG_FILE))
                .find(|p| p.is_file()),
        };
        let config = match &config_file {
            Some(path) => Config::load(path)?,
            None => Config::empty(crate_dir.as_ref().unwrap_or(&cwd)),
        };
        let mut settings = config.settings(global.env.as_deref(), &config::std_env)?;
        if config_file.is_none() {
            // With no retort.toml the migrations crate itself holds versions/.
            settings.script_location = settings.config_dir.clone();
        }
        // `script_location = "."` gives `dir/.`; shown paths read better without it.
        settings.script_location = settings.script_location.components().collect();
        Ok(Context {
            env,
            settings,
            global,
            config_file,
            cwd,
        })
    }

    /// The folder revision files are written to.
    pub fn versions_dir(&self) -> PathBuf {
        self.settings.script_location.join("versions")
    }

    /// The migrator over the compiled scripts; a duplicate or missing revision id is a
    /// user error naming the file.
    pub fn migrator(&self) -> Result<Migrator, CliError> {
        let mut timeouts = self.settings.timeouts;
        if let Some(text) = &self.global.lock_timeout {
            let wait = parse_duration(text).ok_or_else(|| {
                CliError::usage(
                    format!("--lock-timeout {text}: not a duration"),
                    Some(
                        "write it as `30s`, `500ms`, `2m`, `1h` or a number of seconds".to_owned(),
                    ),
                )
            })?;
            timeouts = timeouts.with_lock_wait(wait);
        }
        let migrator = Migrator::new(self.env.scripts().to_vec()).map_err(CliError::from)?;
        // The scripts' files, so a refusal of the data-loss guard names the op's line.
        let script_dirs = self
            .env
            .crate_dir()
            .map(PathBuf::from)
            .into_iter()
            .chain(std::iter::once(self.settings.script_location.clone()))
            .collect();
        Ok(migrator
            .with_tables(self.settings.tables())
            .with_transaction_mode(self.settings.transaction_mode)
            .with_timeouts(timeouts)
            .with_data_loss_guard(self.settings.lint.data_loss)
            // `online = true`: MySQL's DDL in its online form (`docs/online.md`).
            .with_online(self.settings.online)
            .with_script_dirs(script_dirs))
    }

    /// The database URL (`--url` > `DATABASE_URL` > `DATABASE_URL` in `./.env` >
    /// retort.toml > the SQLite default), after printing the `Target:` line that says
    /// what it points at and where it came from (`offline` for `--sql`, which only takes
    /// the dialect from it and connects to nothing). Its password is registered with the
    /// printer so it can never be shown.
    pub fn url(&self, printer: &mut Printer, offline: bool) -> Result<DatabaseUrl, CliError> {
        let flag = match self.global.url.as_slice() {
            [] => None,
            [one] => Some(one.as_str()),
            [..] => {
                return Err(CliError::usage(
                    "--url was given more than once; only `upgrade`, `current` and `check` run on several targets",
                    Some("pass one --url, or run `upgrade`, `current` or `check` with each --url".to_owned()),
                ))
            }
        };
        if let Some(raw) = flag {
            register_password(raw, printer);
        }
        let mut origin = Origin::EnvironmentVariable;
        let mut database_url = config::std_env("DATABASE_URL").filter(|v| !v.trim().is_empty());
        if flag.filter(|v| !v.trim().is_empty()).is_none() && database_url.is_none() {
            let path = self.cwd.join(".env");
            database_url = dotenv::database_url(&path)?;
            origin = Origin::DotEnv(path);
        }
        if let Some(raw) = &database_url {
            register_password(raw, printer);
        }
        let (url, source) = self
            .settings
            .resolve_url(flag, database_url.as_deref())
            .map_err(|e| match (&origin, e) {
                (Origin::DotEnv(path), ConfigError::Url { source, .. }) => ConfigError::Url {
                    origin: format!("DATABASE_URL in {}", path.display()),
                    source,
                }
                .into(),
                (_, e) => CliError::from(e),
            })?;
        register_password(url.expose_secret(), printer);
        let origin = match source {
            UrlSource::CommandLine => Origin::CommandLine,
            UrlSource::EnvironmentVariable => origin,
            UrlSource::Config => Origin::Config,
            _ => Origin::Default,
        };
        // Offline, nothing is touched: only a fall-back to the SQLite default is worth a
        // line (the script would be SQLite's), and the script's own stderr stays empty.
        if !offline || origin == Origin::Default {
            let line = target::line(&url, &origin, self, offline);
            printer.progress(&line);
        }
        Ok(url)
    }

    /// Connects (creating a SQLite file if needed: for commands that write).
    pub async fn connect(&self, url: &DatabaseUrl) -> Result<AnyDriver, CliError> {
        Ok(AnyDriver::connect(url).await?)
    }

    /// Connects for reading only: `None` when the URL names a SQLite file that does not
    /// exist, so `current` or `history -i` never create a database.
    pub async fn connect_existing(&self, url: &DatabaseUrl) -> Result<Option<AnyDriver>, CliError> {
        Ok(AnyDriver::connect_existing(url).await?)
    }
}

/// Runs a future on a fresh single-threaded runtime: the command line does one thing at a
/// time, and an in-process caller (a test) gets no runtime of ours left behind.
pub(crate) fn block_on<F: Future>(future: F) -> Result<F::Output, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::usage(format!("cannot start the async runtime: {e}"), None))?;
    Ok(runtime.block_on(future))
}

/// Registers every password of URL-like `raw` (the spans `url::redact` masks), and each
/// one percent-decoded, as the database may echo either form.
fn register_password(raw: &str, printer: &mut Printer) {
    for password in retort_migrate::url::passwords(raw) {
        printer.add_secret(password);
        printer.add_secret(&retort_migrate::url::percent_decode(password));
    }
}

#[cfg(test)]
mod tests {
    use retort_migrate::url::percent_decode;

    #[test]
    fn percent_escapes_are_decoded_and_anything_else_kept() {
        assert_eq!(percent_decode("p%40w"), "p@w");
        assert_eq!(percent_decode("p%4"), "p%4");
        assert_eq!(percent_decode("50%"), "50%");
        // A multi-byte character right after `%` is kept, not split (this panicked).
        assert_eq!(percent_decode("%aé1"), "%aé1");
        assert_eq!(percent_decode("%é"), "%é");
    }
}
