//! `squash <from> <to> [-m] [--keep-raw] [--verify | --no-verify] [--delete]`: a straight
//! range of revisions folded into one (`retort_migrate::squash`), proven on two scratch
//! databases beside the configured one (two temporary files for SQLite; on a server, two
//! databases created and dropped by this command), then written over `<to>`'s file with
//! `<to>`'s id; the replaced files move to `versions/squashed/` (not compiled), or are
//! deleted with `--delete`. See `docs/guide/squash.md`.

use std::path::{Path, PathBuf};

use retort_migrate::driver::Driver as _;
use retort_migrate::squash::{self, Squash};
use retort_migrate::{AnyDriver, Backend, DatabaseUrl, Migrator};

use super::revision::create_date;
use crate::args::SquashArgs;
use crate::context::{block_on, Context};
use crate::printer::Style;
use crate::{CliError, Printer};

pub(crate) fn squash(
    ctx: &Context<'_>,
    args: &SquashArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let prove = !args.no_verify;
    // Without the proof nothing connects: the URL only names the backend compared as.
    let url = ctx.url(p, !prove)?;
    let backend = url.backend();
    let plan = squash::plan(
        &migrator,
        &args.from,
        &args.to,
        backend,
        &ctx.settings.autogenerate,
        args.keep_raw,
    )
    .map_err(usage)?;
    for w in &plan.warnings {
        p.warn(w);
    }
    p.progress(&format!(
        "Squashing {} revision(s), {} .. {}, into one revision {} ({} operation(s) up, {} down)",
        plan.revisions.len(),
        plan.revisions[0],
        plan.id(),
        plan.id(),
        plan.upgrade.len(),
        plan.downgrade.len()
    ));
    if prove {
        prove_on_scratch(&migrator, &plan, &url, p)?;
    }
    if args.verify {
        return Ok(());
    }
    write(ctx, args, &plan, p)
}

fn usage(e: squash::SquashError) -> CliError {
    CliError::usage(e.to_string(), None)
}

/// Upgrades one scratch database through the old chain and one through the squash, and
/// compares them (`squash::verify`); the scratch databases are removed on every path.
fn prove_on_scratch(
    migrator: &Migrator,
    plan: &Squash,
    url: &DatabaseUrl,
    p: &mut Printer,
) -> Result<(), CliError> {
    let scratch = Scratch::new(url)?;
    p.progress(&format!(
        "Proving it on two scratch {} databases: {} (removed after)",
        url.backend().name(),
        scratch.describe()
    ));
    let result = block_on(async {
        scratch.create(url).await?;
        let outcome = async {
            let mut old = AnyDriver::connect(&scratch.urls[0]).await?;
            let mut new = AnyDriver::connect(&scratch.urls[1]).await?;
            let r = squash::verify(migrator, plan, &mut old, &mut new).await;
            let _ = old.close().await;
            let _ = new.close().await;
            Ok::<_, CliError>(r)
        }
        .await;
        scratch.remove(url).await;
        outcome
    })??;
    result.map_err(|e| CliError::State {
        message: e.to_string(),
        hint: Some(
            "nothing was written; squash a shorter range, or report the difference".to_owned(),
        ),
    })?;
    p.progress(&format!(
        "Proven: both scratch databases hold the same schema ({})",
        p.paint(Style::Green, "ok")
    ));
    Ok(())
}

/// Two scratch databases beside the configured one.
struct Scratch {
    urls: [DatabaseUrl; 2],
    /// The server databases created (empty for SQLite's files).
    names: Vec<String>,
    files: Vec<PathBuf>,
}

impl Scratch {
    fn new(url: &DatabaseUrl) -> Result<Self, CliError> {
        let tag = format!(
            "retort_squash_{}_{}",
            std::process::id(),
            fastrand::u32(..) & 0xffff
        );
        if url.backend() == Backend::Sqlite {
            let files = ["old", "new"].map(|w| std::env::temp_dir().join(format!("{tag}_{w}.db")));
            return Ok(Scratch {
                urls: files.clone().map(|f| DatabaseUrl::sqlite_file(&f)),
                names: Vec::new(),
                files: files.to_vec(),
            });
        }
        let names = ["old", "new"].map(|w| format!("{tag}_{w}"));
        let urls = [
            with_database(url, &names[0])?,
            with_database(url, &names[1])?,
        ];
        Ok(Scratch {
            urls,
            names: names.to_vec(),
            files: Vec::new(),
        })
    }

    fn describe(&self) -> String {
        if self.names.is_empty() {
            self.files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            format!("{} on the configured server", self.names.join(", "))
        }
    }

    async fn create(&self, url: &DatabaseUrl) -> Result<(), CliError> {
        if self.names.is_empty() {
            return Ok(());
        }
        let mut admin = AnyDriver::connect(url).await?;
        for n in &self.names {
            if let Err(e) = admin.execute(&format!("CREATE DATABASE {n}")).await {
                let _ = admin.close().await;
                return Err(CliError::State {
                    message: format!("creating the scratch database {n} failed: {e}"),
                    hint: Some("the proof needs CREATE DATABASE on the server; pass --no-verify to skip it".to_owned()),
                });
            }
        }
        let _ = admin.close().await;
        Ok(())
    }

    async fn remove(&self, url: &DatabaseUrl) {
        for f in &self.files {
            for suffix in ["", "-wal", "-shm", "-retort-lock"] {
                let mut name = f.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(name));
            }
        }
        if self.names.is_empty() {
            return;
        }
        if let Ok(mut admin) = AnyDriver::connect(url).await {
            let force = if url.backend() == Backend::Postgres {
                " WITH (FORCE)"
            } else {
                ""
            };
            for n in &self.names {
                let _ = admin
                    .execute(&format!("DROP DATABASE IF EXISTS {n}{force}"))
                    .await;
            }
            let _ = admin.close().await;
        }
    }
}

/// `url` naming database `name` on the same server.
fn with_database(url: &DatabaseUrl, name: &str) -> Result<DatabaseUrl, CliError> {
    let raw = url.expose_secret();
    let (scheme, rest) = raw.split_once("://").unwrap_or(("", raw));
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let authority = before_query.split('/').next().unwrap_or_default();
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    DatabaseUrl::parse(&out).map_err(|e| CliError::usage(e.to_string(), None))
}

/// Writes the squash over `<to>`'s file and moves (or deletes) the replaced files.
fn write(
    ctx: &Context<'_>,
    args: &SquashArgs,
    plan: &Squash,
    p: &mut Printer,
) -> Result<(), CliError> {
    let crate_dir = ctx
        .env
        .crate_dir()
        .map_or_else(|| ctx.settings.script_location.clone(), PathBuf::from);
    let file = |rel: &str| -> PathBuf {
        let in_crate = crate_dir.join(rel);
        if in_crate.exists() {
            in_crate
        } else {
            ctx.settings.script_location.join(rel)
        }
    };
    let files: Vec<PathBuf> = plan.paths.iter().map(|r| file(r)).collect();
    for f in &files {
        if !f.is_file() {
            return Err(CliError::usage(
                format!("{} is not there to replace", f.display()),
                Some("run squash from the project whose migrations binary this is".to_owned()),
            ));
        }
    }
    let message = args
        .message
        .clone()
        .unwrap_or_else(|| format!("squash {}..{}", plan.revisions[0], plan.id()));
    let text = plan.render(&message, &create_date()).map_err(usage)?;
    let target = files.last().expect("a range has a revision").clone();
    let kept = target.parent().unwrap_or(Path::new(".")).join("squashed");
    if !args.delete {
        std::fs::create_dir_all(&kept).map_err(|e| CliError::io("create", &kept, e))?;
    }
    for f in &files {
        if args.delete {
            std::fs::remove_file(f).map_err(|e| CliError::io("remove", f, e))?;
        } else {
            let to = kept.join(f.file_name().unwrap_or_default());
            std::fs::rename(f, &to).map_err(|e| CliError::io("move", f, e))?;
        }
    }
    std::fs::write(&target, text).map_err(|e| CliError::io("write", &target, e))?;
    p.line(&format!(
        "Generating {} ... {}",
        target.display(),
        p.paint(Style::Green, "done")
    ));
    if args.delete {
        p.progress(&format!("Deleted the {} replaced file(s)", files.len()));
    } else {
        p.progress(&format!(
            "Moved the replaced files to {} (not compiled; delete them once no database is inside the range)",
            kept.display()
        ));
    }
    if let Err(e) = ctx.settings.post_write_hook.run(&target) {
        p.warn(&e.to_string());
    }
    Ok(())
}
