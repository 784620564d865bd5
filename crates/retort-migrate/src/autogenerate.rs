//! Autogenerate's plumbing: where the "current" schema comes from, which comparison it goes
//! through, and the text of the revision that comes out. `revision --autogenerate` and
//! `check` are this module plus printing.
//!
//! * The current schema is either the live database ([`database_schema`]: the backend's
//!   catalog queries, a fixed number whatever the table count, run in one read-only
//!   snapshot by [`BackendSupport::read_schema`](retort_dialect::BackendSupport::read_schema)
//!   through the driver) or the history ([`history_schema`]: every revision's recorded ops replayed
//!   from base in memory, no database at all: `--offline`). Raw SQL (`op.execute`) is
//!   opaque to a replay; the replay says so in its warnings rather than pretending.
//! * Live autogenerate compares against a database that must be at the revision the new
//!   one builds on ([`require_up_to_date`]), as Alembic refuses "Target database is not up
//!   to date": otherwise the script would repeat what an unapplied revision already does.
//! * The comparison ([`compare`]) is `retort_core::diff::diff_with` with the database's
//!   equality, [`BackendSupport::compare`](retort_dialect::BackendSupport::compare) from
//!   the registry ([`crate::backends`]): PostgreSQL's
//!   [`PgCompare`](retort_dialect::introspect::PgCompare) for a live PostgreSQL catalog
//!   (which prints `int4` and `'x'::character varying`), after the server itself has spelled the model's
//!   expressions that do not already compare equal ([`Canonical`], from
//!   [`BackendSupport::canonicalise`](retort_dialect::BackendSupport::canonicalise):
//!   scratch tables in `pg_temp`, rolled back; nothing is asked when nothing differs), the
//!   database's expressions that are the model's then in the model's words
//!   ([`retort_dialect::respell`]) and the others without PostgreSQL's decorations where
//!   the server confirms it
//!   ([`BackendSupport::undecorate`](retort_dialect::BackendSupport::undecorate): an op's
//!   old values run on any backend); for a live SQLite file, exact equality with the model as SQLite stores it
//!   ([`BackendSupport::as_stored`](retort_dialect::BackendSupport::as_stored)), new
//!   columns and altered defaults then written as the model spells them, and constraints added unnamed as SQLite leaves them
//!   ([`SqliteCompare`](retort_dialect::sqlite::SqliteCompare)). What SQLite cannot hold
//!   (comments, an identity's kind, a `BIGINT` rowid) is recorded in an op's old values as the
//!   history replayed to the database's heads has it ([`CurrentSchema::history`]), for a table
//!   the database holds exactly as the history made it. Live PostgreSQL's views, functions
//!   and triggers the model no longer has in those words take the history's words where
//!   the server prints the history's definition as it prints the database's (an op's old
//!   definition then runs the same on SQLite); one that keeps the server's print is named
//!   in a warning when there is a history.
//!   A replayed history holds what the scripts said, spelled as a model spells it; it is
//!   compared as the configured database would be (the backend is known from the URL even
//!   offline), so offline writes what live would: on PostgreSQL with the model as it is
//!   through `PgCompare`, on SQLite made what a file built from it would show
//!   (`as_stored`) and then exactly as live. `--offline` still compares
//!   PostgreSQL expressions as text: a model expression edited only in spelling
//!   (`x IN ('a')` for `x = 'a'`) is a change offline, and no change live when PostgreSQL
//!   stores both alike.
//! * What to compare comes from `[autogenerate]` in `retort.toml`
//!   ([`AutogenerateSettings`]: `include_schemas`, `include_tables` / `exclude_tables`
//!   globs, `compare_type`, `compare_server_default`) plus the environment's
//!   `include_object` hook, both folded into one [`DiffOptions`].
//! * Names: on PostgreSQL the names the naming convention builds are shortened to 63 bytes
//!   as SQLAlchemy shortens them (model and replayed history alike, as `create_all` and the
//!   runner make them), and names the user wrote that the server would cut are refused
//!   first, each named with what to do ([`check_identifiers`]), as is what the database
//!   cannot hold at all (an exclusion constraint on SQLite).
//! * Per-dialect variants (`Type::with_variant`): both sides are compared as the database
//!   has them (`MetaData::for_dialect`), and the ops get every dialect's variants back
//!   ([`retort_core::diff::restore_variants`]), so a script written against one backend
//!   runs the same on the other. What the model says for other backends only (a default
//!   `only_on(Postgres, ..)` compared on SQLite) is compared with what the history recorded
//!   for them ([`retort_core::diff::restore_history_variants`]: the live database's replayed
//!   history, or the replayed history offline), and old values read from the database take
//!   the history's variants where they are its resolution here.
//! * The downgrade is the upgrade reversed (each op's `reverse()`, last op first), never
//!   compared separately, so it is exact.
//!
//! Everything iterates in the order of its inputs, so the same model and schema give the
//! same ops and the same script text byte for byte.
//!
//! The whole pipeline is one library call: [`compare_metadata`] (live) and
//! [`compare_metadata_offline`] (replayed history) validate the model, refuse names and
//! objects the database cannot hold, check the database is where the comparison assumes,
//! read, canonicalise, compare and refuse drops that would lose what the model cannot say;
//! [`check`] and [`check_offline`] are Alembic's `command.check` on top of them. The command
//! line, the evolution suite and an application's own tests call these.

pub use retort_dialect::canonical::{Canonical, Substitution};

use std::borrow::Cow;
use std::collections::HashMap;

use retort_core::diff::{diff_with, Diff, DiffOptions, IncludeObject};
use retort_core::diff::{
    record_entities_elsewhere, restore_entity_dialects, restore_history_variants, restore_variants,
};
use retort_core::graph::Direction;
use retort_core::ops::Op;
use retort_core::{
    long_identifiers, EntityKey, EntityKind, LongIdentifier, MetaData, Type, ValidModel, Validated,
};
use retort_dialect::introspect::IntrospectError;
use retort_dialect::table_dependents::TableDependent;
use retort_dialect::{
    within_name_limit, CatalogError, Concurrency, ReadSchemaError, SchemaRequest,
};
use serde::Deserialize;

use crate::driver::{Driver, DriverCatalog};
use crate::runner::{MigrateError, Migrator};
use crate::url::Backend;
use crate::writer::{render_body, render_body_of, WriteError};
use crate::Tables;

/// `[autogenerate]` as written in `retort.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAutogenerate {
    include_schemas: Option<Vec<String>>,
    #[serde(default)]
    include_tables: Vec<String>,
    #[serde(default)]
    exclude_tables: Vec<String>,
    compare_type: Option<bool>,
    compare_server_default: Option<bool>,
}

/// What `revision --autogenerate` and `check` compare (`[autogenerate]` in `retort.toml`):
///
/// ```toml
/// [autogenerate]
/// include_schemas = ["public", "billing"]   # default: every schema the model names
/// include_tables = ["*"]                    # name globs (`*`, `?`; `schema.table` with a dot)
/// exclude_tables = ["tmp_*", "legacy.*"]
/// compare_type = true                       # default true, as Alembic 1.12+
/// compare_server_default = true             # default true
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AutogenerateSettings {
    /// Only tables and enum types in these schemas are compared (`None`: all). Objects of
    /// the default schema always are.
    pub include_schemas: Option<Vec<String>>,
    /// `include_tables`: only tables matching one of these globs are compared.
    pub include_tables: Vec<String>,
    /// `exclude_tables`: tables matching one of these globs are left out.
    pub exclude_tables: Vec<String>,
    /// `compare_type`: column types are compared.
    pub compare_type: bool,
    /// `compare_server_default`: server defaults are compared.
    pub compare_server_default: bool,
    /// Entities (views, functions, triggers) to treat as under version control beside those
    /// the history created (not read from `retort.toml`): for a tool or test that built the
    /// database without a history. See `docs/entities.md`.
    pub versioned_entities: Vec<EntityKey>,
    /// Standalone sequences, as (schema, name), to treat as under version control beside
    /// those the history created, likewise.
    pub versioned_sequences: Vec<(Option<String>, String)>,
}

impl Default for AutogenerateSettings {
    fn default() -> Self {
        RawAutogenerate::default().into()
    }
}

impl From<RawAutogenerate> for AutogenerateSettings {
    fn from(raw: RawAutogenerate) -> Self {
        AutogenerateSettings {
            include_schemas: raw.include_schemas,
            include_tables: raw.include_tables,
            exclude_tables: raw.exclude_tables,
            compare_type: raw.compare_type.unwrap_or(true),
            compare_server_default: raw.compare_server_default.unwrap_or(true),
            versioned_entities: Vec::new(),
            versioned_sequences: Vec::new(),
        }
    }
}

impl AutogenerateSettings {
    /// The diff's options for these settings, with the environment's `include_object` hook.
    pub fn diff_options(&self, include_object: Option<IncludeObject>) -> DiffOptions {
        DiffOptions {
            compare_types: self.compare_type,
            compare_server_defaults: self.compare_server_default,
            schemas: self.include_schemas.clone(),
            include_tables: self.include_tables.clone(),
            exclude_tables: self.exclude_tables.clone(),
            include_object,
            ..DiffOptions::default()
        }
    }
}

/// Why the current schema could not be read or the revision written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AutogenerateError {
    /// A catalog query failed.
    #[error("reading the database catalog ({query}) failed: {source}")]
    Catalog {
        /// The query file, or the statement, that failed.
        query: &'static str,
        /// The driver's error.
        #[source]
        source: CatalogError,
    },
    /// The catalog rows could not be read into a schema.
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    /// The database is not at the revision the new one builds on.
    #[error("Target database is not up to date: it is at {current}, the new revision builds on {expected}")]
    NotUpToDate {
        /// The applied heads, joined.
        current: String,
        /// The revision the new one builds on.
        expected: String,
    },
    /// Reading the applied heads failed, or a script is missing.
    #[error(transparent)]
    Migrate(#[from] Box<MigrateError>),
    /// The diff produced an op without an exact reverse (it should never).
    #[error("the downgrade cannot be derived: {0}; write it by hand in the revision")]
    Irreversible(String),
    /// The writer cannot spell an op.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The model holds what the database cannot (an exclusion constraint on SQLite),
    /// found by [`check_identifiers`] before anything is compared or written.
    #[error("the model cannot be kept in this database: {0}")]
    Unsupported(retort_dialect::DialectError),
    /// The diff drops tables that have what the model does not know and the drop would
    /// take with it ([`refuse_lost_objects`]).
    #[error("dropping {} would also drop what Retort does not model, and the downgrade could not re-create it:\n  {}\nKeep the table in the model, leave it out of the comparison (`exclude_tables` in [autogenerate] of retort.toml), or drop (a grant: REVOKE) these first by hand in the revision (op.execute) and create them again in its downgrade.", tables.join(", "), list(.lost))]
    LostObjects {
        /// The tables the diff drops, described.
        tables: Vec<String>,
        /// What they have that would be lost with them.
        lost: Vec<TableDependent>,
    },
    /// PostgreSQL refused model entities as malformed SQL (a syntax error) while spelling
    /// them in its rolled-back transaction: the revision would fail at `upgrade`, so
    /// nothing is compared or written. Nothing of the spelling stays in the database.
    #[error("the server refuses these definitions of the model as malformed SQL:\n  {}\nFix the definition in the model (or in the .sql file it includes); nothing was written and nothing was left in the database.", list(.entities))]
    MalformedEntities {
        /// Each as "view public.v: syntax error at or near ..".
        entities: Vec<String>,
    },
    /// The model grants to (or lists in a policy) roles the database does not have: the
    /// statement would fail half-way through an upgrade, so nothing is compared or written.
    #[error("the model names roles that do not exist in the database:\n  {}\nRoles are not under version control: create them first (CREATE ROLE ..), or fix the name in the model.", list(.roles))]
    UnknownRoles {
        /// Each role, with the first entity naming it.
        roles: Vec<String>,
    },
    /// The model is invalid (`MetaData::validate`): compared as it is, a relationship to an
    /// unregistered model would propose dropping its table.
    #[error(transparent)]
    Model(#[from] retort_core::SchemaErrors),
    /// [`check`] found differences; `log` has one line each, as `check` prints them.
    #[error("New upgrade operations detected: {}", list(.log))]
    DiffsDetected {
        /// One line per difference.
        log: Vec<String>,
    },
    /// Names in the model longer than the database keeps ([`check_identifiers`]).
    #[error("{dialect} keeps names of at most {max} bytes and would cut these, so the database would not match the model:\n  {}", list(.names))]
    LongIdentifiers {
        /// The database's name.
        dialect: &'static str,
        /// The longest name it keeps, in bytes.
        max: usize,
        /// Every name of the model that is longer, with where it is.
        names: Vec<LongIdentifier>,
    },
}

fn list<T: std::fmt::Display>(names: &[T]) -> String {
    names
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n  ")
}

/// Refuses a model with names longer than `backend`'s database keeps (PostgreSQL: 63
/// bytes), each named with what to do, before anything is compared or written: the server
/// would cut them silently, so `check` would differ forever and an upgrade could collide.
/// Names the naming convention builds are shortened instead (see [`compare`]), so only
/// names the user wrote are listed.
///
/// It refuses first what the database cannot hold at all, naming it: an exclusion
/// constraint on SQLite (which has none) would otherwise be written into a revision whose
/// upgrade then fails; last, whatever else the dialect's `create_all` of the model refuses
/// (a sequence on MySQL).
pub fn check_identifiers(model: &MetaData, backend: Backend) -> Result<(), AutogenerateError> {
    refuse_unsupported(model, backend, None)
}

/// [`check_identifiers`] of a model already validated, which its `create_all` does not
/// validate again. Same refusals, same messages.
pub fn check_identifiers_validated(
    model: Validated<'_>,
    backend: Backend,
) -> Result<(), AutogenerateError> {
    refuse_unsupported(model.get(), backend, Some(model))
}

fn refuse_unsupported(
    model: &MetaData,
    backend: Backend,
    validated: Option<Validated<'_>>,
) -> Result<(), AutogenerateError> {
    let dialect = crate::render::dialect_for(backend);
    for t in model.tables() {
        for x in &t.excludes {
            dialect
                .exclude_clause(&t.name, x)
                .map_err(AutogenerateError::Unsupported)?;
        }
    }
    if let Some(max) = dialect.max_identifier_length() {
        let names = long_identifiers(&within_name_limit(dialect, model), max);
        if !names.is_empty() {
            return Err(AutogenerateError::LongIdentifiers {
                dialect: dialect.name(),
                max,
                names,
            });
        }
    }
    // Whatever else `create_all` refuses (MySQL: sequences, serial columns, keys on TEXT,
    // partial and expression indexes, ...) no revision could create either: refused here,
    // naming it, rather than written into a script whose upgrade fails.
    match validated {
        Some(v) => dialect.create_all_validated(v),
        None => dialect.create_all(model),
    }
    .map(|_| ())
    .map_err(AutogenerateError::Unsupported)
}

/// Which schema the model is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The live database's catalog.
    Database(Backend),
    /// The schema replayed from the revision history (`--offline`), for the backend the
    /// configured database URL names: compared as that database would be, so the
    /// revision is the one live autogenerate would write.
    History(Backend),
}

/// A schema to compare the model with, and what its reading had to say.
#[derive(Debug, Clone, Default)]
pub struct CurrentSchema {
    /// The tables, enum types and sequences read or replayed.
    pub metadata: MetaData,
    /// Schemas that exist although nothing in `metadata` names them.
    pub existing_schemas: Vec<String>,
    /// What the reading could not see (raw SQL in a replayed history...).
    pub warnings: Vec<String>,
    /// Live PostgreSQL: the model's expressions PostgreSQL stores in another spelling,
    /// with the database's text ([`Canonical`]); [`compare`]
    /// gives those database expressions the model's text.
    pub canonical: Canonical,
    /// Live databases: what tables have that the model cannot say (triggers; on
    /// PostgreSQL also policies and rules), which [`refuse_lost_objects`] checks drops
    /// against. Empty for a replayed history, which holds only what scripts recorded.
    pub table_dependents: Vec<TableDependent>,
    /// Live databases: the schema the revision history builds up to the database's heads
    /// ([`compare_metadata`] replays it). Where the database keeps less than a model says
    /// (SQLite: no comments, its rowid identity an `INTEGER`), a table the diff drops takes
    /// its recorded definition from here when the database has exactly what the history's
    /// definition is once stored (`restore_dropped_from_history`), so the downgrade
    /// re-creates what the history made, on any backend. `compare_metadata` also gives the
    /// database's entities the history's words where the server prints both alike.
    pub history: Option<MetaData>,
    /// Live databases: the entities (views, functions, triggers) the history created, the
    /// only ones of the database an absent model entity may drop
    /// ([`DiffOptions::versioned_entities`]). `None` for a replayed history, which holds
    /// nothing else.
    pub versioned_entities: Option<Vec<EntityKey>>,
    /// Live databases: the dependencies among the database's entities its catalog records
    /// (dependent, dependency), which order the drops beside what their names show.
    pub entity_dependencies: Vec<(EntityKey, EntityKey)>,
    /// Live databases: the standalone sequences the history created, as (schema, name), the
    /// only ones an absent model sequence may drop ([`DiffOptions::versioned_sequences`]).
    /// `None` for a replayed history.
    pub versioned_sequences: Option<Vec<(Option<String>, String)>>,
    /// Live databases: the table columns the database's entities read as its catalog
    /// records them, beside what their definitions name: what a dropped or retyped column
    /// is wrapped in ([`DiffOptions::entity_columns`]).
    pub entity_columns: Vec<retort_core::EntityColumn>,
    /// Live databases that no revision made but already hold tables or entities
    /// (`create_all`, raw SQL): what the model declares for other databases only
    /// (`.only_on`) cannot be known there, so it is not compared (an empty history would
    /// show it all as missing).
    pub made_outside_the_history: bool,
}

/// Refuses a diff that drops a table with a [`TableDependent`] (a trigger, policy, rule or
/// grant, one on a column too):
/// `DROP TABLE` would take it along without a word, and the downgrade, re-creating the table
/// from what the schema knows, would not bring it back. Live only: the replayed history
/// knows no such objects. The error names every one, and what to do.
pub fn refuse_lost_objects(
    current: &CurrentSchema,
    diff: &Diff,
    model: &MetaData,
) -> Result<(), AutogenerateError> {
    let mut tables = Vec::new();
    let mut lost = Vec::new();
    for op in &diff.ops {
        let Op::DropTable { schema, name, .. } = op else {
            continue;
        };
        let on_it: Vec<TableDependent> = current
            .table_dependents
            .iter()
            .filter(|d| &d.table == name && d.schema == *schema)
            .filter(|d| !known_trigger(d, diff, model))
            .cloned()
            .collect();
        if !on_it.is_empty() {
            tables.push(match schema {
                Some(s) => format!("table {s}.{name}"),
                None => format!("table {name}"),
            });
            lost.extend(on_it);
        }
    }
    if lost.is_empty() {
        Ok(())
    } else {
        Err(AutogenerateError::LostObjects { tables, lost })
    }
}

/// Whether a table's trigger, policy, rule or grant is one Retort knows: the model declares it,
/// or the diff drops it by itself (an entity under version control that the model no longer
/// has, dropped before its table, so the downgrade re-creates it after the table). A grant
/// on one column is known the same way (`Grant::on_column`).
fn known_trigger(d: &TableDependent, diff: &Diff, model: &MetaData) -> bool {
    let column = column_grant(d);
    let is_it = |k: &EntityKey| match d.kind.as_str() {
        "trigger" | "policy" | "rule" => {
            let kind = match d.kind.as_str() {
                "trigger" => EntityKind::Trigger,
                "policy" => EntityKind::Policy,
                _ => EntityKind::Rule,
            };
            k.kind == kind
                && k.name == d.name
                && k.table.as_deref() == Some(d.table.as_str())
                && k.schema == d.schema
        }
        "grant" if column.is_some() => column.as_ref().is_some_and(|(privilege, c, grantee)| {
            k.kind == EntityKind::Grant
                && k.name == d.table
                && k.schema == d.schema
                && k.grant.as_ref().is_some_and(|g| {
                    g.column.as_deref() == Some(c.as_str())
                        && g.privilege == *privilege
                        && g.grantee == *grantee
                })
        }),
        // Named `PRIVILEGE to grantee` by the catalog query.
        "grant" => d
            .name
            .split_once(" to ")
            .is_some_and(|(privilege, grantee)| {
                k.kind == EntityKind::Grant
                    && k.name == d.table
                    && k.schema == d.schema
                    && k.grant.as_ref().is_some_and(|g| {
                        g.on == retort_core::GrantObject::Table
                            && g.column.is_none()
                            && g.privilege == privilege
                            && g.grantee == grantee
                    })
            }),
        _ => false,
    };
    model.entities().iter().any(|e| is_it(&e.key()))
        || diff
            .ops
            .iter()
            .any(|op| matches!(op, Op::DropEntity { key, .. } if is_it(key)))
}

/// The keys of the entities the history up to `heads` leaves in place (created, replaced,
/// not dropped since), from the recorded entity ops alone: the entities under version
/// control.
pub fn versioned_entities(
    migrator: &Migrator,
    heads: &[String],
) -> Result<Vec<EntityKey>, AutogenerateError> {
    Ok(replay_history(migrator, heads)?.1.entities)
}

/// A comparison of the model with a schema: the schema as read (or replayed) and the diff.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The schema compared with, and what its reading had to say.
    pub current: CurrentSchema,
    /// The differences, as ops from the schema to the model.
    pub diff: Diff,
}

/// Autogenerate against the live database behind `driver`, which must be at `parents`
/// (the revisions the new one builds on; the graph's heads for a check): the model is
/// validated, names and objects the database cannot hold are refused, the schema is read
/// (the bookkeeping tables of `migrator` left out) and compared with the database's
/// equality, and a diff that would drop a table together with what the model cannot say
/// (a trigger) is refused. The diff's warnings and rename hints are the caller's to show.
pub async fn compare_metadata<'m, D: Driver>(
    driver: &mut D,
    migrator: &Migrator,
    model: impl ValidModel<'m>,
    parents: &[String],
    settings: &AutogenerateSettings,
    include_object: Option<IncludeObject>,
) -> Result<Comparison, AutogenerateError> {
    let valid = model.into_validated()?;
    let model = valid.get();
    let backend = driver.backend();
    check_identifiers_validated(valid, backend)?;
    require_up_to_date(migrator, driver, parents).await?;
    let missing = crate::backends::support(backend)
        .missing_roles(&mut DriverCatalog(driver), model)
        .await
        .map_err(|e| match e {
            ReadSchemaError::Catalog { query, source } => {
                AutogenerateError::Catalog { query, source }
            }
            other => AutogenerateError::Catalog {
                query: "roles",
                source: Box::new(other),
            },
        })?;
    if !missing.is_empty() {
        return Err(AutogenerateError::UnknownRoles {
            roles: missing
                .into_iter()
                .map(|(role, by)| format!("role `{role}` (named by {by})"))
                .collect(),
        });
    }
    let default = crate::backends::support(backend)
        .default_schema(&mut DriverCatalog(driver))
        .await
        .map_err(|e| match e {
            ReadSchemaError::Catalog { query, source } => {
                AutogenerateError::Catalog { query, source }
            }
            other => AutogenerateError::Catalog {
                query: "current_schema()",
                source: Box::new(other),
            },
        })?;
    let model = &*unqualify_default(model, default.as_deref());
    let mut current = read_database_schema(
        driver,
        migrator.tables(),
        model,
        settings,
        default.as_deref(),
    )
    .await?;
    // What the history built (a replay that does not hold together is left out: the
    // database's own reading is then all there is).
    // Both come from one walk over the recorded scripts.
    let (mut history, mut versioned) = replay_history(migrator, parents)?;
    if let Some(d) = default.as_deref() {
        history.metadata.unqualify_default_entities(d);
        versioned
            .entities
            .iter_mut()
            .for_each(|k| k.unqualify_default(d));
    }
    let history_warnings = history.warnings;
    current.history = Some(history.metadata).filter(|_| history_warnings.is_empty());
    current.made_outside_the_history = parents.is_empty()
        && !(current.metadata.tables().is_empty() && current.metadata.entities().is_empty());
    versioned
        .entities
        .extend(settings.versioned_entities.iter().cloned());
    versioned
        .sequences
        .extend(settings.versioned_sequences.iter().cloned());
    current.versioned_entities = Some(versioned.entities);
    current.versioned_sequences = Some(versioned.sequences);
    let support = crate::backends::support(backend);
    let recorded = recorded_words(driver, &mut current).await;
    let mut c = finish(
        current,
        model,
        settings,
        include_object,
        Source::Database(backend),
    )?;
    // With no revision at all there is no history to run elsewhere: the database was made
    // outside it, and its print of an entity is the only record there is.
    if support.rewrites_entities() && !parents.is_empty() {
        server_words_warnings(&mut c, model, recorded);
    }
    left_out_history_warnings(&mut c, &history_warnings);
    Ok(c)
}

/// When the replayed history had warnings (raw SQL it cannot see, an op that does not
/// replay), [`compare_metadata`] leaves it out and compares with the database's own reading
/// alone: said once the diff has something to write, with the replay's own words (which
/// name each revision), since a dropped table's downgrade then re-creates it as the
/// database shows it, not as the history wrote it.
fn left_out_history_warnings(c: &mut Comparison, replay: &[String]) {
    if replay.is_empty() || c.diff.ops.is_empty() {
        return;
    }
    c.diff.warnings.push(format!(
        "the revision history was not used for this comparison, as its replay is incomplete; what the revision records as it was (a dropped table for its downgrade, definitions for other backends) comes from the database as it reads now:\n    {}",
        replay.join("\n    ")
    ));
}

/// The database's entities the model no longer has in those words (what a drop or a
/// replace carries as its old definition) in the words the history recorded for them,
/// where the server prints the history's definition as it prints the database's
/// ([`retort_dialect::entities::take_recorded_words`]; one rolled-back transaction for
/// those the database has in other words, none when there is none). `Err` says why not, for the warnings of
/// [`server_words_warnings`].
async fn recorded_words<D: Driver>(
    driver: &mut D,
    current: &mut CurrentSchema,
) -> Result<(), String> {
    let Some(history) = &current.history else {
        return Err("the revision history could not be replayed".into());
    };
    // Only the history's entities the database has in other words (those the model changed
    // or dropped, usually none or a few), not the whole history again: the others are in
    // the database as they are, and a create's drop of the database's copy is rolled back.
    let db: std::collections::HashMap<EntityKey, &retort_core::Entity> = current
        .metadata
        .entities()
        .iter()
        .map(|e| (e.key(), e))
        .collect();
    // Those this database has (not another backend's own: `.only_on`).
    let kind = Some(driver.backend().dialect_kind());
    let differing = history
        .entities()
        .iter()
        .filter(|h| h.is_on(kind))
        .filter(|h| db.get(&h.key()).is_some_and(|d| !d.same_definition(h)))
        .fold(MetaData::new(), |md, h| md.with_entity(h.clone()));
    if differing.entities().is_empty() {
        return Ok(());
    }
    let support = crate::backends::support(driver.backend());
    let spelled = support
        .spell_entities(&mut DriverCatalog(driver), &current.metadata, &differing)
        .await
        .map_err(|why| {
            format!(
                "{} could not be asked how it prints the history's definitions: {why}",
                support.dialect().name()
            )
        })?;
    retort_dialect::entities::take_recorded_words(
        &mut current.metadata,
        differing.entities(),
        &spelled.entities,
    );
    Ok(())
}

/// On a database that prints entities its own way (PostgreSQL) and has a revision history,
/// one warning per old definition a drop or a replace carries in the server's words rather
/// than as a revision or the model wrote it (the history does not hold the entity, holds
/// another definition, or could not be replayed or spelled): it runs there, but a backend
/// that keeps definitions as written (SQLite) would keep those words, so a history meant
/// for both should have it by hand.
fn server_words_warnings(c: &mut Comparison, model: &MetaData, recorded: Result<(), String>) {
    let written = |e: &retort_core::Entity| {
        let key = e.key();
        let same = |x: &&retort_core::Entity| x.key() == key && x.definition() == e.definition();
        model.entities().iter().any(|x| same(&x))
            || c.current
                .history
                .as_ref()
                .is_some_and(|h| h.entities().iter().any(|x| same(&x)))
    };
    let mut warnings = Vec::new();
    for op in &c.diff.ops {
        let (Op::DropEntity {
            existing: Some(e), ..
        }
        | Op::ReplaceEntity {
            existing: Some(e), ..
        }) = op
        else {
            continue;
        };
        if written(e) {
            continue;
        }
        let key = e.key();
        let in_history = c
            .current
            .history
            .as_ref()
            .is_some_and(|h| h.entities().iter().any(|x| x.key() == key));
        let why = match &recorded {
            Err(why) => why.clone(),
            Ok(()) if in_history => {
                "the database's definition is not the one the history recorded (changed outside the revisions?)".into()
            }
            Ok(()) => "the revision history does not hold its definition".into(),
        };
        warnings.push(format!(
            "{key}: the revision records its old definition as the database prints it, not as a revision wrote it ({why}); it runs on this backend, but one that keeps definitions as written (SQLite) would keep these words: write the old definition by hand if the history must run there"
        ));
    }
    c.diff.warnings.extend(warnings);
}

/// [`compare_metadata`] against the schema `migrator`'s history builds up to `parents`,
/// with no database: compared as a `backend` database would be, so it writes what live
/// autogenerate would (`--offline`).
pub fn compare_metadata_offline<'m>(
    migrator: &Migrator,
    model: impl ValidModel<'m>,
    parents: &[String],
    backend: Backend,
    settings: &AutogenerateSettings,
    include_object: Option<IncludeObject>,
) -> Result<Comparison, AutogenerateError> {
    let valid = model.into_validated()?;
    let model = valid.get();
    check_identifiers_validated(valid, backend)?;
    let mut current = history_schema(migrator, parents)?;
    let default = crate::backends::support(backend).offline_default_schema();
    let model = &*unqualify_default(model, default);
    if let Some(d) = default {
        current.metadata.unqualify_default_entities(d);
    }
    finish(
        current,
        model,
        settings,
        include_object,
        Source::History(backend),
    )
}

/// The model with its entities declared in the database's default schema by name
/// (`.in_schema("public")`) in no schema, as the catalog reads them back and as the history
/// is compared ([`MetaData::unqualify_default_entities`]): one spelling for one object, so
/// a database made from the model compares clean whichever way either side names it.
/// Borrowed when no entity names it (no copy of a large model).
fn unqualify_default<'m>(model: &'m MetaData, default: Option<&str>) -> Cow<'m, MetaData> {
    match default {
        Some(d) if model.entities().iter().any(|e| e.schema() == Some(d)) => {
            let mut m = model.clone();
            m.unqualify_default_entities(d);
            Cow::Owned(m)
        }
        _ => Cow::Borrowed(model),
    }
}

/// A comparison with a database that has nothing yet (a SQLite file not created), at base.
pub fn compare_metadata_with_empty<'m>(
    model: impl ValidModel<'m>,
    backend: Backend,
    settings: &AutogenerateSettings,
    include_object: Option<IncludeObject>,
) -> Result<Comparison, AutogenerateError> {
    let valid = model.into_validated()?;
    let model = valid.get();
    check_identifiers_validated(valid, backend)?;
    // Nothing yet, and no history: the history is empty (what the model declares for other
    // databases only is compared with it).
    let current = CurrentSchema {
        history: Some(MetaData::new()),
        ..CurrentSchema::default()
    };
    finish(
        current,
        model,
        settings,
        include_object,
        Source::Database(backend),
    )
}

fn finish(
    current: CurrentSchema,
    model: &MetaData,
    settings: &AutogenerateSettings,
    include_object: Option<IncludeObject>,
    source: Source,
) -> Result<Comparison, AutogenerateError> {
    let errors = retort_core::entity_reference_errors(model, &current.metadata);
    if !errors.is_empty() {
        return Err(retort_core::SchemaErrors(errors).into());
    }
    // A live schema is this comparison's own: the constraint names the database gave are
    // forgotten in it for the diff and given back after, rather than the diff forgetting
    // them in a copy of the whole schema (a fifth of `check`'s peak memory at 10,000 tables).
    let mut current = current;
    let forgotten = match source {
        Source::Database(b) => {
            let support = crate::backends::support(b);
            let limited = within_name_limit(support.dialect(), model);
            Some(retort_core::diff::forget_given_names_in_place(
                &mut current.metadata,
                &limited,
                support.compare(),
            ))
        }
        Source::History(_) => None,
    };
    let diff = compare(
        &current,
        model,
        &settings.diff_options(include_object),
        source,
    );
    if let Some(names) = forgotten {
        names.restore(&mut current.metadata);
    }
    refuse_lost_objects(&current, &diff, model)?;
    let mut diff = diff;
    column_grant_warnings(&current, &mut diff);
    Ok(Comparison { current, diff })
}

/// A grant on one column (read with the table's dependents) as (privilege, column,
/// grantee), from its `PRIVILEGE (column) to grantee` name.
fn column_grant(d: &TableDependent) -> Option<(&str, String, &str)> {
    if d.kind != "grant" {
        return None;
    }
    let (privilege, rest) = d.name.split_once(" (")?;
    let (column, grantee) = match rest.strip_prefix('"') {
        // A quoted name: up to the quote not doubled.
        Some(quoted) => {
            let mut column = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().is_some_and(|(_, n)| *n == '"') {
                        chars.next();
                        column.push('"');
                        continue;
                    }
                    end = Some(i + 1);
                    break;
                }
                column.push(c);
            }
            (column, quoted[end?..].strip_prefix(") to ")?)
        }
        None => {
            let (column, grantee) = rest.split_once(") to ")?;
            (column.to_owned(), grantee)
        }
    };
    Some((privilege, column, grantee))
}

/// A column privilege nobody declared (`Grant::on_column`) that a live diff loses is named:
/// a dropped column takes its grants along, and a `REVOKE` of a privilege on a table (a
/// grant the diff drops) takes that privilege off its columns too. Neither comes back in
/// the downgrade. One the diff revokes itself first (the history made it) is not. (A dropped table's are refused with it: [`refuse_lost_objects`].)
fn column_grant_warnings(current: &CurrentSchema, diff: &mut Diff) {
    let mut warnings = Vec::new();
    for d in &current.table_dependents {
        let Some((privilege, column, grantee)) = column_grant(d) else {
            continue;
        };
        let revoked_first = diff.ops.iter().any(|op| {
            matches!(op, Op::DropEntity { key, .. } if key.kind == EntityKind::Grant
                && key.name == d.table && key.schema == d.schema
                && key.grant.as_ref().is_some_and(|g| g.column.as_deref() == Some(column.as_str())
                    && g.privilege == privilege && g.grantee == grantee))
        });
        if revoked_first {
            continue;
        }
        let on_table =
            |schema: &Option<String>, table: &str| d.schema == *schema && d.table == table;
        let lost = diff.ops.iter().find_map(|op| match op {
            Op::DropColumn {
                schema,
                table,
                column: c,
                ..
            } if on_table(schema, table) && *c == column => {
                Some(format!("the revision drops column {column}, which takes it along"))
            }
            Op::DropEntity {
                key,
                existing: Some(retort_core::Entity::Grant(g)),
            } if key.kind == EntityKind::Grant
                && g.on == retort_core::GrantObject::Table
                && g.column.is_none()
                && on_table(&g.schema, &g.object)
                && g.privilege == privilege
                && g.grantee == grantee =>
            {
                Some(format!(
                    "the revision revokes {privilege} on the table from {grantee}, which takes it off every column too"
                ))
            }
            _ => None,
        });
        if let Some(why) = lost {
            warnings.push(format!(
                "{d}: {why}, and the downgrade does not grant it again (the revision history did not create it): declare it (Grant::on_column) or grant it again by hand (op.execute in the revision) if it must stay"
            ));
        }
    }
    diff.warnings.extend(warnings);
}

/// Alembic's `command.check`: `Ok` when the model and the database (at the graph's heads)
/// agree, [`AutogenerateError::DiffsDetected`] listing each difference otherwise.
pub async fn check<D: Driver>(
    driver: &mut D,
    migrator: &Migrator,
    model: &MetaData,
    settings: &AutogenerateSettings,
    include_object: Option<IncludeObject>,
) -> Result<(), AutogenerateError> {
    let heads = migrator.graph().heads();
    let c = compare_metadata(driver, migrator, model, &heads, settings, include_object).await?;
    differences(&c.diff)
}

/// [`check`] against the replayed history.
pub fn check_offline(
    migrator: &Migrator,
    model: &MetaData,
    backend: Backend,
    settings: &AutogenerateSettings,
    include_object: Option<IncludeObject>,
) -> Result<(), AutogenerateError> {
    let heads = migrator.graph().heads();
    let c = compare_metadata_offline(migrator, model, &heads, backend, settings, include_object)?;
    differences(&c.diff)
}

fn differences(diff: &Diff) -> Result<(), AutogenerateError> {
    if diff.is_empty() {
        Ok(())
    } else {
        Err(AutogenerateError::DiffsDetected {
            log: diff.log.clone(),
        })
    }
}

/// Fails unless the database's applied heads are exactly `expected` (the revisions the new
/// one builds on, or the graph's heads for `check`).
pub async fn require_up_to_date<D: Driver>(
    migrator: &Migrator,
    driver: &mut D,
    expected: &[String],
) -> Result<(), AutogenerateError> {
    let mut current = migrator
        .current(driver)
        .await
        .map_err(|e| AutogenerateError::Migrate(Box::new(e)))?;
    let mut want = expected.to_vec();
    current.sort();
    want.sort();
    if current != want {
        let show = |v: &[String]| {
            if v.is_empty() {
                "base".to_owned()
            } else {
                v.join(", ")
            }
        };
        return Err(AutogenerateError::NotUpToDate {
            current: show(&current),
            expected: show(&want),
        });
    }
    Ok(())
}

/// Reads the live database's schema. The bookkeeping tables (`tables`) are left out; the
/// schemas read are the connection's default one, those `settings` names and those the
/// model's tables and enum types live in. The backend runs its own catalog queries and
/// builds the schema ([`BackendSupport::read_schema`](retort_dialect::BackendSupport::read_schema)),
/// then spells the model's expressions it stores otherwise
/// ([`BackendSupport::canonicalise`](retort_dialect::BackendSupport::canonicalise)).
pub async fn database_schema<D: Driver>(
    driver: &mut D,
    tables: &Tables,
    model: &MetaData,
    settings: &AutogenerateSettings,
) -> Result<CurrentSchema, AutogenerateError> {
    read_database_schema(driver, tables, model, settings, None).await
}

/// [`database_schema`], given the connection's default schema when the caller has asked
/// for it already (so it is asked once: `revision --baseline` and `models --from-db` need
/// it too).
pub async fn read_database_schema<D: Driver>(
    driver: &mut D,
    tables: &Tables,
    model: &MetaData,
    settings: &AutogenerateSettings,
    default_schema: Option<&str>,
) -> Result<CurrentSchema, AutogenerateError> {
    let backend = driver.backend();
    let support = crate::backends::support(backend);
    let exclude = [tables.version.clone(), tables.log.clone()];
    let request = SchemaRequest {
        model,
        include_schemas: settings.include_schemas.as_deref(),
        exclude_tables: &exclude,
        default_schema,
        concurrency: Concurrency::default(),
    };
    let live = support
        .read_schema(&mut DriverCatalog(driver), request)
        .await
        .map_err(|e| match e {
            ReadSchemaError::Catalog { query, source } => {
                AutogenerateError::Catalog { query, source }
            }
            ReadSchemaError::Introspect(e) => AutogenerateError::Introspect(e),
            other => AutogenerateError::Catalog {
                query: "catalog",
                source: Box::new(other),
            },
        })?;
    // Let the server spell the model's expressions that do not already compare equal
    // (none, usually: then this costs nothing).
    let mut warnings = Vec::new();
    // Default privileges are not under version control: each is named, never changed.
    match support.default_privileges(&mut DriverCatalog(driver)).await {
        Ok(found) => warnings.extend(found.into_iter().map(|statement| {
            format!(
                "default privileges in the database: {statement}; Retort does not keep ALTER DEFAULT PRIVILEGES under version control and leaves them alone (they also apply to what revisions create): make them with op.execute(..) in a revision to keep them reproducible"
            )
        })),
        Err(why) => warnings.push(format!(
            "{} could not be asked for its default privileges ({why}); any there are not named here",
            support.dialect().name()
        )),
    }
    let model = model.for_dialect(Some(backend.dialect_kind()));
    let mut metadata = live.metadata;
    let canonical = match support
        .canonicalise(&mut DriverCatalog(driver), &metadata, &model)
        .await
    {
        Ok(c) => {
            // What the database has and the model does not (what a drop or a change will
            // record as an old value), in words every backend runs, where the server says
            // they are the same expression (none to ask, usually).
            let filter = settings.diff_options(None);
            let included =
                |t: &retort_core::Table| filter.table_included(t.schema.as_deref(), &t.name);
            if let Err(why) = support
                .undecorate(
                    &mut DriverCatalog(driver),
                    &mut metadata,
                    &model,
                    &c,
                    &included,
                )
                .await
            {
                warnings.push(format!(
                    "{} could not be asked to spell the database's expressions without its decorations ({why}); old definitions in the revision keep its spelling, which another backend may not run",
                    support.dialect().name()
                ));
            }
            c
        }
        Err(why) => {
            warnings.push(format!(
                "{} could not be asked how it stores the model's expressions ({why}); they are compared as text, and an expression it rewrites may show as changed",
                support.dialect().name()
            ));
            Canonical::default()
        }
    };
    // The model's entities as the server prints them (one rolled-back transaction, none
    // when every definition already matches as text), so only a real change shows.
    match support
        .spell_entities(&mut DriverCatalog(driver), &metadata, &model)
        .await
    {
        Ok(spelled) => {
            if !spelled.malformed.is_empty() {
                return Err(AutogenerateError::MalformedEntities {
                    entities: spelled
                        .malformed
                        .iter()
                        .map(|(i, why)| match model.entities().get(*i) {
                            Some(e) => format!("{}: {why}", e.key()),
                            None => why.clone(),
                        })
                        .collect(),
                });
            }
            retort_dialect::entities::align(&mut metadata, model.entities(), &spelled.entities);
        }
        Err(why) => warnings.push(format!(
            "{} could not be asked how it prints the model's views, functions and triggers ({why}); they are compared as text, and one it re-spells may show as changed",
            support.dialect().name()
        )),
    }
    Ok(CurrentSchema {
        metadata,
        existing_schemas: live.existing_schemas,
        warnings,
        canonical,
        table_dependents: live.table_dependents,
        history: None,
        // Nothing is known to be under version control until the history says so
        // (`compare_metadata` fills it in): an entity nobody declared is never dropped.
        versioned_entities: Some(Vec::new()),
        entity_dependencies: live.entity_dependencies,
        versioned_sequences: Some(Vec::new()),
        entity_columns: live.entity_columns,
        // `compare_metadata` says, once it knows the revisions.
        made_outside_the_history: false,
    })
}

/// The schema the upgrades of every revision up to `heads` build, replayed in memory from
/// base (`--offline`). An op that does not replay, and every `op.execute`, is a warning
/// naming the revision: the comparison then sees the history without it.
pub fn history_schema(
    migrator: &Migrator,
    heads: &[String],
) -> Result<CurrentSchema, AutogenerateError> {
    Ok(replay_history(migrator, heads)?.0)
}

/// What the history leaves under version control: the entities and standalone sequences
/// its ops created and did not drop since.
#[derive(Debug, Default)]
struct Versioned {
    entities: Vec<EntityKey>,
    sequences: Vec<(Option<String>, String)>,
}

/// [`history_schema`] and [`versioned_entities`] in one walk over the history: recording
/// every script's ops is the cost, and live autogenerate needs both.
fn replay_history(
    migrator: &Migrator,
    heads: &[String],
) -> Result<(CurrentSchema, Versioned), AutogenerateError> {
    let mut schema = CurrentSchema::default();
    let mut keys: Vec<EntityKey> = Vec::new();
    let mut sequences: Vec<(Option<String>, String)> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for head in heads {
        let plan = migrator
            .graph()
            .plan_upgrade(&current, head)
            .map_err(|e| AutogenerateError::Migrate(Box::new(MigrateError::Graph(e))))?;
        for step in &plan.steps {
            let (script, ops) = migrator
                .step_ops(&step.revision, Direction::Upgrade)
                .map_err(|e| AutogenerateError::Migrate(Box::new(e)))?;
            // By value: a created table moves into the schema (`apply_owned`), so the replay
            // holds each table once rather than in the recorded ops and again in the schema.
            for op in ops {
                match &op {
                    Op::CreateEntity { entity } | Op::ReplaceEntity { entity, .. } => {
                        let k = entity.key();
                        if !keys.contains(&k) {
                            keys.push(k);
                        }
                    }
                    Op::DropEntity { key, .. } => keys.retain(|k| k != key),
                    Op::CreateSequence { sequence } if sequence.owned_by.is_none() => {
                        let k = (sequence.schema.clone(), sequence.name.clone());
                        if !sequences.contains(&k) {
                            sequences.push(k);
                        }
                    }
                    Op::DropSequence { schema, name, .. } => {
                        sequences.retain(|(s, n)| !(s == schema && n == name));
                    }
                    _ => {}
                }
                if let Op::Execute { .. } = op {
                    schema.warnings.push(format!(
                        "revision {} ({}) runs raw SQL (op.execute), which a replayed history cannot see; compare with a live database to take it into account",
                        step.revision, script.path
                    ));
                    continue;
                }
                // Only a created table is moved (and so described before it goes); any
                // other op is described only if it does not replay.
                let result = match op {
                    Op::CreateTable { .. } => {
                        let described = op.describe();
                        op.apply_owned(&mut schema.metadata)
                            .map_err(|e| (described, e))
                    }
                    other => other
                        .apply(&mut schema.metadata)
                        .map_err(|e| (other.describe(), e)),
                };
                if let Err((described, e)) = result {
                    schema.warnings.push(format!(
                        "revision {} ({}): `{described}` does not replay ({e}); the comparison sees the history without it",
                        step.revision, script.path,
                    ));
                }
            }
        }
        current = plan.heads_after().to_vec();
    }
    Ok((
        schema,
        Versioned {
            entities: keys,
            sequences,
        },
    ))
}

/// Compares `current` with `model`: the ops turn the current schema into the model.
pub fn compare(
    current: &CurrentSchema,
    model: &MetaData,
    options: &DiffOptions,
    source: Source,
) -> Diff {
    let mut options = options.clone();
    options
        .versioned_entities
        .clone_from(&current.versioned_entities);
    options
        .entity_dependencies
        .clone_from(&current.entity_dependencies);
    options
        .versioned_sequences
        .clone_from(&current.versioned_sequences);
    options.entity_columns.clone_from(&current.entity_columns);
    for s in &current.existing_schemas {
        if !options.existing_schemas.contains(s) {
            options.existing_schemas.push(s.clone());
        }
    }
    // Both sides as this database has them (its variant of each type and default); the
    // ops get every dialect's variants back at the end.
    let (unresolved_current, unresolved_model) = (&current.metadata, model);
    let kind = Some(match source {
        Source::Database(b) | Source::History(b) => b.dialect_kind(),
    });
    let resolved_current = current.metadata.for_dialect(kind);
    let current_md = &*resolved_current;
    let resolved_model = model.for_dialect(kind);
    let model = &*resolved_model;
    let backend = match source {
        Source::Database(b) | Source::History(b) => crate::backends::support(b),
    };
    // Where the database has a limit (PostgreSQL: 63 bytes) the names the naming convention
    // builds are shortened to it, as `create_all` and the runner make them (a copy only when
    // one is too long). The database's names are what they are; a replayed history's are
    // built like the model's.
    let limited_model = within_name_limit(backend.dialect(), model);
    let model = &*limited_model;
    let history;
    let current_md = match source {
        Source::Database(_) => current_md,
        Source::History(_) => {
            history = within_name_limit(backend.dialect(), current_md);
            &*history
        }
    };
    let mut diff = match backend.as_stored(model) {
        // A database that gives back a lossy model (SQLite: `Uuid` as `CHAR(36)`, no
        // schemas...): compare with the model as it would store it, so nothing that did not
        // change shows, then write new tables' and columns' definitions as the model spells
        // them. A replayed history is first made what a database built from it would show,
        // so offline writes what live would.
        Some(stored) => {
            let db = match source {
                Source::History(_) => backend
                    .as_stored(current_md)
                    .unwrap_or_else(|| current_md.clone()),
                Source::Database(_) => {
                    let mut db = current_md.clone();
                    backend.read_earlier_forms(&mut db, &stored);
                    db
                }
            };
            let db = &db;
            let mut diff = diff_with(db, &stored, &options, backend.compare());
            if let (Source::Database(_), Some(history)) = (source, &current.history) {
                let history = history.for_dialect(kind);
                restore_dropped_from_history(&mut diff.ops, db, &history, backend, &options);
            }
            restore_model_columns(&mut diff.ops, model, &stored);
            restore_model_defaults(&mut diff.ops, model, &stored);
            diff
        }
        None => {
            // The database's expressions that are the model's (as text, or as the server
            // spelled them: live PostgreSQL's `Canonical`) in the model's words, so that
            // an op carrying one as an old value records what the model says.
            let respelled =
                retort_dialect::respell(current_md, model, &current.canonical, backend.compare());
            // Defaults the other way round: the model with the database's text where the
            // server spells them alike (cloned only when there is one).
            let defaults;
            let model = if current.canonical.has_defaults() {
                defaults = current.canonical.apply_to_defaults(model);
                &defaults
            } else {
                model
            };
            diff_with(&respelled, model, &options, backend.compare())
        }
    };
    restore_variants(&mut diff.ops, unresolved_current, unresolved_model);
    // What the model says for other backends only, which this database cannot show, is
    // compared with what the history recorded for them (a replayed history is one).
    let history = match source {
        Source::Database(_) => current.history.as_ref(),
        Source::History(_) => Some(unresolved_current),
    };
    if let (Some(history), Some(kind)) = (history, kind) {
        restore_history_variants(&mut diff, history, unresolved_model, kind, &options);
        // Likewise entities declared for other databases only (`.only_on`), and the old
        // definitions read here take the dialects the history gave them.
        restore_entity_dialects(&mut diff.ops, history, kind);
        if !current.made_outside_the_history {
            record_entities_elsewhere(&mut diff, history, unresolved_model, kind, &options);
        }
    }
    if let Some(max) = backend.dialect().max_identifier_length() {
        restore_conv_names(&mut diff.ops, &[unresolved_model, unresolved_current], max);
    }
    let mut warnings = current.warnings.clone();
    warnings.append(&mut diff.warnings);
    diff.warnings = warnings;
    diff
}

/// Gives the naming convention's names in `ops` back whole: the comparison saw them
/// shortened to the database's `max` bytes (as it has them), but a revision records them
/// whole, marked `conv`, so that each database it runs on shortens them to its own limit
/// (SQLite keeps them whole). The whole names come from `sources` (the model, and a
/// replayed history's own); a shortened name two whole names share is left as it is.
fn restore_conv_names(ops: &mut [Op], sources: &[&MetaData], max: usize) {
    let mut whole: HashMap<String, Option<String>> = HashMap::new();
    for md in sources {
        for name in md.tables().iter().flat_map(|t| t.conv_names()) {
            if name.len() > max {
                let slot = whole
                    .entry(retort_core::truncate_name(name, max))
                    .or_insert_with(|| Some(name.clone()));
                if slot.as_deref() != Some(name.as_str()) {
                    *slot = None;
                }
            }
        }
    }
    if whole.is_empty() {
        return;
    }
    for op in ops {
        op.for_each_conv_name(&mut |n| {
            if let Some(Some(w)) = whole.get(n.as_str()) {
                n.clone_from(w);
            }
        });
    }
}

/// Puts the model's own column definitions (and a created table's comment) back into the
/// ops that create columns (the comparison saw them as SQLite stores them); the database
/// stores them the same way.
/// Enum columns too: SQLite reads an enum back as the enum it is, and the comparison
/// creates the type beside it, as on PostgreSQL. SQLite knows an enum by its name alone, so
/// the enum ops and the enum types of altered columns get back the schema of the model's
/// enum of that name ([`restore_enum_schemas`]). A database with no enum types (MySQL:
/// `stored`, the model as it keeps it, has none) keeps a column's enum inline, as `stored`
/// has it: no op creates the type there, so the column's own `ENUM(..)` is what runs.
fn restore_model_columns(ops: &mut [Op], model: &MetaData, stored: &MetaData) {
    restore_enum_schemas(ops, model);
    let find = |md: &MetaData, table: &str, name: &str| {
        md.tables()
            .iter()
            .find(|t| t.name == table)
            .and_then(|t| t.columns.iter().find(|c| c.name == name))
            .cloned()
    };
    let column = |table: &str, name: &str| {
        let mut original = find(model, table, name)?;
        if let retort_core::Type::Enum(e) = &original.ty {
            if !stored.enums().iter().any(|s| s.name == e.name) {
                original.ty = find(stored, table, name)?.ty;
            }
        }
        Some(original)
    };
    for op in ops {
        match op {
            Op::CreateTable { table } => {
                let name = table.name.clone();
                // The comment too: SQLite keeps none, but a backend run from the revision does.
                if let Some(m) = model.tables().iter().find(|t| t.name == name) {
                    table.comment.clone_from(&m.comment);
                }
                for c in &mut table.columns {
                    if let Some(original) = column(&name, &c.name) {
                        *c = original;
                    }
                }
            }
            Op::AddColumn {
                table, column: c, ..
            } => {
                if let Some(original) = column(table, &c.name) {
                    *c = original;
                }
            }
            _ => {}
        }
    }
}

/// Where a database keeps less than a model says (SQLite: no comments, its one identity the
/// `INTEGER` rowid, read back as `ALWAYS`), the old values an op records come from the
/// revision history's definition, not the one read back, for each table the database has
/// exactly as `history`'s definition is stored by `backend`
/// ([`BackendSupport::as_stored`]), compared with the database's own equality: a dropped
/// table (recorded whole, as read: not split by the diff) records the history's table, and
/// the first op altering a column the history's old identity and comment. So a `BIGINT` identity `BY DEFAULT` and a
/// comment are recorded as the history made them: the runner's replay of the history fits
/// the op, and the downgrade re-creates them on a backend that holds them. A table changed
/// by hand (by raw SQL) keeps what was read.
///
/// [`BackendSupport::as_stored`]: retort_dialect::BackendSupport::as_stored
fn restore_dropped_from_history(
    ops: &mut [Op],
    db: &MetaData,
    history: &MetaData,
    backend: &dyn retort_dialect::BackendSupport,
    options: &DiffOptions,
) {
    let Some(stored) = backend.as_stored(history) else {
        return;
    };
    // `md` with only table `t` and the enum types its columns use.
    let alone = |md: &MetaData, t: &retort_core::Table| {
        let mut one = MetaData::new();
        for e in md.enums() {
            if t.columns.iter().any(|c| uses_enum(&c.ty, &e.name)) {
                one.add_enum(e.clone());
            }
        }
        one.tables_mut().push(t.clone());
        one
    };
    let find = |md: &MetaData, schema: &Option<String>, name: &str| {
        md.tables()
            .iter()
            .find(|t| t.name == name && t.schema == *schema)
            .cloned()
    };
    // The history's table where the database has exactly it once stored, and the table read.
    let same = |schema: &Option<String>, name: &str| {
        let original = find(history, schema, name)?;
        let as_stored = find(&stored, schema, name)?;
        let live = find(db, schema, name)?;
        diff_with(
            &alone(db, &live),
            &alone(&stored, &as_stored),
            options,
            backend.compare(),
        )
        .ops
        .is_empty()
        .then_some((original, live))
    };
    // Columns an earlier op changed: what the history says of them is no longer current.
    let mut touched: Vec<(Option<String>, String, String)> = Vec::new();
    for op in ops {
        match op {
            Op::DropTable {
                schema,
                name,
                existing: Some(existing),
                ..
            } => {
                if let Some((original, live)) = same(schema, name) {
                    if *existing == live {
                        *existing = original;
                    }
                }
            }
            Op::AlterColumn(a) => {
                // Only the first op on a column sees it as the history left it.
                let key = (a.schema.clone(), a.table.clone(), a.column.clone());
                if touched.contains(&key) {
                    continue;
                }
                touched.push(key);
                let Some((original, _)) = same(&a.schema, &a.table) else {
                    continue;
                };
                let Some(c) = original.get_column(&a.column) else {
                    continue;
                };
                // What SQLite cannot hold: the identity's kind, the comment.
                if a.existing_identity.is_some() {
                    a.existing_identity = Some(c.identity.as_deref().cloned());
                }
                if a.existing_comment.is_some() {
                    a.existing_comment = Some(c.comment.clone());
                }
            }
            Op::AddColumn {
                schema,
                table,
                column,
            } => touched.push((schema.clone(), table.clone(), column.name.clone())),
            Op::DropColumn {
                schema,
                table,
                column,
                ..
            } => touched.push((schema.clone(), table.clone(), column.clone())),
            _ => {}
        }
    }
}

fn uses_enum(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Enum(r) => r.name == name,
        Type::Array(inner) => uses_enum(inner, name),
        _ => false,
    }
}

/// The schema of the model's enum `name`, when it has exactly one of that name in a schema.
fn enum_schema(model: &MetaData, name: &str) -> Option<String> {
    let mut found = model.enums().iter().filter(|e| e.name == name);
    match (found.next(), found.next()) {
        (Some(e), None) => e.schema.clone(),
        _ => None,
    }
}

/// See [`restore_model_columns`]: an enum op without a schema, or an altered column's enum
/// type without one, named as the model's enum of that name (in a schema) is put there.
fn restore_enum_schemas(ops: &mut [Op], model: &MetaData) {
    use retort_core::Type;
    let fix = |schema: &mut Option<String>, name: &str| {
        if schema.is_none() {
            *schema = enum_schema(model, name);
        }
    };
    let fix_type = |ty: &mut Option<Type>| {
        if let Some(Type::Enum(r)) = ty {
            if r.schema.is_none() {
                r.schema = enum_schema(model, &r.name);
            }
        }
    };
    for op in ops {
        match op {
            Op::CreateEnum { enum_type: e } => fix(&mut e.schema, &e.name.clone()),
            Op::DropEnum {
                schema,
                name,
                existing,
            } => {
                fix(schema, name);
                if let Some(e) = existing {
                    e.schema.clone_from(schema);
                }
            }
            Op::AddEnumValue {
                schema, enum_name, ..
            } => fix(schema, enum_name),
            Op::RecreateEnum { schema, name, .. } => fix(schema, name),
            Op::AlterColumn(a) => {
                fix_type(&mut a.type_);
                fix_type(&mut a.existing_type);
            }
            _ => {}
        }
    }
}

/// Puts the model's own default back into the ops that alter a column, where the
/// comparison saw it as SQLite stores it: a new default that is the model's, and an old one
/// the database already has as the model says it (SQLite stores `now()` as
/// `CURRENT_TIMESTAMP`, its only spelling; the op records `now()`, which every dialect
/// renders in its own words).
fn restore_model_defaults(ops: &mut [Op], model: &MetaData, stored: &MetaData) {
    let column = |md: &MetaData, table: &str, name: &str| {
        md.tables()
            .iter()
            .find(|t| t.name == table)
            .and_then(|t| t.columns.iter().find(|c| c.name == name))
            .cloned()
    };
    for op in ops {
        let Op::AlterColumn(a) = op else {
            continue;
        };
        let name = a.new_name.as_ref().unwrap_or(&a.column);
        let (Some(m), Some(s)) = (
            column(model, &a.table, name),
            column(stored, &a.table, name),
        ) else {
            continue;
        };
        if s.server_default.is_none() {
            continue;
        }
        for d in [&mut a.server_default, &mut a.existing_server_default] {
            if matches!(d, Some(Some(v)) if s.server_default.as_ref() == Some(v)) {
                *d = Some(m.server_default.clone());
            }
        }
    }
}

/// `ops` in the online-safe forms `backend` has (`docs/online.md`): on PostgreSQL,
/// [`online_rewrite`](retort_core::ops::online_rewrite) against `model` (whose naming
/// convention names the constraints to validate); on MySQL/MariaDB, index builds and drops
/// on existing tables with `ALGORITHM=INPLACE, LOCK=NONE`
/// ([`online_index_ops`](retort_core::ops::online_index_ops)), the other ALTERs plain (the
/// lint's `mysql-copying-alter` names those that copy the table); SQLite has no cheaper
/// form, so its ops are returned as they are.
pub fn online_ops(ops: Vec<Op>, backend: Backend, model: &MetaData) -> Vec<Op> {
    match backend {
        Backend::Postgres => retort_core::ops::online_rewrite(ops, model),
        Backend::Mysql => retort_core::ops::online_index_ops(ops),
        Backend::Sqlite => ops,
    }
}

/// The bodies of `upgrade` and `downgrade` for `diff` (markers, rename hints as comments,
/// one statement an op), as the `{{ upgrades }}` / `{{ downgrades }}` slots of
/// `script.rs.j2` take them. The downgrade is the exact reverse of the upgrade.
pub fn script_bodies(diff: &Diff) -> Result<(String, String), AutogenerateError> {
    // Each op is reversed as it is written, and dropped: the reversed ops held all at once
    // were one more copy of every table created (issue 16's memory goal at 10,000 tables).
    // The downgrade goes first so that an irreversible op is reported before a statement the
    // upgrade cannot write, as when the ops were reversed before anything was written.
    let mut irreversible = None;
    let down = diff.ops.iter().rev().map_while(|op| match op.reverse() {
        Ok(r) => Some(r),
        Err(e) => {
            irreversible = Some(e);
            None
        }
    });
    let downgrade = render_body_of(down, &[]);
    if let Some(e) = irreversible {
        return Err(AutogenerateError::Irreversible(e.to_string()));
    }
    let downgrade = downgrade?;
    Ok((render_body(&diff.ops, &diff.hints)?, downgrade))
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::Type;

    #[test]
    fn column_grants_are_read_from_their_names() {
        let dep = |name: &str| TableDependent {
            schema: None,
            table: "t".into(),
            kind: "grant".into(),
            name: name.into(),
        };
        let plain = dep("SELECT (secret) to app");
        assert_eq!(
            column_grant(&plain),
            Some(("SELECT", "secret".into(), "app"))
        );
        let quoted = dep("UPDATE (\"we\"\") to ;x\") to r\"ole");
        assert_eq!(
            column_grant(&quoted),
            Some(("UPDATE", "we\") to ;x".into(), "r\"ole"))
        );
        assert_eq!(column_grant(&dep("SELECT to app")), None);
    }

    /// SQLite has no exclusion constraints: a model with one is refused for a SQLite
    /// database before anything is compared, naming table and constraint; PostgreSQL takes it.
    #[test]
    fn an_exclusion_constraint_is_refused_for_sqlite_by_name() {
        use retort_core::{Column, Exclude, ExcludeElement, Table};
        let model = MetaData::new().table(
            Table::new("bookings")
                .column(Column::new("room_id", Type::Integer).not_null())
                .exclude(Exclude::new(
                    "no_overlap",
                    vec![ExcludeElement::column("room_id", "=")],
                )),
        );
        let err = check_identifiers(&model, Backend::Sqlite).unwrap_err();
        assert!(matches!(err, AutogenerateError::Unsupported(_)), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains("the exclusion constraint `no_overlap` on table `bookings`")
                && msg.contains("SQLite"),
            "{msg}"
        );
        assert!(check_identifiers(&model, Backend::Postgres).is_ok());
    }

    /// MySQL has no named enum types (a column's `ENUM(..)` is inline, and the comparison
    /// sees the model that way): a column added with an enum type is written with its
    /// inline type, which the dialect renders with no `create_enum` before it, rather than
    /// with an enum type no op creates (the script failed to render: evolution case 42).
    #[test]
    fn an_enum_column_added_on_mysql_renders_without_an_enum_type() {
        use retort_core::ops::apply_all;
        use retort_core::{Column, EnumType, ServerDefault, Table};
        use retort_dialect::{Dialect, Mysql};
        let base = || {
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .primary_key(["id"])
        };
        let model = MetaData::new()
            .enum_type(EnumType::new("order_status", ["new", "paid"]))
            .table(
                base().column(
                    Column::new("status", Type::enumeration("order_status"))
                        .not_null()
                        .server_default(ServerDefault::text("new")),
                ),
            );
        let current = CurrentSchema {
            metadata: MetaData::new().table(base()),
            ..CurrentSchema::default()
        };
        let diff = compare(
            &current,
            &model,
            &DiffOptions::default(),
            Source::Database(Backend::Mysql),
        );
        let mut schema = current.metadata.clone();
        let mut sql = Vec::new();
        for op in &diff.ops {
            sql.extend(Mysql.render_op(op, &schema).unwrap_or_else(|e| {
                panic!("{op:?} does not render on MySQL: {e}\nops: {:#?}", diff.ops)
            }));
            apply_all(std::slice::from_ref(op), &mut schema).unwrap();
        }
        assert_eq!(
            sql,
            ["ALTER TABLE orders ADD COLUMN status ENUM('new', 'paid') NOT NULL DEFAULT 'new'"]
        );
    }

    /// MySQL has no sequences: a model with one was compared, and the revision's
    /// `create_sequence` failed only when it ran (evolution case 119 on MariaDB).
    #[test]
    fn what_create_all_refuses_is_refused_before_comparing() {
        use retort_core::{Column, Sequence, Table};
        let model = MetaData::new()
            .table(Table::new("t").column(Column::new("x", Type::Integer)))
            .with_sequence(Sequence::new("order_no_seq"));
        let err = check_identifiers(&model, Backend::Mysql).unwrap_err();
        assert!(matches!(err, AutogenerateError::Unsupported(_)), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains("`order_no_seq`") && msg.contains("MySQL"),
            "{msg}"
        );
        assert!(check_identifiers(&model, Backend::Postgres).is_ok());
    }

    /// A model validated once (`check`'s path, [`check_identifiers_validated`]) is refused
    /// for what the dialect's `create_all` refuses with the very message `create_all` gives,
    /// as [`check_identifiers`] refuses it; and a model that is not valid is still refused as
    /// invalid by the comparisons that take a `&MetaData`.
    #[test]
    fn a_validated_model_is_refused_as_create_all_refuses_it() {
        use retort_core::{Column, Exclude, ExcludeElement, Index, Sequence, Table};
        let with_sequence = MetaData::new()
            .table(Table::new("t").column(Column::new("x", Type::Integer)))
            .with_sequence(Sequence::new("order_no_seq"));
        let with_exclusion = MetaData::new().table(
            Table::new("bookings")
                .column(Column::new("room_id", Type::Integer).not_null())
                .exclude(Exclude::new(
                    "no_overlap",
                    vec![ExcludeElement::column("room_id", "=")],
                )),
        );
        let with_text_key = MetaData::new().table(
            Table::new("notes")
                .column(Column::new("body", Type::Text).not_null())
                .index(Index::on_columns(["body"]).name("ix_notes_body").unique()),
        );
        let mut refused = 0;
        for model in [&with_sequence, &with_exclusion, &with_text_key] {
            for backend in [Backend::Postgres, Backend::Mysql, Backend::Sqlite] {
                let valid = model.validate_ref().expect("a valid model");
                let once = check_identifiers_validated(valid, backend).map_err(|e| e.to_string());
                let twice = check_identifiers(model, backend).map_err(|e| e.to_string());
                assert_eq!(once, twice, "{backend:?}");
                let dialect = crate::render::dialect_for(backend);
                match dialect.create_all(model) {
                    Err(e) => {
                        refused += 1;
                        let msg = once.expect_err("refused as create_all refuses it");
                        assert_eq!(
                            msg,
                            format!("the model cannot be kept in this database: {e}"),
                            "{backend:?}"
                        );
                    }
                    Ok(_) => assert!(once.is_ok(), "{backend:?}: {once:?}"),
                }
            }
        }
        assert!(refused >= 3, "{refused} refusals");
        let invalid = MetaData::new().table(
            Table::new("t")
                .column(Column::new("x", Type::Integer))
                .primary_key(["missing"]),
        );
        let want = invalid.validate().unwrap_err().to_string();
        let err = compare_metadata_with_empty(
            &invalid,
            Backend::Postgres,
            &AutogenerateSettings::default(),
            None,
        )
        .unwrap_err();
        assert!(matches!(err, AutogenerateError::Model(_)), "{err:?}");
        assert_eq!(err.to_string(), want);
    }

    /// Offline: a history that created views, a function and a trigger replays into a schema
    /// the model compares clean with on both backends, and an entity the model drops is
    /// dropped (the history created it), carrying the definition the history recorded.
    #[test]
    fn entities_replay_offline_and_a_removed_one_is_dropped() {
        use retort_core::ops::apply_all;
        use retort_core::{Column, Function, Table, Trigger, View};
        let table = Table::new("orders")
            .column(Column::new("id", Type::Integer).not_null())
            .primary_key(["id"]);
        let report = View::new("report", "SELECT id FROM orders");
        let model = MetaData::new()
            .table(table.clone())
            .with_entity(report.clone())
            .with_entity(Function::new(
                "touch",
                "",
                "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            ))
            .with_entity(Trigger::new(
                "orders",
                "t",
                "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
            ));
        let first = compare(
            &CurrentSchema::default(),
            &model,
            &DiffOptions::default(),
            Source::History(Backend::Postgres),
        );
        let mut replayed = MetaData::new();
        apply_all(&first.ops, &mut replayed).unwrap();
        for backend in [Backend::Postgres, Backend::Sqlite] {
            let history = CurrentSchema {
                metadata: replayed.clone(),
                ..CurrentSchema::default()
            };
            let again = compare(
                &history,
                &model,
                &DiffOptions::default(),
                Source::History(backend),
            );
            assert!(again.ops.is_empty(), "{backend:?}: {:#?}", again.ops);
        }
        let history = CurrentSchema {
            metadata: replayed,
            ..CurrentSchema::default()
        };
        let without: MetaData = {
            let mut m = model.clone();
            m.entities_mut().retain(|e| e.name() != "report");
            m
        };
        let d = compare(
            &history,
            &without,
            &DiffOptions::default(),
            Source::History(Backend::Postgres),
        );
        assert_eq!(
            d.ops,
            [Op::DropEntity {
                key: retort_core::Entity::from(report.clone()).key(),
                existing: Some(report.into()),
            }]
        );
    }

    /// A dropped table's trigger is lost unless Retort knows it: the model declares it, or
    /// the diff drops it by itself first.
    #[test]
    fn a_known_trigger_does_not_stop_its_table_from_being_dropped() {
        use retort_core::{Entity, Trigger};
        let trigger = Trigger::new(
            "orders",
            "t",
            "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION f()",
        );
        let current = CurrentSchema {
            table_dependents: vec![TableDependent {
                schema: None,
                table: "orders".into(),
                kind: "trigger".into(),
                name: "t".into(),
            }],
            ..CurrentSchema::default()
        };
        let drop_table = Op::DropTable {
            schema: None,
            name: "orders".into(),
            existing: None,
            data_loss_ok: false,
        };
        let diff = Diff {
            ops: vec![drop_table.clone()],
            ..Diff::default()
        };
        let err = refuse_lost_objects(&current, &diff, &MetaData::new()).unwrap_err();
        assert!(
            matches!(err, AutogenerateError::LostObjects { .. }),
            "{err}"
        );
        let declared = MetaData::new().with_entity(trigger.clone());
        refuse_lost_objects(&current, &diff, &declared).unwrap();
        let dropped_first = Diff {
            ops: vec![
                Op::DropEntity {
                    key: Entity::from(trigger.clone()).key(),
                    existing: Some(trigger.into()),
                },
                drop_table,
            ],
            ..Diff::default()
        };
        refuse_lost_objects(&current, &dropped_first, &MetaData::new()).unwrap();
    }

    #[test]
    fn settings_default_to_comparing_everything() {
        let s = AutogenerateSettings::default();
        assert!(s.compare_type && s.compare_server_default);
        let o = s.diff_options(None);
        assert!(o.compare_types && o.compare_server_defaults);
        assert_eq!(o.schemas, None);
        assert!(o.include_tables.is_empty() && o.exclude_tables.is_empty());
    }

    #[test]
    fn settings_carry_filters_and_the_hook_into_the_diff_options() {
        let raw: RawAutogenerate = toml::from_str(
            "include_schemas = [\"billing\"]\ninclude_tables = [\"a*\"]\nexclude_tables = [\"tmp_*\"]\ncompare_type = false\ncompare_server_default = false\n",
        )
        .unwrap();
        let s = AutogenerateSettings::from(raw);
        let hook: IncludeObject = std::sync::Arc::new(|_| false);
        let o = s.diff_options(Some(hook));
        assert!(!o.compare_types && !o.compare_server_defaults);
        assert_eq!(o.schemas, Some(vec!["billing".to_owned()]));
        assert_eq!(o.include_tables, ["a*"]);
        assert_eq!(o.exclude_tables, ["tmp_*"]);
        assert!(o.include_object.is_some());
    }

    #[test]
    fn a_history_with_variants_is_up_to_date_offline_and_a_change_keeps_them() {
        use retort_core::ops::apply_all;
        use retort_core::{Column, DialectKind, ServerDefault, Table};
        let token = |d: ServerDefault| {
            Column::new("token", Type::Uuid).server_default(
                ServerDefault::expr("gen_random_uuid()").with_variant(DialectKind::Sqlite, Some(d)),
            )
        };
        let model = |d: ServerDefault| {
            MetaData::new().table(
                Table::new("docs")
                    .column(Column::new("id", Type::Integer).not_null())
                    .column(token(d))
                    .column(Column::new(
                        "body",
                        Type::Jsonb.with_variant(DialectKind::Sqlite, Type::Text),
                    ))
                    .primary_key(["id"]),
            )
        };
        let hex = ServerDefault::expr("lower(hex(randomblob(16)))");
        // The history replayed from the ops autogenerate wrote: nothing to do on either
        // backend, offline.
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let first = compare(
                &CurrentSchema::default(),
                &model(hex.clone()),
                &DiffOptions::default(),
                Source::History(backend),
            );
            let mut replayed = MetaData::new();
            apply_all(&first.ops, &mut replayed).unwrap();
            assert!(replayed.has_variant(), "{backend:?}: {:#?}", first.ops);
            let history = CurrentSchema {
                metadata: replayed,
                ..CurrentSchema::default()
            };
            let again = compare(
                &history,
                &model(hex.clone()),
                &DiffOptions::default(),
                Source::History(backend),
            );
            assert_eq!(again.ops, Vec::new(), "{backend:?}");
        }
        // The SQLite variant changed: only SQLite's database shows it, but the history
        // recorded the old one, so compared as PostgreSQL the revision records it too
        // (otherwise a history written there would leave SQLite with the old default); the
        // alter carries both dialects' defaults, old and new, and on PostgreSQL it is no
        // change at all.
        let mut replayed = MetaData::new();
        apply_all(
            &compare(
                &CurrentSchema::default(),
                &model(hex.clone()),
                &DiffOptions::default(),
                Source::History(Backend::Sqlite),
            )
            .ops,
            &mut replayed,
        )
        .unwrap();
        let history = CurrentSchema {
            metadata: replayed,
            ..CurrentSchema::default()
        };
        let other = ServerDefault::expr("hex(randomblob(8))");
        for backend in [Backend::Postgres, Backend::Sqlite] {
            let diff = compare(
                &history,
                &model(other.clone()),
                &DiffOptions::default(),
                Source::History(backend),
            );
            let [Op::AlterColumn(a)] = &diff.ops[..] else {
                panic!("{backend:?}: {:#?}", diff.ops)
            };
            assert_eq!(a.server_default, Some(token(other.clone()).server_default));
            assert_eq!(
                a.existing_server_default,
                Some(token(hex.clone()).server_default)
            );
            let on_postgres = diff.ops[0].for_dialect(Some(DialectKind::Postgres));
            let Op::AlterColumn(pg) = &*on_postgres else {
                unreachable!()
            };
            assert!(pg.changed().is_empty(), "{pg:#?}");
        }
    }

    #[test]
    fn a_table_created_on_sqlite_keeps_the_model_comment() {
        use retort_core::{Column, Table};
        use retort_dialect::{Dialect, Sqlite};
        // SQLite keeps no comment; a revision written against it must still say the
        // model's, so that PostgreSQL, run from it, has it (issue 11, item 14).
        let model = MetaData::new().table(
            Table::new("logs")
                .column(
                    Column::new("id", Type::Integer)
                        .not_null()
                        .comment("the key"),
                )
                .comment("what happened"),
        );
        let diff = compare(
            &CurrentSchema::default(),
            &model,
            &DiffOptions::default(),
            Source::Database(Backend::Sqlite),
        );
        let [Op::CreateTable { table }] = diff.ops.as_slice() else {
            panic!("{:#?}", diff.ops);
        };
        assert_eq!(table.comment.as_deref(), Some("what happened"));
        assert_eq!(table.columns[0].comment.as_deref(), Some("the key"));
        let up = Sqlite.render_ops(&diff.ops, &MetaData::new()).unwrap();
        assert_eq!(up, Sqlite.create_all(&model).unwrap());
    }

    #[test]
    fn an_enum_on_sqlite_is_written_as_the_enum_it_is_live_and_offline() {
        use retort_core::{Column, EnumType, Table};
        use retort_dialect::{Dialect, Sqlite};
        let model = MetaData::new()
            .enum_type(EnumType::new("status", ["new", "paid"]))
            .table(
                Table::new("orders")
                    .column(Column::new("id", Type::Uuid).not_null())
                    .column(Column::new("state", Type::enumeration("status"))),
            );
        let diff = compare(
            &CurrentSchema::default(),
            &model,
            &DiffOptions::default(),
            Source::Database(Backend::Sqlite),
        );
        // The enum type and the table as the model spells them, as on PostgreSQL, so the
        // script runs on either.
        let [Op::CreateEnum { enum_type }, Op::CreateTable { table }] = diff.ops.as_slice() else {
            panic!("{:#?}", diff.ops);
        };
        assert_eq!(enum_type, &model.enums()[0]);
        assert_eq!(table.columns[0].ty, Type::Uuid);
        assert_eq!(table.columns[1].ty, Type::enumeration("status"));
        // On SQLite it makes what create_all makes.
        let up = Sqlite.render_ops(&diff.ops, &MetaData::new()).unwrap();
        assert_eq!(up, Sqlite.create_all(&model).unwrap());

        // The enum column added to the table as it was: it runs too.
        let mut orders = model.tables()[0].clone();
        orders.columns.retain(|c| c.name != "state");
        let before = MetaData::new().table(orders);
        let current = CurrentSchema {
            metadata: retort_dialect::sqlite::introspect::normalise_model_for_sqlite(&before),
            ..CurrentSchema::default()
        };
        let diff = compare(
            &current,
            &model,
            &DiffOptions::default(),
            Source::Database(Backend::Sqlite),
        );
        assert!(
            matches!(diff.ops.first(), Some(Op::CreateEnum { .. })),
            "{:#?}",
            diff.ops
        );
        Sqlite.render_ops(&diff.ops, &before).unwrap();
        // Offline, from the history as the scripts spell it, the same revision.
        let history = CurrentSchema {
            metadata: before,
            ..CurrentSchema::default()
        };
        let offline = compare(
            &history,
            &model,
            &DiffOptions::default(),
            Source::History(Backend::Sqlite),
        );
        assert_eq!(offline.ops, diff.ops);
    }

    /// SQLite knows an enum by its name alone; a revision written there names the schema the
    /// model's enum is in, so it runs on PostgreSQL.
    #[test]
    fn an_enum_in_a_schema_keeps_it_in_a_revision_written_on_sqlite() {
        use retort_core::{Column, EnumRef, EnumType, Table};
        let model = |values: &[&str]| {
            let mut e = EnumType::new("status", values.iter().copied());
            e.schema = Some("app".into());
            let ty = Type::Enum(EnumRef {
                schema: Some("app".into()),
                name: "status".into(),
            });
            MetaData::new().enum_type(e).table(
                Table::new("orders")
                    .column(Column::new("id", Type::Integer).not_null())
                    .column(Column::new("state", ty)),
            )
        };
        let before = model(&["new"]);
        let diff = compare(
            &CurrentSchema::default(),
            &before,
            &DiffOptions::default(),
            Source::Database(Backend::Sqlite),
        );
        let [Op::CreateEnum { enum_type }, Op::CreateTable { table }] = diff.ops.as_slice() else {
            panic!("{:#?}", diff.ops);
        };
        assert_eq!(enum_type, &before.enums()[0]);
        assert_eq!(table.columns[1].ty, before.tables()[0].columns[1].ty);
        let current = CurrentSchema {
            metadata: retort_dialect::sqlite::introspect::normalise_model_for_sqlite(&before),
            ..CurrentSchema::default()
        };
        let diff = compare(
            &current,
            &model(&["new", "paid"]),
            &DiffOptions::default(),
            Source::Database(Backend::Sqlite),
        );
        let [Op::AddEnumValue { schema, .. }] = diff.ops.as_slice() else {
            panic!("{:#?}", diff.ops);
        };
        assert_eq!(schema.as_deref(), Some("app"));
    }

    /// A SQLite file made before enums were stored under their name (an unnamed check)
    /// shows no difference with the model that made it, and one with other values does.
    #[test]
    fn an_enum_stored_in_the_earlier_unnamed_form_is_no_change() {
        use retort_core::{Check, Column, EnumType, Table};
        let model = |values: &[&str]| {
            MetaData::new()
                .enum_type(EnumType::new("status", values.iter().copied()))
                .table(
                    Table::new("orders")
                        .column(Column::new("id", Type::Integer).not_null())
                        .column(Column::new("state", Type::enumeration("status"))),
                )
        };
        let earlier = MetaData::new().table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("state", Type::Varchar(Some(4))))
                .check(None, "state IN ('new', 'paid')"),
        );
        let current = CurrentSchema {
            metadata: earlier,
            ..CurrentSchema::default()
        };
        let same = compare(
            &current,
            &model(&["new", "paid"]),
            &DiffOptions::default(),
            Source::Database(Backend::Sqlite),
        );
        assert!(same.ops.is_empty(), "{:#?}", same.ops);
        let other = compare(
            &current,
            &model(&["new", "paid", "sent"]),
            &DiffOptions::default(),
            Source::Database(Backend::Sqlite),
        );
        assert!(
            other.ops.iter().any(|op| matches!(
                op,
                Op::DropConstraint {
                    existing: Some(retort_core::ops::Constraint::Check(Check {
                        name: None,
                        ..
                    })),
                    ..
                }
            )),
            "{:#?}",
            other.ops
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let raw: Result<RawAutogenerate, _> = toml::from_str("compare_types = true\n");
        assert!(raw.is_err());
    }
}
