//! Errors of [`super::Op::reverse`] and [`super::Op::apply`]. Each message names the op or
//! the table and column at fault and says what to do about it.

/// Why an op cannot be reversed. `op` is the op as a call (`drop_table("x")`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IrreversibleOp {
    /// The op removes something whose definition it does not carry.
    #[error("{op} without its {what} cannot be reversed; record it with {fix}, or write downgrade() by hand")]
    MissingDefinition {
        /// The op, spelled as the recorder call that records it (`drop_table("x")`).
        op: String,
        /// What is missing ("definition", "existing comment").
        what: String,
        /// The builder call that records it (`.existing(..)`).
        fix: String,
    },
    /// An alter changes a property whose old value it does not carry.
    #[error("{op} changes {property} without .existing_{property}(..); add it, or write downgrade() by hand")]
    MissingExisting {
        /// The op, spelled as the recorder call that records it (`drop_table("x")`).
        op: String,
        /// The property changed without its old value (`type`, `server_default`, ...), as the
        /// builder's `.existing_<property>(..)` names it.
        property: String,
    },
    /// A created object has no name, so its reverse cannot name what to drop.
    #[error("{op} creates an unnamed {what}, which cannot be dropped by name; give it a name (or a naming convention), or write downgrade() by hand")]
    Unnamed {
        /// The op, spelled as the recorder call that records it (`drop_table("x")`).
        op: String,
        /// What is unnamed, in words (`index`, `check constraint`).
        what: String,
    },
    /// The op cannot be undone whatever it carries.
    #[error("{op} cannot be reversed: {why}; write downgrade() by hand")]
    Inherent {
        /// The op, spelled as the recorder call that records it (`drop_table("x")`).
        op: String,
        /// Why no reverse exists, and what to do instead.
        why: String,
    },
}

/// Why an op does not fit the schema it is applied to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The op names a table the schema does not have.
    #[error("{op}: table `{table}` does not exist; check its name and schema, or the order of the operations")]
    UnknownTable {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The missing table, as `schema.name` or `name`.
        table: String,
    },
    /// The op creates (or renames to) a table that already exists.
    #[error("{op}: table `{table}` already exists")]
    TableExists {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The existing table, as `schema.name` or `name`.
        table: String,
    },
    /// The op names a column the table does not have.
    #[error("{op}: table `{table}` has no column `{column}`")]
    UnknownColumn {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The table, as `schema.name` or `name`.
        table: String,
        /// The column the table lacks.
        column: String,
    },
    /// The op adds (or renames to) a column the table already has.
    #[error("{op}: table `{table}` already has a column `{column}`")]
    ColumnExists {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The table, as `schema.name` or `name`.
        table: String,
        /// The column name already taken.
        column: String,
    },
    /// The op drops a constraint the table does not have.
    #[error("{op}: table `{table}` has no {kind} named `{name}`")]
    UnknownConstraint {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The table, as `schema.name` or `name`.
        table: String,
        /// The constraint's kind, in words (`foreign key`, `check constraint`).
        kind: String,
        /// The constraint name the table lacks.
        name: String,
    },
    /// The op drops an index the table does not have.
    #[error("{op}: table `{table}` has no index named `{name}`")]
    UnknownIndex {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The table, as `schema.name` or `name`.
        table: String,
        /// The index name the table lacks.
        name: String,
    },
    /// The op gives a constraint or index a name already taken where it must be unique.
    #[error("{op}: the name `{name}` is already used by a constraint or index in {schema}; constraint and index names must be unique in a schema")]
    NameInUse {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// Where the name is taken: the schema (`the default schema`), or the table (`schema.name`)
        /// when that table already has a constraint of that name.
        schema: String,
        /// The name already taken.
        name: String,
    },
    /// The op adds a primary key to a table that has one.
    #[error("{op}: table `{table}` already has a primary key; drop it first")]
    PrimaryKeyExists {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The table, as `schema.name` or `name`.
        table: String,
    },
    /// The op drops a table or column that a foreign key of another table still refers to.
    #[error("{op}: {what} is still referenced by foreign key {by}; drop that foreign key first")]
    StillReferenced {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// What is dropped, in words (``table `orders` ``, ``column `customers.id` ``).
        what: String,
        /// The foreign key that refers to it, with its table (`` `fk_x` of table `orders` ``).
        by: String,
    },
    /// An `existing_*` value the op carries disagrees with the schema it is applied to.
    #[error("{op}: the recorded existing {property} of `{target}` is {recorded}, but the schema has {actual}; fix the existing_{property} value")]
    ExistingMismatch {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The object whose old value is wrong: the column (`table.column`) or the table.
        target: String,
        /// The property (`type`, `nullable`, `comment`, ...).
        property: String,
        /// The value the op recorded, in Rust debug form.
        recorded: String,
        /// The value the schema has, in Rust debug form.
        actual: String,
    },
    /// The op adds a foreign key with a different number of local and referenced columns.
    #[error("{op}: foreign key has {columns} column(s) but refers to {ref_columns}; give as many referred columns as local ones")]
    ForeignKeyArity {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// How many local columns the foreign key has.
        columns: usize,
        /// How many referenced columns it names.
        ref_columns: usize,
    },
    /// The op names a sequence the schema does not have.
    #[error("{op}: sequence `{name}` does not exist")]
    UnknownSequence {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The missing sequence, as `schema.name` or `name`.
        name: String,
    },
    /// The op creates a sequence that already exists.
    #[error("{op}: sequence `{name}` already exists")]
    SequenceExists {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The existing sequence, as `schema.name` or `name`.
        name: String,
    },
    /// The op names an enum type the schema does not have.
    #[error("{op}: enum type `{name}` does not exist")]
    UnknownEnum {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The missing enum type, as `schema.name` or `name`.
        name: String,
    },
    /// The op creates an enum type that already exists.
    #[error("{op}: enum type `{name}` already exists")]
    EnumExists {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The existing enum type, as `schema.name` or `name`.
        name: String,
    },
    /// The op adds a value the enum type already has.
    #[error("{op}: enum type `{name}` already has the value `{value}`")]
    EnumValueExists {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The enum type's name.
        name: String,
        /// The value it already has.
        value: String,
    },
    /// The op places a new enum value `BEFORE` or `AFTER` a value the type does not have.
    #[error("{op}: enum type `{name}` has no value `{value}` to place the new value next to")]
    UnknownEnumValue {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The enum type's name.
        name: String,
        /// The value named as the new value's neighbour, which the type lacks.
        value: String,
    },
    /// The op drops an enum type a column still uses.
    #[error("{op}: enum type `{name}` is still used by column `{table}.{column}`; drop or alter that column first")]
    EnumInUse {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The enum type's name.
        name: String,
        /// The table of the column using it, as `schema.name` or `name`.
        table: String,
        /// The column using it.
        column: String,
    },
    /// The op drops a schema that still holds a table or an enum type.
    #[error("{op}: schema `{schema}` still holds {what}; drop it first")]
    SchemaNotEmpty {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The schema being dropped.
        schema: String,
        /// One object it still holds, in words (``table `orders` ``).
        what: String,
    },
    /// The op replaces or drops an entity the schema does not have.
    #[error("{op}: {entity} does not exist; check its name, schema and arguments, or the order of the operations")]
    UnknownEntity {
        /// The op, described.
        op: String,
        /// The entity, in words.
        entity: String,
    },
    /// The op creates an entity the schema already has.
    #[error("{op}: {entity} already exists; replace it (`op.replace_entity(..)`) instead of creating it")]
    EntityExists {
        /// The op, described.
        op: String,
        /// The entity, in words.
        entity: String,
    },
    /// A bulk insert row has a different number of values than the op has columns.
    #[error("{op}: row {row} has {found} value(s) for {expected} column(s)")]
    RowWidth {
        /// The failing op, in the words of [`super::Op::describe`] (`add column orders.note`).
        op: String,
        /// The row's index among the op's rows (from 0).
        row: usize,
        /// How many columns the op names.
        expected: usize,
        /// How many values the row has.
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
    /// Why that op did not fit.
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
        /// Index of the irreversible op in the list (from 0).
        index: usize,
        /// Why it cannot be reversed.
        error: Box<IrreversibleOp>,
    },
}
