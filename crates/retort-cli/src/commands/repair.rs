//! `repair`: accept the current revision files as the truth where the applied history
//! disagrees (an applied revision edited, removed, or inserted below the applied heads),
//! writing a `repair` row to the log for each; a head no file declares is left to
//! `stamp --purge`.

use retort_migrate::driver::Driver as _;

use crate::context::{block_on, Context};
use crate::{CliError, Printer};

pub(crate) fn repair(ctx: &Context<'_>, p: &mut Printer) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let url = ctx.url(p, false)?;
    let repaired = block_on(async {
        let mut db = ctx.connect(&url).await?;
        let r = migrator.repair(&mut db).await;
        let _ = db.close().await;
        Ok::<_, CliError>(r)
    })??;
    let repaired = repaired?;
    if repaired.is_empty() {
        p.progress("Nothing to repair: the applied history matches the revision files.");
    }
    for problem in repaired {
        p.line(&format!("Repaired: {problem}"));
    }
    Ok(())
}
