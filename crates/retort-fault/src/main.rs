//! `retort-fault`: a migrations binary with the fault histories compiled in, configured by
//! the environment (see the library's notes). Used by the fault suite only.

use std::process::ExitCode;
use std::time::Duration;

use retort_fault::{history_on, PausingDriver, Resume, Variant};
use retort_migrate::driver::Driver as _;
use retort_migrate::{AnyDriver, DatabaseUrl, Migrator, Tables, Timeouts, TransactionMode};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("retort-fault: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok((steps, executed)) => {
            println!("DONE {steps} {executed}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(usize, usize), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, target, resume_half_done) = match args.as_slice() {
        [c, t] => (c.as_str(), t.as_str(), false),
        [c, t, r] if r == "--resume" => (c.as_str(), t.as_str(), true),
        _ => {
            return Err(
                "usage: retort-fault upgrade|downgrade <target> [--resume] | spell <view>".into(),
            )
        }
    };
    let url = env("RETORT_FAULT_URL").ok_or("RETORT_FAULT_URL is not set")?;
    let url = DatabaseUrl::parse(&url).map_err(|e| e.to_string())?;
    let variant = match env("RETORT_FAULT_HISTORY") {
        None => Variant::Good,
        Some(v) => Variant::parse(&v).ok_or(format!("unknown RETORT_FAULT_HISTORY {v}"))?,
    };
    let mode = match env("RETORT_FAULT_MODE").as_deref() {
        None | Some("per-revision") => TransactionMode::PerRevision,
        Some("all") => TransactionMode::All,
        Some(other) => return Err(format!("unknown RETORT_FAULT_MODE {other}")),
    };
    let mut timeouts = Timeouts::default();
    if let Some(ms) = env("RETORT_FAULT_LOCK_TIMEOUT_MS") {
        let ms: u64 = ms
            .parse()
            .map_err(|_| "RETORT_FAULT_LOCK_TIMEOUT_MS: not a number")?;
        timeouts = timeouts.with_lock_wait(Duration::from_millis(ms));
    }
    let pause_at = match env("RETORT_FAULT_PAUSE_AT") {
        None => None,
        Some(n) => Some(
            n.parse()
                .map_err(|_| "RETORT_FAULT_PAUSE_AT: not a number")?,
        ),
    };
    let resume = match env("RETORT_FAULT_RESUME").as_deref() {
        None => Resume::Never,
        Some("stdin") => Resume::Stdin,
        Some(other) => return Err(format!("unknown RETORT_FAULT_RESUME {other}")),
    };
    let tables = Tables {
        schema: env("RETORT_FAULT_VERSION_SCHEMA"),
        ..Tables::default()
    };
    let migrator = Migrator::new(history_on(variant, url.backend()))
        .map_err(|e| e.to_string())?
        .with_resume(resume_half_done)
        .with_tables(tables)
        .with_transaction_mode(mode)
        .with_timeouts(timeouts);
    let driver = AnyDriver::connect(&url).await.map_err(|e| e.to_string())?;
    let mut driver = PausingDriver::new(driver, pause_at).with_resume(resume);
    let result = match command {
        "upgrade" => migrator.upgrade(&mut driver, target).await,
        "downgrade" => migrator.downgrade(&mut driver, target).await,
        // Reads the database as autogenerate does for a model holding the view `target`
        // as `SELECT 1 AS one`: a database whose view differs is spelled in the rolled-back
        // transaction, which a test kills the run in. Prints `DONE 0 <statements sent>`.
        "spell" => {
            let model = retort_core::MetaData::new()
                .with_entity(retort_core::View::new(target, "SELECT 1 AS one"));
            let settings = retort_migrate::autogenerate::AutogenerateSettings::default();
            let read = retort_migrate::autogenerate::database_schema(
                &mut driver,
                migrator.tables(),
                &model,
                &settings,
            )
            .await;
            let executed = driver.executed();
            let _ = driver.close().await;
            return read.map(|_| (0, executed)).map_err(|e| e.to_string());
        }
        other => return Err(format!("unknown command {other}")),
    };
    let executed = driver.executed();
    let _ = driver.close().await;
    result
        .map(|r| (r.steps.len(), executed))
        .map_err(|e| e.to_string())
}
