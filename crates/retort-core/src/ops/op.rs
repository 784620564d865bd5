//! The [`Op`] enum: one migration operation, as plain data.
//!
//! Every variant is self-contained: it names its table by `schema` (`None`: the metadata's
//! default schema) and name, and carries everything a dialect needs to render it without
//! looking anything up. Variants that remove or change something also carry the *old*
//! value where they can (`existing`, `existing_*`, as Alembic's `existing_type`): that is
//! what makes [`Op::reverse`] exact. An old value of `None` means "not recorded", never
//! "there was none"; where "there was none" must be said, the field is `Option<Option<_>>`.

use crate::{
    Check, Column, Computed, Entity, EntityKey, EnumType, Exclude, ForeignKey, Identity, Index,
    Literal, PrimaryKey, Sequence, ServerDefault, Table, Type, Unique,
};

/// One migration operation. Recorded by [`super::Operations`], produced by the diff,
/// rendered to SQL by a dialect, replayed into a [`crate::MetaData`] by [`Op::apply`].
// `AlterColumn` carries every old and new value (two identities with all their sequence
// options, two collations among them), so it is the largest variant by far; a revision holds
// tens of ops, not millions, and boxing it would cost every pattern match in the crates for no
// measurable gain.
//
// Not `#[non_exhaustive]`, on purpose: every crate that renders, writes, reverses or applies
// ops matches them exhaustively, so a new variant fails to compile wherever it is not yet
// handled instead of reaching a wildcard arm at run time (issue 12, item 4).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `CREATE TABLE`, with its columns, constraints, indexes and comment.
    CreateTable { table: Table },
    /// `DROP TABLE`. `existing` is the full definition, needed to reverse it.
    DropTable {
        schema: Option<String>,
        name: String,
        existing: Option<Table>,
    },
    /// `ALTER TABLE old RENAME TO new`.
    RenameTable {
        schema: Option<String>,
        old_name: String,
        new_name: String,
    },
    /// `ALTER TABLE t ADD COLUMN`.
    AddColumn {
        schema: Option<String>,
        table: String,
        column: Column,
    },
    /// `ALTER TABLE t DROP COLUMN`. `existing` is the full column, needed to reverse it.
    DropColumn {
        schema: Option<String>,
        table: String,
        column: String,
        existing: Option<Column>,
    },
    /// Any change to one column: see [`AlterColumn`].
    AlterColumn(AlterColumn),
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY]`. The index name is `index.name`.
    CreateIndex {
        schema: Option<String>,
        table: String,
        index: Index,
        /// Must run outside a transaction (PostgreSQL `CONCURRENTLY`).
        concurrently: bool,
    },
    /// `DROP INDEX [CONCURRENTLY]`. `existing` is the definition, needed to reverse it.
    DropIndex {
        schema: Option<String>,
        table: String,
        name: String,
        existing: Option<Index>,
        /// Must run outside a transaction (PostgreSQL `CONCURRENTLY`).
        concurrently: bool,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name UNIQUE (..)`.
    CreateUniqueConstraint {
        schema: Option<String>,
        table: String,
        unique: Unique,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY (..) REFERENCES ..`.
    CreateForeignKey {
        schema: Option<String>,
        table: String,
        foreign_key: ForeignKey,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name CHECK (..)`.
    CreateCheckConstraint {
        schema: Option<String>,
        table: String,
        check: Check,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name EXCLUDE USING method (..)` (PostgreSQL).
    CreateExcludeConstraint {
        schema: Option<String>,
        table: String,
        exclude: Exclude,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name PRIMARY KEY (..)`.
    CreatePrimaryKey {
        schema: Option<String>,
        table: String,
        primary_key: PrimaryKey,
    },
    /// `ALTER TABLE t DROP CONSTRAINT name`. `existing` is the definition, needed to
    /// reverse it; when present its kind agrees with `kind`.
    DropConstraint {
        schema: Option<String>,
        table: String,
        name: String,
        kind: ConstraintKind,
        existing: Option<Constraint>,
    },
    /// `COMMENT ON TABLE t IS '..'`. `existing_comment` is the comment it replaces; `None`
    /// means the table had none, as in Alembic, so the reverse drops the comment.
    CreateTableComment {
        schema: Option<String>,
        table: String,
        comment: String,
        existing_comment: Option<String>,
    },
    /// `COMMENT ON TABLE t IS NULL`. `existing_comment` is needed to reverse it.
    DropTableComment {
        schema: Option<String>,
        table: String,
        existing_comment: Option<String>,
    },
    /// `CREATE TYPE name AS ENUM (..)`.
    CreateEnum { enum_type: EnumType },
    /// `DROP TYPE name`. `existing` is the definition, needed to reverse it.
    DropEnum {
        schema: Option<String>,
        name: String,
        existing: Option<EnumType>,
    },
    /// `ALTER TYPE name ADD VALUE 'v' [BEFORE | AFTER 'w']`. PostgreSQL cannot remove an
    /// enum value, so the reverse is a [`Op::RecreateEnum`] back to `existing`, the type's
    /// values before the addition; without them the op is not reversible.
    AddEnumValue {
        schema: Option<String>,
        enum_name: String,
        value: String,
        position: Option<EnumValuePosition>,
        existing: Option<Vec<String>>,
    },
    /// Gives the enum type `name` exactly `values` by a safe type swap: the old type is
    /// renamed aside, the new one created under the name, every column using it converted
    /// through `text` (its default dropped and set again around the change), and the old
    /// type dropped. Rows holding a value that is gone make it fail. `existing` is the
    /// values before, needed to reverse it. On a database without named enum types the
    /// tables using it are rebuilt with the new values.
    RecreateEnum {
        schema: Option<String>,
        name: String,
        values: Vec<String>,
        existing: Option<Vec<String>>,
    },
    /// `CREATE SEQUENCE name AS ty ..`, moved to its recorded last value if it has one. With
    /// `owned_by`, the column becomes serial: the sequence is owned by it, the column's
    /// default becomes its `nextval`, and it is moved past the column's values.
    CreateSequence { sequence: Sequence },
    /// `DROP SEQUENCE name`; for a serial column's sequence (`existing.owned_by`) the column's
    /// `nextval` default is dropped first. `existing` is the definition, needed to reverse it.
    DropSequence {
        schema: Option<String>,
        name: String,
        existing: Option<Sequence>,
    },
    /// `ALTER SEQUENCE name AS ty ..`: a standalone or a serial column's sequence gets the
    /// type and options of `sequence` (same schema and name; its owner and last value are
    /// not changed). `existing` is the definition before, needed to reverse it.
    AlterSequence {
        sequence: Sequence,
        existing: Option<Sequence>,
    },
    /// Creates a view, materialized view, function, procedure or trigger
    /// (`retort_core::schema::entity`).
    CreateEntity { entity: Entity },
    /// Gives an existing entity (the same [`EntityKey`]) the definition of `entity`:
    /// `CREATE OR REPLACE` where the database can, drop and create where it refuses (a view
    /// whose columns change, a function whose return type changes, a trigger). `existing`
    /// is the definition it replaces, needed to reverse it exactly.
    ReplaceEntity {
        entity: Entity,
        existing: Option<Entity>,
    },
    /// Drops an entity. `existing` is its definition, needed to reverse it.
    DropEntity {
        key: EntityKey,
        existing: Option<Entity>,
    },
    /// `CREATE SCHEMA name`.
    CreateSchema { name: String },
    /// `DROP SCHEMA name`.
    DropSchema { name: String },
    /// Raw SQL, the escape hatch for data migrations. Reversible only with `reverse_sql`.
    Execute {
        sql: String,
        reverse_sql: Option<String>,
        /// Must run outside a transaction (`VACUUM`, which neither PostgreSQL nor SQLite
        /// runs in one): declared by the author, as SQL is not parsed. The reverse SQL
        /// runs outside one too.
        outside_transaction: bool,
    },
    /// The table as the database has it at this point, declared by the author for the
    /// SQLite table rebuilds that follow it in the same revision (Alembic's
    /// `batch_alter_table(copy_from=...)`): offline `--sql` has no database to read, so it
    /// rebuilds from this definition instead of refusing. No SQL, and no change to the
    /// replayed schema; the online runner reads the live table and does not use it.
    CopyFrom { table: Table },
    /// `INSERT INTO table (columns) VALUES (..), (..)`: literal rows, rendered by the
    /// dialect. Not reversible.
    BulkInsert {
        schema: Option<String>,
        table: String,
        columns: Vec<String>,
        rows: Vec<Vec<Literal>>,
    },
}

impl Op {
    /// Whether the op is declared to run outside a transaction (PostgreSQL's
    /// `CONCURRENTLY`, raw SQL such as `VACUUM` recorded `.outside_transaction()`), so the
    /// runner commits before it and runs it on its own.
    pub fn runs_outside_transaction(&self) -> bool {
        matches!(
            self,
            Op::CreateIndex {
                concurrently: true,
                ..
            } | Op::DropIndex {
                concurrently: true,
                ..
            } | Op::Execute {
                outside_transaction: true,
                ..
            }
        )
    }
}

/// `ALTER TABLE t ALTER COLUMN c ...`: every property an alter can change, each with its
/// old value.
///
/// A change field is `None` when that property is left alone. For properties that can be
/// removed (server default, comment, identity, computed), the change is `Option<Option<T>>`:
/// `Some(None)` removes it, `Some(Some(v))` sets it. An `existing_*` field is `None` when the
/// old value was not recorded, and `Some(None)` when it is known there was none.
/// `existing_*` values of properties that do not change are context a dialect may need
/// (MySQL restates the whole column) and are carried over to the reverse.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlterColumn {
    pub schema: Option<String>,
    pub table: String,
    /// The column's current name (before any rename this op makes).
    pub column: String,

    pub nullable: Option<bool>,
    pub existing_nullable: Option<bool>,

    pub type_: Option<Type>,
    /// `USING expr` for a type change the database cannot cast implicitly (PostgreSQL).
    pub using: Option<String>,
    pub existing_type: Option<Type>,

    pub server_default: Option<Option<ServerDefault>>,
    pub existing_server_default: Option<Option<ServerDefault>>,

    /// Rename the column to this name.
    pub new_name: Option<String>,

    pub comment: Option<Option<String>>,
    pub existing_comment: Option<Option<String>>,

    /// Add (`Some(Some)` over none), change generation/start/increment (`Some(Some)` over
    /// one) or drop (`Some(None)`) the identity.
    pub identity: Option<Option<Identity>>,
    pub existing_identity: Option<Option<Identity>>,

    /// Set (`Some(Some)`) or drop (`Some(None)`) the generated-column expression.
    pub computed: Option<Option<Computed>>,
    pub existing_computed: Option<Option<Computed>>,

    /// Set (`Some(Some)`) the column's collation, or go back to the type's default
    /// (`Some(None)`).
    pub collation: Option<Option<String>>,
    pub existing_collation: Option<Option<String>>,
}

impl AlterColumn {
    /// An alter of `table.column` that changes nothing yet.
    pub fn new(table: impl Into<String>, column: impl Into<String>) -> Self {
        Self {
            table: table.into(),
            column: column.into(),
            ..Self::default()
        }
    }
    /// The names of the properties this alter changes, in a fixed order (for messages).
    pub fn changed(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.nullable.is_some() {
            out.push("nullable");
        }
        if self.type_.is_some() {
            out.push("type");
        }
        if self.server_default.is_some() {
            out.push("server_default");
        }
        if self.comment.is_some() {
            out.push("comment");
        }
        if self.identity.is_some() {
            out.push("identity");
        }
        if self.computed.is_some() {
            out.push("computed");
        }
        if self.collation.is_some() {
            out.push("collation");
        }
        if self.new_name.is_some() {
            out.push("name");
        }
        out
    }
}

/// The kind of a named table constraint, as `drop_constraint` needs it (Alembic's `type_`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintKind {
    PrimaryKey,
    ForeignKey,
    Unique,
    Check,
    Exclude,
}

impl ConstraintKind {
    /// How messages name the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::Unique => "unique constraint",
            ConstraintKind::Check => "check constraint",
            ConstraintKind::Exclude => "exclusion constraint",
        }
    }
}

/// A table constraint of any kind: what `drop_constraint` carries to be reversible.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Constraint {
    PrimaryKey(PrimaryKey),
    ForeignKey(ForeignKey),
    Unique(Unique),
    Check(Check),
    Exclude(Exclude),
}

impl Constraint {
    pub fn kind(&self) -> ConstraintKind {
        match self {
            Constraint::PrimaryKey(_) => ConstraintKind::PrimaryKey,
            Constraint::ForeignKey(_) => ConstraintKind::ForeignKey,
            Constraint::Unique(_) => ConstraintKind::Unique,
            Constraint::Check(_) => ConstraintKind::Check,
            Constraint::Exclude(_) => ConstraintKind::Exclude,
        }
    }
    pub fn name(&self) -> Option<&str> {
        match self {
            Constraint::PrimaryKey(c) => c.name.as_deref(),
            Constraint::ForeignKey(c) => c.name.as_deref(),
            Constraint::Unique(c) => c.name.as_deref(),
            Constraint::Check(c) => c.name.as_deref(),
            Constraint::Exclude(c) => c.name.as_deref(),
        }
    }
    /// The op that adds this constraint to `schema.table`: the one place a constraint
    /// becomes its `Create*` op (the diff's additions and the reverse of a drop both use it).
    pub fn into_create_op(self, schema: Option<String>, table: String) -> Op {
        match self {
            Constraint::PrimaryKey(primary_key) => Op::CreatePrimaryKey {
                schema,
                table,
                primary_key,
            },
            Constraint::ForeignKey(foreign_key) => Op::CreateForeignKey {
                schema,
                table,
                foreign_key,
            },
            Constraint::Unique(unique) => Op::CreateUniqueConstraint {
                schema,
                table,
                unique,
            },
            Constraint::Check(check) => Op::CreateCheckConstraint {
                schema,
                table,
                check,
            },
            Constraint::Exclude(exclude) => Op::CreateExcludeConstraint {
                schema,
                table,
                exclude,
            },
        }
    }
    /// The same constraint under another name (`None`: unnamed).
    pub fn with_name(mut self, name: Option<String>) -> Self {
        let slot = match &mut self {
            Constraint::PrimaryKey(c) => &mut c.name,
            Constraint::ForeignKey(c) => &mut c.name,
            Constraint::Unique(c) => &mut c.name,
            Constraint::Check(c) => &mut c.name,
            Constraint::Exclude(c) => &mut c.name,
        };
        *slot = name;
        self
    }
}

/// Where `ALTER TYPE .. ADD VALUE` puts the new value; by default it goes last.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumValuePosition {
    Before(String),
    After(String),
}

pub(crate) use crate::schema::qualified;
