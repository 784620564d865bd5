//! PostgreSQL objects beside tables that columns, views and writes lean on: domains,
//! aggregates and rules (Pagila has one of each kind). They are entities like views and
//! functions ([`Entity`](super::Entity)): compared by key and definition text (spelled by the
//! server on a live database), ordered by dependencies, created and dropped by ops that
//! carry their old definitions, and dropped by autogenerate only when the revision history
//! created them.
//!
//! * [`Domain`]: `CREATE DOMAIN name <definition>`, the definition being the rest of the
//!   statement (`AS integer DEFAULT 0 NOT NULL CONSTRAINT positive CHECK (VALUE > 0)`:
//!   base type, collation, default, `NOT NULL`, checks). A column of the domain's type names
//!   it (`#[retort(sql_type = "year")]`), so the diff creates domains before the tables
//!   (right after the enum types and sequences) and drops them after the tables.
//! * [`Aggregate`]: `CREATE AGGREGATE name(<arguments>) <definition>`, the definition being
//!   the parenthesised options (`(SFUNC = _group_concat, STYPE = text)`); its key holds its
//!   identity arguments as a function's does. Created after the functions it names, before
//!   the views that call it.
//! * [`Rule`]: `CREATE RULE name <definition>` on a table or view, the definition being the
//!   rest of the statement (`AS ON INSERT TO payment WHERE .. DO INSTEAD INSERT ..`), as
//!   `pg_get_ruledef` prints it; the table is given apart, because a rule is dropped by
//!   name on its table. A view's own `_RETURN` rule is the view, never a rule of its own.

/// `CREATE DOMAIN name <definition>` (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain {
    /// Its schema; `None` is the metadata's default.
    pub schema: Option<String>,
    /// Its name, unquoted.
    pub name: String,
    /// Everything after the name: `AS base_type [COLLATE ..] [DEFAULT ..] [NOT NULL]
    /// [CONSTRAINT name CHECK (..)]..`.
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty:
    /// every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `CREATE AGGREGATE name(<arguments>) <definition>` (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Aggregate {
    /// Its schema; `None` is the metadata's default.
    pub schema: Option<String>,
    /// Its name, unquoted.
    pub name: String,
    /// The argument list as `CREATE AGGREGATE` takes it (`text`, `ORDER BY anyelement`).
    pub arguments: String,
    /// The parenthesised options: `(SFUNC = .., STYPE = .. [, FINALFUNC = ..] ..)`.
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after, beside the
    /// functions its definition names.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty:
    /// every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `CREATE RULE name <definition>` on a table or view (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    /// The schema of its table (a rule lives with its table).
    pub schema: Option<String>,
    /// The table or view it is on.
    pub table: String,
    /// Its name (unique per table).
    pub name: String,
    /// Everything after the name: `AS ON event TO table [WHERE ..] DO [ALSO|INSTEAD] ..`.
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after, beside its view.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty:
    /// every one.
    pub only_on: Vec<crate::DialectKind>,
}

impl Domain {
    /// The domain `name`; `definition` is the rest of `CREATE DOMAIN` (`AS integer ..`).
    pub fn new(name: impl Into<String>, definition: impl Into<String>) -> Self {
        Domain {
            schema: None,
            name: name.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
}

impl Aggregate {
    /// The aggregate `name(arguments)`; `definition` is its parenthesised options.
    pub fn new(
        name: impl Into<String>,
        arguments: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Aggregate {
            schema: None,
            name: name.into(),
            arguments: arguments.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// The arguments that identify it (what `DROP AGGREGATE` takes; see
    /// [`identity_arguments`](super::identity_arguments)).
    pub fn identity_arguments(&self) -> String {
        super::identity_arguments(&self.arguments)
    }
}

impl Rule {
    /// A rule `name` on `table`; `definition` is the rest of `CREATE RULE` after the name,
    /// `AS ON .. TO table` included.
    pub fn new(
        table: impl Into<String>,
        name: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Rule {
            schema: None,
            table: table.into(),
            name: name.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
}
