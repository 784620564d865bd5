//! `stamp <revisions> [--purge] [--sql]`: set the version table without running any
//! script. Offline, the first revision may be a range `from:to` (from base otherwise),
//! and the script creates the bookkeeping tables first when starting from base.

use retort_migrate::driver::Driver as _;
use retort_migrate::version_table::{LogDirection, VersionSql};

use super::run::print_report;
use crate::args::StampArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

pub(crate) fn stamp(ctx: &Context<'_>, args: &StampArgs, p: &mut Printer) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let (url, _) = ctx.url(p)?;
    if args.sql {
        let (from, first) = match args.revisions[0].split_once(':') {
            Some((from, to)) => (Some(from), to),
            None => (None, args.revisions[0].as_str()),
        };
        let mut targets: Vec<&str> = vec![first];
        targets.extend(args.revisions[1..].iter().map(String::as_str));
        let current = match from {
            Some(f) => migrator.graph().resolve(f)?,
            None => Vec::new(),
        };
        let plan = migrator
            .graph()
            .plan_stamp(&current, &targets, args.purge)?;
        let sql = VersionSql::new(url.backend(), migrator.tables().clone());
        let mut out = Vec::new();
        if current.is_empty() && from.is_none() {
            out.push(sql.create_version_table());
            out.push(sql.create_log_table());
        }
        if args.purge {
            out.push(sql.delete_all_versions());
        }
        for step in &plan.steps {
            out.extend(sql.change(&step.change));
            for rev in &step.to {
                out.push(sql.insert_log(rev, LogDirection::Stamp, None, Some(0)));
            }
        }
        let mut text = String::from("BEGIN;\n\n");
        for s in out {
            text.push_str(&s);
            text.push_str(";\n\n");
        }
        text.push_str("COMMIT;\n\n");
        p.raw(&text);
        return Ok(());
    }
    let targets: Vec<&str> = args.revisions.iter().map(String::as_str).collect();
    let result = block_on(async {
        let mut db = ctx.connect(&url).await?;
        let r = migrator.stamp(&mut db, &targets, args.purge).await;
        let _ = db.close().await;
        Ok::<_, CliError>(r)
    })??;
    let report = result?;
    if report.steps.is_empty() && report.heads_before == report.heads_after {
        print_report(&migrator, &report, p);
        return Ok(());
    }
    for step in &report.steps {
        p.progress(&format!("Stamped {}", step.revision));
    }
    let at = if report.heads_after.is_empty() {
        "base".to_owned()
    } else {
        report.heads_after.join(", ")
    };
    p.progress(&format!("The version table now holds {at}."));
    Ok(())
}
