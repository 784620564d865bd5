//! The command line of a migrations binary, as clap definitions only: names, flags and
//! help follow Alembic's (`alembic --help`), so a user of one knows the other. What each
//! command does lives in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Alembic-style schema migrations for this project.
#[derive(Debug, Parser)]
#[command(
    name = "retort",
    version,
    about = "Version-controlled schema migrations (Alembic's commands, in Rust)",
    after_help = "Exit codes: 0 success, 1 migration or database failure (a revision whose code panicked included), 2 usage or configuration error, 3 database unreachable, 4 `check` found differences, 5 `lint` found findings at or above fail_on."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The configuration file (default: retort.toml of the current directory, else of the
    /// migrations crate).
    #[arg(short = 'c', long = "config", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The environment of retort.toml to use (an [env.NAME] table).
    #[arg(long = "env", global = true, value_name = "NAME")]
    pub env: Option<String>,
    /// The database URL, overriding DATABASE_URL (or DATABASE_URL in ./.env) and retort.toml.
    /// `upgrade`, `current` and `check` take it more than once: one run over every target.
    #[arg(long = "url", global = true, value_name = "URL", action = clap::ArgAction::Append)]
    pub url: Vec<String>,
    /// The longest wait for another run's migration lock (`30s`, `2m`...), overriding
    /// lock_timeout in retort.toml.
    #[arg(long = "lock-timeout", global = true, value_name = "DURATION")]
    pub lock_timeout: Option<String>,
    /// Print results and errors only, no progress.
    #[arg(short = 'q', long = "quiet", global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new revision file.
    Revision(RevisionArgs),
    /// Upgrade to a later version.
    Upgrade(UpgradeArgs),
    /// Revert to a previous version.
    Downgrade(UpgradeArgs),
    /// Display the current revision(s) of the database.
    Current(CurrentArgs),
    /// List changeset scripts in chronological order.
    History(HistoryArgs),
    /// Show current available heads in the script directory.
    Heads(VerboseArgs),
    /// Show current branch points.
    Branches(VerboseArgs),
    /// Merge two revisions together; creates a new migration file.
    Merge(MergeArgs),
    /// 'stamp' the revision table with the given revision(s); don't run any migrations.
    Stamp(StampArgs),
    /// Show the revision(s) denoted by the given symbol.
    Show(ShowArgs),
    /// Check if revision command with autogenerate has pending upgrade ops (exit code 4
    /// when the model and the database, or the replayed history, differ).
    Check(CheckArgs),
    /// Report dangerous operations in the revisions to run (data loss, locks and rewrites,
    /// statements the data makes fail, changes a running application breaks on); exit code 5
    /// on findings at or above fail_on.
    Lint(LintArgs),
    /// Draw an entity-relationship diagram (Mermaid or Graphviz DOT) of the model, of the
    /// live database (--from-db) or of the history at a revision (--at).
    Erd(ErdArgs),
    /// Write `#[derive(Model)]` structs for the live database's schema (--from-db): one
    /// file (-o FILE, or stdout) or a module folder with a file a table (--dir DIR).
    Models(ModelsArgs),
    /// Fold a straight range of revisions into one (it keeps the last one's id), proven on
    /// two scratch databases; the old files move to versions/squashed/.
    Squash(SquashArgs),
    /// Accept the current revision files as the truth where the applied history
    /// disagrees with them (edited or removed applied revisions); logged.
    Repair,
    /// Create the version and log tables if they do not exist.
    #[command(name = "ensure_version", alias = "ensure-version")]
    EnsureVersion(SqlArgs),
    /// List available templates.
    #[command(name = "list_templates", alias = "list-templates")]
    ListTemplates,
}

#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// Message string to use with 'revision'.
    #[arg(short = 'm', long = "message")]
    pub message: Option<String>,
    /// Populate the revision script with candidate migration operations, based on
    /// comparison of the database to the model.
    #[arg(long)]
    pub autogenerate: bool,
    /// Specify head revision or <branchname>@head to base new revision on.
    #[arg(long)]
    pub head: Option<String>,
    /// Allow a non-head revision as the 'head' to splice onto.
    #[arg(long)]
    pub splice: bool,
    /// Specify a branch label to apply to the new revision.
    #[arg(long = "branch-label")]
    pub branch_label: Vec<String>,
    /// Specify a directory in which to place the new revision file.
    #[arg(long = "version-path")]
    pub version_path: Option<PathBuf>,
    /// Specify a hardcoded revision id instead of generating one.
    #[arg(long = "rev-id")]
    pub rev_id: Option<String>,
    /// Specify one or more revision identifiers which this revision should depend on.
    #[arg(long = "depends-on")]
    pub depends_on: Vec<String>,
    /// Accepted for Alembic compatibility and refused: a revision is Rust, not SQL (`upgrade
    /// --sql` prints a revision's SQL; `--autogenerate --offline` needs no database).
    #[arg(long)]
    pub sql: bool,
    /// With --autogenerate: compare the model with the schema replayed from the revision
    /// history instead of the live database (no database needed).
    #[arg(long, requires = "autogenerate")]
    pub offline: bool,
    /// With --autogenerate: write the revision even when nothing changed (an empty one).
    #[arg(long = "allow-empty", requires = "autogenerate")]
    pub allow_empty: bool,
    /// With --autogenerate: write the online-safe forms (PostgreSQL: constraints added NOT
    /// VALID and validated after a commit, SET NOT NULL through a validated check), as
    /// `online = true` in the environment of retort.toml does. See docs/online.md.
    #[arg(long, requires = "autogenerate")]
    pub online: bool,
    /// Adopt the live database: write the first revision of an empty history from its
    /// schema (tables, types, sequences, views, functions, triggers, policies, grants...),
    /// then stamp the database at it without running it. Refuses what the revision could
    /// not carry, naming it.
    #[arg(long, conflicts_with_all = ["autogenerate", "head", "splice", "depends_on"])]
    pub baseline: bool,
    /// With --baseline: write the revision only; stamp the database later with `stamp <id>`
    /// once the binary is rebuilt with it.
    #[arg(long = "no-stamp", requires = "baseline")]
    pub no_stamp: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Compare the model with the schema replayed from the revision history instead of
    /// the live database (no database needed).
    #[arg(long)]
    pub offline: bool,
    #[command(flatten)]
    pub fleet: FleetArgs,
}

/// Many targets in one run (`upgrade`, `current`, `check`): several `--url`, a file of
/// URLs, or one schema per tenant on the one database (docs/guide: many databases).
#[derive(Debug, Args, Default)]
pub struct FleetArgs {
    /// A file of database URLs, one a line (blank lines and lines starting with `#` are
    /// skipped): the command runs on each.
    #[arg(long = "targets", value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// PostgreSQL, one schema per tenant: run on each schema of the one database whose name
    /// matches (`*` any characters; repeatable, or comma-separated), with the schema as the
    /// connection's search_path, so the version table and the model's tables are the
    /// tenant's.
    #[arg(long = "schemas", value_name = "PATTERN", value_delimiter = ',')]
    pub schemas: Vec<String>,
    /// How many targets run at once.
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 4)]
    pub jobs: usize,
    /// Write one line a target (status, target with no password, revision, error) to FILE,
    /// tab-separated.
    #[arg(long = "report", value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Run only the targets that FILE (a --report of an earlier run) lists as failed.
    #[arg(long = "failed-from", value_name = "FILE")]
    pub failed_from: Option<PathBuf>,
}

impl FleetArgs {
    /// Whether these flags ask for a run over many targets.
    pub fn any(&self) -> bool {
        self.targets.is_some() || !self.schemas.is_empty() || self.failed_from.is_some()
    }
}

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// Revision identifier (head, heads, base, an id or prefix, +N/-N, label@head); with
    /// --sql, a range `from:to`.
    #[arg(allow_negative_numbers = true)]
    pub revision: String,
    /// Don't emit SQL to database - dump to standard output instead.
    #[arg(long)]
    pub sql: bool,
    /// With --sql on SQLite, rebuild tables as the revision history builds them: with no
    /// database to read, a column, index, trigger or view added outside the history is not
    /// carried over. Without it, a script that rebuilds a table is refused.
    #[arg(long = "assume-history-shape", requires = "sql")]
    pub assume_history_shape: bool,
    /// Go on with a revision a failed run left half-done on a database that commits DDL
    /// implicitly (MySQL, MariaDB), from the statement after the last one it committed.
    /// Without it, such a run refuses and names the statement.
    #[arg(long, conflicts_with = "sql")]
    pub resume: bool,
    /// Do not lint the revisions before running them (the findings are printed as warnings
    /// otherwise; see `lint`).
    #[arg(long = "no-lint")]
    pub no_lint: bool,
    /// Let the run drop tables holding rows and columns holding values that the revision
    /// does not mark `.data_loss_ok()` (each is reported as a warning). Without it such a
    /// revision is refused before any of it runs (exit code 6), unless the environment sets
    /// `data_loss = "warn"` or `"off"` under `[lint]`.
    #[arg(long = "allow-data-loss")]
    pub allow_data_loss: bool,
    /// Many targets (`upgrade` only; `downgrade` refuses them).
    #[command(flatten)]
    pub fleet: FleetArgs,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The revisions to lint: `to` (from the database's current revision; with --offline,
    /// from base) or `from:to`; with --downgrade, the target to go down to.
    #[arg(default_value = "head", allow_negative_numbers = true)]
    pub range: String,
    /// Do not connect: classify the ops without reading the data (what could happen,
    /// without counts; the rules that need the data are not checked).
    #[arg(long)]
    pub offline: bool,
    /// Lint the downgrade to RANGE instead of an upgrade.
    #[arg(long)]
    pub downgrade: bool,
    /// `text` (default) or `json`, one document on stdout for CI.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Exit 5 on findings at or above this level: error, warning or info (default: fail_on
    /// in [lint] of retort.toml, else error).
    #[arg(long = "fail-on", value_name = "LEVEL")]
    pub fail_on: Option<String>,
}

#[derive(Debug, Args)]
pub struct ErdArgs {
    /// `mermaid` (default: Mermaid's erDiagram, which code hosts render), `dot` (Graphviz) or
    /// `svg` (laid out and drawn by Retort, no Graphviz needed).
    #[arg(long, default_value = "mermaid", value_parser = ["mermaid", "dot", "svg"])]
    pub format: String,
    /// Write the diagram to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Draw the live database's schema (the configured URL) instead of the model.
    #[arg(long = "from-db", conflicts_with = "at")]
    pub from_db: bool,
    /// Draw the schema the revision history builds up to REV (`head`, an id) instead of the
    /// model.
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
    /// Only these tables (`name` or `schema.name`; repeat the flag or separate with commas).
    #[arg(long = "tables", value_name = "TABLE", value_delimiter = ',')]
    pub tables: Vec<String>,
    /// Only the tables in these schemas (repeat the flag or separate with commas).
    #[arg(long = "schema", value_name = "SCHEMA", value_delimiter = ',')]
    pub schemas: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Read the live database's schema (the configured URL): the only source so far, and
    /// required, so that a later source (the history) can be added without changing meaning.
    #[arg(long = "from-db", required = true)]
    pub from_db: bool,
    /// Write the models to FILE instead of stdout.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "dir"
    )]
    pub output: Option<std::path::PathBuf>,
    /// Write a module folder: `mod.rs` (with `metadata()`), `enums.rs`, and a file a table.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CurrentArgs {
    /// Use more verbose output.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Fail (exit code 1) unless the database is at the head revision(s).
    #[arg(long = "check-heads")]
    pub check_heads: bool,
    #[command(flatten)]
    pub fleet: FleetArgs,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Specify a revision range; format is [start]:[end].
    #[arg(short = 'r', long = "rev-range")]
    pub rev_range: Option<String>,
    /// Use more verbose output.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Indicate the current revision.
    #[arg(short = 'i', long = "indicate-current")]
    pub indicate_current: bool,
}

#[derive(Debug, Args)]
pub struct VerboseArgs {
    /// Use more verbose output.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Resolve dependencies (accepted for Alembic compatibility; heads always do).
    #[arg(long = "resolve-dependencies", hide = true)]
    pub resolve_dependencies: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// One or more revisions, or 'heads' for all heads.
    #[arg(required = true)]
    pub revisions: Vec<String>,
    /// Message string to use with 'merge'.
    #[arg(short = 'm', long = "message")]
    pub message: Option<String>,
    /// Specify a branch label to apply to the new revision.
    #[arg(long = "branch-label")]
    pub branch_label: Vec<String>,
    /// Specify a hardcoded revision id instead of generating one.
    #[arg(long = "rev-id")]
    pub rev_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct SquashArgs {
    /// The oldest revision of the range (`base`: the first revision below <to>).
    pub from: String,
    /// The newest revision of the range (`head`, an id, a partial id, `label@head`).
    pub to: String,
    /// Message of the squashed revision (default: "squash <from>..<to>").
    #[arg(short = 'm', long = "message")]
    pub message: Option<String>,
    /// Carry raw SQL (op.execute) and inserted rows (op.bulk_insert) of the range into the
    /// squash, in order, after its schema change, instead of refusing.
    #[arg(long = "keep-raw")]
    pub keep_raw: bool,
    /// Skip the proof on two scratch databases (created beside the configured database,
    /// dropped after).
    #[arg(long = "no-verify", conflicts_with = "verify")]
    pub no_verify: bool,
    /// Prove the squash and write nothing.
    #[arg(long)]
    pub verify: bool,
    /// Delete the replaced files instead of moving them to versions/squashed/.
    #[arg(long)]
    pub delete: bool,
}

#[derive(Debug, Args)]
pub struct StampArgs {
    /// Revision identifier(s); with --sql, `from:to` for the first.
    #[arg(required = true, allow_negative_numbers = true)]
    pub revisions: Vec<String>,
    /// Don't emit SQL to database - dump to standard output instead.
    #[arg(long)]
    pub sql: bool,
    /// Unconditionally erase the version table before stamping.
    #[arg(long)]
    pub purge: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Revision identifier.
    #[arg(allow_negative_numbers = true)]
    pub revision: String,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// Don't emit SQL to database - dump to standard output instead.
    #[arg(long)]
    pub sql: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn definitions_are_consistent() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn assume_history_shape_goes_with_sql_only() {
        use clap::Parser as _;
        let parse = |args: &[&str]| super::Cli::try_parse_from(args);
        let cli = parse(&["m", "upgrade", "head", "--sql", "--assume-history-shape"]).unwrap();
        let super::Command::Upgrade(args) = cli.command else {
            panic!("parsed as upgrade");
        };
        assert!(args.sql && args.assume_history_shape);
        assert!(parse(&["m", "downgrade", "a:b", "--sql", "--assume-history-shape"]).is_ok());
        assert!(parse(&["m", "upgrade", "head", "--assume-history-shape"]).is_err());
    }
}
