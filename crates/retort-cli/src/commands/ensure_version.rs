//! `ensure_version [--sql]`: create the version and log tables when missing, nothing else.

use retort_migrate::driver::Driver;
use retort_migrate::version_table::VersionSql;

use crate::args::SqlArgs;
use crate::context::{block_on, Context};
use crate::{CliError, Printer};

pub(crate) fn ensure_version(
    ctx: &Context<'_>,
    args: &SqlArgs,
    p: &mut Printer,
) -> Result<(), CliError> {
    let migrator = ctx.migrator()?;
    let (url, _) = ctx.url(p)?;
    let tables = migrator.tables().clone();
    let sql = VersionSql::new(url.backend(), tables.clone());
    if args.sql {
        p.raw(&format!(
            "{};\n\n{};\n\n",
            sql.create_version_table(),
            sql.create_log_table()
        ));
        return Ok(());
    }
    let created = block_on(async {
        let mut db = ctx.connect(&url).await?;
        let result = async {
            let mut created = Vec::new();
            for (name, create) in [
                (&tables.version, sql.create_version_table()),
                (&tables.log, sql.create_log_table()),
            ] {
                let exists = db.table_exists(tables.schema.as_deref(), name).await?;
                if !exists {
                    db.execute(&create).await?;
                    created.push(name.clone());
                }
            }
            Ok::<_, sqlx::Error>(created)
        }
        .await;
        let _ = db.close().await;
        result.map_err(|source| {
            CliError::from(retort_migrate::MigrateError::Bookkeeping {
                what: "creating the version and log tables".into(),
                source,
            })
        })
    })??;
    if created.is_empty() {
        p.progress("The version and log tables already exist.");
    } else {
        p.progress(&format!("Created {}.", created.join(" and ")));
    }
    Ok(())
}
