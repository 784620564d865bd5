//! `revision --baseline`: adopting a database that no revision made (issue 18, item 3).
//!
//! Design notes:
//!
//! * Alembic's users adopt a database by autogenerating a first revision against an empty
//!   database and then `alembic stamp head` on the real one. Here the first revision is
//!   written from the live schema itself: the database is read as autogenerate reads it
//!   (tables, enum types, sequences and every entity: views, materialized views,
//!   functions, procedures, triggers, policies, row-level security, grants, extensions),
//!   and the baseline's upgrade is the diff from nothing to it ([`plan`]), written by the
//!   script writer; its downgrade is the exact reverse. The database is then stamped at it
//!   (the CLI), so nothing runs there, and the next autogenerate compares the model with a
//!   database whose history is the baseline.
//! * Only into an empty history, and only on a database no revision is recorded on
//!   ([`BaselineError::HistoryNotEmpty`], [`BaselineError::AlreadyStamped`]): a baseline
//!   creates everything from nothing, so below existing revisions it would create again
//!   what they create, and above them it would be no baseline. A database that has a
//!   history already is brought to the model with `revision --autogenerate`.
//! * Nothing is left out without a word. The catalog is asked for every object of the
//!   database's own schemas (`queries/baseline/*.sql`: tables, views, sequences, types,
//!   routines, rules, operators, ...; what an extension owns is the extension's); each one
//!   the read did not bring back (a range type, a partitioned table, a schema outside
//!   `include_schemas`, an operator, a MySQL stored function) is refused by name
//!   ([`BaselineError::Unexpressible`]), as is what a table has that the read keeps apart
//!   (`TableDependent`s: a trigger not read as an entity). Domains, aggregates and rules
//!   are read (PostgreSQL entities), so carried. What the writer cannot
//!   spell is refused by the writer, naming the op. Default privileges are named in the
//!   warnings: Retort does not keep them under version control anywhere.

use retort_core::diff::Diff;
use retort_core::ops::{reverse_all, Op};
use retort_core::{EntityKind, MetaData};
use retort_dialect::table_dependents::TableDependent;

use crate::autogenerate::{self, AutogenerateError, AutogenerateSettings, CurrentSchema, Source};
use crate::driver::Driver;
use crate::runner::{MigrateError, Migrator};
use crate::url::Backend;
use crate::writer::{self, WriteError};

const POSTGRES_OBJECTS: &str = include_str!("../queries/baseline/postgres_objects.sql");
const SQLITE_OBJECTS: &str = include_str!("../queries/baseline/sqlite_objects.sql");
const MYSQL_OBJECTS: &str = include_str!("../queries/baseline/mysql_objects.sql");

/// Why no baseline can be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaselineError {
    /// The history has revisions already.
    #[error("`revision --baseline` writes the first revision of an empty history, and this one has {count} revision(s) (head {heads}): a baseline creates the whole schema from nothing, so under these revisions it would create again what they create. Bring a database that has this history to the model with `revision --autogenerate`, or start the baseline in a new, empty versions directory")]
    HistoryNotEmpty {
        /// How many revisions the history has.
        count: usize,
        /// Its heads.
        heads: String,
    },
    /// The database's version table names revisions.
    #[error("the database is recorded at revision {current} already: a baseline is for a database no revision made; run `stamp --purge base` first if that record is wrong")]
    AlreadyStamped {
        /// The revisions recorded.
        current: String,
    },
    /// The database holds nothing to adopt.
    #[error("the database has no tables, views or other objects to adopt: write the first revision with `revision --autogenerate` instead")]
    Empty,
    /// Objects the baseline could not carry.
    #[error("the database has objects a baseline cannot carry, which would be missing from a database the history builds:\n  {}\nDrop or move them (and make them by hand in a later revision with op.execute if they must stay), or widen what is read (include_schemas in [autogenerate] of retort.toml) for those in other schemas; nothing was written", .objects.join("\n  "))]
    Unexpressible {
        /// Each object, described with why.
        objects: Vec<String>,
    },
    /// The catalog could not be asked.
    #[error("the catalog query for the database's objects ({file}) failed: {source}")]
    Catalog {
        /// The query's file.
        file: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The version table could not be read.
    #[error(transparent)]
    Migrate(#[from] Box<MigrateError>),
    /// Reading the schema failed.
    #[error(transparent)]
    Autogenerate(#[from] Box<AutogenerateError>),
    /// The baseline's downgrade cannot be derived.
    #[error("the baseline's downgrade cannot be derived: {0}")]
    Irreversible(String),
    /// The writer cannot spell an op.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The first revision of a history, from a live database.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// Creates the database's schema from nothing.
    pub upgrade: Vec<Op>,
    /// Its exact reverse.
    pub downgrade: Vec<Op>,
    /// What the user should know (default privileges not carried, ...).
    pub warnings: Vec<String>,
    /// The schema read, which the baseline creates.
    pub schema: MetaData,
}

impl Baseline {
    /// The bodies of `upgrade` and `downgrade`, as the revision template's `{{ upgrades }}`
    /// and `{{ downgrades }}` take them (what `revision --autogenerate` writes).
    pub fn bodies(&self) -> Result<(String, String), BaselineError> {
        Ok((
            writer::render_body(&self.upgrade, &[])?,
            writer::render_body(&self.downgrade, &[])?,
        ))
    }
}

/// Plans the baseline of the database behind `driver` for `migrator`'s (empty) history:
/// refuses a history with revisions, a database recorded at one, and objects the read
/// does not bring back; the read schema is what `model`'s schemas and `settings` say to
/// read, as autogenerate reads it.
pub async fn plan<D: Driver>(
    driver: &mut D,
    migrator: &Migrator,
    model: &MetaData,
    settings: &AutogenerateSettings,
) -> Result<Baseline, BaselineError> {
    let graph = migrator.graph();
    if !graph.is_empty() {
        return Err(BaselineError::HistoryNotEmpty {
            count: migrator.scripts().count(),
            heads: graph.heads().join(", "),
        });
    }
    let current = migrator
        .current(driver)
        .await
        .map_err(|e| BaselineError::Migrate(Box::new(e)))?;
    if !current.is_empty() {
        return Err(BaselineError::AlreadyStamped {
            current: current.join(", "),
        });
    }
    let backend = driver.backend();
    let default = driver
        .default_schema()
        .await
        .map_err(|source| BaselineError::Catalog {
            file: "default_schema",
            source,
        })?;
    let live = autogenerate::read_database_schema(
        driver,
        migrator.tables(),
        model,
        settings,
        default.as_deref(),
    )
    .await
    .map_err(|e| BaselineError::Autogenerate(Box::new(e)))?;
    let refused = not_carried(driver, &live, migrator.tables(), default.as_deref()).await?;
    if !refused.is_empty() {
        return Err(BaselineError::Unexpressible { objects: refused });
    }
    let md = &live.metadata;
    if md.tables().is_empty()
        && md.entities().is_empty()
        && md.enums().is_empty()
        && md.sequences().is_empty()
    {
        return Err(BaselineError::Empty);
    }
    let diff = from_nothing(&live, default.as_deref(), backend, settings);
    let downgrade =
        reverse_all(&diff.ops).map_err(|e| BaselineError::Irreversible(e.to_string()))?;
    let mut warnings = live.warnings.clone();
    warnings.extend(diff.warnings.iter().cloned());
    Ok(Baseline {
        upgrade: diff.ops,
        downgrade,
        warnings,
        schema: live.metadata,
    })
}

/// The ops that build `live`'s schema on an empty database, compared as the database's
/// own backend compares (so SQLite's stored forms are written as they are kept).
fn from_nothing(
    live: &CurrentSchema,
    default: Option<&str>,
    backend: Backend,
    settings: &AutogenerateSettings,
) -> Diff {
    let nothing = CurrentSchema {
        history: Some(MetaData::new()),
        versioned_entities: Some(Vec::new()),
        versioned_sequences: Some(Vec::new()),
        ..CurrentSchema::default()
    };
    let mut options = settings.diff_options(None);
    // Every other schema is created; these every database of the backend has (PostgreSQL's
    // plpgsql extension names pg_catalog; the comparison leaves the server's own objects
    // out, not the schemas they name).
    options.existing_schemas = default
        .into_iter()
        .map(str::to_owned)
        .chain(
            (backend == Backend::Postgres)
                .then_some(["pg_catalog", "information_schema"])
                .into_iter()
                .flatten()
                .map(str::to_owned),
        )
        .collect();
    autogenerate::compare(
        &nothing,
        &live.metadata,
        &options,
        Source::Database(backend),
    )
}

/// Every object of the database's own schemas that `live` (the schema read as autogenerate
/// reads it) does not carry, each described with why: what a baseline refuses, and what
/// models generated from `live` would leave out (`models --from-db` names them). `default`
/// is the connection's default schema, which the read leaves unnamed.
pub async fn not_carried<D: Driver>(
    driver: &mut D,
    live: &CurrentSchema,
    tables: &crate::Tables,
    default: Option<&str>,
) -> Result<Vec<String>, BaselineError> {
    let (file, sql) = objects_query(driver.backend());
    let rows = driver
        .query_text(sql)
        .await
        .map_err(|source| BaselineError::Catalog { file, source })?;
    let bookkeeping = |name: &str| name == tables.version || name == tables.log;
    let mut objects = Vec::new();
    for row in rows {
        let field = |i: usize| row.get(i).cloned().flatten();
        let (Some(kind), schema, Some(name)) = (field(0), field(1), field(2)) else {
            continue;
        };
        if bookkeeping(&name) {
            continue;
        }
        // Introspection leaves the default schema unnamed.
        let schema = schema.filter(|s| default != Some(s.as_str()));
        objects.push(CatalogObject { kind, schema, name });
    }
    let mut refused: Vec<String> = objects
        .iter()
        .filter_map(|o| unread(o, &live.metadata).map(|why| format!("{o}: {why}")))
        .collect();
    // A table's rule is a dependent too; the objects query names every rule already.
    refused.extend(
        live.table_dependents
            .iter()
            .filter(|d| d.kind != "rule" && !dependent_read(d, &live.metadata))
            .map(|d| format!("{d}: not read as a model object")),
    );
    Ok(refused)
}

fn objects_query(backend: Backend) -> (&'static str, &'static str) {
    match backend {
        Backend::Postgres => ("queries/baseline/postgres_objects.sql", POSTGRES_OBJECTS),
        Backend::Sqlite => ("queries/baseline/sqlite_objects.sql", SQLITE_OBJECTS),
        Backend::Mysql => ("queries/baseline/mysql_objects.sql", MYSQL_OBJECTS),
    }
}

/// One row of the objects query.
struct CatalogObject {
    kind: String,
    schema: Option<String>,
    name: String,
}

impl std::fmt::Display for CatalogObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{} {s}.{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// Why the read schema lacks `o` (`None`: it has it).
fn unread(o: &CatalogObject, md: &MetaData) -> Option<String> {
    let schema = o.schema.as_deref();
    let entity = |kinds: &[EntityKind]| {
        md.entities().iter().any(|e| {
            let k = e.key();
            kinds.contains(&k.kind) && k.schema.as_deref() == schema && k.name == o.name
        })
    };
    let found = match o.kind.as_str() {
        "table" => md.get_table(schema, &o.name).is_some(),
        "view" => entity(&[EntityKind::View]),
        "materialized view" => entity(&[EntityKind::MaterializedView]),
        "function" => entity(&[EntityKind::Function]),
        "procedure" => entity(&[EntityKind::Procedure]),
        "domain" => entity(&[EntityKind::Domain]),
        "aggregate" => entity(&[EntityKind::Aggregate]),
        // Named `table.rule` by the objects query.
        "rule" => md.entities().iter().any(|e| {
            let k = e.key();
            k.kind == EntityKind::Rule
                && k.schema.as_deref() == schema
                && k.table.as_deref().map(|t| format!("{t}.{}", k.name)) == Some(o.name.clone())
        }),
        "sequence" => md.get_sequence(schema, &o.name).is_some(),
        "enum type" => md.get_enum(schema, &o.name).is_some(),
        "trigger" => md
            .entities()
            .iter()
            .any(|e| e.kind() == EntityKind::Trigger && e.key().name == o.name),
        // SQLite: an index of a table the read has, as an index or a unique constraint.
        "index" => md.tables().iter().any(|t| {
            t.indexes.iter().any(|i| i.name.as_deref() == Some(&o.name))
                || t.uniques.iter().any(|u| u.name.as_deref() == Some(&o.name))
        }),
        _ => false,
    };
    if found {
        return None;
    }
    Some(match o.kind.as_str() {
        "table" | "view" | "materialized view" | "function" | "procedure" | "sequence"
        | "enum type" | "domain" | "aggregate" | "rule"
            if schema.is_some() =>
        {
            "not read: its schema is not among those read (the connection's default, the model's, include_schemas)".to_owned()
        }
        "table" | "view" | "materialized view" | "function" | "procedure" | "sequence"
        | "enum type" | "trigger" | "index" | "domain" | "aggregate" | "rule" => {
            "not read back by this database's catalog read".to_owned()
        }
        k if k.ends_with(" storage parameters") => format!(
            "the {} is read, its storage parameters are not (a model of it has none)",
            k.trim_end_matches(" storage parameters")
        ),
        k => {
            let article = if k.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("Retort has no model object for {article} {k}")
        }
    })
}

/// Whether the read has `d` as an entity (a trigger, policy, rule or grant read as one).
fn dependent_read(d: &TableDependent, md: &MetaData) -> bool {
    md.entities().iter().any(|e| {
        let k = e.key();
        match d.kind.as_str() {
            "trigger" => {
                k.kind == EntityKind::Trigger
                    && k.name == d.name
                    && k.table.as_deref() == Some(&d.table)
            }
            "policy" => {
                k.kind == EntityKind::Policy
                    && k.name == d.name
                    && k.table.as_deref() == Some(&d.table)
            }
            "rule" => {
                k.kind == EntityKind::Rule
                    && k.name == d.name
                    && k.table.as_deref() == Some(&d.table)
            }
            // `PRIVILEGE to grantee` or `PRIVILEGE (column) to grantee`, on the table.
            "grant" => match (&k.grant, e) {
                (Some(g), retort_core::Entity::Grant(grant)) => {
                    grant.object == d.table
                        && grant.schema == d.schema
                        && d.name
                            == match &g.column {
                                Some(c) => format!("{} ({c}) to {}", g.privilege, g.grantee),
                                None => format!("{} to {}", g.privilege, g.grantee),
                            }
                }
                _ => false,
            },
            _ => false,
        }
    })
}

fn nothing(_: &mut retort_core::ops::Operations) {}

/// Records the database behind `driver` at the baseline `id` (written to `path`) without
/// running it, as `stamp <id>` would once the file is compiled in: the version table
/// (created if missing) and a `stamp` row in the log. The baseline is not compiled into
/// this binary yet, so a stand-in declaring the id is stamped; a stamp records no checksum.
pub async fn stamp<D: Driver>(
    driver: &mut D,
    migrator: &Migrator,
    id: &str,
    path: &str,
) -> Result<(), BaselineError> {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let stand_in = crate::Script {
        revision: retort_core::graph::Revision::new(leak(id)).message("baseline"),
        upgrade: nothing,
        downgrade: nothing,
        path: leak(path),
        checksum: "baseline",
    };
    let migrate = |e| BaselineError::Migrate(Box::new(e));
    Migrator::new(vec![stand_in])
        .map_err(migrate)?
        .with_tables(migrator.tables().clone())
        .stamp(driver, &[id], false)
        .await
        .map_err(migrate)?;
    Ok(())
}
