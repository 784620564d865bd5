//! Errors of the testkit; every URL in them is redacted.

/// What went wrong while preparing, using or cleaning up a test database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TestDbError {
    /// No server is configured (e.g. `RETORT_TEST_NO_LOCAL` without a URL).
    #[error("no {dialect} test server is configured: set {url_var}, or run scripts/test.sh")]
    NotConfigured {
        dialect: &'static str,
        url_var: &'static str,
    },
    /// The server did not accept a connection.
    #[error("the {dialect} test server at {url} is not reachable: {reason}")]
    Unreachable {
        dialect: &'static str,
        url: String,
        reason: String,
    },
    /// The URL could not be understood.
    #[error("invalid test database URL {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// `CREATE DATABASE` (or the SQLite file) failed.
    #[error("could not create test database {name} on {url}: {reason}")]
    Create {
        name: String,
        url: String,
        reason: String,
    },
    /// Creating or dropping a test role failed.
    #[error("could not {action} test role {name} on {url}: {reason}")]
    Role {
        action: &'static str,
        name: String,
        url: String,
        reason: String,
    },
    /// `DROP DATABASE` failed.
    #[error("could not drop test database {name} on {url}: {reason}")]
    Drop {
        name: String,
        url: String,
        reason: String,
    },
    /// A statement failed on the test database.
    #[error("SQL failed on test database {database}: {source}\n  statement: {statement}")]
    Sql {
        database: String,
        statement: String,
        #[source]
        source: sqlx::Error,
    },
    /// `pg_dump` could not be found or failed.
    #[error("pg_dump of test database {database} failed: {reason}")]
    PgDump { database: String, reason: String },
    /// `psql` could not be found or run.
    #[error("psql on test database {database} could not run: {reason}")]
    Psql { database: String, reason: String },
    /// The operation does not exist for this flavour of test database.
    #[error("{what} is not available on a {dialect} test database")]
    Unsupported {
        dialect: &'static str,
        what: &'static str,
    },
}

/// Shorten a statement for an error message: the first lines are what a reader needs.
pub(crate) fn excerpt(statement: &str) -> String {
    const LIMIT: usize = 400;
    if statement.len() <= LIMIT {
        return statement.to_owned();
    }
    let mut end = LIMIT;
    while !statement.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &statement[..end])
}
