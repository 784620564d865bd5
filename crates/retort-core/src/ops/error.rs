//! Errors of [`super::Op::reverse`] and [`super::Op::apply`]. Each message names the op or
//! the table and column at fault and says what to do about it.

/// Why an op cannot be reversed. `op` is the op as a call (`drop_table("x")`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IrreversibleOp {
    /// The op removes something whose definition it does not carry.
    #[error("{op} without its {what} cannot be reversed; record it with {fix}, or write downgrade() by hand")]
    MissingDefinition {
        op: String,
        /// What is missing ("definition", "existing comment").
        what: String,
        /// The builder call that records it (`.existing(..)`).
        fix: String,
    },
    /// An alter changes a property whose old value it does not carry.
    #[error("{op} changes {property} without .existing_{property}(..); add it, or write downgrade() by hand")]
    MissingExisting { op: String, property: String },
    /// A created object has no name, so its reverse cannot name what to drop.
    #[error("{op} creates an unnamed {what}, which cannot be dropped by name; give it a name (or a naming convention), or write downgrade() by hand")]
    Unnamed { op: String, what: String },
    /// The op cannot be undone whatever it carries.
    #[error("{op} cannot be reversed: {why}; write downgrade() by hand")]
    Inherent { op: String, why: String },
}

/// Why an op does not fit the schema it is applied to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    #[error("{op}: table `{table}` does not exist; check its name and schema, or the order of the operations")]
    UnknownTable { op: String, table: String },
    #[error("{op}: table `{table}` already exists")]
    TableExists { op: String, table: String },
    #[error("{op}: table `{table}` has no column `{column}`")]
    UnknownColumn {
        op: String,
        table: String,
        column: String,
    },
    #[error("{op}: table `{table}` already has a column `{column}`")]
    ColumnExists {
        op: String,
        table: String,
        column: String,
    },
    #[error("{op}: table `{table}` has no {kind} named `{name}`")]
    UnknownConstraint {
        op: String,
        table: String,
        kind: String,
        name: String,
    },
    #[error("{op}: table `{table}` has no index named `{name}`")]
    UnknownIndex {
        op: String,
        table: String,
        name: String,
    },
    #[error("{op}: the name `{name}` is already used by a constraint or index in {schema}; constraint and index names must be unique in a schema")]
    NameInUse {
        op: String,
        schema: String,
        name: String,
    },
    #[error("{op}: table `{table}` already has a primary key; drop it first")]
    PrimaryKeyExists { op: String, table: String },
    #[error("{op}: {what} is still referenced by foreign key {by}; drop that foreign key first")]
    StillReferenced {
        op: String,
        what: String,
        by: String,
    },
    #[error("{op}: the recorded existing {property} of `{target}` is {recorded}, but the schema has {actual}; fix the existing_{property} value")]
    ExistingMismatch {
        op: String,
        target: String,
        property: String,
        recorded: String,
        actual: String,
    },
    #[error("{op}: foreign key has {columns} column(s) but refers to {ref_columns}; give as many referred columns as local ones")]
    ForeignKeyArity {
        op: String,
        columns: usize,
        ref_columns: usize,
    },
    #[error("{op}: sequence `{name}` does not exist")]
    UnknownSequence { op: String, name: String },
    #[error("{op}: sequence `{name}` already exists")]
    SequenceExists { op: String, name: String },
    #[error("{op}: enum type `{name}` does not exist")]
    UnknownEnum { op: String, name: String },
    #[error("{op}: enum type `{name}` already exists")]
    EnumExists { op: String, name: String },
    #[error("{op}: enum type `{name}` already has the value `{value}`")]
    EnumValueExists {
        op: String,
        name: String,
        value: String,
    },
    #[error("{op}: enum type `{name}` has no value `{value}` to place the new value next to")]
    UnknownEnumValue {
        op: String,
        name: String,
        value: String,
    },
    #[error("{op}: enum type `{name}` is still used by column `{table}.{column}`; drop or alter that column first")]
    EnumInUse {
        op: String,
        name: String,
        table: String,
        column: String,
    },
    #[error("{op}: schema `{schema}` still holds {what}; drop it first")]
    SchemaNotEmpty {
        op: String,
        schema: String,
        what: String,
    },
    #[error("{op}: {entity} does not exist; check its name, schema and arguments, or the order of the operations")]
    UnknownEntity { op: String, entity: String },
    #[error("{op}: {entity} already exists; replace it (`op.replace_entity(..)`) instead of creating it")]
    EntityExists { op: String, entity: String },
    #[error("{op}: row {row} has {found} value(s) for {expected} column(s)")]
    RowWidth {
        op: String,
        row: usize,
        expected: usize,
        found: usize,
    },
}

/// An op of a list that did not fit, from [`super::apply_all`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("operation {} of the list: {error}", .index + 1)]
#[non_exhaustive]
pub struct ReplayError {
    /// Index of the failing op in the list (from 0).
    pub index: usize,
    #[source]
    pub error: Box<ApplyError>,
}

/// Why [`super::reverse_all_from`] could not derive a downgrade.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DowngradeError {
    /// An op did not fit the schema replayed so far.
    #[error(transparent)]
    Apply(ReplayError),
    /// An op cannot be reversed even with the schema's old values.
    #[error("operation {} of the list: {error}", .index + 1)]
    Irreversible {
        index: usize,
        error: Box<IrreversibleOp>,
    },
}
