//! What most commands start from: the configuration file, the chosen environment's
//! settings, the database URL, the migrator over the compiled scripts, a runtime, and a
//! connection. Read-only commands use [`Context::connect_existing`], which does not
//! create a SQLite file that is not there.

use std::future::Future;
use std::path::{Path, PathBuf};

use retort_migrate::config::{self, CONFIG_FILE};
use retort_migrate::{
    parse_duration, AnyDriver, Backend, Config, DatabaseUrl, Migrator, Settings, UrlSource,
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
        if url.backend() == Backend::Sqlite {
            if let Some(path) = sqlite_path(url.expose_secret()) {
                if !path.exists() {
                    return Ok(None);
                }
            }
        }
        Ok(Some(self.connect(url).await?))
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

/// The file of a `sqlite:` URL (`None` for `:memory:`).
fn sqlite_path(raw: &str) -> Option<&Path> {
    let rest = raw.split_once(':')?.1;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| Path::new(path))
}

/// Registers the password of URL-like `raw` (and its percent-decoded form).
fn register_password(raw: &str, printer: &mut Printer) {
    if let Some(password) = password_of(raw) {
        printer.add_secret(&password);
        let decoded = percent_decode(&password);
        printer.add_secret(&decoded);
    }
    // `?password=...` in the query.
    if let Some((_, query)) = raw.split_once('?') {
        for pair in query.split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                if k.to_ascii_lowercase().contains("password") {
                    printer.add_secret(v);
                }
            }
        }
    }
}

fn password_of(raw: &str) -> Option<String> {
    let after = raw.split_once("://")?.1;
    let authority = after.split(['/', '?', '#']).next().unwrap_or(after);
    // A password may hold '/': take the userinfo up to the last '@' of the whole rest.
    let userinfo = match after.rfind('@') {
        Some(at) if at >= authority.len() || authority.contains('@') => &after[..at],
        _ => return None,
    };
    let password = userinfo.split_once(':')?.1;
    (!password.is_empty()).then(|| password.to_owned())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_found_in_urls() {
        assert_eq!(password_of("postgres://u:pw@h/db").as_deref(), Some("pw"));
        assert_eq!(password_of("postgres://u:p@w@h/db").as_deref(), Some("p@w"));
        assert_eq!(password_of("postgres://u@h/db"), None);
        assert_eq!(password_of("postgres://h/db"), None);
        assert_eq!(percent_decode("p%40w"), "p@w");
    }

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.db?mode=rwc"),
            Some(Path::new("/tmp/a.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }
}
