//! PostgreSQL. Overrides only what differs from the standard defaults: its keyword list and
//! 63-byte names, types the standard lacks (UUID, JSONB, BYTEA, named enums, arrays),
//! stored-only generated columns, enum types, its index extras (`USING`, operator classes,
//! `NULLS FIRST`, `INCLUDE`, unnamed indexes), the names it gives unnamed foreign keys, and
//! what its migration operations can do beyond the standard (`ops`: `ALTER COLUMN .. TYPE ..
//! USING`, identity and generation-expression changes, `CONCURRENTLY`).
//! `dependents` names what depends on an enum type in a live database that a schema does
//! not know (`queries/postgres/enum_dependents.sql`), for the runner's check before a swap.
//!
//! Text literals assume `standard_conforming_strings = on` (the default since 9.1, and what
//! pg_dump sets), so a backslash is an ordinary character and no `E'..'` form is needed.

mod access;
pub mod access_catalog;
mod backend;
mod canonical;
mod dependents;
mod entities;
pub mod entity_catalog;
pub mod entity_columns;
pub mod extension_catalog;
mod extensions;
pub mod introspect;
mod keywords;
mod lock;
mod names;
pub mod object_catalog;
mod ops;
mod read_schema;
mod respell;
mod scratch;
mod sequences;
mod swap;
pub mod table_size;

pub use backend::PostgresBackend;
pub use dependents::{
    enum_changed_by, enum_dependents_sql, unknown_dependents, ENUM_DEPENDENTS_FILE,
};
pub use lock::PostgresLock;
pub use names::MAX_IDENTIFIER_LEN;
pub use respell::respell;

/// Sent right after `BEGIN` in every transaction that reads the catalog (`read_schema`, the
/// entity spelling in `entity_catalog`, the scratch tables in `scratch`): JIT compilation
/// off for that transaction only (`SET LOCAL`; the session's own setting stands after it).
/// The planner over-estimates the catalog queries on a large schema
/// (`queries/postgres/indexes.sql` at 1.5 M for 4,000 rows with 1,000 tables, past
/// `jit_above_cost` and both `jit_*_above_cost` thresholds), so with the server default
/// `jit = on` PostgreSQL spent about 1 s compiling a query that runs in 0.1 s: most of a
/// `check`. The queries read a few thousand catalog rows; JIT never pays for itself there.
pub(crate) const CATALOG_READ_SETTINGS: &str = "SET LOCAL jit = off";

use retort_core::ops::{AlterColumn, ColumnSwap, EnumValuePosition, Op};
use retort_core::{
    Column, Computed, EnumRef, EnumType, ForeignKey, Index, MetaData, Sequence, Table, Type,
};

use crate::ansi;
use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

/// The PostgreSQL dialect (15 and later).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Postgres;

/// PostgreSQL's indexes (and the indexes behind exclusion constraints) can say everything.
const EVERY_INDEX_FEATURE: ansi::ddl::IndexFeatures = ansi::ddl::IndexFeatures {
    unnamed: true,
    method: true,
    opclass: true,
    collation: true,
    nulls_order: true,
    include: true,
    predicate: true,
};

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }
    fn kind(&self) -> Option<retort_core::DialectKind> {
        Some(retort_core::DialectKind::Postgres)
    }
    fn transactional_ddl(&self) -> bool {
        true
    }
    fn supports_enum_types(&self) -> bool {
        true
    }
    /// `NAMEDATALEN - 1`: the server silently cuts longer names.
    fn max_identifier_length(&self) -> Option<usize> {
        Some(MAX_IDENTIFIER_LEN)
    }
    fn is_reserved_word(&self, word: &str) -> bool {
        keywords::must_quote(word)
    }
    fn max_identifier_len(&self) -> Option<usize> {
        Some(MAX_IDENTIFIER_LEN)
    }

    fn column_type(&self, ty: &Type) -> Result<String> {
        Ok(match ty {
            Type::Uuid => "UUID".into(),
            Type::Jsonb => "JSONB".into(),
            Type::Binary => "BYTEA".into(),
            Type::Enum(r) => self.qualified_name(r.schema.as_deref(), &r.name)?,
            Type::Array(inner) => format!("{}[]", self.column_type(inner)?),
            other => ansi::types::column_type(self, other)?,
        })
    }
    fn computed_clause(&self, computed: &Computed) -> Result<String> {
        if !computed.stored {
            return Err(DialectError::unsupported(
                self.name(),
                format!("virtual generated columns (`{}`)", computed.expr),
                "PostgreSQL 15 only stores generated columns: use Computed::stored",
            ));
        }
        Ok(ansi::ddl::computed_clause(computed))
    }
    /// `ChooseConstraintName`'s choice (see `names`): `t_pkey`, `t_cols_fkey`, `t_cols_key`,
    /// and for a check `t_col_check` or `t_check` as the diff names them; a check name
    /// longer than PostgreSQL keeps is not guessed.
    fn unnamed_constraint_name(
        &self,
        table: &retort_core::Table,
        constraint: &retort_core::ops::Constraint,
    ) -> Option<String> {
        use retort_core::ops::Constraint;
        let t = &table.name;
        match constraint {
            Constraint::PrimaryKey(_) => Some(names::make_object_name(t, "", "pkey")),
            Constraint::ForeignKey(fk) => Some(names::foreign_key_name(t, &fk.columns)),
            Constraint::Unique(u) => Some(names::make_object_name(t, &u.columns.join("_"), "key")),
            Constraint::Check(_) => {
                use retort_core::diff::CompareDialect as _;
                introspect::PgCompare
                    .constraint_name(table, constraint)
                    .filter(|n| n.len() <= names::MAX_IDENTIFIER_LEN)
            }
            // Always named (validation refuses an unnamed one): nothing to guess.
            Constraint::Exclude(_) => None,
        }
    }
    fn foreign_key_name(&self, table: TableName<'_>, fk: &ForeignKey) -> Result<String> {
        Ok(match &fk.name {
            Some(name) => name.clone(),
            None => names::foreign_key_name(table.name, &fk.columns),
        })
    }

    fn storage_clause(&self, with: &[(String, String)], what: &str) -> Result<String> {
        ansi::storage::with_clause(self, with, what)
    }
    fn inherits_clause(&self, table: &Table) -> Result<String> {
        ansi::storage::inherits_clause(self, table)
    }
    fn inherit(
        &self,
        table: TableName<'_>,
        parent: &retort_core::TableRef,
        inherit: bool,
    ) -> Result<String> {
        ansi::storage::inherit(self, table, parent, inherit)
    }
    fn set_storage(
        &self,
        table: TableName<'_>,
        index: Option<&str>,
        with: &[(String, String)],
        existing: Option<&[(String, String)]>,
    ) -> Result<Vec<String>> {
        ansi::storage::set_storage(self, table, index, with, existing)
    }
    fn create_table(&self, table: &Table) -> Result<String> {
        match sequences::table_with_serial_defaults(self, table)? {
            Some(t) => ansi::ddl::create_table(self, &t),
            None => ansi::ddl::create_table(self, table),
        }
    }
    fn add_column(&self, table: TableName<'_>, column: &Column) -> Result<String> {
        match sequences::with_serial_default(self, table, column)? {
            Some(c) => ansi::alter::add_column(self, table, &c),
            None => ansi::alter::add_column(self, table, column),
        }
    }
    fn create_sequence(&self, sequence: &Sequence) -> Result<Vec<String>> {
        sequences::create_sequence(self, sequence)
    }
    fn drop_sequence(&self, schema: Option<&str>, name: &str) -> Result<String> {
        sequences::drop_sequence(self, schema, name)
    }
    fn alter_sequence(
        &self,
        sequence: &Sequence,
        existing: Option<&Sequence>,
    ) -> Result<Vec<String>> {
        sequences::alter_sequence(self, sequence, existing)
    }
    fn serial_column(
        &self,
        table: TableName<'_>,
        column: &Column,
        new_table: bool,
    ) -> Result<(Vec<String>, Vec<String>)> {
        sequences::serial_column(self, table, column, new_table)
    }
    fn make_serial(&self, table: TableName<'_>, sequence: &Sequence) -> Result<Vec<String>> {
        sequences::make_serial(self, table, sequence)
    }
    fn drop_serial(&self, table: TableName<'_>, sequence: &Sequence) -> Result<Vec<String>> {
        sequences::drop_serial(self, table, sequence)
    }

    fn create_enum_type(&self, e: &EnumType) -> Result<String> {
        ansi::ddl::create_enum_type(self, e)
    }
    fn drop_enum_type(&self, e: &EnumRef) -> Result<String> {
        Ok(format!(
            "DROP TYPE {}",
            self.qualified_name(e.schema.as_deref(), &e.name)?
        ))
    }
    fn add_enum_value(
        &self,
        e: &EnumRef,
        value: &str,
        position: Option<&EnumValuePosition>,
    ) -> Result<String> {
        ansi::alter::add_enum_value(self, e, value, position)
    }
    fn create_entity(&self, entity: &retort_core::Entity) -> Result<Vec<String>> {
        entities::create_entity(self, entity)
    }
    fn replace_entity(
        &self,
        entity: &retort_core::Entity,
        existing: Option<&retort_core::Entity>,
    ) -> Result<Vec<String>> {
        entities::replace_entity(self, entity, existing)
    }
    fn drop_entity(&self, key: &retort_core::EntityKey) -> Result<Vec<String>> {
        entities::drop_entity(self, key)
    }
    fn create_index(&self, table: TableName<'_>, index: &Index) -> Result<String> {
        ansi::ddl::create_index(self, table, index, EVERY_INDEX_FEATURE)
    }
    fn exclude_clause(&self, table: &str, exclude: &retort_core::Exclude) -> Result<String> {
        ansi::ddl::exclude_clause(self, table, exclude, EVERY_INDEX_FEATURE)
    }
    fn create_index_concurrently(&self, table: TableName<'_>, index: &Index) -> Result<String> {
        ops::concurrently(self.create_index(table, index)?)
    }
    fn drop_index_concurrently(&self, table: TableName<'_>, name: &str) -> Result<String> {
        ops::concurrently(self.drop_index(table, name)?)
    }
    fn alter_column(&self, alter: &AlterColumn, schema: &MetaData) -> Result<Vec<String>> {
        ops::alter_column(self, alter, schema)
    }
    fn not_valid_clause(&self) -> Option<&'static str> {
        Some("NOT VALID")
    }
    fn validate_constraint(&self, table: TableName<'_>, name: &str) -> Result<Vec<String>> {
        Ok(vec![format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {}",
            self.table_name(table)?,
            self.quote_identifier(name)?
        )])
    }
    fn swap_column_type(&self, swap: &ColumnSwap, schema: &MetaData) -> Result<Vec<String>> {
        swap::swap_column_type(self, swap, schema)
    }
    fn op_needs_autocommit(&self, op: &Op) -> bool {
        ops::needs_autocommit(op)
    }
}
