//! `revision -m MSG [--head H] [--splice] [--branch-label L] [--depends-on R]
//! [--rev-id ID] [--version-path DIR]`: a new, empty revision file on the current head.
//!
//! `--autogenerate [--offline] [--allow-empty]` fills it with the operations that turn the
//! database (or, offline, the schema replayed from the history up to the new revision's
//! parents) into the model, one `Detected ...` line each on stderr. With nothing to do it
//! says so and writes nothing, unless `--allow-empty` asks for the (empty) file.
//! `--online` (or `online = true` in the environment) writes the online-safe forms.
//! `SOURCE_DATE_EPOCH` fixes the `Create Date`, so the same inputs give the same bytes.
//! `--baseline [--no-stamp]` adopts a live database (`commands/baseline.rs`).

use retort_migrate::autogenerate::{online_ops, script_bodies};

use retort_migrate::driver::Driver as _;

use super::check::{autogen_error, compare_with_model};
use super::lint::{lint_written, warn_findings};
use super::write_script::{check_labels, fresh_id, write, write_vars};
use crate::args::RevisionArgs;
use crate::context::{block_on, Context};
use crate::templates::NewRevision;
use crate::{CliError, Printer};

pub(crate) fn revision(
    ctx: &Context<'_>,
    args: &RevisionArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    if args.sql && args.autogenerate {
        return Err(CliError::usage(
            "`revision --autogenerate --sql` is not supported",
            Some("pass --offline to compare the model with the revision history without a database; `upgrade --sql` prints a revision's SQL".to_owned()),
        ));
    }
    if args.sql {
        return Err(CliError::usage(
            "`revision --sql` only makes sense with --autogenerate",
            None,
        ));
    }
    if args.baseline {
        return super::baseline::baseline(ctx, args, p);
    }
    let migrator = ctx.migrator()?;
    let graph = migrator.graph();
    let down_revisions = if graph.is_empty() {
        match args.head.as_deref() {
            None | Some("head") | Some("heads") | Some("base") => Vec::new(),
            Some(other) => graph.new_revision_parents(Some(other), args.splice)?,
        }
    } else {
        // Several heads: the dispatcher's advice names the commands that work.
        graph.new_revision_parents(args.head.as_deref(), args.splice)?
    };
    let id = match &args.rev_id {
        Some(id) => {
            graph.check_new_revision_id(id, "--rev-id")?;
            id.clone()
        }
        None => fresh_id(graph),
    };
    check_labels(graph, &args.branch_label)?;
    let deps: Vec<&str> = args.depends_on.iter().map(String::as_str).collect();
    let depends_on = graph.resolve_depends_on(&deps)?;
    let rev = NewRevision {
        id,
        message: args.message.clone().unwrap_or_default(),
        down_revisions,
        branch_labels: args.branch_label.clone(),
        depends_on,
        create_date: create_date(),
    };
    if !args.autogenerate {
        write(ctx, &rev, args.version_path.as_deref(), p)?;
        return Ok(());
    }
    let (mut diff, url) = compare_with_model(ctx, args.offline, &rev.down_revisions, p)?;
    if args.online || ctx.settings.online {
        let plain = diff.ops.clone();
        diff.ops = online_ops(
            std::mem::take(&mut diff.ops),
            url.backend(),
            ctx.env.metadata(),
        );
        if diff.ops != plain {
            p.progress(&format!(
                "Online-safe forms written for {} (docs/online.md)",
                url.backend().name()
            ));
        }
        match url.backend() {
            // A rewriting type change the swap cannot take is named, never written plainly
            // without a word.
            retort_migrate::Backend::Postgres => {
                for w in retort_core::ops::swap_refusals(&plain, ctx.env.metadata()) {
                    p.warn(&w);
                }
            }
            // The lint after the write names each ALTER the server would copy the table for.
            retort_migrate::Backend::Mysql => p.progress(
                "--online: on MySQL/MariaDB only index builds and drops have an online form (ALGORITHM=INPLACE, LOCK=NONE); the other ops are written plainly, and mysql-copying-alter names each one that copies the table (docs/online.md)",
            ),
            other => p.progress(&format!(
                "--online: {} has no online-safe forms; the ops are written plainly (docs/online.md)",
                other.name()
            )),
        }
    }
    for line in &diff.log {
        p.progress(line);
    }
    if diff.is_empty() && !args.allow_empty {
        p.line("No changes in schema detected; no revision written (pass --allow-empty to write an empty one).");
        return Ok(());
    }
    let (upgrades, downgrades) = script_bodies(&diff).map_err(autogen_error)?;
    let vars = rev
        .vars()
        .set("upgrades", upgrades)
        .set("downgrades", downgrades);
    let path = write_vars(ctx, &rev, &vars, args.version_path.as_deref(), p)?;
    // The bodies are in the file now; the lint reads it back.
    drop(vars);
    // The findings of what was just written, on the database it was compared with (the
    // data in view), or offline as the comparison was.
    let (id, parents, backend) = (&rev.id, &rev.down_revisions, url.backend());
    // The ops are moved into the lint, not copied: at 10,000 tables a copy of them was
    // 44 MB of the peak heap (issue 16's memory goal).
    let ops = std::mem::take(&mut diff.ops);
    let report = if args.offline {
        block_on(lint_written(
            ctx, &migrator, backend, id, parents, ops, &path, None,
        ))?
    } else {
        block_on(async {
            let mut db = ctx.connect_existing(&url).await?;
            let report = lint_written(
                ctx,
                &migrator,
                backend,
                id,
                parents,
                ops,
                &path,
                db.as_mut(),
            )
            .await;
            if let Some(d) = db {
                // A close failure after reads changes nothing.
                let _ = d.close().await;
            }
            Ok::<_, CliError>(report)
        })??
    };
    warn_findings(&report, p);
    Ok(())
}

/// The `Create Date` of a new revision: now, in local time; or, when `SOURCE_DATE_EPOCH`
/// is set (the reproducible-builds convention), that instant in UTC, so that the same
/// inputs write the same file byte for byte.
pub(crate) fn create_date() -> String {
    const FORMAT: &str = "%Y-%m-%d %H:%M:%S";
    let fixed = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0));
    match fixed {
        Some(t) => t.format(FORMAT).to_string(),
        None => chrono::Local::now().format(FORMAT).to_string(),
    }
}
