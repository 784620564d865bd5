//! [`TlsCluster`]: a throwaway PostgreSQL cluster with TLS on, for the TLS tests, so the
//! shared server on 5432 is never reconfigured.
//!
//! The test setup makes everything itself: a certificate authority, a second one the server
//! never used (the "wrong CA"), and a server certificate signed by the first, for
//! `localhost` only (so `127.0.0.1` does not match it under `verify-full`), all with the
//! `openssl` command line; then `initdb` and `pg_ctl` (from `RETORT_TEST_PG_BIN`,
//! `/usr/lib/postgresql/*/bin` or `PATH`) start a cluster on a free port with `ssl=on` and
//! a `pg_hba.conf` that accepts TCP connections over TLS only (`hostssl`), so a connection
//! that succeeds is known to be encrypted. As root, initdb and postgres refuse to run, so
//! they run as the `postgres` OS user (or a `retort-pg` user made for it), as
//! `scripts/test.sh` does. Dropping the cluster stops it (`-m immediate`) and removes its
//! folder.
//!
//! A missing `initdb` or `openssl` is a failure, never a skip: the message says what to
//! install. Outside CI a developer without the server binaries may opt out explicitly with
//! `RETORT_TEST_SKIP_TLS=1` ([`TlsCluster::start_or_skip`] then returns `None` and says so);
//! under CI that variable is ignored.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::env::{flag, PG_BIN_VAR};

/// Set to `1` to skip the TLS tests on a machine without PostgreSQL's server binaries
/// (ignored under `CI`).
pub const SKIP_TLS_VAR: &str = "RETORT_TEST_SKIP_TLS";

/// A running PostgreSQL cluster with TLS on. See the module documentation.
#[derive(Debug)]
pub struct TlsCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    user: Option<String>,
    port: u16,
    stopped: bool,
}

impl TlsCluster {
    /// Starts a cluster, or returns `None` when the developer opted out with
    /// [`SKIP_TLS_VAR`] outside CI. Panics with what to install when it cannot.
    pub fn start_or_skip() -> Option<TlsCluster> {
        if flag(SKIP_TLS_VAR) && !flag("CI") {
            eprintln!("{SKIP_TLS_VAR} is set: the TLS test is skipped (it never is under CI)");
            return None;
        }
        match TlsCluster::start() {
            Ok(cluster) => Some(cluster),
            Err(e) => panic!(
                "cannot start a PostgreSQL cluster with TLS for this test: {e}\n\
                 Install the PostgreSQL server and openssl (Debian/Ubuntu: apt-get install \
                 postgresql openssl), or set {PG_BIN_VAR} to the folder holding initdb and \
                 pg_ctl.{}",
                if flag("CI") {
                    ""
                } else {
                    " Outside CI, RETORT_TEST_SKIP_TLS=1 skips this test on purpose."
                }
            ),
        }
    }

    /// Makes the certificates, then initdb and pg_ctl start.
    pub fn start() -> Result<TlsCluster, String> {
        let bin = server_bin_dir().ok_or_else(|| {
            format!("no initdb and pg_ctl in {PG_BIN_VAR}, /usr/lib/postgresql/*/bin or PATH")
        })?;
        let user = cluster_user()?;
        // /tmp, not $TMPDIR: the cluster user must be able to reach the folder.
        let dir = tempfile::Builder::new()
            .prefix("retort-tls.")
            .tempdir_in("/tmp")
            .map_err(|e| format!("cannot create a folder in /tmp: {e}"))?;
        make_certificates(dir.path())?;
        if let Some(user) = &user {
            run(Command::new("chown").arg("-R").arg(user).arg(dir.path()))?;
        }
        let mut cluster = TlsCluster {
            dir,
            bin,
            user,
            port: 0,
            stopped: true,
        };
        let data = cluster.data();
        cluster.run_as_user(
            Command::new(cluster.bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"])
                .args(["--no-sync", "--no-instructions"]),
        )?;
        // TCP only over TLS: a connection that works is an encrypted one.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n",
        )
        .map_err(|e| format!("cannot write pg_hba.conf: {e}"))?;
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            let d = cluster.dir.path().display().to_string();
            let options = format!(
                "-p {port} -k {d} -c listen_addresses=127.0.0.1 -c ssl=on \
                 -c ssl_cert_file={d}/server.crt -c ssl_key_file={d}/server.key -c fsync=off"
            );
            let started = cluster.run_as_user(
                Command::new(cluster.bin.join("pg_ctl"))
                    .arg("-D")
                    .arg(&data)
                    .arg("-l")
                    .arg(cluster.dir.path().join("server.log"))
                    .args(["-w", "-t", "60", "-o", &options, "start"]),
            );
            match started {
                Ok(()) => {
                    cluster.port = port;
                    cluster.stopped = false;
                    return Ok(cluster);
                }
                Err(e) => {
                    let log = std::fs::read_to_string(cluster.dir.path().join("server.log"))
                        .unwrap_or_default();
                    last = format!("{e}\n{log}");
                }
            }
        }
        Err(format!("pg_ctl start failed on five ports: {last}"))
    }

    /// The cluster's folder (data, keys, certificates, log): gone once it is dropped.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The port the cluster listens on (127.0.0.1 only).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The CA that signed the server's certificate (PEM).
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// A CA that signed nothing the server has (PEM).
    pub fn wrong_ca(&self) -> PathBuf {
        self.dir.path().join("wrong-ca.crt")
    }

    /// `postgres://postgres:<password>@<host>:<port>/postgres?<query>`. The cluster trusts
    /// every connection, so the password is accepted and ignored: it is there to prove no
    /// output shows it.
    pub fn url(&self, host: &str, password: &str, query: &str) -> String {
        format!(
            "postgres://postgres:{password}@{host}:{}/postgres?{query}",
            self.port
        )
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run_as_user(&self, command: &mut Command) -> Result<(), String> {
        command.current_dir("/");
        match &self.user {
            None => run(command),
            Some(user) => {
                let mut wrapped = Command::new("runuser");
                wrapped
                    .args(["-u", user, "--"])
                    .arg(command.get_program())
                    .args(command.get_args())
                    .current_dir("/");
                run(&mut wrapped)
            }
        }
    }

    /// Stops the cluster now (also done on drop).
    pub fn stop(&mut self) {
        if !self.stopped {
            self.stopped = true;
            let _ = self.run_as_user(
                Command::new(self.bin.join("pg_ctl"))
                    .arg("-D")
                    .arg(self.data())
                    .args(["-m", "immediate", "-w", "stop"]),
            );
        }
    }
}

impl Drop for TlsCluster {
    /// Stops the cluster; the folder (data, keys, certificates) goes with the `TempDir`.
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!(
        "{} {:?}",
        command.get_program().to_string_lossy(),
        command.get_args().collect::<Vec<_>>()
    );
    let out = command
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{shown} exited with {}: {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A port nobody listens on now (the kernel's pick; a race with another process is
/// retried by the caller).
fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// The first folder holding both initdb and pg_ctl.
fn server_bin_dir() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os(PG_BIN_VAR) {
        candidates.push(dir.into());
    }
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .collect();
    versioned.sort_by_key(|v| std::cmp::Reverse(v.0));
    candidates.extend(versioned.into_iter().map(|v| v.1));
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            // A symlink (/usr/local/bin/initdb) leads to the folder holding pg_ctl too.
            if let Ok(real) = std::fs::canonicalize(dir.join("initdb")) {
                candidates.extend(real.parent().map(Path::to_path_buf));
            }
            candidates.push(dir);
        }
    }
    candidates
        .into_iter()
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
}

/// As root, the OS user the cluster runs as (initdb refuses root): `postgres`, else a
/// `retort-pg` system user, made if missing. `None` when not root.
fn cluster_user() -> Result<Option<String>, String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| format!("cannot run id: {e}"))?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Ok(None);
    }
    let exists = |name: &str| {
        Command::new("id")
            .args(["-u", name])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if exists("postgres") {
        return Ok(Some("postgres".into()));
    }
    if !exists("retort-pg") {
        run(Command::new("useradd").args([
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            "retort-pg",
        ]))?;
    }
    Ok(Some("retort-pg".into()))
}

/// `ca.crt`, `wrong-ca.crt`, and `server.crt`/`server.key` signed by `ca.crt` for
/// `DNS:localhost` only; P-256 keys, which are quick to make.
fn make_certificates(dir: &Path) -> Result<(), String> {
    let openssl = |args: &[&str]| run(Command::new("openssl").args(args).current_dir(dir));
    for ca in ["ca", "wrong-ca"] {
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{ca}.key"),
            "-out",
            &format!("{ca}.crt"),
            "-days",
            "2",
            "-subj",
            &format!("/CN=retort test {ca}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ])?;
    }
    openssl(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ])?;
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .map_err(|e| format!("cannot write server.ext: {e}"))?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ])?;
    // PostgreSQL refuses a private key others can read.
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(
        dir.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .map_err(|e| format!("cannot chmod server.key: {e}"))
}
