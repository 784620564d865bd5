//! The handles the recorder's methods return: [`Recorded`], whose modifiers edit the op
//! just recorded, chosen per op kind by a marker type from [`kind`].

use std::marker::PhantomData;

use super::super::op::{AlterColumn, ColumnSwap, Constraint, EnumValuePosition, Op};
use super::strings;
use crate::{
    Column, Computed, Deferrable, EnumType, FkAction, FkMatch, Identity, Index, IndexElement,
    Sequence, ServerDefault, Table, Type,
};

/// Marker types that choose which modifiers a [`Recorded`] handle offers.
pub mod kind {
    /// Ops whose only modifier is `.schema(..)`.
    #[derive(Debug)]
    pub struct Plain;
    /// Returned by `create_table` and `create_table_from`: offers `.comment(..)`.
    #[derive(Debug)]
    pub struct CreateTable;
    /// Returned by `drop_table`: offers `.existing(table)`.
    #[derive(Debug)]
    pub struct DropTable;
    /// Returned by `drop_column`: offers `.existing(column)`.
    #[derive(Debug)]
    pub struct DropColumn;
    /// Returned by `alter_column`: offers every change and its `.existing_*(..)`.
    #[derive(Debug)]
    pub struct AlterColumn;
    /// Returned by `create_index` and `create_index_on`: offers unique, method, predicate,
    /// `CONCURRENTLY`, ...
    #[derive(Debug)]
    pub struct CreateIndex;
    /// Returned by `drop_index`: offers `.concurrently()` and `.existing(index)`.
    #[derive(Debug)]
    pub struct DropIndex;
    /// Returned by `create_foreign_key`: offers actions, deferrability and the referent schema.
    #[derive(Debug)]
    pub struct CreateForeignKey;
    /// Returned by `create_check_constraint`: offers `.not_valid()`.
    #[derive(Debug)]
    pub struct CreateCheck;
    /// Returned by `create_unique_constraint`: offers deferrability and `NULLS NOT DISTINCT`.
    #[derive(Debug)]
    pub struct CreateUnique;
    /// Returned by `create_exclude_constraint`: offers method, predicate, `INCLUDE` and
    /// deferrability.
    #[derive(Debug)]
    pub struct CreateExclude;
    /// Returned by `drop_constraint`: offers `.existing(constraint)`.
    #[derive(Debug)]
    pub struct DropConstraint;
    /// Returned by `create_table_comment` and `drop_table_comment`: offers `.existing_comment(..)`.
    #[derive(Debug)]
    pub struct TableComment;
    /// Returned by `create_primary_key`: offers `.with(..)`.
    #[derive(Debug)]
    pub struct CreatePrimaryKey;
    /// Returned by `set_table_storage` and `set_index_storage`: offers `.existing(..)`.
    #[derive(Debug)]
    pub struct SetStorage;
    /// Returned by `drop_enum`: offers `.existing(values)`.
    #[derive(Debug)]
    pub struct DropEnum;
    /// Returned by `drop_sequence`: offers `.existing(sequence)`.
    #[derive(Debug)]
    pub struct DropSequence;
    /// Returned by `alter_sequence`: offers `.existing(sequence)`.
    #[derive(Debug)]
    pub struct AlterSequence;
    /// Returned by `add_enum_value`: offers `.before(..)`, `.after(..)` and `.existing(values)`.
    #[derive(Debug)]
    pub struct AddEnumValue;
    /// Returned by `recreate_enum`: offers `.existing(values)`.
    #[derive(Debug)]
    pub struct RecreateEnum;
    /// Returned by `execute`: offers `.reverse_sql(..)` and `.outside_transaction()`.
    #[derive(Debug)]
    pub struct Execute;
    /// Returned by `swap_column_type`: offers `.existing_type(..)`, `.using(..)`,
    /// `.reverse_using(..)` and `.batch_size(..)`.
    #[derive(Debug)]
    pub struct SwapColumnType;
    /// Returned by `replace_entity`: offers `.existing(..)`, the definition it replaces.
    #[derive(Debug)]
    pub struct ReplaceEntity;
}

/// A handle on the op just recorded; its modifiers edit that op in place.
#[derive(Debug)]
pub struct Recorded<'a, K> {
    ops: &'a mut Vec<Op>,
    index: usize,
    kind: PhantomData<K>,
}

impl<'a, K> Recorded<'a, K> {
    pub(super) fn new(ops: &'a mut Vec<Op>, index: usize) -> Self {
        Self {
            ops,
            index,
            kind: PhantomData,
        }
    }
    fn op(&mut self) -> &mut Op {
        &mut self.ops[self.index]
    }
    /// The op as recorded so far.
    pub fn get(&self) -> &Op {
        &self.ops[self.index]
    }
    /// Puts the op's table (or enum type) in `schema`.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        let schema = Some(schema.into());
        match self.op() {
            Op::CreateTable { table } | Op::CopyFrom { table } => table.schema = schema,
            Op::CreateEnum { enum_type } => enum_type.schema = schema,
            Op::CreateSequence { sequence } | Op::AlterSequence { sequence, .. } => {
                sequence.schema = schema
            }
            Op::AlterColumn(a) => a.schema = schema,
            Op::SwapColumnType(s) => s.schema = schema,
            Op::CreateEntity { entity } => *entity.schema_mut() = schema,
            Op::ReplaceEntity { entity, existing } => {
                if let Some(e) = existing {
                    *e.schema_mut() = schema.clone();
                }
                *entity.schema_mut() = schema
            }
            Op::DropEntity { key, existing } => {
                if let Some(e) = existing {
                    *e.schema_mut() = schema.clone();
                }
                key.schema = schema
            }
            Op::DropTable { schema: s, .. }
            | Op::RenameTable { schema: s, .. }
            | Op::AddColumn { schema: s, .. }
            | Op::DropColumn { schema: s, .. }
            | Op::CreateIndex { schema: s, .. }
            | Op::DropIndex { schema: s, .. }
            | Op::CreateUniqueConstraint { schema: s, .. }
            | Op::CreateForeignKey { schema: s, .. }
            | Op::CreateCheckConstraint { schema: s, .. }
            | Op::CreateExcludeConstraint { schema: s, .. }
            | Op::CreatePrimaryKey { schema: s, .. }
            | Op::DropConstraint { schema: s, .. }
            | Op::ValidateConstraint { schema: s, .. }
            | Op::CreateTableComment { schema: s, .. }
            | Op::DropTableComment { schema: s, .. }
            | Op::Inherit { schema: s, .. }
            | Op::NoInherit { schema: s, .. }
            | Op::SetStorage { schema: s, .. }
            | Op::DropEnum { schema: s, .. }
            | Op::DropSequence { schema: s, .. }
            | Op::AddEnumValue { schema: s, .. }
            | Op::RecreateEnum { schema: s, .. }
            | Op::BulkInsert { schema: s, .. } => *s = schema,
            Op::CreateSchema { .. } | Op::DropSchema { .. } | Op::Execute { .. } => {}
        }
        self
    }
}

/// Edits the recorded op when it is the expected variant (a handle's kind guarantees it).
macro_rules! edit {
    ($self:ident, $pat:pat => $body:expr) => {{
        if let $pat = $self.op() {
            $body;
        }
        $self
    }};
}

impl Recorded<'_, kind::CreateTable> {
    /// The table's comment (`COMMENT ON TABLE`, MySQL's `COMMENT=`).
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        edit!(self, Op::CreateTable { table } => table.comment = Some(comment.into()))
    }
}

impl Recorded<'_, kind::DropTable> {
    /// The table's definition, which makes the drop reversible.
    pub fn existing(mut self, table: Table) -> Self {
        edit!(self, Op::DropTable { existing, .. } => *existing = Some(table))
    }
    /// Says that losing the table's rows is intended: the runner's data-loss guard, which
    /// refuses to drop a table holding rows, lets this drop run. Autogenerate never writes it.
    pub fn data_loss_ok(mut self) -> Self {
        edit!(self, Op::DropTable { data_loss_ok, .. } => *data_loss_ok = true)
    }
}

impl Recorded<'_, kind::DropColumn> {
    /// The column's definition, which makes the drop reversible.
    pub fn existing(mut self, column: Column) -> Self {
        edit!(self, Op::DropColumn { existing, .. } => *existing = Some(column))
    }
    /// Says that losing the column's values is intended: the runner's data-loss guard, which
    /// refuses to drop a column holding values, lets this drop run. Autogenerate never writes
    /// it.
    pub fn data_loss_ok(mut self) -> Self {
        edit!(self, Op::DropColumn { data_loss_ok, .. } => *data_loss_ok = true)
    }
}

impl Recorded<'_, kind::CreateIndex> {
    /// Makes it a unique index (`CREATE UNIQUE INDEX`).
    pub fn unique(mut self) -> Self {
        edit!(self, Op::CreateIndex { index, .. } => index.unique = true)
    }
    /// `NULLS NOT DISTINCT` (PostgreSQL 15), for a unique index.
    pub fn nulls_not_distinct(mut self) -> Self {
        edit!(self, Op::CreateIndex { index, .. } => index.nulls_not_distinct = true)
    }
    /// A storage parameter (`WITH (fillfactor='90')`, PostgreSQL).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let pair = (name.into(), value.into());
        edit!(self, Op::CreateIndex { index, .. } => index.with.push(pair))
    }
    /// `CREATE INDEX CONCURRENTLY`: runs outside a transaction.
    pub fn concurrently(mut self) -> Self {
        edit!(self, Op::CreateIndex { concurrently, .. } => *concurrently = true)
    }
    /// Replaces the indexed columns with arbitrary elements (expressions, orderings).
    pub fn elements(mut self, elements: Vec<IndexElement>) -> Self {
        edit!(self, Op::CreateIndex { index, .. } => index.elements = elements)
    }
    /// The index method (`USING gin`).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        edit!(self, Op::CreateIndex { index, .. } => index.method = Some(method.into()))
    }
    /// A partial index's `WHERE` clause.
    pub fn predicate(mut self, sql: impl Into<String>) -> Self {
        edit!(self, Op::CreateIndex { index, .. } => index.predicate = Some(sql.into()))
    }
    /// `INCLUDE (columns)`.
    pub fn include<I>(mut self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        edit!(self, Op::CreateIndex { index, .. } => index.include = strings(columns))
    }
}

impl Recorded<'_, kind::DropIndex> {
    /// `DROP INDEX CONCURRENTLY`: runs outside a transaction.
    pub fn concurrently(mut self) -> Self {
        edit!(self, Op::DropIndex { concurrently, .. } => *concurrently = true)
    }
    /// The index's definition, which makes the drop reversible.
    pub fn existing(mut self, index: Index) -> Self {
        edit!(self, Op::DropIndex { existing, .. } => *existing = Some(index))
    }
}

impl Recorded<'_, kind::CreateUnique> {
    /// `DEFERRABLE [INITIALLY DEFERRED]`.
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        edit!(self, Op::CreateUniqueConstraint { unique, .. } => unique.deferrable = Some(d))
    }
    /// `NULLS NOT DISTINCT` (PostgreSQL 15).
    pub fn nulls_not_distinct(mut self) -> Self {
        edit!(self, Op::CreateUniqueConstraint { unique, .. } => unique.nulls_not_distinct = true)
    }
    /// A storage parameter of the constraint's index (`WITH (fillfactor='90')`, PostgreSQL).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let pair = (name.into(), value.into());
        edit!(self, Op::CreateUniqueConstraint { unique, .. } => unique.with.push(pair))
    }
}

impl Recorded<'_, kind::CreatePrimaryKey> {
    /// A storage parameter of the key's index (`WITH (fillfactor='100')`, PostgreSQL).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let pair = (name.into(), value.into());
        edit!(self, Op::CreatePrimaryKey { primary_key, .. } => primary_key.with.push(pair))
    }
}

impl Recorded<'_, kind::CreateExclude> {
    /// The index access method (`USING btree`; `gist` when not said).
    pub fn using(mut self, method: impl Into<String>) -> Self {
        edit!(self, Op::CreateExcludeConstraint { exclude, .. } => exclude.using = method.into())
    }
    /// `WHERE (sql)`: a partial exclusion constraint (Alembic's `where`).
    pub fn predicate(mut self, sql: impl Into<String>) -> Self {
        edit!(self, Op::CreateExcludeConstraint { exclude, .. } => exclude.predicate = Some(sql.into()))
    }
    /// `INCLUDE (columns)`.
    pub fn include<I>(mut self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        edit!(self, Op::CreateExcludeConstraint { exclude, .. } => exclude.include = strings(columns))
    }
    /// `DEFERRABLE [INITIALLY DEFERRED]`.
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        edit!(self, Op::CreateExcludeConstraint { exclude, .. } => exclude.deferrable = Some(d))
    }
}

impl Recorded<'_, kind::CreateForeignKey> {
    /// `ON DELETE action`; without it the database default (`NO ACTION`).
    pub fn on_delete(mut self, action: FkAction) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.on_delete = Some(action))
    }
    /// `ON UPDATE action`; without it the database default (`NO ACTION`).
    pub fn on_update(mut self, action: FkAction) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.on_update = Some(action))
    }
    /// `DEFERRABLE INITIALLY DEFERRED` or `.. IMMEDIATE` (PostgreSQL, SQLite).
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.deferrable = Some(d))
    }
    /// `MATCH FULL` (or `PARTIAL`, which PostgreSQL does not implement); without it
    /// `MATCH SIMPLE`, the default (SQLAlchemy's `match=`).
    pub fn match_type(mut self, m: FkMatch) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.match_type = Some(m))
    }
    /// The schema of the referred table (Alembic's `referent_schema`).
    pub fn referent_schema(mut self, schema: impl Into<String>) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.ref_schema = Some(schema.into()))
    }
    /// `NOT VALID` (PostgreSQL): the rows already there are not checked, so the `ADD` holds its
    /// lock for a moment only; follow it with `op.validate_constraint(..)`, which checks them
    /// under a lock that lets reads and writes go on. Other databases add the key plainly.
    pub fn not_valid(mut self) -> Self {
        edit!(self, Op::CreateForeignKey { not_valid, .. } => *not_valid = true)
    }
}

impl Recorded<'_, kind::CreateCheck> {
    /// `NOT VALID` (PostgreSQL): as for a foreign key, the rows already there are checked later
    /// by `op.validate_constraint(..)`. Other databases add the check plainly.
    pub fn not_valid(mut self) -> Self {
        edit!(self, Op::CreateCheckConstraint { not_valid, .. } => *not_valid = true)
    }
}

impl Recorded<'_, kind::DropConstraint> {
    /// The constraint's definition, which makes the drop reversible.
    pub fn existing(mut self, constraint: Constraint) -> Self {
        edit!(self, Op::DropConstraint { existing, .. } => *existing = Some(constraint))
    }
}

impl Recorded<'_, kind::TableComment> {
    /// The comment the table had before.
    pub fn existing_comment(mut self, comment: impl Into<String>) -> Self {
        let comment = Some(comment.into());
        match self.op() {
            Op::CreateTableComment {
                existing_comment, ..
            }
            | Op::DropTableComment {
                existing_comment, ..
            } => *existing_comment = comment,
            _ => {}
        }
        self
    }
}

impl Recorded<'_, kind::SetStorage> {
    /// The storage parameters before the change: those the op does not keep are reset, and
    /// the op becomes reversible.
    /// Each parameter is written `"name=value"`, as for the op itself.
    pub fn existing<I>(mut self, with: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let old = super::pairs(with);
        edit!(self, Op::SetStorage { existing, .. } => *existing = Some(old))
    }
}

impl Recorded<'_, kind::ReplaceEntity> {
    /// The definition it replaces, which makes the replacement reversible.
    pub fn existing(mut self, entity: impl Into<crate::Entity>) -> Self {
        let mut entity = entity.into();
        edit!(self, Op::ReplaceEntity { entity: new, existing } => {
            // An extension's unset schema is not said, not the new one's (which it may
            // be moving from).
            let extension = matches!(entity, crate::Entity::Extension(_));
            if entity.schema().is_none() && !extension {
                entity.schema_mut().clone_from(&new.schema().map(str::to_owned));
            }
            *existing = Some(entity)
        })
    }
}

impl Recorded<'_, kind::DropSequence> {
    /// The sequence's definition, which makes the drop reversible.
    pub fn existing(mut self, sequence: Sequence) -> Self {
        edit!(self, Op::DropSequence { existing, .. } => *existing = Some(sequence))
    }
}

impl Recorded<'_, kind::AlterSequence> {
    /// The sequence's definition before the alter, which makes it reversible.
    pub fn existing(mut self, sequence: Sequence) -> Self {
        edit!(self, Op::AlterSequence { existing, .. } => *existing = Some(sequence))
    }
}

impl Recorded<'_, kind::DropEnum> {
    /// The type's values, which make the drop reversible.
    pub fn existing<I>(mut self, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        edit!(self, Op::DropEnum { schema, name, existing } => *existing = Some(EnumType {
            schema: schema.clone(),
            name: name.clone(),
            values: strings(values),
        }))
    }
}

impl Recorded<'_, kind::AddEnumValue> {
    /// Puts the new value just before `value` (`BEFORE 'value'`) instead of last.
    pub fn before(mut self, value: impl Into<String>) -> Self {
        edit!(self, Op::AddEnumValue { position, .. } => *position = Some(EnumValuePosition::Before(value.into())))
    }
    /// Puts the new value just after `value` (`AFTER 'value'`) instead of last.
    pub fn after(mut self, value: impl Into<String>) -> Self {
        edit!(self, Op::AddEnumValue { position, .. } => *position = Some(EnumValuePosition::After(value.into())))
    }
    /// The type's values before the addition, which make it reversible (the reverse
    /// recreates the type with them).
    pub fn existing<I>(mut self, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        edit!(self, Op::AddEnumValue { existing, .. } => *existing = Some(strings(values)))
    }
}

impl Recorded<'_, kind::RecreateEnum> {
    /// The type's values before, which make the recreation reversible.
    pub fn existing<I>(mut self, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        edit!(self, Op::RecreateEnum { existing, .. } => *existing = Some(strings(values)))
    }
}

impl Recorded<'_, kind::Execute> {
    /// The SQL that undoes this SQL, which makes it reversible.
    pub fn reverse_sql(mut self, sql: impl Into<String>) -> Self {
        edit!(self, Op::Execute { reverse_sql, .. } => *reverse_sql = Some(sql.into()))
    }
    /// Runs the SQL (and its reverse) outside the revision's transaction, as `VACUUM` must:
    /// the runner commits before it and writes a progress row after it, as for
    /// `CREATE INDEX CONCURRENTLY`.
    pub fn outside_transaction(mut self) -> Self {
        edit!(self, Op::Execute { outside_transaction, .. } => *outside_transaction = true)
    }
}

impl Recorded<'_, kind::AlterColumn> {
    fn alter(&mut self, f: impl FnOnce(&mut AlterColumn)) {
        if let Op::AlterColumn(a) = self.op() {
            f(a);
        }
    }
    /// `false` sets `NOT NULL`, `true` drops it.
    pub fn nullable(mut self, nullable: bool) -> Self {
        self.alter(|a| a.nullable = Some(nullable));
        self
    }
    /// Whether the column was nullable before; needed to reverse a nullability change.
    pub fn existing_nullable(mut self, nullable: bool) -> Self {
        self.alter(|a| a.existing_nullable = Some(nullable));
        self
    }
    /// Changes the type (Alembic's `type_`).
    pub fn type_(mut self, ty: Type) -> Self {
        self.alter(|a| a.type_ = Some(ty));
        self
    }
    /// `USING expr` for the type change.
    pub fn using(mut self, expr: impl Into<String>) -> Self {
        self.alter(|a| a.using = Some(expr.into()));
        self
    }
    /// The column's type before; needed to reverse a type change, and by MySQL to restate the
    /// column.
    pub fn existing_type(mut self, ty: Type) -> Self {
        self.alter(|a| a.existing_type = Some(ty));
        self
    }
    /// Sets the column's `DEFAULT`.
    pub fn server_default(mut self, default: ServerDefault) -> Self {
        self.alter(|a| a.server_default = Some(Some(default)));
        self
    }
    /// Drops the column's `DEFAULT`.
    pub fn drop_server_default(mut self) -> Self {
        self.alter(|a| a.server_default = Some(None));
        self
    }
    /// The column's default before; needed to reverse a default change.
    pub fn existing_server_default(mut self, default: ServerDefault) -> Self {
        self.alter(|a| a.existing_server_default = Some(Some(default)));
        self
    }
    /// Records that the column had no server default.
    pub fn existing_no_server_default(mut self) -> Self {
        self.alter(|a| a.existing_server_default = Some(None));
        self
    }
    /// Renames the column (Alembic's `new_column_name`).
    pub fn new_column_name(mut self, name: impl Into<String>) -> Self {
        self.alter(|a| a.new_name = Some(name.into()));
        self
    }
    /// Sets the column's comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.alter(|a| a.comment = Some(Some(comment.into())));
        self
    }
    /// Removes the column's comment.
    pub fn drop_comment(mut self) -> Self {
        self.alter(|a| a.comment = Some(None));
        self
    }
    /// The column's comment before; needed to reverse a comment change.
    pub fn existing_comment(mut self, comment: impl Into<String>) -> Self {
        self.alter(|a| a.existing_comment = Some(Some(comment.into())));
        self
    }
    /// Records that the column had no comment.
    pub fn existing_no_comment(mut self) -> Self {
        self.alter(|a| a.existing_comment = Some(None));
        self
    }
    /// Adds the identity, or changes its generation, start or increment.
    pub fn identity(mut self, identity: Identity) -> Self {
        self.alter(|a| a.identity = Some(Some(identity)));
        self
    }
    /// Drops the column's identity (`DROP IDENTITY`); the column keeps its values.
    pub fn drop_identity(mut self) -> Self {
        self.alter(|a| a.identity = Some(None));
        self
    }
    /// The column's identity before; needed to reverse an identity change.
    pub fn existing_identity(mut self, identity: Identity) -> Self {
        self.alter(|a| a.existing_identity = Some(Some(identity)));
        self
    }
    /// Records that the column had no identity.
    pub fn existing_no_identity(mut self) -> Self {
        self.alter(|a| a.existing_identity = Some(None));
        self
    }
    /// Makes the column generated from `computed`'s expression.
    pub fn computed(mut self, computed: Computed) -> Self {
        self.alter(|a| a.computed = Some(Some(computed)));
        self
    }
    /// Drops the generation expression; the column keeps its values as a plain column.
    pub fn drop_computed(mut self) -> Self {
        self.alter(|a| a.computed = Some(None));
        self
    }
    /// The column's generation expression before; needed to reverse a change to it.
    pub fn existing_computed(mut self, computed: Computed) -> Self {
        self.alter(|a| a.existing_computed = Some(Some(computed)));
        self
    }
    /// Records that the column was not generated.
    pub fn existing_no_computed(mut self) -> Self {
        self.alter(|a| a.existing_computed = Some(None));
        self
    }
    /// `COLLATE name`.
    pub fn collation(mut self, collation: impl Into<String>) -> Self {
        self.alter(|a| a.collation = Some(Some(collation.into())));
        self
    }
    /// Back to the type's default collation.
    pub fn default_collation(mut self) -> Self {
        self.alter(|a| a.collation = Some(None));
        self
    }
    /// The column's collation before; needed to reverse a collation change.
    pub fn existing_collation(mut self, collation: impl Into<String>) -> Self {
        self.alter(|a| a.existing_collation = Some(Some(collation.into())));
        self
    }
    /// Records that the column had the type's default collation.
    pub fn existing_default_collation(mut self) -> Self {
        self.alter(|a| a.existing_collation = Some(None));
        self
    }
}

impl Recorded<'_, kind::SwapColumnType> {
    fn swap(&mut self, f: impl FnOnce(&mut ColumnSwap)) {
        if let Op::SwapColumnType(s) = self.op() {
            f(s);
        }
    }
    /// The column's type before the change, needed to reverse it.
    pub fn existing_type(mut self, type_: Type) -> Self {
        self.swap(|s| s.existing_type = Some(type_));
        self
    }
    /// The conversion, an SQL expression over the column's name (`ALTER .. TYPE .. USING`).
    pub fn using(mut self, expr: impl Into<String>) -> Self {
        self.swap(|s| s.using = Some(expr.into()));
        self
    }
    /// The conversion back, used by the reverse.
    pub fn reverse_using(mut self, expr: impl Into<String>) -> Self {
        self.swap(|s| s.reverse_using = Some(expr.into()));
        self
    }
    /// Rows copied per batch by the backfill (each batch its own transaction).
    pub fn batch_size(mut self, rows: u32) -> Self {
        self.swap(|s| s.batch_size = rows.max(1));
        self
    }
}
