//! TLS through the command line: the `Target:` line names the sslmode, a certificate that
//! fails says why and what to do (exit code 3), and no password shows. The cluster is a
//! throwaway one with TLS on (`retort_testkit::tls`), never the shared server.

use retort_testkit::tls::TlsCluster;

use crate::support::{env, linear, run, SECRET};

#[test]
fn tls_through_the_command_line() {
    let Some(cluster) = TlsCluster::start_or_skip() else {
        return;
    };
    let env = env(linear());
    let ca = cluster.ca().display().to_string();
    let wrong = cluster.wrong_ca().display().to_string();
    let port = cluster.port().to_string();
    let names = [(port.as_str(), "<port>"), (ca.as_str(), "<ca>")];

    let url = cluster.url(
        "localhost",
        SECRET,
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let out = run(&env, &["--url", &url, "current"], &names);
    out.assert_no_secret();
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(
        out.stderr,
        "Target: postgresql://postgres@localhost:<port>/postgres?sslmode=verify-full (from --url)\n"
    );

    let url = cluster.url(
        "localhost",
        SECRET,
        &format!("sslmode=verify-ca&sslrootcert={wrong}"),
    );
    let out = run(&env, &["--url", &url, "current"], &names);
    out.assert_no_secret();
    assert_eq!(out.code, 3, "{}", out.render());
    assert!(
        out.stderr
            .contains("hint: the server's certificate is not signed by the CA in sslrootcert"),
        "{}",
        out.render()
    );

    let url = cluster.url(
        "127.0.0.1",
        SECRET,
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let out = run(&env, &["--url", &url, "current"], &names);
    out.assert_no_secret();
    assert_eq!(out.code, 3, "{}", out.render());
    assert!(
        out.stderr
            .contains("hint: the host in the URL is not a name in the server's certificate"),
        "{}",
        out.render()
    );

    let url = cluster.url("127.0.0.1", SECRET, "sslmode=disable");
    let out = run(&env, &["--url", &url, "current"], &names);
    out.assert_no_secret();
    assert_eq!(out.code, 3, "{}", out.render());
    assert!(
        out.stderr
            .contains("hint: the server accepts only encrypted connections"),
        "{}",
        out.render()
    );
    drop(cluster);
}
