//! Start-up of the service: which database, bringing it to head, and the runtime's pool.
//!
//! The history is `migrations/versions`, embedded by this crate's `build.rs` as the
//! migrations binary embeds it (same scripts, same checksums), so one deployed binary
//! migrates its own database. [`migrate`] is `upgrade head` as the command line runs it:
//! under the migration lock (two instances starting together: one migrates, the other waits
//! and finds nothing to do), with the integrity checks (a database at a revision this build
//! does not know, or whose applied script changed, is refused, never "fixed"), each step
//! reported as it commits. [`check_at_head`] is for deployments that migrate in a separate
//! step: it refuses to serve a database that is not at this build's head.

use std::path::Path;

use retort::migrate::{
    AnyDriver, AppliedStep, DatabaseUrl, MigrateError, Migrator, Report, Script,
};
use retort::orm::Db;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/versions.rs"));
}

/// The revision scripts of `migrations/versions`, compiled into this crate.
pub fn scripts() -> Vec<Script> {
    embedded::scripts()
}

/// The database when neither `--url` nor `DATABASE_URL` names one: the SQLite file the
/// migrations binary uses by default (`retort.db` beside `migrations/retort.toml`), so
/// `cargo run -p ecommerce-migrations -- current` looks at the service's database.
pub fn default_url() -> DatabaseUrl {
    DatabaseUrl::sqlite_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/retort.db"))
}

/// Why the service cannot start. Messages show URLs redacted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartupError {
    /// The URL does not parse or names no backend.
    #[error(transparent)]
    Url(#[from] retort::migrate::UrlError),
    /// A backend the query runtime does not serve.
    #[error("{url}: the service runs on PostgreSQL and SQLite, not {backend}")]
    Unsupported {
        /// The URL, redacted.
        url: String,
        /// Its backend.
        backend: retort::migrate::Backend,
    },
    /// Migrating (or reading the applied revisions) failed; the message names the revision
    /// and what had been applied.
    #[error(transparent)]
    Migrate(Box<MigrateError>),
    /// `--no-migrate`, and the database is not at this build's head.
    #[error(
        "the database {url} is at {current}, this build expects {expected}: run \
         `cargo run -p ecommerce-migrations -- --url <url> upgrade head`, or start without --no-migrate"
    )]
    NotAtHead {
        /// The URL, redacted.
        url: String,
        /// The applied heads (`nothing` for an empty database).
        current: String,
        /// This build's heads.
        expected: String,
    },
    /// The runtime's pool could not connect.
    #[error("cannot open {url}: {source}")]
    Open {
        /// The URL, redacted.
        url: String,
        /// What the runtime said.
        source: retort::orm::Error,
    },
}

impl From<MigrateError> for StartupError {
    fn from(e: MigrateError) -> Self {
        StartupError::Migrate(Box::new(e))
    }
}

/// Parse `url` and refuse a backend the runtime does not serve (before anything connects).
pub fn parse_url(url: &str) -> Result<DatabaseUrl, StartupError> {
    let parsed = DatabaseUrl::parse(url)?;
    check_backend(&parsed)?;
    Ok(parsed)
}

fn check_backend(url: &DatabaseUrl) -> Result<(), StartupError> {
    match url.backend() {
        retort::migrate::Backend::Postgres | retort::migrate::Backend::Sqlite => Ok(()),
        backend => Err(StartupError::Unsupported {
            url: url.redacted(),
            backend,
        }),
    }
}

/// `upgrade head` with the embedded history, under the migration lock; `on_step` hears of
/// each revision as it commits (a long migration shows progress, and a failed run has said
/// what it had applied). The report says what ran; empty when the database was at head.
pub async fn migrate(
    url: &DatabaseUrl,
    on_step: impl Fn(&AppliedStep) + Send + Sync + 'static,
) -> Result<Report, StartupError> {
    check_backend(url)?;
    let migrator = Migrator::new(scripts())?.with_progress(on_step);
    let mut driver = AnyDriver::connect(url).await?;
    let result = migrator.upgrade(&mut driver, "head").await;
    // A failure to close after a run does not undo the run: report the run.
    let _ = retort::migrate::driver::Driver::close(driver).await;
    Ok(result?)
}

/// Refuse a database that is not at this build's head (without changing it): what
/// `--no-migrate` does before serving. A SQLite file that does not exist is not created.
pub async fn check_at_head(url: &DatabaseUrl) -> Result<(), StartupError> {
    check_backend(url)?;
    let migrator = Migrator::new(scripts())?;
    let mut expected = migrator.graph().heads();
    expected.sort();
    let mut current = match AnyDriver::connect_existing(url).await? {
        Some(mut driver) => {
            let current = migrator.current(&mut driver).await;
            let _ = retort::migrate::driver::Driver::close(driver).await;
            current?
        }
        None => Vec::new(),
    };
    current.sort();
    if current == expected {
        return Ok(());
    }
    Err(StartupError::NotAtHead {
        url: url.redacted(),
        current: if current.is_empty() {
            "nothing (no revision applied)".to_owned()
        } else {
            current.join(", ")
        },
        expected: expected.join(", "),
    })
}

/// The runtime's pool on `url`.
pub async fn open(url: &DatabaseUrl) -> Result<Db, StartupError> {
    Db::connect(url.expose_secret())
        .await
        .map_err(|source| StartupError::Open {
            url: url.redacted(),
            source,
        })
}
