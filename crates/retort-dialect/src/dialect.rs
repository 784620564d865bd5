//! The [`Dialect`] trait: how one database spells DDL.
//!
//! Every method has a standard-SQL default (in [`crate::ansi`]); a dialect overrides only
//! what its database does differently, as Alembic's `DefaultImpl` and sea-query's backends
//! do. The methods are small and per object kind (a column, a constraint clause, one
//! statement) and take names rather than whole tables where a migration operation would
//! only have names, so that rendering an operation ([`Dialect::render_op`]) is a default
//! method that dispatches onto these (see [`crate::ansi::ops`]), with dialects overriding the
//! few ops their database lacks (SQLite's table rebuild) instead of re-rendering everything.
//!
//! The trait is object safe: the runner picks a `&dyn Dialect` from the database URL.
//! Anything a database cannot do is [`DialectError::Unsupported`], never a panic.

use retort_core::ops::{AlterColumn, ColumnSwap, Constraint, EnumValuePosition, Op};
use retort_core::{
    Check, Column, Computed, DialectKind, EnumRef, EnumType, Exclude, ForeignKey, Identity, Index,
    Literal, MetaData, PrimaryKey, Sequence, ServerDefault, Table, TableRef, Type, Unique,
};

use crate::ansi;
use crate::DialectError;

type Result<T> = std::result::Result<T, DialectError>;

/// A table as statements name it: schema (if any) and name. Operations carry names, not
/// whole tables, so statement methods take this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableName<'a> {
    /// The schema; `None` is the connection's default schema.
    pub schema: Option<&'a str>,
    /// The table's name, unquoted.
    pub name: &'a str,
}

impl<'a> TableName<'a> {
    /// A table name from its parts.
    pub fn new(schema: Option<&'a str>, name: &'a str) -> Self {
        Self { schema, name }
    }
    /// The name of a model table.
    pub fn of(table: &'a Table) -> Self {
        Self {
            schema: table.schema.as_deref(),
            name: &table.name,
        }
    }
}

/// How one database spells DDL. See the module notes.
pub trait Dialect {
    /// The database's name for messages (`"PostgreSQL"`).
    fn name(&self) -> &'static str;
    /// Which per-dialect variants of a type or default this dialect takes
    /// ([`retort_core::Type::with_variant`]); `None`, the default: none, only base values.
    fn kind(&self) -> Option<DialectKind> {
        None
    }

    // ---- capabilities -------------------------------------------------------------------

    /// Whether DDL runs inside a transaction (and rolls back with it).
    fn transactional_ddl(&self) -> bool {
        false
    }
    /// Whether enum types are named schema objects (`CREATE TYPE .. AS ENUM`); without them a
    /// dialect renders enums inline in [`Dialect::column_type`].
    fn supports_enum_types(&self) -> bool {
        false
    }
    /// The longest name the database keeps, in bytes (`None`: no limit that matters). Names
    /// a naming convention builds are shortened to it
    /// ([`MetaData::set_max_identifier_length`](retort_core::MetaData::set_max_identifier_length));
    /// longer names the user wrote are refused by autogenerate and `check`
    /// ([`retort_core::long_identifiers`]).
    fn max_identifier_length(&self) -> Option<usize> {
        None
    }

    // ---- names and literals -------------------------------------------------------------

    /// Whether `word` must be quoted to be used as a name (case-insensitive).
    fn is_reserved_word(&self, word: &str) -> bool {
        ansi::keywords::is_reserved(word)
    }
    /// Longest identifier in bytes the database keeps without truncating it.
    fn max_identifier_len(&self) -> Option<usize> {
        None
    }
    /// A name, quoted when needed; never injectable. NUL and empty names are errors.
    fn quote_identifier(&self, ident: &str) -> Result<String> {
        ansi::quote::identifier(self, ident)
    }
    /// `schema.name` or `name`, each part quoted as needed.
    fn qualified_name(&self, schema: Option<&str>, name: &str) -> Result<String> {
        ansi::ddl::qualified_name(self, schema, name)
    }
    /// A table's name as statements write it (schema-qualified when it has a schema).
    fn table_name(&self, table: TableName<'_>) -> Result<String> {
        self.qualified_name(table.schema, table.name)
    }
    /// A text literal; never injectable. NUL is an error.
    fn string_literal(&self, value: &str) -> Result<String> {
        ansi::quote::string_literal(value)
    }
    /// A literal value (number, text, boolean, NULL) as SQL; never injectable.
    fn literal(&self, literal: &Literal) -> Result<String> {
        ansi::quote::literal(self, literal)
    }

    // ---- columns and constraint clauses -------------------------------------------------

    /// The SQL type of a column (`VARCHAR(50)`, `BIGINT`, a named enum type).
    fn column_type(&self, ty: &Type) -> Result<String> {
        ansi::types::column_type(self, ty)
    }
    /// `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY (..)`, or the dialect's auto-increment spelling.
    fn identity_clause(&self, identity: &Identity) -> Result<String> {
        Ok(ansi::ddl::identity_clause(identity))
    }
    /// `DEFAULT ..` of a server default (text literal, expression or the dialect's variant).
    fn default_clause(&self, default: &ServerDefault) -> Result<String> {
        ansi::ddl::default_clause(self, default)
    }
    /// `GENERATED ALWAYS AS (..) STORED` (or `VIRTUAL`) of a computed column.
    fn computed_clause(&self, computed: &Computed) -> Result<String> {
        Ok(ansi::ddl::computed_clause(computed))
    }
    /// A column as it appears in `CREATE TABLE` and `ADD COLUMN`.
    fn column_definition(&self, column: &Column) -> Result<String> {
        ansi::ddl::column_definition(self, column)
    }
    /// `[CONSTRAINT name] PRIMARY KEY (..)`.
    fn primary_key_clause(&self, pk: &PrimaryKey) -> Result<String> {
        ansi::ddl::primary_key_clause(self, pk)
    }
    /// An unqualified target table is in the default schema; `table_schema` is the referring
    /// table's (SQLite needs both in one database file).
    fn foreign_key_clause(&self, table_schema: Option<&str>, fk: &ForeignKey) -> Result<String> {
        ansi::ddl::foreign_key_clause(self, table_schema, fk)
    }
    /// `[CONSTRAINT name] UNIQUE (..)` with the options the dialect supports.
    fn unique_clause(&self, unique: &Unique) -> Result<String> {
        ansi::ddl::unique_clause(self, unique)
    }
    /// `[CONSTRAINT name] CHECK (..)`.
    fn check_clause(&self, check: &Check) -> Result<String> {
        ansi::ddl::check_clause(self, check)
    }
    /// An exclusion constraint of table `table`. The standard has none, so the default
    /// refuses, naming it (PostgreSQL overrides).
    fn exclude_clause(&self, table: &str, exclude: &Exclude) -> Result<String> {
        Err(DialectError::unsupported(
            self.name(),
            format!(
                "the exclusion constraint `{}` on table `{table}` (EXCLUDE)",
                exclude.name.as_deref().unwrap_or("(unnamed)")
            ),
            "exclusion constraints are PostgreSQL's; keep this model's database on PostgreSQL, \
             or enforce the rule another way (a unique index, a trigger)",
        ))
    }
    /// ` WITH (..)`: the storage parameters of `what` (a table, an index, a key's index, in
    /// words for the error). The standard has none, so the default refuses any, naming
    /// `what` (PostgreSQL overrides).
    fn storage_clause(&self, with: &[(String, String)], what: &str) -> Result<String> {
        ansi::storage::no_storage(self, with, what)
    }
    /// `INHERITS (..)` after a `CREATE TABLE`'s columns. The standard has no inheritance, so
    /// the default refuses a table with parents (or inherited columns), naming it.
    fn inherits_clause(&self, table: &Table) -> Result<String> {
        ansi::storage::no_inherits(self, table)
    }
    /// The name a foreign key has in the database: its own, or the one the database gives an
    /// unnamed key (needed to drop it). The default knows no database's rule.
    fn foreign_key_name(&self, table: TableName<'_>, fk: &ForeignKey) -> Result<String> {
        fk.name.clone().ok_or_else(|| DialectError::Unnamed {
            what: format!(
                "the foreign key ({}) of `{}`",
                fk.columns.join(", "),
                table.name
            ),
            hint: "name it, or set a naming convention with an `fk` template".into(),
        })
    }

    // ---- statements ---------------------------------------------------------------------

    /// `CREATE SCHEMA ..`; a dialect without schemas refuses it.
    fn create_schema(&self, name: &str) -> Result<String> {
        ansi::ddl::create_schema(self, name)
    }
    /// `DROP SCHEMA ..`; a dialect without schemas refuses it.
    fn drop_schema(&self, name: &str) -> Result<String> {
        ansi::ddl::drop_schema(self, name)
    }
    /// `CREATE TYPE .. AS ENUM (..)`. Unsupported by default: a dialect without named enum types renders enums inline (a CHECK or `ENUM(..)`).
    fn create_enum_type(&self, e: &EnumType) -> Result<String> {
        Err(DialectError::unsupported(
            self.name(),
            format!("named enum types (`{}`)", e.name),
            "enum columns are rendered inline instead",
        ))
    }
    /// `DROP TYPE ..` of a named enum type. Unsupported by default.
    fn drop_enum_type(&self, e: &EnumRef) -> Result<String> {
        Err(DialectError::unsupported(
            self.name(),
            format!("named enum types (`{}`)", e.name),
            "enum columns are rendered inline instead",
        ))
    }
    /// `CREATE TABLE ..` with its columns and constraints (and the indexes and comments it needs, as further statements).
    fn create_table(&self, table: &Table) -> Result<String> {
        ansi::ddl::create_table(self, table)
    }
    /// `ALTER TABLE t INHERIT parent` (`inherit`), or `NO INHERIT`. Refused by default,
    /// naming the table.
    fn inherit(&self, table: TableName<'_>, parent: &TableRef, inherit: bool) -> Result<String> {
        let _ = (parent, inherit);
        Err(ansi::storage::no_inheritance(
            self,
            &retort_core::TableRef::new(table.schema, table.name).qualified_name(),
        ))
    }
    /// `ALTER TABLE`/`ALTER INDEX .. SET (..) RESET (..)`: the storage parameters of the
    /// table, or of its index (or key) `index`, become `with`; those of `existing` it lacks
    /// are reset. Refused by default, naming the table or index.
    fn set_storage(
        &self,
        table: TableName<'_>,
        index: Option<&str>,
        with: &[(String, String)],
        existing: Option<&[(String, String)]>,
    ) -> Result<Vec<String>> {
        let what = ansi::storage::storage_target(table, index);
        // What it sets, or else what it resets.
        let named = if with.is_empty() {
            existing.unwrap_or(&[])
        } else {
            with
        };
        ansi::storage::no_storage(self, named, &what).map(|_| Vec::new())
    }
    /// `CREATE SEQUENCE ..` of a standalone sequence (moved to its recorded last value).
    /// Unsupported by default.
    fn create_sequence(&self, sequence: &Sequence) -> Result<Vec<String>> {
        Err(no_sequences(self, &sequence.name))
    }
    /// `DROP SEQUENCE ..`. Unsupported by default.
    fn drop_sequence(&self, schema: Option<&str>, name: &str) -> Result<String> {
        let _ = schema;
        Err(no_sequences(self, name))
    }
    /// `ALTER SEQUENCE ..` to the type and options of `sequence`; `existing` is its definition
    /// before, when known. Unsupported by default.
    fn alter_sequence(
        &self,
        sequence: &Sequence,
        existing: Option<&Sequence>,
    ) -> Result<Vec<String>> {
        let _ = existing;
        Err(no_sequences(self, &sequence.name))
    }
    /// What a serial column of a table being created (`new_table`) or of a column being added
    /// needs around the `CREATE TABLE`/`ADD COLUMN`: statements before it (its sequence) and
    /// after it (the sequence's owner). The default needs none: a dialect without sequences
    /// expresses a serial key inline (SQLite's rowid) or refuses it in the column's DDL.
    fn serial_column(
        &self,
        table: TableName<'_>,
        column: &Column,
        new_table: bool,
    ) -> Result<(Vec<String>, Vec<String>)> {
        let _ = (table, column, new_table);
        Ok((Vec::new(), Vec::new()))
    }
    /// The statements that make existing column `owner` of `table` serial with `sequence`
    /// (a `create_sequence` owned by a column), and that make it plain again (a drop).
    /// Unsupported by default.
    fn make_serial(&self, table: TableName<'_>, sequence: &Sequence) -> Result<Vec<String>> {
        let _ = table;
        Err(no_sequences(self, &sequence.name))
    }
    /// See [`Dialect::make_serial`].
    fn drop_serial(&self, table: TableName<'_>, sequence: &Sequence) -> Result<Vec<String>> {
        let _ = table;
        Err(no_sequences(self, &sequence.name))
    }
    /// The statements that create an entity (a view, function, trigger...), its schema
    /// resolved. Standard SQL has views and triggers (`ansi::entities`); other kinds are
    /// refused by name unless the dialect overrides this.
    fn create_entity(&self, entity: &retort_core::Entity) -> Result<Vec<String>> {
        ansi::entities::create_entity(self, entity)
    }
    /// The statements that give an existing entity the definition of `entity`; `existing`
    /// is the definition it replaces, when recorded. By default drop then create.
    fn replace_entity(
        &self,
        entity: &retort_core::Entity,
        existing: Option<&retort_core::Entity>,
    ) -> Result<Vec<String>> {
        let _ = existing;
        ansi::entities::replace_entity(self, entity)
    }
    /// The statements that drop the entity `key` names, its schema resolved.
    fn drop_entity(&self, key: &retort_core::EntityKey) -> Result<Vec<String>> {
        ansi::entities::drop_entity(self, key)
    }
    /// `DROP TABLE ..`.
    fn drop_table(&self, table: TableName<'_>) -> Result<String> {
        ansi::ddl::drop_table(self, table)
    }
    /// `ALTER TABLE .. ADD CONSTRAINT name FOREIGN KEY ..`, always named (see
    /// [`Dialect::foreign_key_name`]) so it can be dropped again.
    fn add_foreign_key(&self, table: TableName<'_>, fk: &ForeignKey) -> Result<String> {
        ansi::ddl::add_foreign_key(self, table, fk)
    }
    /// `ALTER TABLE .. DROP CONSTRAINT name`.
    fn drop_constraint(&self, table: TableName<'_>, name: &str) -> Result<String> {
        ansi::ddl::drop_constraint(self, table, name)
    }
    /// The name the database gave `constraint` of `table` when it was created without one,
    /// so that an unnamed `drop_constraint` carrying its definition (what a revision
    /// autogenerated on SQLite records) can name it here. `None`: the database has no rule
    /// to tell, and the drop is refused, naming the table.
    fn unnamed_constraint_name(
        &self,
        _table: &retort_core::Table,
        _constraint: &retort_core::ops::Constraint,
    ) -> Option<String> {
        None
    }
    /// The standard has no indexes; the default is the common core (name, UNIQUE, columns or
    /// expressions, ASC/DESC, WHERE) and every extra is `Unsupported`.
    fn create_index(&self, table: TableName<'_>, index: &Index) -> Result<String> {
        let features = ansi::ddl::IndexFeatures {
            predicate: true,
            ..Default::default()
        };
        ansi::ddl::create_index(self, table, index, features)
    }
    /// `DROP INDEX ..` (on MySQL, `.. ON table`).
    fn drop_index(&self, table: TableName<'_>, name: &str) -> Result<String> {
        ansi::ddl::drop_index(self, table, name)
    }
    /// `None` removes the comment.
    fn comment_on_table(&self, table: TableName<'_>, comment: Option<&str>) -> Result<String> {
        ansi::ddl::comment_on_table(self, table, comment)
    }
    /// `None` removes the comment.
    fn comment_on_column(
        &self,
        table: TableName<'_>,
        column: &str,
        comment: Option<&str>,
    ) -> Result<String> {
        ansi::ddl::comment_on_column(self, table, column, comment)
    }

    // ---- changes to existing objects (one per migration operation kind) -----------------

    /// `ALTER TABLE .. ADD COLUMN ..`.
    fn add_column(&self, table: TableName<'_>, column: &Column) -> Result<String> {
        ansi::alter::add_column(self, table, column)
    }
    /// `ALTER TABLE .. DROP COLUMN ..`.
    fn drop_column(&self, table: TableName<'_>, column: &str) -> Result<String> {
        ansi::alter::drop_column(self, table, column)
    }
    /// `ALTER TABLE .. RENAME TO ..`.
    fn rename_table(&self, table: TableName<'_>, new_name: &str) -> Result<String> {
        ansi::alter::rename_table(self, table, new_name)
    }
    /// The clause that adds a foreign key or check without checking the rows already there
    /// (PostgreSQL's `NOT VALID`); `None` where the database has none, and a constraint asked
    /// to be added so is added plainly.
    fn not_valid_clause(&self) -> Option<&'static str> {
        None
    }
    /// Checks the rows against a constraint added with [`Dialect::not_valid_clause`]
    /// (`ALTER TABLE .. VALIDATE CONSTRAINT name`); nothing where that clause is `None`, as the
    /// constraint was checked when added.
    fn validate_constraint(&self, table: TableName<'_>, name: &str) -> Result<Vec<String>> {
        let _ = (table, name);
        Ok(Vec::new())
    }
    /// One step of a column type change by add-copy-swap (`Op::SwapColumnType`, the online
    /// form of `ALTER .. TYPE`, `docs/online.md`), against `schema`, the schema before it.
    /// Unsupported by default: only PostgreSQL has the form.
    fn swap_column_type(&self, swap: &ColumnSwap, schema: &MetaData) -> Result<Vec<String>> {
        let _ = schema;
        Err(DialectError::unsupported(
            self.name(),
            format!(
                "an add-copy-swap type change of `{}.{}` (`swap_column_type`, a PostgreSQL form)",
                swap.table, swap.column
            ),
            "change the type with `alter_column(..).type_(..)`",
        ))
    }
    /// `ALTER TABLE .. ADD ..` for a primary key, unique, check or foreign key.
    fn add_constraint(&self, table: TableName<'_>, constraint: &Constraint) -> Result<String> {
        ansi::alter::add_constraint(self, table, constraint)
    }
    /// `ALTER TYPE .. ADD VALUE ..` of a named enum type, `BEFORE`/`AFTER` a value when given. Unsupported by default.
    fn add_enum_value(
        &self,
        e: &EnumRef,
        value: &str,
        position: Option<&EnumValuePosition>,
    ) -> Result<String> {
        let _ = (value, position);
        Err(DialectError::unsupported(
            self.name(),
            format!("named enum types (`{}`)", e.name),
            "enum columns are rendered inline instead",
        ))
    }
    /// `INSERT INTO .. VALUES ..` of literal rows (a data migration's `bulk_insert`).
    fn insert_rows(
        &self,
        table: TableName<'_>,
        columns: &[String],
        rows: &[Vec<Literal>],
    ) -> Result<String> {
        ansi::alter::insert_rows(self, table, columns, rows)
    }

    /// `ALTER TABLE t RENAME COLUMN a TO b`.
    fn rename_column(&self, table: TableName<'_>, old: &str, new: &str) -> Result<String> {
        ansi::alter_column::rename_column(self, table, old, new)
    }
    /// `ALTER TABLE t ALTER COLUMN c ..`: every statement one [`AlterColumn`] needs, in an
    /// order that runs. `schema` is the schema before the op; it supplies the old values the
    /// op did not record (the old type decides whether a type change needs `USING`).
    fn alter_column(&self, alter: &AlterColumn, schema: &MetaData) -> Result<Vec<String>> {
        ansi::alter_column::alter_column(self, alter, schema, Default::default())
    }
    /// `CREATE INDEX CONCURRENTLY` (built without locking out writes). Unsupported by default.
    fn create_index_concurrently(&self, table: TableName<'_>, index: &Index) -> Result<String> {
        let _ = (table, index);
        Err(DialectError::unsupported(
            self.name(),
            "building an index concurrently",
            "record the index without `concurrently`",
        ))
    }
    /// `DROP INDEX CONCURRENTLY`. Unsupported by default.
    fn drop_index_concurrently(&self, table: TableName<'_>, name: &str) -> Result<String> {
        let _ = (table, name);
        Err(DialectError::unsupported(
            self.name(),
            "dropping an index concurrently",
            "record the drop without `concurrently`",
        ))
    }

    // ---- migration operations -----------------------------------------------------------

    /// The statements of one migration operation, in order, without trailing `;`.
    ///
    /// `schema` is the schema as it stands *before* the op (the runner tracks it with
    /// [`Op::apply`]; [`Dialect::render_ops`] does so for a list). Dialects that rebuild
    /// tables need it, and it supplies old values an op did not record. The default
    /// dispatches every [`Op`] onto the statement methods above ([`ansi::ops::render_op`]);
    /// a dialect overrides it only for the ops its database lacks, and calls back into
    /// [`ansi::ops::render_op`] for the rest.
    fn render_op(&self, op: &Op, schema: &MetaData) -> Result<Vec<String>> {
        ansi::ops::render_op(self, op, schema)
    }
    /// The statements of `ops` in order: each op is rendered against `schema` as the earlier
    /// ops leave it (applied to a copy). An op that cannot be applied is an error, since
    /// what follows would be rendered against a wrong schema.
    fn render_ops(&self, ops: &[Op], schema: &MetaData) -> Result<Vec<String>> {
        ansi::ops::render_ops(self, ops, schema)
    }
    /// `sql`, one statement of `op`, in the form an environment that asks for online-safe
    /// DDL (`online = true`) runs: the server must do it without blocking writes, or refuse.
    /// Unchanged by default (PostgreSQL's online forms are ops of their own, written by
    /// autogenerate); MySQL appends `ALGORITHM=INPLACE, LOCK=NONE` (`ALGORITHM=INSTANT` for
    /// an added column).
    fn online_statement(&self, op: &Op, sql: String) -> String {
        let _ = op;
        sql
    }
    /// Whether `op` must run outside a transaction (with autocommit), as PostgreSQL's
    /// `CREATE/DROP INDEX CONCURRENTLY` and raw SQL declared `.outside_transaction()`
    /// (`VACUUM`) must. The runner commits before such an op.
    fn op_needs_autocommit(&self, op: &Op) -> bool {
        op.runs_outside_transaction()
    }

    // ---- whole schemas ------------------------------------------------------------------

    /// Every statement that creates `md` in an empty database, in an order that runs: enum
    /// types, tables in foreign-key order, the foreign keys of cycles, indexes, comments.
    /// The metadata is validated first.
    fn create_all(&self, md: &MetaData) -> Result<Vec<String>> {
        crate::create_all::create_all(self, md, false)
    }
    /// [`Dialect::create_all`] of a model already validated: not validated again unless
    /// the dialect's form of it (its variants chosen, the convention's names shortened) is
    /// another model. Same statements, same refusals.
    fn create_all_validated(&self, md: retort_core::Validated<'_>) -> Result<Vec<String>> {
        crate::create_all::create_all(self, md.get(), true)
    }
    /// Every statement that drops what [`Dialect::create_all`] created, in reverse.
    fn drop_all(&self, md: &MetaData) -> Result<Vec<String>> {
        crate::create_all::drop_all(self, md)
    }
}

/// A dialect without sequences refusing one, naming it.
fn no_sequences<D: Dialect + ?Sized>(d: &D, name: &str) -> DialectError {
    DialectError::unsupported(
        d.name(),
        format!("sequences (`{name}`)"),
        "use an identity column, or leave the sequence out of the model for this database",
    )
}
