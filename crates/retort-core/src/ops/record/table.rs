//! The `create_table` builder: `op.create_table("t", |t| { t.column(..).not_null(); .. })`.
//!
//! The closure fills a [`Table`] directly; the handles it returns borrow the table only for
//! the statement that chains their modifiers.

use super::IntoName;
use crate::{
    Check, Column, Computed, Deferrable, Exclude, FkAction, ForeignKey, Identity, Index,
    IndexElement, PrimaryKey, Serial, ServerDefault, Table, Type, Unique,
};

/// The `t` of `op.create_table("t", |t| ..)`.
#[derive(Debug)]
pub struct TableBuilder {
    pub(super) table: Table,
}

impl TableBuilder {
    /// Adds a nullable column (SQL's default); chain modifiers on the handle.
    pub fn column(&mut self, name: impl Into<String>, ty: Type) -> ColumnDef<'_> {
        self.table.columns.push(Column::new(name, ty));
        let len = self.table.columns.len();
        ColumnDef {
            table: &mut self.table,
            index: len - 1,
        }
    }
    /// Adds a column built elsewhere.
    pub fn add_column(&mut self, column: Column) {
        self.table.columns.push(column);
    }
    /// `PRIMARY KEY (columns)`, replacing any earlier one.
    pub fn primary_key<I>(&mut self, columns: I) -> PrimaryKeyDef<'_>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let pk = self.table.primary_key.insert(PrimaryKey::new(columns));
        PrimaryKeyDef { pk }
    }
    /// `FOREIGN KEY (columns) REFERENCES ref_table (ref_columns)`.
    pub fn foreign_key<C, R>(
        &mut self,
        columns: C,
        ref_table: impl Into<String>,
        ref_columns: R,
    ) -> ForeignKeyDef<'_>
    where
        C: IntoIterator,
        C::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        self.table
            .foreign_keys
            .push(ForeignKey::new(columns, ref_table, ref_columns));
        let len = self.table.foreign_keys.len();
        ForeignKeyDef {
            fk: &mut self.table.foreign_keys[len - 1],
        }
    }
    /// `UNIQUE (columns)`.
    pub fn unique<I>(&mut self, columns: I) -> UniqueDef<'_>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.table.uniques.push(Unique::new(columns));
        let len = self.table.uniques.len();
        UniqueDef {
            unique: &mut self.table.uniques[len - 1],
        }
    }
    /// `CHECK (expr)`.
    pub fn check(&mut self, expr: impl Into<String>) -> NameDef<'_> {
        self.table.checks.push(Check::new(expr));
        let len = self.table.checks.len();
        let check = &mut self.table.checks[len - 1];
        NameDef {
            name: &mut check.name,
            conv: &mut check.conv,
        }
    }
    /// An exclusion constraint (PostgreSQL), created with the table:
    /// `t.exclude(Exclude::new("no_overlap", vec![ExcludeElement::column("room_id", "=")]))`.
    pub fn exclude(&mut self, exclude: Exclude) {
        self.table.excludes.push(exclude);
    }
    /// An index on columns, created with the table. `name` may be [`super::Unnamed`].
    pub fn index<I>(&mut self, name: impl IntoName, columns: I) -> IndexDef<'_>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.push_index(Index::on_columns(columns).name(name))
    }
    /// An index on arbitrary elements (expressions, opclasses, orderings), created with
    /// the table.
    pub fn index_on(&mut self, name: impl IntoName, elements: Vec<IndexElement>) -> IndexDef<'_> {
        self.push_index(
            Index::on_columns(Vec::<String>::new())
                .elements(elements)
                .name(name),
        )
    }
    fn push_index(&mut self, index: Index) -> IndexDef<'_> {
        self.table.indexes.push(index);
        let len = self.table.indexes.len();
        IndexDef {
            index: &mut self.table.indexes[len - 1],
        }
    }
    /// The table's comment.
    pub fn comment(&mut self, comment: impl Into<String>) {
        self.table.comment = Some(comment.into());
    }
    /// A parent table (PostgreSQL `INHERITS`): `"schema.name"` or `"name"` (split at the
    /// last `.`), or a [`crate::TableRef`] for names that hold a `.`
    /// (`TableRef::new(Some("s.1"), "a.b")`).
    pub fn inherits(&mut self, parent: impl Into<crate::TableRef>) {
        self.table.inherits.push(parent.into());
    }
    /// A storage parameter of the table (`WITH (fillfactor='70')`, PostgreSQL).
    pub fn with(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.table.with.push((name.into(), value.into()));
    }
    /// The table's schema (the same as `.schema(..)` on the returned handle).
    pub fn schema(&mut self, schema: impl Into<String>) {
        self.table.schema = Some(schema.into());
    }
}

/// Modifiers of a column just added by [`TableBuilder::column`].
#[derive(Debug)]
pub struct ColumnDef<'a> {
    table: &'a mut Table,
    index: usize,
}

impl ColumnDef<'_> {
    fn col(&mut self) -> &mut Column {
        &mut self.table.columns[self.index]
    }
    /// The column comes from a parent table (PostgreSQL `INHERITS`), not the table's own.
    pub fn inherited(mut self) -> Self {
        self.col().inherited = true;
        self
    }
    /// Adds `NOT NULL`.
    pub fn not_null(mut self) -> Self {
        self.col().nullable = false;
        self
    }
    /// `false` adds `NOT NULL`; `true` (the default) allows NULL.
    pub fn nullable(mut self, nullable: bool) -> Self {
        self.col().nullable = nullable;
        self
    }
    /// An identity column; as in SQL, that makes it NOT NULL.
    pub fn identity(mut self, identity: Identity) -> Self {
        let c = self.col();
        c.identity = Some(Box::new(identity));
        c.nullable = false;
        self
    }
    /// A `serial` column (its default the `nextval` of the sequence it owns); NOT NULL.
    pub fn serial(mut self, serial: Serial) -> Self {
        let c = self.col();
        c.serial = Some(Box::new(serial));
        c.nullable = false;
        self
    }
    /// `DEFAULT ..`: the value the database gives rows inserted without one.
    pub fn server_default(mut self, default: ServerDefault) -> Self {
        self.col().server_default = Some(default);
        self
    }
    /// Makes it a generated column (`GENERATED ALWAYS AS (expr)`).
    pub fn computed(mut self, computed: Computed) -> Self {
        self.col().computed = Some(computed);
        self
    }
    /// The column's comment (`COMMENT ON COLUMN`).
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.col().comment = Some(comment.into());
        self
    }
    /// `COLLATE name`.
    pub fn collation(mut self, collation: impl Into<String>) -> Self {
        self.col().collation = Some(collation.into());
        self
    }
    /// Adds this column to the table's primary key (in call order) and makes it NOT NULL.
    pub fn primary_key(mut self) -> Self {
        let name = self.col().name.clone();
        self.col().nullable = false;
        self.table.add_primary_key_column(name);
        self
    }
    /// A single-column foreign key to `ref_table.ref_column`.
    pub fn references(
        mut self,
        ref_table: impl Into<String>,
        ref_column: impl Into<String>,
    ) -> Self {
        let name = self.col().name.clone();
        self.table
            .foreign_keys
            .push(ForeignKey::new([name], ref_table, [ref_column.into()]));
        self
    }
}

/// Modifiers of the primary key set by [`TableBuilder::primary_key`].
#[derive(Debug)]
pub struct PrimaryKeyDef<'a> {
    pk: &'a mut PrimaryKey,
}

impl PrimaryKeyDef<'_> {
    /// Names the primary key (`CONSTRAINT name PRIMARY KEY`).
    pub fn name(self, name: impl IntoName) -> Self {
        self.pk.conv = name.is_conv();
        self.pk.name = name.into_name();
        self
    }
    /// A storage parameter of the key's index (`WITH (fillfactor='100')`, PostgreSQL).
    pub fn with(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.pk.with.push((name.into(), value.into()));
        self
    }
}

/// Modifiers of a foreign key added by [`TableBuilder::foreign_key`].
#[derive(Debug)]
pub struct ForeignKeyDef<'a> {
    fk: &'a mut ForeignKey,
}

impl ForeignKeyDef<'_> {
    /// Names the foreign key (`CONSTRAINT name FOREIGN KEY ..`).
    pub fn name(self, name: impl IntoName) -> Self {
        self.fk.conv = name.is_conv();
        self.fk.name = name.into_name();
        self
    }
    /// `ON DELETE action`; without it the database default (`NO ACTION`).
    pub fn on_delete(self, action: FkAction) -> Self {
        self.fk.on_delete = Some(action);
        self
    }
    /// `ON UPDATE action`; without it the database default (`NO ACTION`).
    pub fn on_update(self, action: FkAction) -> Self {
        self.fk.on_update = Some(action);
        self
    }
    /// `DEFERRABLE INITIALLY DEFERRED` or `.. IMMEDIATE` (PostgreSQL, SQLite).
    pub fn deferrable(self, d: Deferrable) -> Self {
        self.fk.deferrable = Some(d);
        self
    }
    /// `MATCH FULL` (or `PARTIAL`); without it `MATCH SIMPLE`, the default.
    pub fn match_type(self, m: crate::FkMatch) -> Self {
        self.fk.match_type = Some(m);
        self
    }
    /// The schema of the referred table.
    pub fn ref_schema(self, schema: impl Into<String>) -> Self {
        self.fk.ref_schema = Some(schema.into());
        self
    }
}

/// Naming a unique or check constraint added by the table builder.
#[derive(Debug)]
pub struct NameDef<'a> {
    name: &'a mut Option<String>,
    conv: &'a mut bool,
}

impl NameDef<'_> {
    /// Names the constraint (`CONSTRAINT name ..`).
    pub fn name(self, name: impl IntoName) -> Self {
        *self.conv = name.is_conv();
        *self.name = name.into_name();
        self
    }
}

/// Modifiers of a unique constraint added by [`TableBuilder::unique`].
#[derive(Debug)]
pub struct UniqueDef<'a> {
    unique: &'a mut Unique,
}

impl UniqueDef<'_> {
    /// Names the constraint (`CONSTRAINT name UNIQUE ..`).
    pub fn name(self, name: impl IntoName) -> Self {
        self.unique.conv = name.is_conv();
        self.unique.name = name.into_name();
        self
    }
    /// `DEFERRABLE [INITIALLY DEFERRED]`.
    pub fn deferrable(self, d: crate::Deferrable) -> Self {
        self.unique.deferrable = Some(d);
        self
    }
    /// `NULLS NOT DISTINCT` (PostgreSQL 15).
    pub fn nulls_not_distinct(self) -> Self {
        self.unique.nulls_not_distinct = true;
        self
    }
    /// A storage parameter of the constraint's index (`WITH (fillfactor='90')`, PostgreSQL).
    pub fn with(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.unique.with.push((name.into(), value.into()));
        self
    }
}

/// Modifiers of an index added by [`TableBuilder::index`].
#[derive(Debug)]
pub struct IndexDef<'a> {
    index: &'a mut Index,
}

impl IndexDef<'_> {
    /// Makes it a unique index (`CREATE UNIQUE INDEX`).
    pub fn unique(self) -> Self {
        self.index.unique = true;
        self
    }
    /// `NULLS NOT DISTINCT` (PostgreSQL 15), for a unique index.
    pub fn nulls_not_distinct(self) -> Self {
        self.index.nulls_not_distinct = true;
        self
    }
    /// Replaces the indexed columns with arbitrary elements (expressions, orderings).
    pub fn elements(self, elements: Vec<IndexElement>) -> Self {
        self.index.elements = elements;
        self
    }
    /// The index access method (`USING gin`).
    pub fn method(self, method: impl Into<String>) -> Self {
        self.index.method = Some(method.into());
        self
    }
    /// `WHERE (sql)`: a partial index over the rows for which the condition holds.
    pub fn predicate(self, sql: impl Into<String>) -> Self {
        self.index.predicate = Some(sql.into());
        self
    }
    /// A storage parameter (`WITH (fillfactor='90')`, PostgreSQL).
    pub fn with(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.index.with.push((name.into(), value.into()));
        self
    }
    /// `INCLUDE (columns)`.
    pub fn include<I>(self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.index.include = columns.into_iter().map(Into::into).collect();
        self
    }
}

impl Table {
    /// A table definition written with the `create_table` builder, e.g. the `existing`
    /// definition of a `drop_table`:
    /// `op.drop_table("t").existing(Table::build("t", |t| { t.column("id", Type::Integer); }))`.
    pub fn build(name: impl Into<String>, build: impl FnOnce(&mut TableBuilder)) -> Table {
        let mut b = TableBuilder {
            table: Table::new(name),
        };
        build(&mut b);
        b.table
    }
}
