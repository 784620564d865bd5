//! One file a command. Each takes its parsed arguments, the [`Context`] and the
//! [`Printer`], and returns `Result<(), CliError>`; nothing here parses arguments or
//! decides exit codes.

mod branches;
mod check;
mod current;
mod describe;
mod ensure_version;
mod heads;
mod history;
mod list_templates;
mod merge;
mod repair;
mod revision;
mod run;
mod show;
mod stamp;
mod write_script;

use crate::args::{Cli, Command};
use crate::context::Context;
use crate::{CliError, Environment, Printer};

pub(crate) use list_templates::list_templates;

pub(crate) fn dispatch(
    cli: &Cli,
    env: &Environment,
    printer: &mut Printer,
) -> Result<(), CliError> {
    if let Command::ListTemplates = cli.command {
        list_templates(printer);
        return Ok(());
    }
    let ctx = Context::load(&cli.global, env)?;
    match &cli.command {
        Command::Revision(a) => revision::revision(&ctx, a, printer),
        Command::Upgrade(a) => run::upgrade(&ctx, a, printer),
        Command::Downgrade(a) => run::downgrade(&ctx, a, printer),
        Command::Current(a) => current::current(&ctx, a, printer),
        Command::History(a) => history::history(&ctx, a, printer),
        Command::Heads(a) => heads::heads(&ctx, a, printer),
        Command::Branches(a) => branches::branches(&ctx, a, printer),
        Command::Merge(a) => merge::merge(&ctx, a, printer),
        Command::Stamp(a) => stamp::stamp(&ctx, a, printer),
        Command::Show(a) => show::show(&ctx, a, printer),
        Command::Check(a) => check::check(&ctx, a, printer),
        Command::Repair => repair::repair(&ctx, printer),
        Command::EnsureVersion(a) => ensure_version::ensure_version(&ctx, a, printer),
        Command::ListTemplates => Ok(()),
    }
}
