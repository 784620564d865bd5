//! What most commands start from: the configuration file, the chosen environment's
//! settings, the database URL, the migrator over the compiled scripts, a runtime, and a
//! connection. Read-only commands use [`Context::connect_existing`], which does not
//! create a SQLite file that is not there.

use std::future::Future;
use std::path::PathBuf;

use retort_migrate::config::{self, CONFIG_FILE};
use retort_migrate::{
    parse_duration, AnyDriver, Config, DatabaseUrl, Migrator, Settings, UrlSource,
};

use crate::args::GlobalArgs;
use crate::{CliError, Environment, Printer};

pub(crate) struct Context<'a> {
    pub env: &'a Environment,
    pub settings: Settings,
    pub global: &'a GlobalArgs,
}

impl<'a> Context<'a> {
    /// Loads `retort.toml` (`-c`, else the migrations crate's, else the current
    /// directory's, else defaults) and the `--env` settings.
    pub fn load(global: &'a GlobalArgs, env: &'a Environment) -> Result<Self, CliError> {
        let crate_dir = env.crate_dir().map(PathBuf::from);
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let (config, implicit) = match &global.config {
            Some(path) => (Config::load(path)?, false),
            None => {
                let candidates = crate_dir.iter().chain(std::iter::once(&cwd));
                match candidates
                    .map(|d| d.join(CONFIG_FILE))
                    .find(|p| p.is_file())
                {
                    Some(path) => (Config::load(path)?, false),
                    None => (Config::empty(crate_dir.as_ref().unwrap_or(&cwd)), true),
                }
            }
        };
        let mut settings = config.settings(global.env.as_deref(), &config::std_env)?;
        if implicit {
            // With no retort.toml the migrations crate itself holds versions/.
            settings.script_location = settings.config_dir.clone();
        }
        // `script_location = "."` gives `dir/.`; shown paths read better without it.
        settings.script_location = settings.script_location.components().collect();
        Ok(Context {
            env,
            settings,
            global,
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
        Ok(migrator
            .with_tables(self.settings.tables())
            .with_transaction_mode(self.settings.transaction_mode)
            .with_timeouts(timeouts))
    }

    /// The database URL (`--url` > `DATABASE_URL` > retort.toml > the SQLite default);
    /// its password is registered with the printer so it can never be shown.
    pub fn url(&self, printer: &mut Printer) -> Result<(DatabaseUrl, UrlSource), CliError> {
        if let Some(raw) = &self.global.url {
            register_password(raw, printer);
        }
        let database_url = config::std_env("DATABASE_URL");
        if let Some(raw) = &database_url {
            register_password(raw, printer);
        }
        let (url, source) = self
            .settings
            .resolve_url(self.global.url.as_deref(), database_url.as_deref())?;
        register_password(url.expose_secret(), printer);
        Ok((url, source))
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
