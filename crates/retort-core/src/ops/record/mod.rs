//! [`Operations`]: the `op` that revision scripts call. It records [`Op`] values and never
//! executes anything; the runner renders them per dialect later, or replays them.
//!
//! Each method records its op at once and returns a [`Recorded`] handle whose modifiers
//! (`.schema(..)`, `.unique()`, `.existing_type(..)`) edit that op. The handle holds the
//! op's index in the list, not a reference to it, so it is only a short borrow of the
//! recorder for the statement that chains it.

mod handles;
mod table;

pub use handles::{kind, Recorded};

pub use table::{
    ColumnDef, ForeignKeyDef, IndexDef, NameDef, PrimaryKeyDef, TableBuilder, UniqueDef,
};

use super::op::{AlterColumn, ColumnSwap, ConstraintKind, Op, SwapStep};
use crate::{
    Check, Column, Entity, EnumType, Exclude, ExcludeElement, ForeignKey, Index, Literal,
    PrimaryKey, Sequence, Table, Type, Unique,
};

/// The operation recorder passed to a revision's `upgrade` and `downgrade`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operations {
    ops: Vec<Op>,
    /// Set by [`Operations::with_schema`] for the ops recorded inside it.
    schema: Option<String>,
}

pub use crate::schema::{IntoName, Unnamed};

/// The name a drop is given: the object's name as a string, or [`Unnamed`]. A name the
/// naming convention built is marked on the dropped definition (`.existing(..)` with
/// `.name(conv(..))`), which a drop needs anyway to be reversed; a bare `conv(..)` here would
/// have nowhere to keep the mark, so it is not taken.
pub trait IntoDropName {
    /// The name, or `None` for an unnamed drop.
    fn into_drop_name(self) -> Option<String>;
}
impl IntoDropName for Unnamed {
    fn into_drop_name(self) -> Option<String> {
        None
    }
}
impl IntoDropName for &str {
    fn into_drop_name(self) -> Option<String> {
        Some(self.to_string())
    }
}
impl IntoDropName for String {
    fn into_drop_name(self) -> Option<String> {
        Some(self)
    }
}
impl IntoDropName for &String {
    fn into_drop_name(self) -> Option<String> {
        Some(self.clone())
    }
}
impl IntoDropName for Option<&str> {
    fn into_drop_name(self) -> Option<String> {
        self.map(str::to_string)
    }
}
impl IntoDropName for Option<String> {
    fn into_drop_name(self) -> Option<String> {
        self
    }
}

fn strings<I>(items: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl Operations {
    /// An empty recorder, recording in the default schema.
    pub fn new() -> Self {
        Self::default()
    }
    /// The ops recorded so far, in order.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }
    /// The ops recorded, in order, consuming the recorder.
    pub fn into_ops(self) -> Vec<Op> {
        self.ops
    }
    /// How many ops have been recorded.
    pub fn len(&self) -> usize {
        self.ops.len()
    }
    /// Whether no op has been recorded.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
    /// Records an op built elsewhere (the diff, a reverse).
    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }
    /// Records the ops of `f` in `schema`, unless they name their own.
    pub fn with_schema(&mut self, schema: impl Into<String>, f: impl FnOnce(&mut Operations)) {
        let outer = self.schema.replace(schema.into());
        f(self);
        self.schema = outer;
    }

    fn record<K>(&mut self, op: Op) -> Recorded<'_, K> {
        self.ops.push(op);
        let index = self.ops.len() - 1;
        Recorded::new(&mut self.ops, index)
    }

    /// `CREATE TABLE name (..)`, filled by `build`.
    pub fn create_table(
        &mut self,
        name: impl Into<String>,
        build: impl FnOnce(&mut TableBuilder),
    ) -> Recorded<'_, kind::CreateTable> {
        let mut b = TableBuilder {
            table: Table::new(name),
        };
        build(&mut b);
        let mut table = b.table;
        if table.schema.is_none() {
            table.schema.clone_from(&self.schema);
        }
        self.record(Op::CreateTable { table })
    }
    /// `CREATE TABLE` from a complete definition.
    pub fn create_table_from(&mut self, table: Table) -> Recorded<'_, kind::CreateTable> {
        self.create_table(table.name.clone(), |t| t.table = table)
    }
    /// Declares `table` as the database has it here, for the SQLite rebuilds that follow in
    /// this revision when they are rendered offline (`--sql`), which has no live table to
    /// read: Alembic's `op.batch_alter_table(name, copy_from=table)`. Give every column,
    /// constraint and index the table really has (those added by `op.execute(..)` or by
    /// hand included): the rebuild copies exactly these. No SQL of its own; online the
    /// live table is read instead.
    pub fn copy_from(&mut self, table: Table) -> Recorded<'_, kind::Plain> {
        let mut table = table;
        if table.schema.is_none() {
            table.schema.clone_from(&self.schema);
        }
        self.record(Op::CopyFrom { table })
    }
    /// `DROP TABLE name`. Add `.existing(table)` to make it reversible.
    pub fn drop_table(&mut self, name: impl Into<String>) -> Recorded<'_, kind::DropTable> {
        let schema = self.schema.clone();
        self.record(Op::DropTable {
            schema,
            name: name.into(),
            existing: None,
            data_loss_ok: false,
        })
    }
    /// `ALTER TABLE old_name RENAME TO new_name`.
    pub fn rename_table(
        &mut self,
        old_name: impl Into<String>,
        new_name: impl Into<String>,
    ) -> Recorded<'_, kind::Plain> {
        let schema = self.schema.clone();
        self.record(Op::RenameTable {
            schema,
            old_name: old_name.into(),
            new_name: new_name.into(),
        })
    }
    /// `ALTER TABLE table ADD COLUMN ..` with the full column definition.
    pub fn add_column(
        &mut self,
        table: impl Into<String>,
        column: Column,
    ) -> Recorded<'_, kind::Plain> {
        let schema = self.schema.clone();
        self.record(Op::AddColumn {
            schema,
            table: table.into(),
            column,
        })
    }
    /// `DROP COLUMN`. Add `.existing(column)` to make it reversible.
    pub fn drop_column(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> Recorded<'_, kind::DropColumn> {
        let schema = self.schema.clone();
        self.record(Op::DropColumn {
            schema,
            table: table.into(),
            column: column.into(),
            existing: None,
            data_loss_ok: false,
        })
    }
    /// `ALTER COLUMN`: chain what changes (`.nullable(false)`) and what it was
    /// (`.existing_nullable(true)`).
    pub fn alter_column(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> Recorded<'_, kind::AlterColumn> {
        let mut a = AlterColumn::new(table, column);
        a.schema.clone_from(&self.schema);
        self.record(Op::AlterColumn(a))
    }
    /// `CREATE INDEX name ON table (columns)`.
    pub fn create_index<I>(
        &mut self,
        name: impl IntoName,
        table: impl Into<String>,
        columns: I,
    ) -> Recorded<'_, kind::CreateIndex>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let index = Index::on_columns(columns).name(name);
        let schema = self.schema.clone();
        self.record(Op::CreateIndex {
            schema,
            table: table.into(),
            index,
            concurrently: false,
        })
    }
    /// `CREATE INDEX name ON table (elements)`: expressions, opclasses, orderings.
    pub fn create_index_on(
        &mut self,
        name: impl IntoName,
        table: impl Into<String>,
        elements: Vec<crate::IndexElement>,
    ) -> Recorded<'_, kind::CreateIndex> {
        let index = Index::on_columns(Vec::<String>::new())
            .elements(elements)
            .name(name);
        let schema = self.schema.clone();
        self.record(Op::CreateIndex {
            schema,
            table: table.into(),
            index,
            concurrently: false,
        })
    }
    /// `DROP INDEX name` (of `table`). Add `.existing(index)` to make it reversible.
    pub fn drop_index(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
    ) -> Recorded<'_, kind::DropIndex> {
        let schema = self.schema.clone();
        self.record(Op::DropIndex {
            schema,
            table: table.into(),
            name: name.into(),
            existing: None,
            concurrently: false,
        })
    }
    /// `ALTER TABLE table ADD CONSTRAINT name UNIQUE (columns)`.
    pub fn create_unique_constraint<I>(
        &mut self,
        name: impl IntoName,
        table: impl Into<String>,
        columns: I,
    ) -> Recorded<'_, kind::CreateUnique>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let schema = self.schema.clone();
        self.record(Op::CreateUniqueConstraint {
            schema,
            table: table.into(),
            unique: Unique::new(columns).name(name),
        })
    }
    /// `FOREIGN KEY (local_cols) REFERENCES referent_table (remote_cols)` on `source_table`.
    pub fn create_foreign_key<L, R>(
        &mut self,
        name: impl IntoName,
        source_table: impl Into<String>,
        referent_table: impl Into<String>,
        local_cols: L,
        remote_cols: R,
    ) -> Recorded<'_, kind::CreateForeignKey>
    where
        L: IntoIterator,
        L::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        let fk = ForeignKey::new(local_cols, referent_table, remote_cols).name(name);
        let schema = self.schema.clone();
        self.record(Op::CreateForeignKey {
            schema,
            table: source_table.into(),
            foreign_key: fk,
            not_valid: false,
        })
    }
    /// `ALTER TABLE table ADD CONSTRAINT name CHECK (condition)`, the condition as SQL.
    pub fn create_check_constraint(
        &mut self,
        name: impl IntoName,
        table: impl Into<String>,
        condition: impl Into<String>,
    ) -> Recorded<'_, kind::CreateCheck> {
        let schema = self.schema.clone();
        self.record(Op::CreateCheckConstraint {
            schema,
            table: table.into(),
            check: Check::new(condition).name(name),
            not_valid: false,
        })
    }
    /// `CONSTRAINT name EXCLUDE USING gist (element WITH operator, ..)` on `table`
    /// (PostgreSQL; Alembic's `create_exclude_constraint`). Elements are
    /// `ExcludeElement::column("room_id", "=")` or `ExcludeElement::expr("tstzrange(a, b)", "&&")`;
    /// `.using(..)`, `.predicate(..)`, `.include(..)` and `.deferrable(..)` say the rest.
    pub fn create_exclude_constraint(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        elements: Vec<ExcludeElement>,
    ) -> Recorded<'_, kind::CreateExclude> {
        let schema = self.schema.clone();
        self.record(Op::CreateExcludeConstraint {
            schema,
            table: table.into(),
            exclude: Exclude::new(name, elements),
        })
    }
    /// `ALTER TABLE table ADD CONSTRAINT name PRIMARY KEY (columns)`.
    pub fn create_primary_key<I>(
        &mut self,
        name: impl IntoName,
        table: impl Into<String>,
        columns: I,
    ) -> Recorded<'_, kind::CreatePrimaryKey>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let schema = self.schema.clone();
        self.record(Op::CreatePrimaryKey {
            schema,
            table: table.into(),
            primary_key: PrimaryKey::new(columns).name(name),
        })
    }
    /// `DROP CONSTRAINT name`. Add `.existing(constraint)` to make it reversible. An
    /// [`Unnamed`] drop finds the constraint by the definition `.existing(..)` gives: only
    /// a database that leaves constraints unnamed and drops by content (SQLite, which
    /// rebuilds the table) can run it; PostgreSQL refuses it.
    pub fn drop_constraint(
        &mut self,
        name: impl IntoDropName,
        table: impl Into<String>,
        kind: ConstraintKind,
    ) -> Recorded<'_, kind::DropConstraint> {
        let schema = self.schema.clone();
        self.record(Op::DropConstraint {
            schema,
            table: table.into(),
            // The op spells "unnamed" as an empty name.
            name: name.into_drop_name().unwrap_or_default(),
            kind,
            existing: None,
        })
    }
    /// `ALTER TABLE table VALIDATE CONSTRAINT name` (PostgreSQL): checks the rows against a
    /// foreign key or check added `.not_valid()` earlier, outside the revision's transaction
    /// (see [`Op::ValidateConstraint`]). Nothing on other databases.
    pub fn validate_constraint(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        kind: ConstraintKind,
    ) -> Recorded<'_, kind::Plain> {
        let schema = self.schema.clone();
        self.record(Op::ValidateConstraint {
            schema,
            table: table.into(),
            name: name.into(),
            kind,
        })
    }
    /// One step of changing `table.column` to `type_` by add-copy-swap (PostgreSQL; see
    /// [`Op::SwapColumnType`] and `docs/online.md`). Record the three steps in order, each
    /// with the same `.existing_type(..)` and `.using(..)`; `.batch_size(..)` on the
    /// backfill.
    pub fn swap_column_type(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
        type_: Type,
        step: SwapStep,
    ) -> Recorded<'_, kind::SwapColumnType> {
        let schema = self.schema.clone();
        self.record(Op::SwapColumnType(ColumnSwap {
            schema,
            table: table.into(),
            column: column.into(),
            type_,
            existing_type: None,
            using: None,
            reverse_using: None,
            batch_size: ColumnSwap::DEFAULT_BATCH,
            step,
        }))
    }
    /// Sets the table's comment. Add `.existing_comment(..)` when it replaces one.
    pub fn create_table_comment(
        &mut self,
        table: impl Into<String>,
        comment: impl Into<String>,
    ) -> Recorded<'_, kind::TableComment> {
        let schema = self.schema.clone();
        self.record(Op::CreateTableComment {
            schema,
            table: table.into(),
            comment: comment.into(),
            existing_comment: None,
        })
    }
    /// Removes the table's comment. Add `.existing_comment(..)` to make it reversible.
    pub fn drop_table_comment(
        &mut self,
        table: impl Into<String>,
    ) -> Recorded<'_, kind::TableComment> {
        let schema = self.schema.clone();
        self.record(Op::DropTableComment {
            schema,
            table: table.into(),
            existing_comment: None,
        })
    }
    /// `ALTER TABLE table INHERIT parent` (PostgreSQL; `parent` as `"schema.name"` or
    /// `"name"`, split at the last `.`, or a [`crate::TableRef`] for names that hold a `.`):
    /// the table must have the parent's columns already.
    pub fn inherit(
        &mut self,
        table: impl Into<String>,
        parent: impl Into<crate::TableRef>,
    ) -> Recorded<'_, kind::Plain> {
        let schema = self.schema.clone();
        self.record(Op::Inherit {
            schema,
            table: table.into(),
            parent: parent.into(),
        })
    }
    /// `ALTER TABLE table NO INHERIT parent` (PostgreSQL; `parent` as for
    /// [`Operations::inherit`]).
    pub fn no_inherit(
        &mut self,
        table: impl Into<String>,
        parent: impl Into<crate::TableRef>,
    ) -> Recorded<'_, kind::Plain> {
        let schema = self.schema.clone();
        self.record(Op::NoInherit {
            schema,
            table: table.into(),
            parent: parent.into(),
        })
    }
    /// `ALTER TABLE table SET (name = value, ..)` (PostgreSQL storage parameters), each
    /// parameter written `"name=value"` as PostgreSQL lists them (`["fillfactor=70"]`). Add
    /// `.existing(..)` (the parameters before) to reset the ones it drops and make it
    /// reversible.
    pub fn set_table_storage<I>(
        &mut self,
        table: impl Into<String>,
        with: I,
    ) -> Recorded<'_, kind::SetStorage>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let schema = self.schema.clone();
        self.record(Op::SetStorage {
            schema,
            table: table.into(),
            index: None,
            with: pairs(with),
            existing: None,
        })
    }
    /// `ALTER INDEX index SET (name = value, ..)` on an index of `table`, or on the index of
    /// its primary key or unique constraint `index`. Add `.existing(..)` as for
    /// [`Operations::set_table_storage`].
    pub fn set_index_storage<I>(
        &mut self,
        table: impl Into<String>,
        index: impl Into<String>,
        with: I,
    ) -> Recorded<'_, kind::SetStorage>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let schema = self.schema.clone();
        self.record(Op::SetStorage {
            schema,
            table: table.into(),
            index: Some(index.into()),
            with: pairs(with),
            existing: None,
        })
    }
    /// `CREATE TYPE name AS ENUM (values)`.
    pub fn create_enum<I>(
        &mut self,
        name: impl Into<String>,
        values: I,
    ) -> Recorded<'_, kind::Plain>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let mut enum_type = EnumType::new(name, strings(values));
        enum_type.schema.clone_from(&self.schema);
        self.record(Op::CreateEnum { enum_type })
    }
    /// `DROP TYPE name`. Add `.existing(values)` to make it reversible.
    pub fn drop_enum(&mut self, name: impl Into<String>) -> Recorded<'_, kind::DropEnum> {
        let schema = self.schema.clone();
        self.record(Op::DropEnum {
            schema,
            name: name.into(),
            existing: None,
        })
    }
    /// `CREATE SEQUENCE ..` (with `owned_by`, the column becomes serial: see
    /// [`Op::CreateSequence`]).
    pub fn create_sequence(&mut self, mut sequence: Sequence) -> Recorded<'_, kind::Plain> {
        if sequence.schema.is_none() {
            sequence.schema.clone_from(&self.schema);
        }
        self.record(Op::CreateSequence { sequence })
    }
    /// `DROP SEQUENCE name`. Add `.existing(..)` to make it reversible.
    pub fn drop_sequence(&mut self, name: impl Into<String>) -> Recorded<'_, kind::DropSequence> {
        let schema = self.schema.clone();
        self.record(Op::DropSequence {
            schema,
            name: name.into(),
            existing: None,
        })
    }
    /// `ALTER SEQUENCE ..` to the type and options of `sequence`. Add `.existing(..)` to make
    /// it reversible.
    pub fn alter_sequence(&mut self, mut sequence: Sequence) -> Recorded<'_, kind::AlterSequence> {
        if sequence.schema.is_none() {
            sequence.schema.clone_from(&self.schema);
        }
        self.record(Op::AlterSequence {
            sequence,
            existing: None,
        })
    }
    /// Creates a view, materialized view, function or trigger:
    /// `op.create_entity(View::new("order_totals", "SELECT .."))` (see `docs/entities.md`).
    pub fn create_entity(&mut self, entity: impl Into<Entity>) -> Recorded<'_, kind::Plain> {
        let entity = self.in_schema(entity.into());
        self.record(Op::CreateEntity { entity })
    }
    /// Gives an existing entity a new definition (`CREATE OR REPLACE`, or drop and create
    /// where the database refuses). Add `.existing(previous)` to make it reversible.
    pub fn replace_entity(
        &mut self,
        entity: impl Into<Entity>,
    ) -> Recorded<'_, kind::ReplaceEntity> {
        let entity = self.in_schema(entity.into());
        self.record(Op::ReplaceEntity {
            entity,
            existing: None,
        })
    }
    /// Drops an entity, given by its definition (which makes the drop reversible).
    pub fn drop_entity(&mut self, entity: impl Into<Entity>) -> Recorded<'_, kind::Plain> {
        let entity = self.in_schema(entity.into());
        self.record(Op::DropEntity {
            key: entity.key(),
            existing: Some(entity),
        })
    }
    fn in_schema(&self, mut entity: Entity) -> Entity {
        if entity.schema().is_none() {
            entity.schema_mut().clone_from(&self.schema);
        }
        entity
    }
    /// `ALTER TYPE name ADD VALUE 'value'` (last, or `.before(..)` / `.after(..)`).
    pub fn add_enum_value(
        &mut self,
        enum_name: impl Into<String>,
        value: impl Into<String>,
    ) -> Recorded<'_, kind::AddEnumValue> {
        let schema = self.schema.clone();
        self.record(Op::AddEnumValue {
            schema,
            enum_name: enum_name.into(),
            value: value.into(),
            position: None,
            existing: None,
        })
    }
    /// Gives enum type `name` exactly `values` by a safe type swap (every column using it
    /// goes through `text`): how to remove, rename or reorder values. Add
    /// `.existing(values)` to make it reversible.
    pub fn recreate_enum<I>(
        &mut self,
        name: impl Into<String>,
        values: I,
    ) -> Recorded<'_, kind::RecreateEnum>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let schema = self.schema.clone();
        self.record(Op::RecreateEnum {
            schema,
            name: name.into(),
            values: strings(values),
            existing: None,
        })
    }
    /// `CREATE SCHEMA name` (not on MySQL or SQLite).
    pub fn create_schema(&mut self, name: impl Into<String>) {
        self.ops.push(Op::CreateSchema { name: name.into() });
    }
    /// `DROP SCHEMA name`; the schema must be empty.
    pub fn drop_schema(&mut self, name: impl Into<String>) {
        self.ops.push(Op::DropSchema { name: name.into() });
    }
    /// Raw SQL. Add `.reverse_sql(..)` to make it reversible, `.outside_transaction()` for
    /// SQL that cannot run in a transaction (`VACUUM`).
    pub fn execute(&mut self, sql: impl Into<String>) -> Recorded<'_, kind::Execute> {
        self.record(Op::Execute {
            sql: sql.into(),
            reverse_sql: None,
            outside_transaction: false,
        })
    }
    /// `INSERT INTO table (columns) VALUES ..` with literal rows.
    pub fn bulk_insert<I>(
        &mut self,
        table: impl Into<String>,
        columns: I,
        rows: Vec<Vec<Literal>>,
    ) -> Recorded<'_, kind::Plain>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let schema = self.schema.clone();
        self.record(Op::BulkInsert {
            schema,
            table: table.into(),
            columns: strings(columns),
            rows,
        })
    }
}

/// `"name=value"` items as `(name, value)` pairs, split at the first `=`; a bare `"name"`
/// is `name=true`, as PostgreSQL reads `WITH (name)`.
pub(crate) fn pairs<I>(with: I) -> Vec<(String, String)>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    with.into_iter()
        .map(|item| match item.as_ref().split_once('=') {
            Some((k, v)) => (k.trim().to_owned(), v.trim().to_owned()),
            None => (item.as_ref().trim().to_owned(), "true".to_owned()),
        })
        .collect()
}
