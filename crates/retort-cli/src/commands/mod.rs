//! One file a command. Each takes its parsed arguments, the [`Context`] and the
//! [`Printer`], and returns `Result<(), CliError>`; nothing here parses arguments or
//! decides exit codes.

mod baseline;
mod branches;
mod check;
mod current;
mod describe;
mod ensure_version;
mod erd;
mod fleet;
mod heads;
mod history;
mod lint;
mod list_templates;
mod merge;
mod models;
mod repair;
mod revision;
mod run;
mod show;
mod squash;
mod stamp;
mod write_script;

use retort_core::graph::GraphError;
use retort_migrate::MigrateError;

use crate::args::{Cli, Command};
use crate::context::Context;
use crate::{CliError, Environment, Printer};

pub(crate) use list_templates::list_templates;
pub(crate) use models::models_standalone;

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
    run(cli, &ctx, printer).map_err(|e| with_heads_advice(e, &cli.command))
}

fn run(cli: &Cli, ctx: &Context<'_>, printer: &mut Printer) -> Result<(), CliError> {
    match &cli.command {
        Command::Revision(a) => revision::revision(ctx, a, printer),
        Command::Upgrade(a) => run::upgrade(ctx, a, printer),
        Command::Downgrade(a) => run::downgrade(ctx, a, printer),
        Command::Current(a) => current::current(ctx, a, printer),
        Command::History(a) => history::history(ctx, a, printer),
        Command::Heads(a) => heads::heads(ctx, a, printer),
        Command::Branches(a) => branches::branches(ctx, a, printer),
        Command::Merge(a) => merge::merge(ctx, a, printer),
        Command::Stamp(a) => stamp::stamp(ctx, a, printer),
        Command::Show(a) => show::show(ctx, a, printer),
        Command::Check(a) => check::check(ctx, a, printer),
        Command::Lint(a) => lint::lint(ctx, a, printer),
        Command::Erd(a) => erd::erd(ctx, a, printer),
        Command::Models(a) => models::models(ctx, a, printer),
        Command::Squash(a) => squash::squash(ctx, a, printer),
        Command::Repair => repair::repair(ctx, printer),
        Command::EnsureVersion(a) => ensure_version::ensure_version(ctx, a, printer),
        Command::ListTemplates => Ok(()),
    }
}

/// A revision argument that matched several heads, with advice naming commands that work
/// for the command run (issue 13, item 5): the graph's own message is the same for every
/// command, and some of its advice (`heads`) is no answer to `revision`.
fn with_heads_advice(e: CliError, command: &Command) -> CliError {
    let (argument, heads) = match &e {
        CliError::Graph(GraphError::MultipleHeads { argument, heads }) => (argument, heads),
        CliError::Migrate(m) => match &**m {
            MigrateError::Graph(GraphError::MultipleHeads { argument, heads }) => (argument, heads),
            _ => return e,
        },
        _ => return e,
    };
    let list = heads.join(", ");
    let one = heads.first().map_or("<id>", String::as_str);
    let merge = "`merge -m \"merge heads\" heads`";
    let (message, hint) = match command {
        Command::Revision(a) if a.autogenerate => (
            format!("multiple heads are present ({list}): a new revision builds on one of them"),
            format!(
                "join the heads with {merge}, then `upgrade head`, and autogenerate again; or build on the head the database is at: `revision --autogenerate -m \"...\" --head {one}`"
            ),
        ),
        Command::Revision(_) => (
            format!("multiple heads are present ({list}): a new revision builds on one of them"),
            format!("pass the head to build on: `revision -m \"...\" --head {one}`; or join the heads first with {merge}"),
        ),
        Command::Upgrade(_) => (
            e.to_string(),
            format!("`upgrade heads` applies every head; `upgrade {one}` one of them; {merge} joins them into one"),
        ),
        Command::Stamp(_) => (
            e.to_string(),
            format!("`stamp heads` records every head; `stamp {one}` one of them"),
        ),
        Command::Downgrade(_) => (
            e.to_string(),
            format!("name the revision to go down to: `downgrade <id>` (`history` lists them; the heads are {list})"),
        ),
        _ => (
            e.to_string(),
            format!("name one of them (`{argument}` matches {list}); `heads` lists them"),
        ),
    };
    CliError::usage(message, Some(hint))
}
