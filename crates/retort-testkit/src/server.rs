//! What the PostgreSQL and MariaDB/MySQL server handles do alike: a database's URL on the
//! server, and an admin connection bounded in time.

use std::future::Future;
use std::time::Duration;

/// How long a connection attempt to a test server may take before it counts as unreachable.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The URL of database `name` on the server at `server_url`.
pub(crate) fn database_url(server_url: &str, name: &str) -> Result<String, url::ParseError> {
    let mut parsed = url::Url::parse(server_url)?;
    parsed.set_path(&format!("/{name}"));
    Ok(parsed.to_string())
}

/// Waits for `connect` up to [`CONNECT_TIMEOUT`]; the error says why, for an `Unreachable`.
pub(crate) async fn connect_within<C>(
    connect: impl Future<Output = Result<C, sqlx::Error>>,
) -> Result<C, String> {
    match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())),
    }
}
