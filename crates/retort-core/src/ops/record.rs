//! [`Operations`]: the `op` that revision scripts call. It records [`Op`] values and never
//! executes anything; the runner renders them per dialect later, or replays them.
//!
//! Each method records its op at once and returns a [`Recorded`] handle whose modifiers
//! (`.schema(..)`, `.unique()`, `.existing_type(..)`) edit that op. The handle holds the
//! op's index in the list, not a reference to it, so it is only a short borrow of the
//! recorder for the statement that chains it.

use std::marker::PhantomData;

use super::op::{AlterColumn, Constraint, ConstraintKind, EnumValuePosition, Op};
use super::record_table::TableBuilder;
use crate::{
    Check, Column, Computed, Deferrable, EnumType, FkAction, ForeignKey, Identity, Index,
    IndexElement, Literal, PrimaryKey, ServerDefault, Table, Type, Unique,
};

/// The operation recorder passed to a revision's `upgrade` and `downgrade`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operations {
    ops: Vec<Op>,
    /// Set by [`Operations::with_schema`] for the ops recorded inside it.
    schema: Option<String>,
}

/// A name for a constraint or index: a string, or `None` to leave it to the naming
/// convention (or the database).
pub trait IntoName {
    fn into_name(self) -> Option<String>;
}
impl IntoName for &str {
    fn into_name(self) -> Option<String> {
        Some(self.to_string())
    }
}
impl IntoName for String {
    fn into_name(self) -> Option<String> {
        Some(self)
    }
}
impl IntoName for &String {
    fn into_name(self) -> Option<String> {
        Some(self.clone())
    }
}
impl IntoName for Option<&str> {
    fn into_name(self) -> Option<String> {
        self.map(str::to_string)
    }
}
impl IntoName for Option<String> {
    fn into_name(self) -> Option<String> {
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
    pub fn new() -> Self {
        Self::default()
    }
    /// The ops recorded so far, in order.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }
    pub fn into_ops(self) -> Vec<Op> {
        self.ops
    }
    pub fn len(&self) -> usize {
        self.ops.len()
    }
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
        Recorded {
            index: self.ops.len() - 1,
            ops: &mut self.ops,
            kind: PhantomData,
        }
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
    /// `DROP TABLE name`. Add `.existing(table)` to make it reversible.
    pub fn drop_table(&mut self, name: impl Into<String>) -> Recorded<'_, kind::DropTable> {
        let schema = self.schema.clone();
        self.record(Op::DropTable {
            schema,
            name: name.into(),
            existing: None,
        })
    }
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
        let mut index = Index::on_columns(columns);
        index.name = name.into_name();
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
    pub fn create_unique_constraint<I>(
        &mut self,
        name: impl IntoName,
        table: impl Into<String>,
        columns: I,
    ) -> Recorded<'_, kind::Plain>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let schema = self.schema.clone();
        self.record(Op::CreateUniqueConstraint {
            schema,
            table: table.into(),
            unique: Unique {
                name: name.into_name(),
                columns: strings(columns),
            },
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
        let mut fk = ForeignKey::new(local_cols, referent_table, remote_cols);
        fk.name = name.into_name();
        let schema = self.schema.clone();
        self.record(Op::CreateForeignKey {
            schema,
            table: source_table.into(),
            foreign_key: fk,
        })
    }
    pub fn create_check_constraint(
        &mut self,
        name: impl IntoName,
        table: impl Into<String>,
        condition: impl Into<String>,
    ) -> Recorded<'_, kind::Plain> {
        let schema = self.schema.clone();
        self.record(Op::CreateCheckConstraint {
            schema,
            table: table.into(),
            check: Check {
                name: name.into_name(),
                expr: condition.into(),
            },
        })
    }
    pub fn create_primary_key<I>(
        &mut self,
        name: impl IntoName,
        table: impl Into<String>,
        columns: I,
    ) -> Recorded<'_, kind::Plain>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let schema = self.schema.clone();
        self.record(Op::CreatePrimaryKey {
            schema,
            table: table.into(),
            primary_key: PrimaryKey {
                name: name.into_name(),
                columns: strings(columns),
            },
        })
    }
    /// `DROP CONSTRAINT name`. Add `.existing(constraint)` to make it reversible.
    pub fn drop_constraint(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        kind: ConstraintKind,
    ) -> Recorded<'_, kind::DropConstraint> {
        let schema = self.schema.clone();
        self.record(Op::DropConstraint {
            schema,
            table: table.into(),
            name: name.into(),
            kind,
            existing: None,
        })
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
        })
    }
    pub fn create_schema(&mut self, name: impl Into<String>) {
        self.ops.push(Op::CreateSchema { name: name.into() });
    }
    pub fn drop_schema(&mut self, name: impl Into<String>) {
        self.ops.push(Op::DropSchema { name: name.into() });
    }
    /// Raw SQL. Add `.reverse_sql(..)` to make it reversible.
    pub fn execute(&mut self, sql: impl Into<String>) -> Recorded<'_, kind::Execute> {
        self.record(Op::Execute {
            sql: sql.into(),
            reverse_sql: None,
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

/// Marker types that choose which modifiers a [`Recorded`] handle offers.
pub mod kind {
    /// Ops whose only modifier is `.schema(..)`.
    #[derive(Debug)]
    pub struct Plain;
    #[derive(Debug)]
    pub struct CreateTable;
    #[derive(Debug)]
    pub struct DropTable;
    #[derive(Debug)]
    pub struct DropColumn;
    #[derive(Debug)]
    pub struct AlterColumn;
    #[derive(Debug)]
    pub struct CreateIndex;
    #[derive(Debug)]
    pub struct DropIndex;
    #[derive(Debug)]
    pub struct CreateForeignKey;
    #[derive(Debug)]
    pub struct DropConstraint;
    #[derive(Debug)]
    pub struct TableComment;
    #[derive(Debug)]
    pub struct DropEnum;
    #[derive(Debug)]
    pub struct AddEnumValue;
    #[derive(Debug)]
    pub struct Execute;
}

/// A handle on the op just recorded; its modifiers edit that op in place.
#[derive(Debug)]
pub struct Recorded<'a, K> {
    ops: &'a mut Vec<Op>,
    index: usize,
    kind: PhantomData<K>,
}

impl<K> Recorded<'_, K> {
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
            Op::CreateTable { table } => table.schema = schema,
            Op::CreateEnum { enum_type } => enum_type.schema = schema,
            Op::AlterColumn(a) => a.schema = schema,
            Op::DropTable { schema: s, .. }
            | Op::RenameTable { schema: s, .. }
            | Op::AddColumn { schema: s, .. }
            | Op::DropColumn { schema: s, .. }
            | Op::CreateIndex { schema: s, .. }
            | Op::DropIndex { schema: s, .. }
            | Op::CreateUniqueConstraint { schema: s, .. }
            | Op::CreateForeignKey { schema: s, .. }
            | Op::CreateCheckConstraint { schema: s, .. }
            | Op::CreatePrimaryKey { schema: s, .. }
            | Op::DropConstraint { schema: s, .. }
            | Op::CreateTableComment { schema: s, .. }
            | Op::DropTableComment { schema: s, .. }
            | Op::DropEnum { schema: s, .. }
            | Op::AddEnumValue { schema: s, .. }
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
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        edit!(self, Op::CreateTable { table } => table.comment = Some(comment.into()))
    }
}

impl Recorded<'_, kind::DropTable> {
    /// The table's definition, which makes the drop reversible.
    pub fn existing(mut self, table: Table) -> Self {
        edit!(self, Op::DropTable { existing, .. } => *existing = Some(table))
    }
}

impl Recorded<'_, kind::DropColumn> {
    /// The column's definition, which makes the drop reversible.
    pub fn existing(mut self, column: Column) -> Self {
        edit!(self, Op::DropColumn { existing, .. } => *existing = Some(column))
    }
}

impl Recorded<'_, kind::CreateIndex> {
    pub fn unique(mut self) -> Self {
        edit!(self, Op::CreateIndex { index, .. } => index.unique = true)
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

impl Recorded<'_, kind::CreateForeignKey> {
    pub fn on_delete(mut self, action: FkAction) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.on_delete = Some(action))
    }
    pub fn on_update(mut self, action: FkAction) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.on_update = Some(action))
    }
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.deferrable = Some(d))
    }
    /// The schema of the referred table (Alembic's `referent_schema`).
    pub fn referent_schema(mut self, schema: impl Into<String>) -> Self {
        edit!(self, Op::CreateForeignKey { foreign_key, .. } => foreign_key.ref_schema = Some(schema.into()))
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
    pub fn before(mut self, value: impl Into<String>) -> Self {
        edit!(self, Op::AddEnumValue { position, .. } => *position = Some(EnumValuePosition::Before(value.into())))
    }
    pub fn after(mut self, value: impl Into<String>) -> Self {
        edit!(self, Op::AddEnumValue { position, .. } => *position = Some(EnumValuePosition::After(value.into())))
    }
}

impl Recorded<'_, kind::Execute> {
    /// The SQL that undoes this SQL, which makes it reversible.
    pub fn reverse_sql(mut self, sql: impl Into<String>) -> Self {
        edit!(self, Op::Execute { reverse_sql, .. } => *reverse_sql = Some(sql.into()))
    }
}

impl Recorded<'_, kind::AlterColumn> {
    fn alter(&mut self, f: impl FnOnce(&mut AlterColumn)) {
        if let Op::AlterColumn(a) = self.op() {
            f(a);
        }
    }
    pub fn nullable(mut self, nullable: bool) -> Self {
        self.alter(|a| a.nullable = Some(nullable));
        self
    }
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
    pub fn existing_type(mut self, ty: Type) -> Self {
        self.alter(|a| a.existing_type = Some(ty));
        self
    }
    pub fn server_default(mut self, default: ServerDefault) -> Self {
        self.alter(|a| a.server_default = Some(Some(default)));
        self
    }
    pub fn drop_server_default(mut self) -> Self {
        self.alter(|a| a.server_default = Some(None));
        self
    }
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
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.alter(|a| a.comment = Some(Some(comment.into())));
        self
    }
    pub fn drop_comment(mut self) -> Self {
        self.alter(|a| a.comment = Some(None));
        self
    }
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
    pub fn drop_identity(mut self) -> Self {
        self.alter(|a| a.identity = Some(None));
        self
    }
    pub fn existing_identity(mut self, identity: Identity) -> Self {
        self.alter(|a| a.existing_identity = Some(Some(identity)));
        self
    }
    /// Records that the column had no identity.
    pub fn existing_no_identity(mut self) -> Self {
        self.alter(|a| a.existing_identity = Some(None));
        self
    }
    pub fn computed(mut self, computed: Computed) -> Self {
        self.alter(|a| a.computed = Some(Some(computed)));
        self
    }
    pub fn drop_computed(mut self) -> Self {
        self.alter(|a| a.computed = Some(None));
        self
    }
    pub fn existing_computed(mut self, computed: Computed) -> Self {
        self.alter(|a| a.existing_computed = Some(Some(computed)));
        self
    }
    /// Records that the column was not generated.
    pub fn existing_no_computed(mut self) -> Self {
        self.alter(|a| a.existing_computed = Some(None));
        self
    }
}
