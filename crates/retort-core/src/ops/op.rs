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
    Literal, PrimaryKey, Sequence, ServerDefault, Table, TableRef, Type, Unique,
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
    CreateTable {
        /// The full definition to create: schema, name, columns, constraints, indexes, comment.
        table: Table,
    },
    /// `DROP TABLE`. `existing` is the full definition, needed to reverse it.
    DropTable {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// Name of the table to drop.
        name: String,
        /// The table's full definition before the drop; `None`: not recorded, so the op cannot be
        /// reversed.
        existing: Option<Table>,
        /// The revision says losing the table's rows is intended (`.data_loss_ok()`): the
        /// runner's data-loss guard lets it drop a table holding rows. Autogenerate never
        /// sets it; the reverse of a create never has it.
        data_loss_ok: bool,
    },
    /// `ALTER TABLE old RENAME TO new`.
    RenameTable {
        /// Schema of the table (it stays there); `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table's name before the rename.
        old_name: String,
        /// The table's name after the rename.
        new_name: String,
    },
    /// `ALTER TABLE t ADD COLUMN`.
    AddColumn {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the column is added to.
        table: String,
        /// The new column's full definition: name, type, nullability, default, comment.
        column: Column,
    },
    /// `ALTER TABLE t DROP COLUMN`. `existing` is the full column, needed to reverse it.
    DropColumn {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the column is dropped from.
        table: String,
        /// Name of the column to drop.
        column: String,
        /// The column's full definition before the drop; `None`: not recorded, so the op cannot be
        /// reversed.
        existing: Option<Column>,
        /// The revision says losing the column's values is intended (`.data_loss_ok()`): the
        /// runner's data-loss guard lets it drop a column holding values. Autogenerate never
        /// sets it; the reverse of an add never has it.
        data_loss_ok: bool,
    },
    /// Any change to one column: see [`AlterColumn`].
    AlterColumn(AlterColumn),
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY]`. The index name is `index.name`.
    CreateIndex {
        /// Schema of the table (and of the index, on PostgreSQL); `None` is the metadata's default
        /// schema.
        schema: Option<String>,
        /// The table the index is built on.
        table: String,
        /// The index to create: name, columns or expressions, uniqueness, method.
        index: Index,
        /// Must run outside a transaction (PostgreSQL `CONCURRENTLY`).
        concurrently: bool,
    },
    /// `DROP INDEX [CONCURRENTLY]`. `existing` is the definition, needed to reverse it.
    DropIndex {
        /// Schema of the table (and of the index, on PostgreSQL); `None` is the metadata's default
        /// schema.
        schema: Option<String>,
        /// The table the index is on (MySQL's `DROP INDEX .. ON t` needs it).
        table: String,
        /// Name of the index to drop.
        name: String,
        /// The index's definition before the drop; `None`: not recorded, so the op cannot be
        /// reversed.
        existing: Option<Index>,
        /// Must run outside a transaction (PostgreSQL `CONCURRENTLY`).
        concurrently: bool,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name UNIQUE (..)`.
    CreateUniqueConstraint {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the constraint is added to.
        table: String,
        /// The unique constraint to add: its name and columns.
        unique: Unique,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY (..) REFERENCES ..`.
    CreateForeignKey {
        /// Schema of the referencing table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The referencing table, the one the constraint is added to.
        table: String,
        /// The foreign key to add: local columns, referenced table and columns, `ON DELETE`/`ON
        /// UPDATE` actions.
        foreign_key: ForeignKey,
        /// Added `NOT VALID` (PostgreSQL): existing rows are not checked, so the statement
        /// takes its lock for a moment only; a later [`Op::ValidateConstraint`] checks them
        /// under a weaker lock. Other databases add it plainly (`docs/online.md`).
        not_valid: bool,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name CHECK (..)`.
    CreateCheckConstraint {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the constraint is added to.
        table: String,
        /// The check constraint to add: its name and SQL condition.
        check: Check,
        /// Added `NOT VALID` (PostgreSQL), as for [`Op::CreateForeignKey`].
        not_valid: bool,
    },
    /// `ALTER TABLE t VALIDATE CONSTRAINT name` (PostgreSQL): checks the existing rows against
    /// a foreign key or check added `NOT VALID`, under a `SHARE UPDATE EXCLUSIVE` lock that
    /// lets reads and writes go on. It runs outside the revision's transaction, after a
    /// commit, so the stronger lock of the `ADD` is already released while it scans; its
    /// progress is recorded like any statement outside a transaction. Validating a valid
    /// constraint does nothing, so it is its own reverse and safe to run again on resume.
    /// Other databases have no such step: it renders to nothing there.
    ValidateConstraint {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the constraint belongs to.
        table: String,
        /// Name of the constraint to validate.
        name: String,
        /// A foreign key or a check, the only kinds PostgreSQL adds `NOT VALID`.
        kind: ConstraintKind,
    },
    /// One step of a column type change by add-copy-swap (PostgreSQL), the online form of
    /// `alter_column(..).type_(..)`: see [`ColumnSwap`] and `docs/online.md`.
    SwapColumnType(ColumnSwap),
    /// `ALTER TABLE t ADD CONSTRAINT name EXCLUDE USING method (..)` (PostgreSQL).
    CreateExcludeConstraint {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the constraint is added to.
        table: String,
        /// The exclusion constraint to add: its name, index method and `element WITH operator`
        /// pairs.
        exclude: Exclude,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name PRIMARY KEY (..)`.
    CreatePrimaryKey {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the primary key is added to.
        table: String,
        /// The primary key to add: its name and columns.
        primary_key: PrimaryKey,
    },
    /// `ALTER TABLE t DROP CONSTRAINT name`. `existing` is the definition, needed to
    /// reverse it; when present its kind agrees with `kind`.
    DropConstraint {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the constraint belongs to.
        table: String,
        /// Name of the constraint to drop; empty when the recording gave none (MySQL drops its
        /// primary key without a name).
        name: String,
        /// What kind of constraint it is: MySQL drops each kind with a different statement (`DROP
        /// PRIMARY KEY`, `DROP FOREIGN KEY`, `DROP INDEX`, `DROP CHECK`).
        kind: ConstraintKind,
        /// The constraint's definition before the drop; `None`: not recorded, so the op cannot be
        /// reversed.
        existing: Option<Constraint>,
    },
    /// `COMMENT ON TABLE t IS '..'`. `existing_comment` is the comment it replaces; `None`
    /// means the table had none, as in Alembic, so the reverse drops the comment.
    CreateTableComment {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table whose comment is set.
        table: String,
        /// The new comment text, unquoted.
        comment: String,
        /// The comment this one replaces; `None`: the table had none, so the reverse drops the
        /// comment.
        existing_comment: Option<String>,
    },
    /// `COMMENT ON TABLE t IS NULL`. `existing_comment` is needed to reverse it.
    DropTableComment {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table whose comment is removed.
        table: String,
        /// The comment removed; `None`: not recorded, so the op cannot be reversed.
        existing_comment: Option<String>,
    },
    /// `ALTER TABLE t INHERIT parent` (PostgreSQL): the table becomes a child of `parent`,
    /// whose columns it must already have.
    Inherit {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The child table.
        table: String,
        /// The parent table.
        parent: TableRef,
    },
    /// `ALTER TABLE t NO INHERIT parent` (PostgreSQL): the columns it had from `parent` stay,
    /// as its own.
    NoInherit {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The child table.
        table: String,
        /// The parent table it leaves.
        parent: TableRef,
    },
    /// `ALTER TABLE t SET (..) RESET (..)`, or `ALTER INDEX i ..` when `index` is given (an
    /// index's, or a primary key's or unique constraint's, whose index has its name):
    /// the storage parameters become `with`, those of `existing` it lacks reset (PostgreSQL).
    SetStorage {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table (whose index, when `index` is given).
        table: String,
        /// The index (or constraint) whose parameters change; `None`: the table's.
        index: Option<String>,
        /// The parameters after the change, `(name, value)` in order.
        with: Vec<(String, String)>,
        /// The parameters before it; `None`: not recorded, so nothing is reset and the op
        /// cannot be reversed.
        existing: Option<Vec<(String, String)>>,
    },
    /// `CREATE TYPE name AS ENUM (..)`.
    CreateEnum {
        /// The enum type to create: schema, name and values in order.
        enum_type: EnumType,
    },
    /// `DROP TYPE name`. `existing` is the definition, needed to reverse it.
    DropEnum {
        /// Schema of the type; `None` is the metadata's default schema.
        schema: Option<String>,
        /// Name of the enum type to drop.
        name: String,
        /// The type's definition before the drop; `None`: not recorded, so the op cannot be
        /// reversed.
        existing: Option<EnumType>,
    },
    /// `ALTER TYPE name ADD VALUE 'v' [BEFORE | AFTER 'w']`. PostgreSQL cannot remove an
    /// enum value, so the reverse is a [`Op::RecreateEnum`] back to `existing`, the type's
    /// values before the addition; without them the op is not reversible.
    AddEnumValue {
        /// Schema of the type; `None` is the metadata's default schema.
        schema: Option<String>,
        /// Name of the enum type that gains the value.
        enum_name: String,
        /// The value to add, unquoted.
        value: String,
        /// Where the value goes among the existing ones; `None` appends it last.
        position: Option<EnumValuePosition>,
        /// The type's values before the addition, in order; `None`: not recorded, so the op cannot
        /// be reversed.
        existing: Option<Vec<String>>,
    },
    /// Gives the enum type `name` exactly `values` by a safe type swap: the old type is
    /// renamed aside, the new one created under the name, every column using it converted
    /// through `text` (its default dropped and set again around the change), and the old
    /// type dropped. Rows holding a value that is gone make it fail. `existing` is the
    /// values before, needed to reverse it. On a database without named enum types the
    /// tables using it are rebuilt with the new values.
    RecreateEnum {
        /// Schema of the type; `None` is the metadata's default schema.
        schema: Option<String>,
        /// Name of the enum type to redefine.
        name: String,
        /// The type's values after the op, in order.
        values: Vec<String>,
        /// The type's values before the op, in order; `None`: not recorded, so the op cannot be
        /// reversed.
        existing: Option<Vec<String>>,
    },
    /// `CREATE SEQUENCE name AS ty ..`, moved to its recorded last value if it has one. With
    /// `owned_by`, the column becomes serial: the sequence is owned by it, the column's
    /// default becomes its `nextval`, and it is moved past the column's values.
    CreateSequence {
        /// The sequence to create: schema, name, type, options, owner column and last value.
        sequence: Sequence,
    },
    /// `DROP SEQUENCE name`; for a serial column's sequence (`existing.owned_by`) the column's
    /// `nextval` default is dropped first. `existing` is the definition, needed to reverse it.
    DropSequence {
        /// Schema of the sequence; `None` is the metadata's default schema.
        schema: Option<String>,
        /// Name of the sequence to drop.
        name: String,
        /// The sequence's definition before the drop; `None`: not recorded, so the op cannot be
        /// reversed.
        existing: Option<Sequence>,
    },
    /// `ALTER SEQUENCE name AS ty ..`: a standalone or a serial column's sequence gets the
    /// type and options of `sequence` (same schema and name; its owner and last value are
    /// not changed). `existing` is the definition before, needed to reverse it.
    AlterSequence {
        /// The sequence's definition after the op; its schema and name say which sequence is
        /// altered.
        sequence: Sequence,
        /// The sequence's definition before the op; `None`: not recorded, so the op cannot be
        /// reversed.
        existing: Option<Sequence>,
    },
    /// Creates a view, materialized view, function, procedure or trigger
    /// (`retort_core::schema::entity`).
    CreateEntity {
        /// The entity, with its definition.
        entity: Entity,
    },
    /// Gives an existing entity (the same [`EntityKey`]) the definition of `entity`:
    /// `CREATE OR REPLACE` where the database can, drop and create where it refuses (a view
    /// whose columns change, a function whose return type changes, a trigger). `existing`
    /// is the definition it replaces, needed to reverse it exactly.
    ReplaceEntity {
        /// The new definition.
        entity: Entity,
        /// The definition it replaces; `None` when not recorded (the op cannot be reversed).
        existing: Option<Entity>,
    },
    /// Drops an entity. `existing` is its definition, needed to reverse it.
    DropEntity {
        /// What identifies the entity.
        key: EntityKey,
        /// Its definition; `None` when not recorded (the op cannot be reversed).
        existing: Option<Entity>,
    },
    /// `CREATE SCHEMA name`.
    CreateSchema {
        /// Name of the schema to create.
        name: String,
    },
    /// `DROP SCHEMA name`.
    DropSchema {
        /// Name of the schema to drop; it must be empty.
        name: String,
    },
    /// Raw SQL, the escape hatch for data migrations. Reversible only with `reverse_sql`.
    Execute {
        /// The SQL run on upgrade, sent to the database as written (one or more statements).
        sql: String,
        /// The SQL that undoes it on downgrade; `None` makes the op irreversible.
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
    CopyFrom {
        /// The table's live definition (schema and name included) that the rebuilds start from.
        table: Table,
    },
    /// `INSERT INTO table (columns) VALUES (..), (..)`: literal rows, rendered by the
    /// dialect. Not reversible.
    BulkInsert {
        /// Schema of the table; `None` is the metadata's default schema.
        schema: Option<String>,
        /// The table the rows go into.
        table: String,
        /// The columns each row gives values for, in order.
        columns: Vec<String>,
        /// The rows to insert, each with one literal per entry of `columns`, in the same order.
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
    /// Schema of the table; `None` is the metadata's default schema.
    pub schema: Option<String>,
    /// The table the column belongs to.
    pub table: String,
    /// The column's current name (before any rename this op makes).
    pub column: String,

    /// `Some(true)` drops `NOT NULL`, `Some(false)` sets it.
    pub nullable: Option<bool>,
    /// Whether the column was nullable before; `None`: not recorded.
    pub existing_nullable: Option<bool>,

    /// The column's new type (`ALTER COLUMN .. TYPE` on PostgreSQL, `MODIFY` on MySQL).
    pub type_: Option<Type>,
    /// `USING expr` for a type change the database cannot cast implicitly (PostgreSQL).
    pub using: Option<String>,
    /// The column's type before; `None`: not recorded (a type change then cannot be reversed).
    pub existing_type: Option<Type>,

    /// `Some(Some(d))` sets the column's `DEFAULT`, `Some(None)` drops it.
    pub server_default: Option<Option<ServerDefault>>,
    /// The default before: `Some(None)` when there was none, `None` when not recorded.
    pub existing_server_default: Option<Option<ServerDefault>>,

    /// Rename the column to this name.
    pub new_name: Option<String>,

    /// `Some(Some(text))` sets the column's comment, `Some(None)` removes it.
    pub comment: Option<Option<String>>,
    /// The comment before: `Some(None)` when there was none, `None` when not recorded.
    pub existing_comment: Option<Option<String>>,

    /// Add (`Some(Some)` over none), change generation/start/increment (`Some(Some)` over
    /// one) or drop (`Some(None)`) the identity.
    pub identity: Option<Option<Identity>>,
    /// The identity before: `Some(None)` when the column had none, `None` when not recorded.
    pub existing_identity: Option<Option<Identity>>,

    /// Set (`Some(Some)`) or drop (`Some(None)`) the generated-column expression.
    pub computed: Option<Option<Computed>>,
    /// The generated-column expression before: `Some(None)` when there was none, `None` when not
    /// recorded.
    pub existing_computed: Option<Option<Computed>>,

    /// Set (`Some(Some)`) the column's collation, or go back to the type's default
    /// (`Some(None)`).
    pub collation: Option<Option<String>>,
    /// The collation before: `Some(None)` for the type's default, `None` when not recorded.
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
    /// `PRIMARY KEY`; a table has at most one, so MySQL drops it without naming it.
    PrimaryKey,
    /// `FOREIGN KEY .. REFERENCES`.
    ForeignKey,
    /// `UNIQUE`; MySQL stores it as a unique index and drops it with `DROP INDEX`.
    Unique,
    /// `CHECK (condition)`.
    Check,
    /// `EXCLUDE USING method (..)`, PostgreSQL only.
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
    /// The table's `PRIMARY KEY`.
    PrimaryKey(PrimaryKey),
    /// A `FOREIGN KEY` to another (or the same) table.
    ForeignKey(ForeignKey),
    /// A `UNIQUE` constraint over one or more columns.
    Unique(Unique),
    /// A `CHECK` condition.
    Check(Check),
    /// A PostgreSQL `EXCLUDE` constraint.
    Exclude(Exclude),
}

impl Constraint {
    /// The kind of this constraint, as [`Op::DropConstraint`] records it.
    pub fn kind(&self) -> ConstraintKind {
        match self {
            Constraint::PrimaryKey(_) => ConstraintKind::PrimaryKey,
            Constraint::ForeignKey(_) => ConstraintKind::ForeignKey,
            Constraint::Unique(_) => ConstraintKind::Unique,
            Constraint::Check(_) => ConstraintKind::Check,
            Constraint::Exclude(_) => ConstraintKind::Exclude,
        }
    }
    /// The constraint's name; `None` when it is unnamed and the database picks one.
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
                not_valid: false,
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
                not_valid: false,
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
    /// Insert the new value just before this existing value (`BEFORE 'v'`).
    Before(String),
    /// Insert the new value just after this existing value (`AFTER 'v'`).
    After(String),
}

/// Which step of an add-copy-swap type change an [`Op::SwapColumnType`] is. The three run
/// in this order; the reverse of each is the mirror step of the change back (the reverse of
/// `Start` is `Finish` of the opposite change, of `Backfill` its `Backfill`), so a
/// downgrade is itself an add-copy-swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SwapStep {
    /// Add the copy column (the new type, nullable, no default) and the trigger that keeps it
    /// in step with inserts and updates of the column. A moment of `ACCESS EXCLUSIVE`.
    Start,
    /// Copy every row in batches keyed by the primary key, each batch committed with its
    /// progress, outside the revision's transaction (a killed run resumes after the last
    /// committed batch); then, for a `NOT NULL` column, add `CHECK (copy IS NOT NULL) NOT
    /// VALID` and validate it.
    Backfill,
    /// In the revision's (short) transaction: drop the trigger, rename the column away and
    /// the copy to its name, `SET NOT NULL` (proved by the validated check, which is then
    /// dropped), carry the default and comment, and drop the old column (a copy now).
    Finish,
}

impl SwapStep {
    /// How messages name the step.
    pub fn as_str(self) -> &'static str {
        match self {
            SwapStep::Start => "start",
            SwapStep::Backfill => "backfill",
            SwapStep::Finish => "finish",
        }
    }
}

/// A column type change by add-copy-swap, one [`SwapStep`] of it (PostgreSQL; refused by
/// other dialects, which have no such form). The three steps carry the same fields.
///
/// The copy column is `<column>__retort_new`, its trigger and trigger function
/// `<table>_<column>__retort_sync`, the backfill's progress table
/// `<table>_<column>__retort_backfill` (all shortened with a hash to 63 bytes); the table
/// needs a primary key of one column, and the column may not be in an index, a constraint
/// or an identity (the swap would drop them with the old column): the dialect refuses
/// those, naming them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSwap {
    /// Schema of the table; `None` is the metadata's default schema.
    pub schema: Option<String>,
    /// The table the column belongs to.
    pub table: String,
    /// The column whose type changes; it keeps its name.
    pub column: String,
    /// The column's type after the change.
    pub type_: Type,
    /// The column's type before; `None`: not recorded (the op then cannot be reversed).
    pub existing_type: Option<Type>,
    /// The conversion, an SQL expression over the column's name (as `ALTER .. TYPE ..
    /// USING`); `None`: a cast of the column to the new type.
    pub using: Option<String>,
    /// The conversion back, for the reverse; `None`: a cast.
    pub reverse_using: Option<String>,
    /// Rows copied per batch (each batch its own transaction).
    pub batch_size: u32,
    /// Which step this op is.
    pub step: SwapStep,
}

impl ColumnSwap {
    /// The default number of rows a backfill batch copies.
    pub const DEFAULT_BATCH: u32 = 5000;
    /// The three steps of changing `table.column` from `existing_type` to `type_`.
    pub fn ops(
        schema: Option<String>,
        table: impl Into<String>,
        column: impl Into<String>,
        type_: Type,
        existing_type: Option<Type>,
        using: Option<String>,
    ) -> [Op; 3] {
        let base = ColumnSwap {
            schema,
            table: table.into(),
            column: column.into(),
            type_,
            existing_type,
            using,
            reverse_using: None,
            batch_size: Self::DEFAULT_BATCH,
            step: SwapStep::Start,
        };
        [SwapStep::Start, SwapStep::Backfill, SwapStep::Finish].map(|step| {
            Op::SwapColumnType(ColumnSwap {
                step,
                ..base.clone()
            })
        })
    }
    /// The copy column's name: `<column>__retort_new`, shortened to 63 bytes.
    pub fn copy_column(&self) -> String {
        short_name(&format!("{}__retort_new", self.column))
    }
    /// The name of the old column between the rename and its drop: `<column>__retort_old`.
    pub fn old_column(&self) -> String {
        short_name(&format!("{}__retort_old", self.column))
    }
    /// The sync trigger's (and its function's) name.
    pub fn trigger_name(&self) -> String {
        short_name(&format!("{}_{}__retort_sync", self.table, self.column))
    }
    /// The backfill's progress table.
    pub fn progress_table(&self) -> String {
        short_name(&format!("{}_{}__retort_backfill", self.table, self.column))
    }
    /// The helper check that proves `NOT NULL` of the copy.
    pub fn not_null_check(&self) -> String {
        short_name(&format!("{}_{}__retort_not_null", self.table, self.column))
    }
}

/// `name`, or (longer than PostgreSQL's 63 bytes) its start and an FNV-1a hash of the whole.
pub(crate) fn short_name(name: &str) -> String {
    const MAX: usize = 63;
    if name.len() <= MAX {
        return name.to_owned();
    }
    // FNV-1a: stable across builds and platforms, unlike the std hasher.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let suffix = format!("_{:08x}", hash as u32);
    let mut cut = MAX - suffix.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{suffix}", &name[..cut])
}

pub(crate) use crate::schema::qualified;
