//! `erd [--format mermaid|dot] [-o FILE] [--from-db | --at REV] [--tables ..] [--schema ..]`:
//! an entity-relationship diagram of the model (the default), of the live database (the
//! configured URL, named on the `Target:` line as every connecting command does), or of the
//! schema the revision history builds up to a revision, rendered by
//! `retort_migrate::erd::render_erd`; on stdout, or written to FILE.

use retort_migrate::autogenerate::database_schema;
use retort_migrate::driver::Driver as _;
use retort_migrate::erd::{render_erd, ErdFormat, ErdOptions};

use crate::args::ErdArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

pub(crate) fn erd(ctx: &Context<'_>, args: &ErdArgs, p: &mut Printer) -> Result<(), CliError> {
    let format = ErdFormat::parse(&args.format).ok_or_else(|| {
        CliError::usage(
            format!("--format {}: not a diagram format", args.format),
            Some("use `mermaid`, `dot` or `svg`".to_owned()),
        )
    })?;
    let options = ErdOptions {
        tables: args.tables.clone(),
        schemas: args.schemas.clone(),
    };
    // Only the live database is touched, and so named on the `Target:` line; the model and
    // the history take nothing from the URL but how its database spells types, and say
    // nothing of it.
    let url = if args.from_db {
        ctx.url(p, false)?
    } else {
        ctx.url(&mut Printer::captured(), true)?
    };
    let backend = url.backend();
    let schema = if args.from_db {
        let migrator = ctx.migrator()?;
        let model = ctx.env.metadata();
        block_on(async {
            let Some(mut driver) = ctx.connect_existing(&url).await? else {
                return Err(CliError::usage(
                    format!("the database file of {} does not exist", url.redacted()),
                    Some(
                        "run `upgrade head` first, or draw the model (`erd` without --from-db)"
                            .to_owned(),
                    ),
                ));
            };
            let read = database_schema(
                &mut driver,
                migrator.tables(),
                model,
                &ctx.settings.autogenerate,
            )
            .await;
            let _ = driver.close().await;
            read.map(|c| c.metadata)
                .map_err(super::check::autogen_error)
        })??
    } else if let Some(rev) = &args.at {
        let migrator = ctx.migrator()?;
        let ids = migrator.graph().resolve(rev)?;
        migrator.schema_at(&ids)
    } else {
        let model = ctx.env.metadata();
        model.validate()?;
        model.clone()
    };
    let dialect = retort_migrate::backends::support(backend).dialect();
    let text = render_erd(&schema, dialect, format, &options)
        .map_err(|e| CliError::usage(e.to_string(), None))?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| CliError::io("write", path, e))?;
            p.progress(&format!(
                "Wrote {} ({} tables)",
                path.display(),
                schema.tables().iter().filter(|t| options.keeps(t)).count()
            ));
        }
        None => p.raw(&text),
    }
    Ok(())
}
