//! Entities: what a database holds beside tables that a project keeps under version control
//! (issue 14): views, materialized views (with their indexes), functions and procedures,
//! triggers, extensions, schemas' comments; and PostgreSQL's domains, aggregates and rules
//! (`entity_objects`). Later kinds (policies, grants) join [`Entity`]
//! as more variants with
//! their own [`EntityKind`]; everything that handles entities goes through [`EntityKey`]
//! (identity), [`Entity::definition`] (what is compared) and [`Entity::dependencies`]
//! (order), so a new kind is a new variant, not a redesign.
//!
//! A definition is SQL text, as the user writes it (or `include_str!`s from a `.sql` file
//! beside the models); the parts Retort needs to address the entity (schema, name, a
//! function's arguments, a trigger's table) are given apart, so the text is never parsed to
//! find what to drop. Comparison is of the definition text; on a live PostgreSQL database
//! the model's definitions are first spelled by the server itself (one rolled-back
//! transaction for all of them: `retort_dialect::entities`), so only a real change shows.
//!
//! Like tables, an entity without a schema is in the metadata's default schema.

use std::fmt;

pub use super::entity_access::{
    policy_clauses, Grant, GrantKey, GrantObject, Policy, PolicyClauses, RowLevelSecurity,
};
pub use super::entity_objects::{domain_clauses, Aggregate, Domain, DomainClauses, Rule};
use super::qualified;

/// The kind of an entity. The order is the order of creation when nothing else decides
/// (functions first: views and triggers may call them; triggers last: they name a function
/// and a table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EntityKind {
    /// `CREATE EXTENSION` (PostgreSQL): created before everything, dropped after.
    Extension,
    /// `COMMENT ON SCHEMA` (PostgreSQL).
    SchemaComment,
    /// `CREATE FUNCTION`.
    Function,
    /// `CREATE PROCEDURE` (called with `CALL`).
    Procedure,
    /// `CREATE VIEW`.
    View,
    /// `CREATE MATERIALIZED VIEW` (PostgreSQL).
    MaterializedView,
    /// `CREATE TRIGGER`, on a table.
    Trigger,
    /// `CREATE POLICY`, on a table (PostgreSQL).
    Policy,
    /// `ALTER TABLE .. ENABLE ROW LEVEL SECURITY` (PostgreSQL).
    RowLevelSecurity,
    /// `GRANT` of one privilege on one object to one role (PostgreSQL).
    Grant,
    /// `CREATE DOMAIN` (PostgreSQL): created before the tables whose columns are of it,
    /// dropped after them.
    Domain,
    /// `CREATE AGGREGATE` (PostgreSQL).
    Aggregate,
    /// `CREATE RULE`, on a table or view (PostgreSQL).
    Rule,
}

impl EntityKind {
    /// How messages name the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Function => "function",
            EntityKind::Procedure => "procedure",
            EntityKind::View => "view",
            EntityKind::MaterializedView => "materialized view",
            EntityKind::Trigger => "trigger",
            EntityKind::Extension => "extension",
            EntityKind::SchemaComment => "schema comment",
            EntityKind::Policy => "policy",
            EntityKind::RowLevelSecurity => "row level security",
            EntityKind::Grant => "grant",
            EntityKind::Domain => "domain",
            EntityKind::Aggregate => "aggregate",
            EntityKind::Rule => "rule",
        }
    }
    fn rank(self) -> u8 {
        match self {
            EntityKind::Extension | EntityKind::SchemaComment | EntityKind::Domain => 0,
            EntityKind::Function | EntityKind::Procedure | EntityKind::Aggregate => 1,
            EntityKind::View | EntityKind::MaterializedView => 2,
            EntityKind::Trigger
            | EntityKind::Policy
            | EntityKind::RowLevelSecurity
            | EntityKind::Rule => 3,
            EntityKind::Grant => 4,
        }
    }
}

/// What identifies an entity: two entities with equal keys are the same object, whose
/// definition may differ. A function's key holds its identity arguments
/// ([`identity_arguments`]), so overloads are distinct entities; a trigger's holds its
/// table (trigger names are per table).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityKey {
    /// What kind of object it is.
    pub kind: EntityKind,
    /// Its schema (a trigger: its table's); `None` is the default one.
    pub schema: Option<String>,
    /// Its name, unquoted.
    pub name: String,
    /// The table a trigger (policy, rule) is on.
    pub table: Option<String>,
    /// A function's, procedure's or aggregate's identity arguments (a grant on one: its).
    pub arguments: Option<String>,
    /// A grant's privilege and grantee (its object is `name`, `arguments`).
    pub grant: Option<GrantKey>,
}

impl fmt::Display for EntityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind.as_str();
        if self.kind == EntityKind::SchemaComment {
            return write!(f, "comment on schema {}", self.name);
        }
        if let Some(g) = &self.grant {
            let object = qualified(self.schema.as_deref(), &self.name);
            return match &self.arguments {
                Some(a) => write!(
                    f,
                    "grant {} on function {}({a}) to {}",
                    g.privilege, object, g.grantee
                ),
                None => write!(
                    f,
                    "grant {}{} on {} {} to {}",
                    g.privilege,
                    g.column
                        .as_deref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default(),
                    g.on.as_sql().to_lowercase(),
                    object,
                    g.grantee
                ),
            };
        }
        if self.kind == EntityKind::RowLevelSecurity {
            return write!(
                f,
                "row level security on {}",
                qualified(self.schema.as_deref(), &self.name)
            );
        }
        match (&self.table, &self.arguments) {
            (Some(t), _) => write!(
                f,
                "{kind} {} on {}",
                self.name,
                qualified(self.schema.as_deref(), t)
            ),
            (None, Some(a)) => write!(
                f,
                "{kind} {}({a})",
                qualified(self.schema.as_deref(), &self.name)
            ),
            (None, None) => write!(
                f,
                "{kind} {}",
                qualified(self.schema.as_deref(), &self.name)
            ),
        }
    }
}

impl EntityKey {
    /// In no schema if it is in `default`, the database's default schema named, as
    /// [`Entity::unqualify_default`] does to the entity.
    pub fn unqualify_default(&mut self, default: &str) {
        if !matches!(self.kind, EntityKind::Extension | EntityKind::SchemaComment)
            && self.schema.as_deref() == Some(default)
        {
            self.schema = None;
        }
    }
    /// The same object, a function's argument types compared as PostgreSQL reads them
    /// (`int` is `integer`, `varchar` is `character varying`, case and spaces aside): how a
    /// key the history recorded in the model's words finds the database's. Exact for every
    /// other part.
    pub fn matches(&self, other: &EntityKey) -> bool {
        self.kind == other.kind
            && self.schema == other.schema
            && self.name == other.name
            && self.table == other.table
            && self.grant == other.grant
            && match (&self.arguments, &other.arguments) {
                (Some(a), Some(b)) => loose_arguments(a) == loose_arguments(b),
                (a, b) => a == b,
            }
    }
}

/// Argument types in one spelling: lowercase, single spaces, PostgreSQL's names for the
/// common aliases.
pub(super) fn loose_arguments(args: &str) -> Vec<String> {
    split_top_level(args, ',')
        .iter()
        .map(|a| {
            collapse(&a.to_lowercase())
                .split(' ')
                .map(|w| match w {
                    "int" | "int4" => "integer",
                    "int8" => "bigint",
                    "int2" => "smallint",
                    "bool" => "boolean",
                    "float8" => "double precision",
                    "float4" => "real",
                    "varchar" => "character varying",
                    "char" => "character",
                    "decimal" => "numeric",
                    "timestamptz" => "timestamp with time zone",
                    "timetz" => "time with time zone",
                    other => other,
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// `CREATE VIEW name AS <definition>`: the definition is the query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct View {
    /// Its schema; `None` is the metadata's default.
    pub schema: Option<String>,
    /// Its name, unquoted.
    pub name: String,
    /// The query (`SELECT ..`).
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after, beside those
    /// found by name in its definition.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`]); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `CREATE MATERIALIZED VIEW name AS <definition> [WITH NO DATA]` (PostgreSQL), and the
/// indexes on it (`CREATE [UNIQUE] INDEX .. ON name ..`), which go with it: created after it,
/// dropped with it, re-created when it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MaterializedView {
    /// Its schema; `None` is the metadata's default.
    pub schema: Option<String>,
    /// Its name, unquoted.
    pub name: String,
    /// The query (`SELECT ..`).
    pub definition: String,
    /// `false`: created `WITH NO DATA` (to be refreshed later).
    pub with_data: bool,
    /// Its indexes (in its schema), compared by name as a set.
    pub indexes: Vec<MatviewIndex>,
    /// Entities (by `name` or `schema.name`) this one is created after.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`]); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// An index on a materialized view: `CREATE [UNIQUE] INDEX name ON <the view> <definition>`.
/// The definition is everything after the view's name: `(customer_id)`, `USING gin (tags)`,
/// `(lower(name)) WHERE active`. Compared, like every definition, as the server prints it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MatviewIndex {
    /// Its name, unquoted (indexes live in their view's schema).
    pub name: String,
    /// `CREATE UNIQUE INDEX` (what `REFRESH .. CONCURRENTLY` needs).
    pub unique: bool,
    /// Everything after `ON view`.
    pub definition: String,
}

/// `CREATE EXTENSION IF NOT EXISTS name [WITH SCHEMA schema] [VERSION version]`
/// (PostgreSQL). An extension is one per database: its key is its name alone; where its
/// objects go and which version it is are its definition. Either left unset (`None`) is not
/// compared: whatever the server chose when it was created is right. Its own objects (its
/// functions, types, views) are the extension's and never read as the project's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Extension {
    /// The name (`citext`, `pgcrypto`, `uuid-ossp`).
    pub name: String,
    /// `WITH SCHEMA`: where its objects go; `None` lets the server choose (the current
    /// schema, or the schema its control file fixes).
    pub schema: Option<String>,
    /// `VERSION`; `None`: the default version when created, any version after.
    pub version: Option<String>,
    /// Entities (by `name`; another extension it requires) this one is created after.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`]); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `COMMENT ON SCHEMA schema IS 'comment'` (PostgreSQL). The schema is named explicitly
/// (`public` too): the key is the schema. Removed from the model, the comment is removed
/// (`IS NULL`) if the history set it, and the downgrade sets the old text again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SchemaComment {
    /// The schema commented on (always set by [`SchemaComment::new`]).
    pub schema: Option<String>,
    /// The comment's text, as the database keeps it (exactly).
    pub comment: String,
    /// The databases it exists on ([`Entity::only_on`]); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `CREATE FUNCTION name(<arguments>) <definition>` (or a procedure): the definition is
/// everything after the argument list (`RETURNS integer LANGUAGE sql AS $$ .. $$`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Function {
    /// Its schema; `None` is the metadata's default.
    pub schema: Option<String>,
    /// Its name, unquoted.
    pub name: String,
    /// The argument list as `CREATE FUNCTION` takes it (names, modes, types, defaults).
    pub arguments: String,
    /// Everything after the argument list (`RETURNS .. LANGUAGE .. AS ..`).
    pub definition: String,
    /// A procedure (`CREATE PROCEDURE`, called with `CALL`) rather than a function.
    pub procedure: bool,
    /// Entities (by `name` or `schema.name`) this one is created after.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`]); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `CREATE TRIGGER name <definition>`: the definition is everything after the name
/// (`BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()` on PostgreSQL,
/// `AFTER INSERT ON orders BEGIN .. END` on SQLite). The table is given apart, because a
/// trigger is dropped by name on its table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Trigger {
    /// The schema of the table (PostgreSQL triggers live in their table's schema).
    pub schema: Option<String>,
    /// The table it is on.
    pub table: String,
    /// Its name (unique per table).
    pub name: String,
    /// Everything after the name in `CREATE TRIGGER`, `ON table` included.
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after, beside its function.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`]); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// One entity of any kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Entity {
    /// A view.
    View(View),
    /// A materialized view (PostgreSQL).
    MaterializedView(MaterializedView),
    /// A function or procedure.
    Function(Function),
    /// A trigger on a table.
    Trigger(Trigger),
    /// An extension (PostgreSQL).
    Extension(Extension),
    /// A schema's comment (PostgreSQL).
    SchemaComment(SchemaComment),
    /// A row-level-security policy on a table (PostgreSQL).
    Policy(Policy),
    /// A table's row-level-security switch (PostgreSQL).
    RowLevelSecurity(RowLevelSecurity),
    /// One privilege on one object to one role (PostgreSQL).
    Grant(Grant),
    /// A domain: a type with constraints (PostgreSQL).
    Domain(Domain),
    /// An aggregate function (PostgreSQL).
    Aggregate(Aggregate),
    /// A rewrite rule on a table or view (PostgreSQL).
    Rule(Rule),
}

fn schema_arg(schema: Option<&str>) -> Option<String> {
    schema.map(str::to_owned)
}

impl View {
    /// A view in the metadata's default schema; [`View::in_schema`] puts it elsewhere.
    pub fn new(name: impl Into<String>, definition: impl Into<String>) -> Self {
        View {
            schema: None,
            name: name.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
}

impl MaterializedView {
    /// A materialized view `name` of the query `definition`, created with its data.
    pub fn new(name: impl Into<String>, definition: impl Into<String>) -> Self {
        MaterializedView {
            schema: None,
            name: name.into(),
            definition: definition.into(),
            with_data: true,
            indexes: Vec::new(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// Created `WITH NO DATA`.
    pub fn with_no_data(mut self) -> Self {
        self.with_data = false;
        self
    }
    /// With the index `CREATE INDEX name ON <this view> <definition>` (`definition`:
    /// `(customer_id)`, `USING gin (tags)`, ..).
    pub fn index(mut self, name: impl Into<String>, definition: impl Into<String>) -> Self {
        self.indexes.push(MatviewIndex {
            name: name.into(),
            unique: false,
            definition: definition.into(),
        });
        self
    }
    /// With the index `CREATE UNIQUE INDEX name ON <this view> <definition>`.
    pub fn unique_index(mut self, name: impl Into<String>, definition: impl Into<String>) -> Self {
        self.indexes.push(MatviewIndex {
            name: name.into(),
            unique: true,
            definition: definition.into(),
        });
        self
    }
    /// Whether `other` has the same indexes (by name, uniqueness and definition as compared,
    /// in any order).
    pub fn same_indexes(&self, other: &MaterializedView) -> bool {
        let key = |v: &MaterializedView| {
            let mut all: Vec<(String, bool, String)> = v
                .indexes
                .iter()
                .map(|i| {
                    (
                        i.name.clone(),
                        i.unique,
                        comparable(&i.definition).to_owned(),
                    )
                })
                .collect();
            all.sort();
            all
        };
        key(self) == key(other)
    }
}

impl Extension {
    /// The extension `name`, wherever and at whatever version the server installs it.
    pub fn new(name: impl Into<String>) -> Self {
        Extension {
            name: name.into(),
            schema: None,
            version: None,
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// At version `version` (`CREATE EXTENSION .. VERSION`, `ALTER EXTENSION .. UPDATE TO`).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }
}

impl SchemaComment {
    /// `COMMENT ON SCHEMA schema IS 'comment'`.
    pub fn new(schema: impl Into<String>, comment: impl Into<String>) -> Self {
        SchemaComment {
            schema: Some(schema.into()),
            comment: comment.into(),
            only_on: Vec::new(),
        }
    }
}

impl Function {
    /// A function `name(arguments)`; `definition` is the rest of `CREATE FUNCTION`.
    pub fn new(
        name: impl Into<String>,
        arguments: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Function {
            schema: None,
            name: name.into(),
            arguments: arguments.into(),
            definition: definition.into(),
            procedure: false,
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// A procedure `name(arguments)`; `definition` is the rest of `CREATE PROCEDURE`.
    pub fn procedure(
        name: impl Into<String>,
        arguments: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Function {
            procedure: true,
            ..Function::new(name, arguments, definition)
        }
    }
    /// The arguments that identify it (see [`identity_arguments`]).
    pub fn identity_arguments(&self) -> String {
        identity_arguments(&self.arguments)
    }
}

impl Trigger {
    /// A trigger `name` on `table`; `definition` is the rest of `CREATE TRIGGER` after the
    /// name, `ON table` included, as the database prints it back.
    pub fn new(
        table: impl Into<String>,
        name: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Trigger {
            schema: None,
            table: table.into(),
            name: name.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// The function its definition executes (`EXECUTE FUNCTION|PROCEDURE [schema.]name(`),
    /// as (schema, name), unquoted; `None` for a trigger with a body of its own (SQLite).
    pub fn function(&self) -> Option<(Option<String>, String)> {
        trigger_function(&self.definition)
    }
}

/// The builder methods every kind shares.
macro_rules! common_builders {
    ($($t:ident),*) => {$(
        impl $t {
            /// In schema `schema` rather than the metadata's default (a trigger: its
            /// table's schema).
            pub fn in_schema(mut self, schema: impl Into<String>) -> Self {
                self.schema = Some(schema.into());
                self
            }
            /// Created after the entity `name` (`name` or `schema.name`), which its
            /// definition may not name in a way Retort finds.
            pub fn after(mut self, name: impl Into<String>) -> Self {
                self.after.push(name.into());
                self
            }
        }
    )*};
}
/// `.only_on(dialect)` for every kind.
macro_rules! dialect_builders {
    ($($t:ident),*) => {$(
        impl $t {
            /// On `dialect` only (SQLAlchemy's `DDL(..).execute_if(dialect=..)`): every other
            /// database neither creates nor compares it. Called again, on that dialect too
            /// (`.only_on(Postgres).only_on(Mysql)`). A PL/pgSQL function in a history that
            /// also runs on SQLite is one; SQLite's own trigger for the same job, under the
            /// same name, another (`.only_on(Sqlite)`): see `docs/entities.md`.
            pub fn only_on(mut self, dialect: crate::DialectKind) -> Self {
                if !self.only_on.contains(&dialect) {
                    self.only_on.push(dialect);
                    self.only_on.sort();
                }
                self
            }
        }
    )*};
}
dialect_builders!(
    View,
    MaterializedView,
    Function,
    Trigger,
    Extension,
    SchemaComment,
    Policy,
    RowLevelSecurity,
    Grant,
    Domain,
    Aggregate,
    Rule
);

common_builders!(
    View,
    MaterializedView,
    Function,
    Trigger,
    Extension,
    Policy,
    RowLevelSecurity,
    Grant,
    Domain,
    Aggregate,
    Rule
);

macro_rules! into_entity {
    ($($t:ident),*) => {$(
        impl From<$t> for Entity {
            fn from(e: $t) -> Self {
                Entity::$t(e)
            }
        }
    )*};
}
into_entity!(
    View,
    MaterializedView,
    Function,
    Trigger,
    Extension,
    SchemaComment,
    Policy,
    RowLevelSecurity,
    Grant,
    Domain,
    Aggregate,
    Rule
);

/// Matches every kind of entity with the same expression on its inner value, for the
/// accessors of the fields every kind has.
macro_rules! every_kind {
    ($entity:expr, $inner:ident => $body:expr) => {
        match $entity {
            Entity::View($inner) => $body,
            Entity::MaterializedView($inner) => $body,
            Entity::Function($inner) => $body,
            Entity::Trigger($inner) => $body,
            Entity::Extension($inner) => $body,
            Entity::SchemaComment($inner) => $body,
            Entity::Policy($inner) => $body,
            Entity::RowLevelSecurity($inner) => $body,
            Entity::Grant($inner) => $body,
            Entity::Domain($inner) => $body,
            Entity::Aggregate($inner) => $body,
            Entity::Rule($inner) => $body,
        }
    };
}

impl Entity {
    /// What kind of object it is.
    pub fn kind(&self) -> EntityKind {
        match self {
            Entity::View(_) => EntityKind::View,
            Entity::MaterializedView(_) => EntityKind::MaterializedView,
            Entity::Function(f) if f.procedure => EntityKind::Procedure,
            Entity::Function(_) => EntityKind::Function,
            Entity::Trigger(_) => EntityKind::Trigger,
            Entity::Extension(_) => EntityKind::Extension,
            Entity::SchemaComment(_) => EntityKind::SchemaComment,
            Entity::Policy(_) => EntityKind::Policy,
            Entity::RowLevelSecurity(_) => EntityKind::RowLevelSecurity,
            Entity::Grant(_) => EntityKind::Grant,
            Entity::Domain(_) => EntityKind::Domain,
            Entity::Aggregate(_) => EntityKind::Aggregate,
            Entity::Rule(_) => EntityKind::Rule,
        }
    }
    /// Its schema (a trigger: its table's; an extension: where its objects go; a schema's
    /// comment: that schema); `None` is the default one.
    pub fn schema(&self) -> Option<&str> {
        every_kind!(self, e => e.schema.as_deref())
    }
    /// Its schema, to set.
    pub fn schema_mut(&mut self) -> &mut Option<String> {
        every_kind!(self, e => &mut e.schema)
    }
    /// In no schema if it is in `default`, the database's default schema named: the same
    /// object, as the database reads it back (PostgreSQL's catalog gives `public.v` as
    /// `v`). An extension (its schema says where its objects go) and a schema's comment (its
    /// schema is the object) are left as they are.
    pub fn unqualify_default(&mut self, default: &str) {
        if !matches!(self, Entity::Extension(_) | Entity::SchemaComment(_))
            && self.schema() == Some(default)
        {
            *self.schema_mut() = None;
        }
    }
    /// Its name, unquoted (a schema's comment: the schema's).
    pub fn name(&self) -> &str {
        match self {
            Entity::View(v) => &v.name,
            Entity::MaterializedView(v) => &v.name,
            Entity::Function(f) => &f.name,
            Entity::Trigger(t) => &t.name,
            Entity::Extension(e) => &e.name,
            Entity::SchemaComment(c) => c.schema.as_deref().unwrap_or(""),
            Entity::Policy(p) => &p.name,
            Entity::RowLevelSecurity(r) => &r.table,
            Entity::Grant(g) => &g.object,
            Entity::Domain(d) => &d.name,
            Entity::Aggregate(a) => &a.name,
            Entity::Rule(r) => &r.name,
        }
    }
    /// The SQL text that is compared (see the kinds for what it holds; an extension has
    /// none: its schema and version are compared as they are).
    pub fn definition(&self) -> &str {
        match self {
            Entity::View(v) => &v.definition,
            Entity::MaterializedView(v) => &v.definition,
            Entity::Function(f) => &f.definition,
            Entity::Trigger(t) => &t.definition,
            Entity::Extension(_) => "",
            Entity::SchemaComment(c) => &c.comment,
            Entity::Policy(p) => &p.definition,
            Entity::RowLevelSecurity(r) => r.definition(),
            Entity::Grant(g) => g.definition(),
            Entity::Domain(d) => &d.definition,
            Entity::Aggregate(a) => &a.definition,
            Entity::Rule(r) => &r.definition,
        }
    }
    /// The table it is on (a trigger, policy, row level security), if any.
    pub fn table(&self) -> Option<&str> {
        match self {
            Entity::Trigger(t) => Some(&t.table),
            Entity::Policy(p) => Some(&p.table),
            Entity::RowLevelSecurity(r) => Some(&r.table),
            Entity::Rule(r) => Some(&r.table),
            _ => None,
        }
    }
    /// The databases it exists on (`.only_on(..)`, sorted); empty: every one.
    pub fn only_on(&self) -> &[crate::DialectKind] {
        every_kind!(self, e => &e.only_on)
    }
    /// The databases it exists on, to set.
    pub fn only_on_mut(&mut self) -> &mut Vec<crate::DialectKind> {
        every_kind!(self, e => &mut e.only_on)
    }
    /// Whether a database of kind `dialect` has it: always for an entity without
    /// `.only_on(..)`; otherwise only on the dialects named (`None`, a dialect no variant
    /// names, never).
    pub fn is_on(&self, dialect: Option<crate::DialectKind>) -> bool {
        let only = self.only_on();
        only.is_empty() || dialect.is_some_and(|d| only.contains(&d))
    }
    /// Whether `self` and `other` can both exist in one database: one is on every
    /// dialect, or they name a dialect in common. Two entities of one key may be declared
    /// when they cannot (a trigger for PostgreSQL, and SQLite's own of the same name).
    pub fn shares_a_dialect_with(&self, other: &Entity) -> bool {
        let (a, b) = (self.only_on(), other.only_on());
        a.is_empty() || b.is_empty() || a.iter().any(|d| b.contains(d))
    }
    /// The names declared with `.after(..)`.
    pub fn after(&self) -> &[String] {
        match self {
            Entity::View(v) => &v.after,
            Entity::MaterializedView(v) => &v.after,
            Entity::Function(f) => &f.after,
            Entity::Trigger(t) => &t.after,
            Entity::Extension(e) => &e.after,
            Entity::SchemaComment(_) => &[],
            Entity::Policy(p) => &p.after,
            Entity::RowLevelSecurity(r) => &r.after,
            Entity::Grant(g) => &g.after,
            Entity::Domain(d) => &d.after,
            Entity::Aggregate(a) => &a.after,
            Entity::Rule(r) => &r.after,
        }
    }
    /// What identifies it ([`EntityKey`]). An extension's key has no schema (one a
    /// database, whatever schema its objects are in).
    pub fn key(&self) -> EntityKey {
        let (table, arguments) = match self {
            Entity::Function(f) => (None, Some(f.identity_arguments())),
            Entity::Aggregate(a) => (None, Some(a.identity_arguments())),
            Entity::Grant(g) => (None, g.arguments.as_deref().map(identity_arguments)),
            other => (other.table().map(str::to_owned), None),
        };
        let schema = match self {
            Entity::Extension(_) => None,
            _ => schema_arg(self.schema()),
        };
        EntityKey {
            kind: self.kind(),
            schema,
            name: self.name().to_owned(),
            table,
            arguments,
            grant: match self {
                Entity::Grant(g) => Some(g.grant_key()),
                _ => None,
            },
        }
    }
    /// The same object, defined alike: what the comparison asks. The order declared with
    /// `.after(..)` is not part of the definition.
    pub fn same_definition(&self, other: &Entity) -> bool {
        self.key() == other.key()
            && comparable(self.definition()) == comparable(other.definition())
            && match (self, other) {
                (Entity::MaterializedView(a), Entity::MaterializedView(b)) => {
                    a.with_data == b.with_data && a.same_indexes(b)
                }
                (Entity::Extension(a), Entity::Extension(b)) => {
                    let unset_or_same = |x: &Option<String>, y: &Option<String>| {
                        x.is_none() || y.is_none() || x == y
                    };
                    unset_or_same(&a.schema, &b.schema) && unset_or_same(&a.version, &b.version)
                }
                // A comment is kept exactly as written: white space counts.
                (Entity::SchemaComment(a), Entity::SchemaComment(b)) => a.comment == b.comment,
                (Entity::Function(a), Entity::Function(b)) => a.arguments == b.arguments,
                (Entity::Aggregate(a), Entity::Aggregate(b)) => a.arguments == b.arguments,
                _ => true,
            }
    }
    /// Whether its definition names `name` as a whole identifier (case-insensitive): how
    /// a view is found to read a table, or a trigger's body to touch one.
    pub fn mentions(&self, name: &str) -> bool {
        mentions(&self.definition().to_lowercase(), name)
    }
    /// `schema.name` (a trigger: its name alone), for matching `.after(..)` names and the
    /// names found in definitions.
    pub fn qualified_name(&self) -> String {
        qualified(self.schema(), self.name())
    }
}

/// A definition as compared: surrounding white space and a final `;` do not count (the
/// statement rendered from it has neither).
fn comparable(definition: &str) -> &str {
    let t = definition.trim();
    t.strip_suffix(';').unwrap_or(t).trim_end()
}

/// The identity arguments of an argument list, as PostgreSQL identifies a function (what
/// `DROP FUNCTION` takes): `OUT` arguments left out, defaults cut off, white space
/// collapsed. `a int, b text DEFAULT 'x', OUT c int` gives `a int, b text`.
pub fn identity_arguments(arguments: &str) -> String {
    split_top_level(arguments, ',')
        .into_iter()
        .filter_map(|arg| {
            let words = collapse(&arg);
            let lower = words.to_lowercase();
            if lower.starts_with("out ") {
                return None;
            }
            let cut = [" default ", "="]
                .iter()
                .filter_map(|m| find_top_level(&lower, m))
                .min()
                .unwrap_or(words.len());
            let kept = words[..cut].trim().to_owned();
            let kept = kept
                .strip_prefix("IN ")
                .or_else(|| kept.strip_prefix("in "))
                .map(str::to_owned)
                .unwrap_or(kept);
            (!kept.is_empty()).then_some(kept)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The function a trigger definition executes, unquoted (see [`Trigger::function`]).
pub fn trigger_function(definition: &str) -> Option<(Option<String>, String)> {
    let lower = definition.to_lowercase();
    let at = ["execute function", "execute procedure"]
        .iter()
        .filter_map(|m| lower.find(m).map(|i| i + m.len()))
        .min()?;
    let rest = definition[at..].trim_start();
    let end = rest.find('(')?;
    let name = rest[..end].trim();
    let parts = split_top_level(name, '.');
    let unquote = |s: &str| {
        let s = s.trim();
        match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(q) => q.replace("\"\"", "\""),
            None => s.to_lowercase(),
        }
    };
    match parts.as_slice() {
        [n] => Some((None, unquote(n))),
        [s, n] => Some((Some(unquote(s)), unquote(n))),
        _ => None,
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits at `sep` outside parentheses, quotes and double quotes.
fn split_top_level(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quote) = (0i32, None::<char>);
    for ch in s.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() || !out.is_empty() {
        out.push(cur);
    }
    out
}

fn find_top_level(lower: &str, marker: &str) -> Option<usize> {
    let (mut depth, mut quote) = (0i32, None::<char>);
    for (i, ch) in lower.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, _) if depth == 0 && lower[i..].starts_with(marker) => return Some(i),
            _ => {}
        }
    }
    None
}

/// Whether `word` appears in `text` as a whole identifier (case-insensitive; `text`
/// lowercase), possibly quoted or qualified.
fn mentions(text: &str, word: &str) -> bool {
    let word = word.to_lowercase();
    if word.is_empty() {
        return false;
    }
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut start = 0;
    while let Some(i) = text[start..].find(&word) {
        let at = start + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
            return true;
        }
        start = at + word.len();
    }
    false
}

/// Whether `c` can be part of an unquoted identifier (what [`Entity::mentions`] treats as
/// a word character).
fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// For each entity, the indexes of the entities it must be created after: those it names
/// with `.after(..)`, a trigger's function, a rule's view, the views, materialized views,
/// functions, aggregates and domains its definition names (found by name, as a whole word:
/// an extra edge only orders, and a cycle of found names falls back to declaration order),
/// and the `known` pairs. Built
/// with maps, so a schema of thousands of entities costs a pass over their texts.
pub(super) fn dependency_lists(
    entities: &[Entity],
    known: &[(EntityKey, EntityKey)],
) -> Vec<Vec<usize>> {
    use std::collections::{HashMap, HashSet};
    let keys: Vec<EntityKey> = entities.iter().map(Entity::key).collect();
    let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
    let mut odd_names: Vec<usize> = Vec::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_qualified: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_object: HashMap<(EntityKind, Option<&str>, &str), Vec<usize>> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        if matches!(
            e,
            Entity::View(_)
                | Entity::MaterializedView(_)
                | Entity::Function(_)
                | Entity::Extension(_)
                | Entity::Domain(_)
                | Entity::Aggregate(_)
        ) {
            let lower = e.name().to_lowercase();
            if lower.chars().all(is_ident) {
                by_word.entry(lower).or_default().push(i);
            } else {
                odd_names.push(i);
            }
        }
        by_name.entry(e.name()).or_default().push(i);
        by_qualified.entry(e.qualified_name()).or_default().push(i);
        by_object
            .entry((e.kind(), e.schema(), e.name()))
            .or_default()
            .push(i);
    }
    let mut out = Vec::with_capacity(entities.len());
    for (i, e) in entities.iter().enumerate() {
        let mut deps: Vec<usize> = Vec::new();
        let add = |j: usize, deps: &mut Vec<usize>| {
            if j != i && keys[j] != keys[i] && !deps.contains(&j) {
                deps.push(j);
            }
        };
        let text = e.definition().to_lowercase();
        let words: HashSet<&str> = text
            .split(|c: char| !is_ident(c))
            .filter(|w| !w.is_empty())
            .collect();
        for w in &words {
            for &j in by_word.get(*w).into_iter().flatten() {
                add(j, &mut deps);
            }
        }
        for &j in &odd_names {
            if mentions(&text, entities[j].name()) {
                add(j, &mut deps);
            }
        }
        for a in e.after() {
            let found = if a.contains('.') {
                by_qualified.get(a)
            } else {
                by_name.get(a.as_str())
            };
            for &j in found.into_iter().flatten() {
                add(j, &mut deps);
            }
        }
        if let Entity::Grant(g) = e {
            // After its object, when that is an entity too (a view, a function).
            for &j in by_name.get(g.object.as_str()).into_iter().flatten() {
                let o = &entities[j];
                let kind_fits = match g.on {
                    GrantObject::Function => matches!(o, Entity::Function(_)),
                    _ => matches!(o, Entity::View(_) | Entity::MaterializedView(_)),
                };
                if kind_fits && o.schema() == e.schema() {
                    add(j, &mut deps);
                }
            }
        }
        if let Entity::Rule(r) = e {
            // After its view, when it is on one (a table is always there before).
            for &j in by_name.get(r.table.as_str()).into_iter().flatten() {
                let o = &entities[j];
                if matches!(o, Entity::View(_) | Entity::MaterializedView(_))
                    && o.schema() == e.schema()
                {
                    add(j, &mut deps);
                }
            }
        }
        if let Entity::Trigger(t) = e {
            if let Some((schema, name)) = t.function() {
                for &j in by_name.get(name.as_str()).into_iter().flatten() {
                    let f = &entities[j];
                    if matches!(f, Entity::Function(_))
                        && (schema.is_none() || schema.as_deref() == f.schema())
                    {
                        add(j, &mut deps);
                    }
                }
            }
        }
        out.push(deps);
    }
    for (dependent, dependency) in known {
        let find = |k: &EntityKey| {
            by_object
                .get(&(k.kind, k.schema.as_deref(), k.name.as_str()))
                .into_iter()
                .flatten()
                .copied()
                .find(|&x| keys[x].matches(k))
        };
        if let (Some(i), Some(j)) = (find(dependent), find(dependency)) {
            if i != j && !out[i].contains(&j) {
                out[i].push(j);
            }
        }
    }
    out
}

/// The order in which `entities` can be created: each after what it depends on (see
/// [`sort_entities_with`]), otherwise by kind (functions, then views, then triggers) and
/// declaration order. A cycle is broken at its first-declared member (the database reports
/// a real one when the statements run). Drop in the reverse order.
pub fn sort_entities(entities: &[Entity]) -> Vec<usize> {
    sort_entities_with(entities, &[])
}

/// [`sort_entities`] with dependencies known from elsewhere besides: (dependent,
/// dependency) pairs of keys, as a live database's catalog records them (PostgreSQL's
/// `pg_depend`), for what a search by name cannot see. What an entity depends on: those
/// it names with `.after(..)`, a trigger's function, a rule's view, and the views,
/// materialized views, functions, aggregates and domains its definition names as a whole
/// word.
pub fn sort_entities_with(entities: &[Entity], known: &[(EntityKey, EntityKey)]) -> Vec<usize> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = entities.len();
    let deps = dependency_lists(entities, known);
    let rank = |i: usize| (entities[i].kind().rank(), i);
    let mut waiting = vec![0usize; n];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ds) in deps.iter().enumerate() {
        waiting[i] = ds.len();
        for &j in ds {
            users[j].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<(u8, usize)>> = (0..n)
        .filter(|&i| waiting[i] == 0)
        .map(|i| Reverse(rank(i)))
        .collect();
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let i = match ready.pop() {
            Some(Reverse((_, i))) => i,
            // A cycle: its first-declared member (by kind, then declaration) goes first.
            None => match (0..n).filter(|&i| !done[i]).min_by_key(|&i| rank(i)) {
                Some(i) => i,
                None => break,
            },
        };
        if done[i] {
            continue;
        }
        done[i] = true;
        out.push(i);
        for &u in &users[i] {
            waiting[u] = waiting[u].saturating_sub(1);
            if waiting[u] == 0 && !done[u] {
                ready.push(Reverse(rank(u)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_arguments_leave_out_defaults_out_arguments_and_modes() {
        assert_eq!(
            identity_arguments("a int, b  text DEFAULT 'x, y', OUT c int, IN d numeric(10, 2) = 1"),
            "a int, b text, d numeric(10, 2)"
        );
        assert_eq!(identity_arguments(""), "");
        assert_eq!(identity_arguments("integer"), "integer");
    }

    #[test]
    fn overloads_are_distinct_entities() {
        let a = Entity::from(Function::new(
            "f",
            "a int",
            "RETURNS int AS 'select 1' LANGUAGE sql",
        ));
        let b = Entity::from(Function::new(
            "f",
            "a text",
            "RETURNS int AS 'select 1' LANGUAGE sql",
        ));
        assert_ne!(a.key(), b.key());
        assert_eq!(a.key().to_string(), "function f(a int)");
        let spelled = Entity::from(Function::new("f", "a  INTEGER", ""));
        assert!(a.key().matches(&spelled.key()));
        assert!(!b.key().matches(&spelled.key()));
    }

    #[test]
    fn a_trigger_names_its_function() {
        let t = Trigger::new(
            "orders",
            "touch",
            "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION app.\"Touch\"()",
        );
        assert_eq!(t.function(), Some((Some("app".into()), "Touch".into())));
        let t = Trigger::new("orders", "t", "AFTER INSERT ON orders BEGIN SELECT 1; END");
        assert_eq!(t.function(), None);
        assert_eq!(Entity::from(t).key().to_string(), "trigger t on orders");
    }

    #[test]
    fn sorted_by_dependencies_then_kind_then_declaration() {
        let all: Vec<Entity> = vec![
            Trigger::new(
                "orders",
                "t",
                "BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
            )
            .into(),
            View::new("top", "SELECT * FROM totals WHERE total > 10").into(),
            View::new(
                "totals",
                "SELECT customer_id, sum(x) AS total FROM orders GROUP BY 1",
            )
            .into(),
            Function::new(
                "touch",
                "",
                "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            )
            .into(),
        ];
        let order: Vec<&str> = sort_entities(&all).iter().map(|&i| all[i].name()).collect();
        assert_eq!(order, ["touch", "totals", "top", "t"]);
    }

    #[test]
    fn known_dependencies_order_what_names_do_not_show() {
        let all: Vec<Entity> = vec![
            View::new("a", "SELECT * FROM report_source()").into(),
            View::new("b", "SELECT 1 AS n").into(),
        ];
        // `a` reads `b` through a function: nothing in its text names `b`.
        assert_eq!(sort_entities(&all), [0, 1]);
        let known = [(all[0].key(), all[1].key())];
        assert_eq!(sort_entities_with(&all, &known), [1, 0]);
    }

    #[test]
    fn a_cycle_falls_back_to_declaration_order() {
        let all: Vec<Entity> = vec![
            View::new("a", "SELECT * FROM b").into(),
            View::new("b", "SELECT * FROM a").into(),
        ];
        assert_eq!(sort_entities(&all), [0, 1]);
    }
}
