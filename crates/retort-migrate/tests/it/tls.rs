//! TLS to PostgreSQL (sqlx's rustls): `sslmode=require`, `verify-ca` and `verify-full` with
//! `sslrootcert`, against a throwaway cluster with TLS on and certificates made by the test
//! (`retort_testkit::tls`), never the shared server. Its `pg_hba.conf` takes TCP over TLS
//! only, and each connection is asked `pg_stat_ssl` whether it is encrypted.

use retort_migrate::driver::Driver as _;
use retort_migrate::{AnyDriver, DatabaseUrl, MigrateError, Target};
use retort_testkit::tls::TlsCluster;

const SECRET: &str = "Tls5ecretPw";

async fn connect(url: &str) -> Result<AnyDriver, MigrateError> {
    AnyDriver::connect(DatabaseUrl::parse(url).expect("a valid URL")).await
}

/// Connects, checks the session is encrypted, closes.
async fn connects_over_tls(url: &str) {
    let mut db = connect(url)
        .await
        .unwrap_or_else(|e| panic!("{} should connect: {e}", DatabaseUrl::parse(url).unwrap()));
    let rows = db
        .query_text("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![Some("true".to_owned())]], "encrypted");
    db.close().await.unwrap();
}

/// Fails to connect; the error is returned as text, checked for the password.
async fn refused(url: &str) -> String {
    let Err(e) = connect(url).await else {
        panic!("{} should be refused", DatabaseUrl::parse(url).unwrap());
    };
    let text = format!("{e} / {e:?}");
    assert!(!text.contains(SECRET), "the password leaked: {text}");
    text
}

#[test]
fn tls_require_verify_ca_and_verify_full() {
    let Some(cluster) = TlsCluster::start_or_skip() else {
        return;
    };
    let ca = cluster.ca().display().to_string();
    let wrong = cluster.wrong_ca().display().to_string();
    let url = |host: &str, query: &str| cluster.url(host, SECRET, query);
    retort_testkit::block_on(async {
        // Without TLS the server refuses (hostssl only): what connects below is encrypted.
        let text = refused(&url("127.0.0.1", "sslmode=disable")).await;
        assert!(text.contains("pg_hba.conf"), "{text}");

        // require: encrypted, the certificate not checked.
        connects_over_tls(&url("127.0.0.1", "sslmode=require")).await;

        // verify-ca: the chain is checked, the host name is not.
        connects_over_tls(&url(
            "127.0.0.1",
            &format!("sslmode=verify-ca&sslrootcert={ca}"),
        ))
        .await;
        let text = refused(&url(
            "127.0.0.1",
            &format!("sslmode=verify-ca&sslrootcert={wrong}"),
        ))
        .await;
        assert!(
            text.contains("cannot connect to postgres://postgres:***@127.0.0.1"),
            "{text}"
        );
        assert!(
            text.contains("UnknownIssuer"),
            "says the CA is not the server's: {text}"
        );

        // verify-full: the host must be the certificate's (localhost, not 127.0.0.1).
        connects_over_tls(&url(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        ))
        .await;
        let text = refused(&url(
            "127.0.0.1",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        ))
        .await;
        assert!(
            text.contains("NotValidForName"),
            "says the name does not match: {text}"
        );
        let text = refused(&url(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={wrong}"),
        ))
        .await;
        assert!(text.contains("UnknownIssuer"), "{text}");

        // The target line names the mode and never the password.
        let shown = Target::from(
            DatabaseUrl::parse(&url(
                "localhost",
                &format!("sslmode=verify-full&sslrootcert={ca}"),
            ))
            .unwrap(),
        )
        .describe();
        assert_eq!(
            shown,
            format!(
                "postgresql://postgres@localhost:{}/postgres?sslmode=verify-full",
                cluster.port()
            )
        );
    });
    // Stopped and removed: nothing listens, nothing is left in /tmp.
    let (path, port) = (cluster.path().to_owned(), cluster.port());
    drop(cluster);
    assert!(!path.exists(), "{} is left behind", path.display());
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the cluster still listens on {port}"
    );
}
