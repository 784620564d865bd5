//! Retort's migration environment: configuration, compiled revision scripts, drivers, the
//! version table and log, the runner and its offline `--sql` output. No printing, no CLI:
//! `retort-cli` (and any application) builds on the API below.
//!
//! # The pieces
//!
//! | need | API |
//! |---|---|
//! | read `retort.toml`, pick `--env`, find the URL | [`Config::load`] / [`Config::empty`], [`Config::settings`] (with [`config::std_env`]), [`Settings::resolve_url`] |
//! | show a URL | [`DatabaseUrl`]: `Display`/`Debug` redact the password; [`url::redact`] for any text |
//! | compile `versions/` into the migrations binary | [`build::generate_versions`] in its `build.rs`; the generated `scripts()` returns `Vec<`[`Script`]`>` |
//! | connect | [`AnyDriver::connect`] (a [`DatabaseUrl`], or an application's `PgPool` / `SqlitePool`) |
//! | `upgrade`, `downgrade`, `stamp [--purge]`, `ensure_version` | [`Migrator::upgrade`], [`Migrator::downgrade`], [`Migrator::stamp`] -> [`Report`]; [`Migrator::ensure_version`] |
//! | `current`, the applied-step log, edited scripts | [`Migrator::current`], [`Migrator::log`] (read-only: create nothing), [`Migrator::checksum_drift`] |
//! | `heads`, `history`, `branches`, `show`... | [`Migrator::graph`] (a `retort_core::graph::RevisionGraph`) |
//! | `--sql` | [`Migrator::offline_upgrade`], [`Migrator::offline_downgrade`], [`Migrator::offline_stamp`] (`from:to` ranges) |
//! | bring the database to head at application start-up | [`migrate`] |
//! | revision file names, post-write hook | [`config::render_file_name`], [`PostWriteHook::run`] on [`Settings::post_write_hook`] |
//!
//! ```no_run
//! # async fn f(scripts: Vec<retort_migrate::Script>) -> Result<(), Box<dyn std::error::Error>> {
//! use retort_migrate::{config, AnyDriver, Config, Migrator};
//! let config = Config::load("retort.toml")?;
//! let settings = config.settings(Some("production"), &config::std_env)?;
//! let (url, _source) = settings.resolve_url(None, config::std_env("DATABASE_URL").as_deref())?;
//! let migrator = Migrator::new(scripts)?
//!     .with_tables(settings.tables())
//!     .with_transaction_mode(settings.transaction_mode);
//! let mut db = AnyDriver::connect(&url).await?;
//! let report = migrator.upgrade(&mut db, "head").await?;
//! for step in &report.steps { /* the CLI prints these */ let _ = (&step.revision, step.duration); }
//! # Ok(()) }
//! ```
//!
//! # What the database holds
//!
//! * `retort_version` (`version_num VARCHAR(255)` primary key `retort_version_pkc`): the
//!   applied heads, as `alembic_version`.
//! * `retort_log` (`id`, `revision`, `direction` = `upgrade`/`downgrade`/`stamp`,
//!   `checksum`, `applied_at`, `duration_ms`): every step, never rewritten.
//!
//! Both are created by the first run that changes something, in its first transaction.
//!
//! # Guarantees of a run
//!
//! * One transaction per revision by default, the version and log rows written in it; a
//!   failed revision leaves the database as before that revision.
//!   [`TransactionMode::All`] wraps the whole run: a failure leaves it as before the run.
//!   The one exception is a statement that cannot run in a transaction (PostgreSQL's
//!   `CREATE INDEX CONCURRENTLY`): the open transaction is committed before it and a new
//!   one begun after it, as Alembic's `autocommit_block` does.
//! * A run holds a lock for its whole length (PostgreSQL: `pg_advisory_lock` on a
//!   dedicated connection; SQLite: a write transaction on `<db>-retort-lock`); a
//!   concurrent run waits, then plans from what the first one left. The lock is released
//!   on every path, and by the server if the process dies.
//! * A failure ([`MigrateError::Step`]) names the revision, its file, the failing
//!   statement, and what the run had applied before it.
//! * Passwords never appear in errors: every URL in a message is redacted.
//!
//! Operations are rendered by [`render::ops_to_statements`], the single adapter to
//! `retort-dialect` (`Dialect::render_op`), against the schema the applied history builds
//! ([`Migrator::schema_at`], replayed in memory from the scripts).

pub mod build;
pub mod config;
mod connect;
pub mod driver;
mod hook;
pub mod render;
pub mod runner;
mod script;
pub mod url;
pub mod version_table;

pub use config::{Config, ConfigError, PostWriteHook, Settings, TransactionMode, UrlSource};
pub use connect::{AnyDriver, Target};
pub use hook::{HookError, HookOutcome};
pub use runner::{AppliedStep, ChecksumDrift, MigrateError, Migrator, Report};
pub use script::{checksum, Script};
pub use url::{Backend, DatabaseUrl, UrlError};
pub use version_table::{LogDirection, LogEntry};

/// The default name of the table of applied heads.
pub const DEFAULT_VERSION_TABLE: &str = "retort_version";
/// The default name of the table logging every applied or reverted step.
pub const DEFAULT_LOG_TABLE: &str = "retort_log";

/// Where the runner keeps its bookkeeping: the version table (applied heads) and the log
/// table (every step), in `schema` (the connection's default when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    pub schema: Option<String>,
    pub version: String,
    pub log: String,
}

impl Default for Tables {
    fn default() -> Self {
        Tables {
            schema: None,
            version: DEFAULT_VERSION_TABLE.to_owned(),
            log: DEFAULT_LOG_TABLE.to_owned(),
        }
    }
}

/// Brings the database at `target` (a [`DatabaseUrl`] or an application's pool) to
/// `revision` (usually `"head"`) with the same lock, checks and log as the command line,
/// using the default tables and per-revision transactions. For other settings, use
/// [`Migrator`] and [`AnyDriver`] directly.
///
/// ```no_run
/// # async fn f(pool: sqlx::PgPool, scripts: Vec<retort_migrate::Script>) -> Result<(), retort_migrate::MigrateError> {
/// let report = retort_migrate::migrate(&pool, scripts, "head").await?;
/// # Ok(()) }
/// ```
pub async fn migrate(
    target: impl Into<Target>,
    scripts: Vec<Script>,
    revision: &str,
) -> Result<Report, MigrateError> {
    use driver::Driver as _;
    let migrator = Migrator::new(scripts)?;
    let mut driver = AnyDriver::connect(target).await?;
    let result = migrator.upgrade(&mut driver, revision).await;
    // A close failure after a successful run does not undo it; report the run.
    let _ = driver.close().await;
    result
}
