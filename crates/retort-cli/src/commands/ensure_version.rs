//! `ensure_version [--sql]`: create the version and log tables when missing, nothing else.

use retort_migrate::driver::Driver as _;

use crate::args::SqlArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

pub(crate) fn ensure_version(
    ctx: &Context<'_>,
    args: &SqlArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let url = ctx.url(p, args.sql)?;
    if args.sql {
        p.raw(&migrator.offline_ensure_version(url.backend()));
        return Ok(());
    }
    let created = block_on(async {
        let mut db = ctx.connect(&url).await?;
        let r = migrator.ensure_version(&mut db).await;
        let _ = db.close().await;
        Ok::<_, CliError>(r)
    })??;
    let created = created?;
    if created.is_empty() {
        p.progress("The version and log tables already exist.");
    } else {
        p.progress(&format!("Created {}.", created.join(" and ")));
    }
    Ok(())
}
