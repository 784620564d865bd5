//! The registry of backends: the one place that knows which [`Backend`] is which
//! [`BackendSupport`] implementation, and which URL scheme names which backend.
//!
//! Everything a database does differently (its dialect and comparison, the bookkeeping
//! tables' column types, session settings, the checks around statements) is asked of
//! [`support`]; the runner, the version table and the renderer never match on the backend.
//! Adding a database is one [`BackendSupport`] implementation in `retort-dialect`, one
//! [`Backend`] variant, its arm in [`support`] (the compiler asks for it) and its entry in
//! [`ALL`], just above it, which URL parsing looks through. Its driver (a thin
//! connection wrapper in `driver/`, behind its Cargo feature) is registered in `driver()` below.

use retort_dialect::{BackendSupport, MysqlBackend, PostgresBackend, SqliteBackend};

use crate::connect::DriverEntry;
use crate::url::Backend;

/// Every backend, in the order URL schemes are looked up.
pub const ALL: &[Backend] = &[POSTGRES, SQLITE, MYSQL];

/// PostgreSQL's key (its driver names itself by it).
pub(crate) const POSTGRES: Backend = Backend::Postgres;
/// SQLite's key (its driver, and the embedded default URL, name it by it).
pub(crate) const SQLITE: Backend = Backend::Sqlite;
/// MySQL's and MariaDB's key (their driver names itself by it).
pub(crate) const MYSQL: Backend = Backend::Mysql;

/// What `backend` does differently.
pub fn support(backend: Backend) -> &'static dyn BackendSupport {
    match backend {
        Backend::Postgres => &PostgresBackend,
        Backend::Sqlite => &SqliteBackend,
        Backend::Mysql => &MysqlBackend,
    }
}

/// How `backend` connects, when its driver is compiled in (its Cargo feature).
pub(crate) fn driver(backend: Backend) -> Option<&'static DriverEntry> {
    match backend {
        #[cfg(feature = "postgres")]
        Backend::Postgres => Some(&crate::driver::postgres::ENTRY),
        #[cfg(feature = "sqlite")]
        Backend::Sqlite => Some(&crate::driver::sqlite::ENTRY),
        #[cfg(feature = "mysql")]
        Backend::Mysql => Some(&crate::driver::mysql::ENTRY),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// The backend a URL scheme names (case-insensitive), if Retort has one.
pub fn by_scheme(scheme: &str) -> Option<Backend> {
    let scheme = scheme.to_ascii_lowercase();
    ALL.iter()
        .copied()
        .find(|b| support(*b).schemes().contains(&scheme.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_names_its_backend() {
        for b in ALL {
            for scheme in support(*b).schemes() {
                assert_eq!(by_scheme(scheme), Some(*b), "scheme {scheme}");
                assert_eq!(by_scheme(&scheme.to_ascii_uppercase()), Some(*b));
            }
        }
        let names: Vec<&str> = ALL.iter().map(|b| support(*b).name()).collect();
        assert_eq!(names, ["postgres", "sqlite", "mysql"]);
        assert_eq!(by_scheme("mariadb"), Some(Backend::Mysql));
        assert_eq!(by_scheme("oracle"), None);
    }
}
