//! The ecommerce service: the HTTP JSON API of `ecommerce::api`, its database brought to
//! head at start-up.
//!
//! ```text
//! cargo run -p ecommerce                                   # SQLite: migrations/retort.db
//! cargo run -p ecommerce -- --url postgres://user@host/db  # or DATABASE_URL=...
//! cargo run -p ecommerce -- --listen 0.0.0.0:8080 --no-migrate
//! ```
//!
//! Every line it writes goes to stderr, prefixed `ecommerce:`; URLs are shown redacted.
//! Exit status: 0 after a clean shutdown (Ctrl-C or SIGTERM), 1 when it cannot start, 2 for bad
//! arguments.

use std::net::SocketAddr;
use std::process::ExitCode;

use ecommerce::startup::{self, StartupError};
use retort::migrate::{AppliedStep, DatabaseUrl};

const USAGE: &str = "usage: ecommerce [--url URL] [--listen ADDR] [--no-migrate]

  --url URL      postgres://... or sqlite://path (default: DATABASE_URL, else the SQLite
                 file migrations/retort.db that ecommerce-migrations uses by default)
  --listen ADDR  where to serve (default 127.0.0.1:3000; port 0 picks a free one)
  --no-migrate   do not migrate at start-up; refuse a database that is not at head";

struct Args {
    url: Option<String>,
    listen: SocketAddr,
    migrate: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args {
        url: None,
        listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
        migrate: true,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--url" => out.url = Some(value("--url")?),
            "--listen" => {
                let addr = value("--listen")?;
                out.listen = addr
                    .parse()
                    .map_err(|e| format!("--listen {addr}: {e} (write it as 127.0.0.1:3000)"))?;
            }
            "--no-migrate" => out.migrate = false,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("ecommerce: error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ecommerce: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ecommerce: error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error("cannot serve on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

async fn serve(args: Args) -> Result<(), Failure> {
    let url = match args.url.or_else(|| std::env::var("DATABASE_URL").ok()) {
        Some(url) => startup::parse_url(&url)?,
        None => startup::default_url(),
    };
    eprintln!("ecommerce: database {}", url.redacted());
    if args.migrate {
        migrate(&url).await?;
    } else {
        startup::check_at_head(&url).await?;
        eprintln!("ecommerce: database at head (--no-migrate: not migrated)");
    }
    let db = startup::open(&url).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|source| Failure::Listen {
            addr: args.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| Failure::Listen {
        addr: args.listen,
        source,
    })?;
    // The end-to-end tests read this line for the port.
    eprintln!("ecommerce: listening on http://{addr}");
    axum::serve(listener, ecommerce::api::router(db))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|source| Failure::Listen { addr, source })
}

/// Ctrl-C, or SIGTERM (what a container runtime or systemd sends): requests in flight finish,
/// new connections are refused.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    eprintln!("ecommerce: shutting down");
}

/// `upgrade head` under the migration lock, each step logged as it commits.
async fn migrate(url: &DatabaseUrl) -> Result<(), StartupError> {
    let report = startup::migrate(url, |step: &AppliedStep| {
        eprintln!(
            "ecommerce: migrated {} {} ({}, {} statements, {} ms)",
            step.direction.as_str(),
            step.revision,
            step.path,
            step.statements,
            step.duration.as_millis()
        );
    })
    .await?;
    for warning in &report.warnings {
        eprintln!("ecommerce: warning: {warning}");
    }
    let heads = report.heads_after.join(", ");
    if report.is_empty() {
        eprintln!("ecommerce: database already at head {heads}");
    } else {
        eprintln!(
            "ecommerce: database at head {heads}: {} revisions applied in {} ms",
            report.steps.len(),
            report.total_duration().as_millis()
        );
    }
    Ok(())
}
