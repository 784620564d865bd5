//! The registry of backends: the one place that knows which [`Backend`] is which
//! [`BackendSupport`] implementation, and which URL scheme names which backend.
//!
//! Everything a database does differently (its dialect and comparison, the bookkeeping
//! tables' column types, session settings, the checks around statements) is asked of
//! [`support`]; the runner, the version table and the renderer never match on the backend.
//! Adding a database is one [`BackendSupport`] implementation in `retort-dialect`, one
//! [`Backend`] variant, its arm in [`support`] (the compiler asks for it) and its entry in
//! [`ALL`], just above it, which URL parsing looks through. Its driver is the only
//! other piece, in `driver/` and `connect.rs`.

use retort_dialect::{BackendSupport, PostgresBackend, SqliteBackend};

use crate::url::Backend;

/// Every backend, in the order URL schemes are looked up.
pub const ALL: &[Backend] = &[Backend::Postgres, Backend::Sqlite];

/// What `backend` does differently.
pub fn support(backend: Backend) -> &'static dyn BackendSupport {
    match backend {
        Backend::Postgres => &PostgresBackend,
        Backend::Sqlite => &SqliteBackend,
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
        assert_eq!(names, ["postgres", "sqlite"]);
        assert_eq!(by_scheme("mysql"), None);
    }
}
