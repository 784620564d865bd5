//! `retort.toml`: the migration environment's configuration.
//!
//! ```toml
//! script_location = "migrations"        # the migrations crate; revisions in its versions/
//! url = "sqlite://dev.db"               # optional; see the precedence below
//! version_table = "retort_version"      # applied heads
//! version_table_schema = "public"       # optional; both tables live there
//! log_table = "retort_log"              # every applied or reverted step
//! transaction_mode = "per-revision"     # or "all": one transaction for the whole run
//! file_template = "{rev}_{slug}"        # revision file names ({rev}, {slug})
//! post_write_hook = "rustfmt"           # default "none"; or ["cmd", "arg", ...]
//! lock_timeout = "10m"                  # longest wait for another run's migration lock
//! statement_timeout = "5m"              # PostgreSQL: per statement of a migration (optional)
//! ddl_lock_timeout = "5s"               # PostgreSQL: a statement's wait for a table lock (optional)
//! ddl_lock_retries = 3                  # retries (with backoff) when that wait times out; 0 = off
//! online = false                        # autogenerate online-safe forms (docs/online.md)
//!
//! [env.production]                      # selected with `--env production`
//! url = "${PROD_DATABASE_URL}"          # ${VAR}, ${VAR:-default}; `$$` is a literal `$`
//! ```
//!
//! The top-level keys are the defaults; an `[env.NAME]` table overrides any of them. Only
//! the values of the selected environment are interpolated, so an unset variable that
//! only production uses does not break development.
//!
//! The URL is chosen by [`Settings::resolve_url`]: `--url`, else `DATABASE_URL`, else the
//! environment's `url`, else a SQLite file `retort.db` beside the config file. (The
//! command line passes `DATABASE_URL` of `./.env` in the variable's place when it is unset.)
//!
//! Environment variables are read through a lookup function rather than `std::env`
//! directly, so tests stay hermetic and a CLI can pass [`std_env`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::url::{redact, DatabaseUrl, UrlError};

/// The default name of the config file.
pub const CONFIG_FILE: &str = "retort.toml";
/// The default SQLite file, beside the config, when no URL is given anywhere.
pub const DEFAULT_SQLITE_FILE: &str = "retort.db";

/// Why the configuration could not be loaded. Messages name the file and never show a
/// password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The configuration file.
        path: PathBuf,
        /// Why the operating system refused.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a key has the wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The configuration file.
        path: PathBuf,
        /// The line of the problem, from 1.
        line: usize,
        /// The column of the problem, from 1.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// `--env` names an environment the file does not have.
    #[error("{path}: no environment named `{name}`; known environments: {}", known_list(.known))]
    UnknownEnvironment {
        /// The configuration file.
        path: PathBuf,
        /// The environment asked for.
        name: String,
        /// The environments the file has.
        known: Vec<String>,
    },
    /// A value uses `${VAR}` and VAR is not set.
    #[error("{path}: `{key}` uses ${{{var}}}, but the environment variable {var} is not set; set it or write ${{{var}:-default}}")]
    UnsetVariable {
        /// The configuration file.
        path: PathBuf,
        /// The key whose value uses it.
        key: String,
        /// The variable's name.
        var: String,
    },
    /// A key has a value it cannot take (an unknown transaction mode, a negative timeout).
    #[error("{path}: `{key}`: {message}")]
    Invalid {
        /// The configuration file.
        path: PathBuf,
        /// The key.
        key: String,
        /// What is wrong with its value, and what it takes.
        message: String,
    },
    /// The database URL is not valid.
    #[error("{origin}: {source}")]
    Url {
        /// Where the URL came from (`--url`, `DATABASE_URL`, `retort.toml [env.prod]`).
        origin: String,
        /// Why the URL was refused.
        #[source]
        source: UrlError,
    },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "none (add an [env.NAME] table)".to_owned()
    } else {
        known.join(", ")
    }
}

/// How revisions are grouped into transactions on databases with transactional DDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransactionMode {
    /// One transaction per revision, the version row written in it (the default): a
    /// failure leaves the database at the last revision that succeeded.
    #[default]
    PerRevision,
    /// One transaction for the whole run: a failure leaves the database as before the run.
    All,
}

/// The command run on a freshly written revision file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PostWriteHook {
    /// `rustfmt <file>` when `rustfmt` is on the `PATH`; skipped otherwise
    /// (`post_write_hook = "rustfmt"`).
    Rustfmt,
    /// Nothing (the default: the writer already lays the file out as rustfmt would, so
    /// running it would only add its start-up time to every `revision`).
    #[default]
    None,
    /// A command and its arguments; the file path is appended.
    Command(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawHook {
    Name(String),
    Command(Vec<String>),
}

/// A duration as written: `"30s"`, `"500ms"`, `"2m"`, `"1h"`, or a number of seconds.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawDuration {
    Seconds(u64),
    Text(String),
}

/// Parses `"30s"`, `"500ms"`, `"2m"`, `"1h"` or `"12"` (seconds).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().ok()?;
    Some(match unit.trim() {
        "" | "s" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" | "min" => Duration::from_secs(n.checked_mul(60)?),
        "h" => Duration::from_secs(n.checked_mul(3600)?),
        _ => return None,
    })
}

/// One level of settings as written: the top level or one `[env.NAME]` table. Its
/// `Debug` redacts the URL (it may hold a password before interpolation, or after).
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    script_location: Option<String>,
    url: Option<String>,
    version_table: Option<String>,
    version_table_schema: Option<String>,
    log_table: Option<String>,
    transaction_mode: Option<TransactionMode>,
    file_template: Option<String>,
    post_write_hook: Option<RawHook>,
    lock_timeout: Option<RawDuration>,
    statement_timeout: Option<RawDuration>,
    ddl_lock_timeout: Option<RawDuration>,
    ddl_lock_retries: Option<u32>,
    /// `online = true`: `revision --autogenerate` writes the online-safe forms.
    online: Option<bool>,
    /// `[autogenerate]`: what `revision --autogenerate` and `check` compare.
    autogenerate: Option<crate::autogenerate::RawAutogenerate>,
    /// `[lint]`: rule severities, the failing level, the large-table size.
    lint: Option<crate::lint::RawLint>,
    env: Option<BTreeMap<String, RawSettings>>,
}

impl std::fmt::Debug for RawSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawSettings")
            .field("script_location", &self.script_location)
            .field("url", &self.url.as_deref().map(redact))
            .field("version_table", &self.version_table)
            .field("version_table_schema", &self.version_table_schema)
            .field("log_table", &self.log_table)
            .field("transaction_mode", &self.transaction_mode)
            .field("lock_timeout", &self.lock_timeout)
            .field("statement_timeout", &self.statement_timeout)
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}

impl RawSettings {
    fn overlay(mut self, over: &RawSettings) -> RawSettings {
        macro_rules! take {
            ($($f:ident),*) => { $( if over.$f.is_some() { self.$f.clone_from(&over.$f); } )* };
        }
        take!(
            script_location,
            url,
            version_table,
            version_table_schema,
            log_table,
            transaction_mode,
            file_template,
            post_write_hook,
            lock_timeout,
            statement_timeout,
            ddl_lock_timeout,
            ddl_lock_retries,
            online,
            autogenerate
        );
        // Rule severities merge rule by rule: an environment relaxes one rule, not all.
        self.lint = match (self.lint.take(), &over.lint) {
            (Some(base), Some(over)) => Some(base.overlay(over)),
            (base, over) => over.clone().or(base),
        };
        self
    }
}

/// A parsed `retort.toml`, before an environment is chosen.
#[derive(Debug, Clone)]
pub struct Config {
    path: PathBuf,
    base: RawSettings,
    envs: BTreeMap<String, RawSettings>,
}

impl Config {
    /// Reads and parses the file at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_owned(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses `text` as the content of the file at `path` (named in errors; its folder is
    /// where relative paths and the default SQLite file are resolved).
    pub fn parse(text: &str, path: impl Into<PathBuf>) -> Result<Config, ConfigError> {
        let path = path.into();
        let mut base: RawSettings = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            ConfigError::Parse {
                path: path.clone(),
                line,
                column,
                message: redact_message(e.message()),
            }
        })?;
        let envs = base.env.take().unwrap_or_default();
        if let Some((name, _)) = envs.iter().find(|(_, s)| s.env.is_some()) {
            return Err(ConfigError::Invalid {
                path,
                key: format!("env.{name}.env"),
                message: "environments cannot be nested".into(),
            });
        }
        Ok(Config { path, base, envs })
    }

    /// The configuration used when there is no `retort.toml`: every default, relative
    /// paths resolved in `dir`.
    pub fn empty(dir: impl AsRef<Path>) -> Config {
        Config {
            path: dir.as_ref().join(CONFIG_FILE),
            base: RawSettings::default(),
            envs: BTreeMap::new(),
        }
    }

    /// The file this configuration was read from (or would be written to).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The names of the `[env.NAME]` tables, sorted.
    pub fn environments(&self) -> Vec<&str> {
        self.envs.keys().map(String::as_str).collect()
    }

    /// The settings of environment `name` (the top level alone when `None`), with
    /// `${VAR}` references replaced through `vars`.
    pub fn settings(
        &self,
        name: Option<&str>,
        vars: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let raw = match name {
            None => self.base.clone(),
            Some(name) => {
                let env = self
                    .envs
                    .get(name)
                    .ok_or_else(|| ConfigError::UnknownEnvironment {
                        path: self.path.clone(),
                        name: name.to_owned(),
                        known: self.envs.keys().cloned().collect(),
                    })?;
                self.base.clone().overlay(env)
            }
        };
        let key = |k: &str| match name {
            Some(n) => format!("env.{n}.{k} (or top-level {k})"),
            None => k.to_owned(),
        };
        let interp = |k: &str, v: &Option<String>| -> Result<Option<String>, ConfigError> {
            v.as_deref()
                .map(|v| interpolate(v, vars, &self.path, &key(k)))
                .transpose()
        };
        let dir = self
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let origin = match name {
            Some(n) => format!("{} [env.{n}] url", self.path.display()),
            None => format!("{} url", self.path.display()),
        };
        let url = match interp("url", &raw.url)? {
            Some(u) if !u.trim().is_empty() => {
                Some(DatabaseUrl::parse(&u).map_err(|source| ConfigError::Url { origin, source })?)
            }
            _ => None,
        };
        let non_empty =
            |k: &str, v: Option<String>, default: &str| -> Result<String, ConfigError> {
                match v {
                    None => Ok(default.to_owned()),
                    Some(v) if v.trim().is_empty() => Err(ConfigError::Invalid {
                        path: self.path.clone(),
                        key: key(k),
                        message: "must not be empty".into(),
                    }),
                    Some(v) => Ok(v),
                }
            };
        let hook = match raw.post_write_hook {
            None => PostWriteHook::None,
            Some(RawHook::Name(n)) => {
                match interpolate(&n, vars, &self.path, &key("post_write_hook"))?.as_str() {
                    "rustfmt" => PostWriteHook::Rustfmt,
                    "none" | "" => PostWriteHook::None,
                    other => PostWriteHook::Command(vec![other.to_owned()]),
                }
            }
            Some(RawHook::Command(args)) if args.is_empty() => PostWriteHook::None,
            Some(RawHook::Command(args)) => PostWriteHook::Command(
                args.iter()
                    .map(|a| interpolate(a, vars, &self.path, &key("post_write_hook")))
                    .collect::<Result<_, _>>()?,
            ),
        };
        let file_template = non_empty(
            "file_template",
            interp("file_template", &raw.file_template)?,
            "{rev}_{slug}",
        )?;
        if !file_template.contains("{rev}") {
            return Err(ConfigError::Invalid {
                path: self.path.clone(),
                key: key("file_template"),
                message: format!(
                    "`{file_template}` must contain {{rev}} so file names stay unique"
                ),
            });
        }
        let duration = |k: &str,
                        v: &Option<RawDuration>|
         -> Result<Option<Duration>, ConfigError> {
            let text = match v {
                None => return Ok(None),
                Some(RawDuration::Seconds(n)) => return Ok(Some(Duration::from_secs(*n))),
                Some(RawDuration::Text(t)) => interpolate(t, vars, &self.path, &key(k))?,
            };
            parse_duration(&text)
                .map(Some)
                .ok_or_else(|| ConfigError::Invalid {
                    path: self.path.clone(),
                    key: key(k),
                    message: format!(
                        "`{text}` is not a duration; write e.g. \"30s\", \"500ms\", \"2m\" or a number of seconds"
                    ),
                })
        };
        let timeouts = crate::Timeouts {
            lock_wait: duration("lock_timeout", &raw.lock_timeout)?
                .unwrap_or(crate::Timeouts::DEFAULT_LOCK_WAIT),
            statement: duration("statement_timeout", &raw.statement_timeout)?,
            ddl_lock: duration("ddl_lock_timeout", &raw.ddl_lock_timeout)?,
            ddl_lock_retries: raw.ddl_lock_retries.unwrap_or(0),
        };
        let lint = raw
            .lint
            .clone()
            .unwrap_or_default()
            .settings(timeouts.ddl_lock.is_some())
            .map_err(|(k, message)| ConfigError::Invalid {
                path: self.path.clone(),
                key: key(&k),
                message,
            })?;
        Ok(Settings {
            online: raw.online.unwrap_or(false),
            lint,
            autogenerate: raw.autogenerate.clone().unwrap_or_default().into(),
            timeouts,
            environment: name.map(str::to_owned),
            config_dir: dir.clone(),
            script_location: dir.join(non_empty(
                "script_location",
                interp("script_location", &raw.script_location)?,
                "migrations",
            )?),
            url,
            version_table: non_empty(
                "version_table",
                interp("version_table", &raw.version_table)?,
                crate::DEFAULT_VERSION_TABLE,
            )?,
            version_table_schema: interp("version_table_schema", &raw.version_table_schema)?
                .filter(|s| !s.trim().is_empty()),
            log_table: non_empty(
                "log_table",
                interp("log_table", &raw.log_table)?,
                crate::DEFAULT_LOG_TABLE,
            )?,
            transaction_mode: raw.transaction_mode.unwrap_or_default(),
            file_template,
            post_write_hook: hook,
        })
    }
}

/// The settings of one environment, every default filled in and every `${VAR}` replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// The `--env` chosen, if any.
    pub environment: Option<String>,
    /// The folder of `retort.toml`: relative paths and the default SQLite file live here.
    pub config_dir: PathBuf,
    /// The migrations crate (its `versions/` holds the revision scripts).
    pub script_location: PathBuf,
    /// The environment's `url`, if it has one (see [`Settings::resolve_url`]).
    pub url: Option<DatabaseUrl>,
    /// The version table's name (`version_table`).
    pub version_table: String,
    /// The schema of the version and log tables (`version_table_schema`); `None` is the default one.
    pub version_table_schema: Option<String>,
    /// The log table's name (`log_table`).
    pub log_table: String,
    /// One transaction per revision or for the whole run (`transaction_mode`).
    pub transaction_mode: TransactionMode,
    /// How new revision files are named (`file_template`).
    pub file_template: String,
    /// What runs on a written revision (`post_write_hook`: nothing by default).
    pub post_write_hook: PostWriteHook,
    /// `lock_timeout`, `statement_timeout`, `ddl_lock_timeout`, `ddl_lock_retries`.
    pub timeouts: crate::Timeouts,
    /// `[autogenerate]`: schema and table filters, `compare_type`, `compare_server_default`.
    pub autogenerate: crate::autogenerate::AutogenerateSettings,
    /// `[lint]`: what `lint`, `upgrade` and `revision --autogenerate` report, and at which
    /// level `lint` fails and `upgrade` refuses.
    pub lint: crate::lint::LintSettings,
    /// `online`: `revision --autogenerate` writes the online-safe forms of its ops for this
    /// environment's database (`retort_core::ops::online_rewrite`, `docs/online.md`), as
    /// `--online` asks for one revision; on MySQL/MariaDB `upgrade`/`downgrade` also run
    /// every ALTER with `ALGORITHM=INPLACE, LOCK=NONE` (`Migrator::with_online`).
    pub online: bool,
}

/// Where the URL in use came from, for `-v` output and error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlSource {
    /// `--url`.
    CommandLine,
    /// The `DATABASE_URL` environment variable (or `.env`).
    EnvironmentVariable,
    /// The environment's `url` in `retort.toml`.
    Config,
    /// Nothing named one: the SQLite file beside `retort.toml` (the embedded default).
    SqliteDefault,
}

impl Settings {
    /// Picks the database URL: `cli` (`--url`) > `database_url` (the `DATABASE_URL`
    /// variable) > the environment's `url` > `sqlite://<config dir>/retort.db`.
    /// Empty strings count as absent.
    pub fn resolve_url(
        &self,
        cli: Option<&str>,
        database_url: Option<&str>,
    ) -> Result<(DatabaseUrl, UrlSource), ConfigError> {
        if let Some(u) = non_blank(cli) {
            return DatabaseUrl::parse(u)
                .map(|u| (u, UrlSource::CommandLine))
                .map_err(|source| ConfigError::Url {
                    origin: "--url".into(),
                    source,
                });
        }
        if let Some(u) = non_blank(database_url) {
            return DatabaseUrl::parse(u)
                .map(|u| (u, UrlSource::EnvironmentVariable))
                .map_err(|source| ConfigError::Url {
                    origin: "DATABASE_URL".into(),
                    source,
                });
        }
        if let Some(u) = &self.url {
            return Ok((u.clone(), UrlSource::Config));
        }
        Ok((
            DatabaseUrl::sqlite_file(&self.config_dir.join(DEFAULT_SQLITE_FILE)),
            UrlSource::SqliteDefault,
        ))
    }

    /// The version and log table names of these settings.
    pub fn tables(&self) -> crate::Tables {
        crate::Tables {
            schema: self.version_table_schema.clone(),
            version: self.version_table.clone(),
            log: self.log_table.clone(),
        }
    }
}

fn non_blank(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.trim().is_empty())
}

/// Reads variables from the process environment.
pub fn std_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Replaces `${VAR}` and `${VAR:-default}` in `value`; `$$` is a literal `$`.
fn interpolate(
    value: &str,
    vars: &dyn Fn(&str) -> Option<String>,
    path: &Path,
    key: &str,
) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(after) = after.strip_prefix('$') {
            out.push('$');
            rest = after;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body.find('}').ok_or_else(|| ConfigError::Invalid {
                path: path.to_owned(),
                key: key.to_owned(),
                message: "`${` has no closing `}`; write `$$` for a literal `$`".into(),
            })?;
            let reference = &body[..end];
            let (var, default) = match reference.split_once(":-") {
                Some((v, d)) => (v, Some(d)),
                None => (reference, None),
            };
            let valid = !var.is_empty()
                && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !var.starts_with(|c: char| c.is_ascii_digit());
            if !valid {
                return Err(ConfigError::Invalid {
                    path: path.to_owned(),
                    key: key.to_owned(),
                    message: format!("`${{{var}}}` is not a valid variable name"),
                });
            }
            match (vars(var), default) {
                (Some(v), _) => out.push_str(&v),
                (None, Some(d)) => out.push_str(d),
                (None, None) => {
                    return Err(ConfigError::UnsetVariable {
                        path: path.to_owned(),
                        key: key.to_owned(),
                        var: var.to_owned(),
                    })
                }
            }
            rest = &body[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A parse message may quote the offending value; redact anything URL-like in it.
fn redact_message(message: &str) -> String {
    message
        .split(' ')
        .map(|w| {
            if w.contains('@') || w.contains("://") || w.to_ascii_lowercase().contains("password") {
                redact(w)
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders a revision file name (without `.rs`) from `template`: `{rev}` is the revision
/// id and `{slug}` the message in lowercase words joined by `_`, at most 40 characters.
pub fn render_file_name(template: &str, rev: &str, message: &str) -> String {
    let mut slug = String::new();
    for word in message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_ascii_lowercase();
        let extra = if slug.is_empty() { 0 } else { 1 };
        if slug.len() + extra + word.len() > 40 {
            break;
        }
        if extra == 1 {
            slug.push('_');
        }
        slug.push_str(&word);
    }
    let name = template.replace("{rev}", rev).replace("{slug}", &slug);
    name.trim_end_matches('_').to_owned()
}
