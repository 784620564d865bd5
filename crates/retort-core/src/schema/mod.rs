//! The relational schema model: plain data, built by `#[derive(Model)]`, by hand, by
//! introspecting a database or by replaying operations.

mod column;
mod constraint;
mod entity;
mod entity_access;
mod entity_objects;
mod entity_reads;
mod identifiers;
mod metadata;
mod name;
mod naming;
mod relationship;
mod sequence;
mod sort;
mod table;
mod table_cache;
mod types;
mod validate;
mod variant;

pub use column::{Column, Computed, Identity, IdentityGeneration, Literal, ServerDefault};
pub use constraint::{
    index_expr_element_option, Check, Deferrable, Exclude, ExcludeElement, FkAction, FkMatch,
    ForeignKey, Index, IndexElement, IndexTarget, NullsOrder, PrimaryKey, SortOrder, Unique,
};
pub use entity::{
    domain_clauses, identity_arguments, policy_clauses, sort_entities, sort_entities_with,
    trigger_function, Aggregate, Domain, DomainClauses, Entity, EntityKey, EntityKind, Extension,
    Function, Grant, GrantKey, GrantObject, MaterializedView, MatviewIndex, Policy, PolicyClauses,
    RowLevelSecurity, Rule, SchemaComment, Trigger, View,
};
pub use entity_reads::{
    declared_cycles, reads_column, sql_standard_body, with_dependents, EntityColumn,
};
pub use identifiers::{long_identifiers, LongIdentifier};
pub use metadata::{MetaData, ValidModel, Validated};
pub use name::{conv, Conv, IntoName, Unnamed};
pub use naming::{snake_case, truncate_name, NamingConvention};
pub use relationship::{Cascade, Relationship, RelationshipKind};
pub use sequence::{nextval_sql, Sequence, SequenceOptions, SequenceOwner, Serial};
pub use sort::{
    fk_target_schema, referenced_table, resolved_target_schema, sort_tables, TableLookup,
    TableOrder,
};
pub(crate) use table::qualified;
pub use table::{Table, TableRef};
pub use types::{EnumRef, EnumType, Type};
pub use validate::{entity_reference_errors, SchemaError, SchemaErrors};
pub use variant::{default_for_dialect, DialectKind};
