//! Retort's migration environment (work in progress).

pub mod config;
pub mod driver;
pub mod url;
pub mod version_table;

pub use config::{Config, ConfigError, PostWriteHook, Settings, TransactionMode, UrlSource};
pub use url::{Backend, DatabaseUrl, UrlError};

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
