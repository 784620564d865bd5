//! Where the test servers are: environment variables shared with `scripts/test.sh`.
//!
//! One variable family per dialect (`RETORT_TEST_<DIALECT>_URL`, `..._VERIFIED`) so that
//! MariaDB/MySQL can be added beside PostgreSQL without a new convention. The script
//! exports `..._VERIFIED=1` once it has connected to the server itself; from then on an
//! unreachable server is a hard failure with the strict message, as it is under `CI`.

/// URL of a PostgreSQL server where the tests may create and drop databases.
pub const POSTGRES_URL_VAR: &str = "RETORT_TEST_POSTGRES_URL";
/// Set to `1` by `scripts/test.sh` after it connected to the PostgreSQL server itself.
pub const POSTGRES_VERIFIED_VAR: &str = "RETORT_TEST_POSTGRES_VERIFIED";
/// URL of a MariaDB/MySQL server where the tests may create and drop databases.
pub const MYSQL_URL_VAR: &str = "RETORT_TEST_MYSQL_URL";
/// Set to `1` by `scripts/test.sh` after it connected to the MariaDB/MySQL server itself.
pub const MYSQL_VERIFIED_VAR: &str = "RETORT_TEST_MYSQL_VERIFIED";
/// When set, the default local servers (`127.0.0.1:5432`, `127.0.0.1:3306`) are never probed.
pub const NO_LOCAL_VAR: &str = "RETORT_TEST_NO_LOCAL";
/// A directory holding `pg_dump` to use before `PATH` and `/usr/lib/postgresql/*/bin`.
pub const PG_BIN_VAR: &str = "RETORT_TEST_PG_BIN";
/// The server tried when [`POSTGRES_URL_VAR`] is unset (the machine's own, trust auth).
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The server tried when [`MYSQL_URL_VAR`] is unset (the machine's own MariaDB, root
/// without a password).
pub const DEFAULT_MYSQL_URL: &str = "mysql://root@127.0.0.1:3306";

/// Whether a boolean-ish variable is set to something other than empty, `0` or `false`.
pub fn flag(name: &str) -> bool {
    match std::env::var(name) {
        Ok(value) => {
            let value = value.trim();
            !(value.is_empty() || value == "0" || value.eq_ignore_ascii_case("false"))
        }
        Err(_) => false,
    }
}

/// Whether a missing server must fail loudly with the strict message: on CI, or when
/// the test script has already verified the server (so it vanished under us).
pub(crate) fn strict(verified_var: &str) -> bool {
    flag("CI") || flag(verified_var)
}

/// The PostgreSQL server URL to use: the variable, else the local default unless
/// [`NO_LOCAL_VAR`] is set. `None` means no server is configured at all.
pub fn postgres_server_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_owned()),
        _ if flag(NO_LOCAL_VAR) => None,
        _ => Some(DEFAULT_POSTGRES_URL.to_owned()),
    }
}

/// The MariaDB/MySQL server URL to use: the variable, else the local default unless
/// [`NO_LOCAL_VAR`] is set. `None` means no server is configured at all.
pub fn mysql_server_url() -> Option<String> {
    match std::env::var(MYSQL_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_owned()),
        _ if flag(NO_LOCAL_VAR) => None,
        _ => Some(DEFAULT_MYSQL_URL.to_owned()),
    }
}
