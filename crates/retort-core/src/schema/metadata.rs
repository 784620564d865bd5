//! [`MetaData`]: the collection of tables and enum types that make up a schema.

use super::table_cache::TableCache;
use super::{
    validate, Entity, EntityKey, EnumType, NamingConvention, SchemaErrors, Sequence, Table,
};
use crate::Model;

/// A schema: tables in the order they were added, enum types, an optional default schema
/// and the naming convention applied to unnamed constraints and indexes.
///
/// Set the default schema and naming convention first, then add tables: both are applied
/// as each table is added, as SQLAlchemy applies them when a `Table` joins its `MetaData`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetaData {
    schema: Option<String>,
    naming: NamingConvention,
    tables: Vec<Table>,
    enums: Vec<EnumType>,
    /// Standalone sequences (a serial column's sequence is its column's, not here).
    sequences: Vec<Sequence>,
    /// Views, functions, triggers...: what the project keeps under version control beside
    /// its tables (`schema::entity`), in the order they were added.
    entities: Vec<Entity>,
    /// Tables by name and index-like names by schema, for look-ups (`table_cache`).
    cache: TableCache,
}

impl MetaData {
    /// An empty metadata: no default schema, SQLAlchemy's default naming convention.
    pub fn new() -> Self {
        Self::default()
    }
    /// The schema given to tables (and enum types) that name none.
    pub fn with_schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }
    /// Sets the naming convention and names any unnamed objects already added.
    pub fn naming_convention(mut self, mut naming: NamingConvention) -> Self {
        naming.set_max_length(self.naming.max_length());
        self.cache.clear();
        for t in &mut self.tables {
            naming.apply_to_model(t);
        }
        self.naming = naming;
        self
    }
    /// The dialect's longest name (PostgreSQL: 63 bytes; `None`: no limit): names the naming
    /// convention built (marked `conv`) beyond it are shortened as SQLAlchemy shortens
    /// them, now and for tables added later. Names the user wrote are kept (a database that
    /// would cut them is an error to report, not to paper over). The model itself keeps its
    /// names whole: this is for a copy made for one database, to compare or create it.
    pub fn set_max_identifier_length(&mut self, max: Option<usize>) {
        self.naming.set_max_length(max);
        self.cache.clear();
        if let Some(max) = max {
            for t in &mut self.tables {
                t.resolve_conv_names(max);
            }
        }
    }
    /// [`MetaData::set_max_identifier_length`], by value.
    pub fn with_max_identifier_length(mut self, max: Option<usize>) -> Self {
        self.set_max_identifier_length(max);
        self
    }
    /// Adds a model's table, enum types and sequences.
    pub fn with<M: Model>(mut self) -> Self {
        for e in M::enum_types() {
            self.add_enum(e);
        }
        for s in M::sequences() {
            self.add_sequence(s);
        }
        self.add_table(M::table());
        self
    }
    /// Adds a table built by hand.
    pub fn table(mut self, table: Table) -> Self {
        self.add_table(table);
        self
    }
    /// Adds a table built by hand, giving it the default schema and naming convention.
    pub fn add_table(&mut self, mut table: Table) {
        if table.schema.is_none() {
            table.schema.clone_from(&self.schema);
        }
        self.qualify_foreign_keys(&mut table);
        self.naming.apply_to_model(&mut table);
        self.push_table(table);
    }
    /// Adds a table as it is: no default schema, no naming convention (an op's table, whose
    /// names are final).
    pub fn push_table(&mut self, mut table: Table) {
        // Built a column at a time, the list holds up to twice its columns (a `Column` is
        // about 400 bytes): at 10,000 tables that spare room was tens of MB per schema
        // (`check` holds the model, the database's and the replayed history's).
        table.columns.shrink_to_fit();
        self.cache.pushed(self.tables.len(), &table);
        self.tables.push(table);
    }
    /// Gives every unqualified foreign-key target of `table` this metadata's default schema,
    /// if it has one (SQLAlchemy's `MetaData(schema=..)` applies to `ForeignKey("t.c")`
    /// too). Without one an unqualified target stays unqualified: the database's default
    /// schema, never the referring table's.
    pub fn qualify_foreign_keys(&self, table: &mut Table) {
        if let Some(s) = &self.schema {
            for fk in table
                .foreign_keys
                .iter_mut()
                .filter(|f| f.ref_schema.is_none())
            {
                fk.ref_schema = Some(s.clone());
            }
        }
    }
    /// Adds an enum type; adding the same definition twice (two models sharing it) keeps one.
    pub fn add_enum(&mut self, mut e: EnumType) {
        if e.schema.is_none() {
            e.schema.clone_from(&self.schema);
        }
        if !self.enums.contains(&e) {
            self.enums.push(e);
        }
    }
    /// [`MetaData::add_enum`], for chaining.
    pub fn enum_type(mut self, e: EnumType) -> Self {
        self.add_enum(e);
        self
    }
    /// Adds a standalone sequence (SQLAlchemy's `Sequence` in a `MetaData`); adding the same
    /// definition twice (two models declaring it) keeps one.
    pub fn add_sequence(&mut self, mut s: Sequence) {
        if s.schema.is_none() {
            s.schema.clone_from(&self.schema);
        }
        if !self.sequences.contains(&s) {
            self.sequences.push(s);
        }
    }
    /// [`MetaData::add_sequence`], for chaining.
    pub fn with_sequence(mut self, s: Sequence) -> Self {
        self.add_sequence(s);
        self
    }

    /// Adds an entity (a view, function, trigger...): see `docs/entities.md`. An entity
    /// without a schema gets the metadata's default schema, as a table does; adding the same
    /// definition twice keeps one (two of one key but different definitions is a
    /// [`validate`](Self::validate) error).
    pub fn add_entity(&mut self, entity: impl Into<Entity>) {
        let mut e = entity.into();
        if e.schema().is_none() {
            e.schema_mut().clone_from(&self.schema);
        }
        if !self.entities.contains(&e) {
            self.entities.push(e);
        }
    }
    /// [`MetaData::add_entity`], for chaining:
    /// `MetaData::new().with_entity(View::new("order_totals", "SELECT ..."))`.
    pub fn with_entity(mut self, entity: impl Into<Entity>) -> Self {
        self.add_entity(entity);
        self
    }
    /// [`MetaData::add_entity`] for each of `entities` (several grants at once:
    /// `["SELECT", "INSERT"].map(|p| Grant::on_table("orders", p, "app"))`).
    pub fn with_entities<E: Into<Entity>>(mut self, entities: impl IntoIterator<Item = E>) -> Self {
        for e in entities {
            self.add_entity(e);
        }
        self
    }
    /// The entities (views, functions, triggers...), in the order added.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }
    /// The entities, to change.
    pub fn entities_mut(&mut self) -> &mut Vec<Entity> {
        &mut self.entities
    }
    /// Its entities declared in `default` (the database's default schema, named:
    /// `.in_schema("public")`) as in no schema, which is how the database reads them back;
    /// compared that way, `public.v` in the model is the database's `v`
    /// ([`Entity::unqualify_default`]).
    pub fn unqualify_default_entities(&mut self, default: &str) {
        for e in &mut self.entities {
            e.unqualify_default(default);
        }
    }
    /// Finds an entity by its key (a key without a schema means the default schema).
    pub fn get_entity(&self, key: &EntityKey) -> Option<&Entity> {
        self.entities_of(key).next()
    }
    /// [`MetaData::get_entity`] among the entities of `key` on the same dialects as
    /// `like` (`.only_on`: a key may have one entity a dialect), else the first of `key`.
    pub fn get_entity_like(&self, key: &EntityKey, like: &Entity) -> Option<&Entity> {
        self.entities_of(key)
            .find(|e| e.only_on() == like.only_on())
            .or_else(|| self.get_entity(key))
    }
    fn entities_of<'a>(&'a self, key: &EntityKey) -> impl Iterator<Item = &'a Entity> + 'a {
        let key = key.clone();
        let schema = key.schema.clone().or(self.schema.clone());
        self.entities.iter().filter(move |e| {
            let k = e.key();
            k.kind == key.kind
                && k.name == key.name
                && k.table == key.table
                && k.arguments == key.arguments
                && k.grant == key.grant
                && k.schema.as_deref().or(self.schema.as_deref()) == schema.as_deref()
        })
    }

    /// The schema given to tables, enum types and sequences that name none; `None`: the database's
    /// default.
    pub fn default_schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }
    /// The naming convention applied to unnamed constraints and indexes.
    pub fn naming(&self) -> &NamingConvention {
        &self.naming
    }
    /// The tables, in the order they were added.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }
    /// The tables, to edit in place (the naming convention is not applied again).
    pub fn tables_mut(&mut self) -> &mut Vec<Table> {
        self.cache.clear();
        &mut self.tables
    }
    /// The enum types, in the order they were added.
    pub fn enums(&self) -> &[EnumType] {
        &self.enums
    }
    /// The enum types, to edit in place.
    pub fn enums_mut(&mut self) -> &mut Vec<EnumType> {
        &mut self.enums
    }
    /// The standalone sequences, in the order they were added (serial columns' sequences are not
    /// here).
    pub fn sequences(&self) -> &[Sequence] {
        &self.sequences
    }
    /// The standalone sequences, to edit in place.
    pub fn sequences_mut(&mut self) -> &mut Vec<Sequence> {
        &mut self.sequences
    }
    /// Finds a standalone sequence by name in the given schema (`None`: the default schema).
    pub fn get_sequence(&self, schema: Option<&str>, name: &str) -> Option<&Sequence> {
        let schema = schema.or(self.schema.as_deref());
        self.sequences
            .iter()
            .find(|s| s.name == name && s.schema.as_deref() == schema)
    }
    /// Finds a table by name in the given schema (`None`: the default schema).
    pub fn get_table(&self, schema: Option<&str>, name: &str) -> Option<&Table> {
        let schema = schema.or(self.schema.as_deref());
        let p = self.cache.position(&self.tables, schema, name)?;
        Some(&self.tables[p])
    }
    /// The position in [`MetaData::tables`] of the table [`MetaData::get_table`] finds.
    pub fn table_position(&self, schema: Option<&str>, name: &str) -> Option<usize> {
        let schema = schema.or(self.schema.as_deref());
        self.cache.position(&self.tables, schema, name)
    }
    /// Whether a table of `schema` (`None`: the default schema, as the tables carry it)
    /// holds an index or index-backed constraint named `name` (PostgreSQL's one namespace
    /// per schema for them).
    pub fn index_like_name_taken(&self, schema: Option<&str>, name: &str) -> bool {
        self.cache.name_taken(&self.tables, schema, name)
    }
    /// Finds a table by name in the given schema (`None`: the default schema), mutably.
    pub fn get_table_mut(&mut self, schema: Option<&str>, name: &str) -> Option<&mut Table> {
        let schema = schema.or(self.schema.as_deref());
        let p = self.cache.position(&self.tables, schema, name)?;
        self.cache.touched(p);
        Some(&mut self.tables[p])
    }
    /// Finds an enum type by name in the given schema (`None`: the default schema).
    pub fn get_enum(&self, schema: Option<&str>, name: &str) -> Option<&EnumType> {
        let schema = schema.or(self.schema.as_deref());
        self.enums
            .iter()
            .find(|e| e.name == name && e.schema.as_deref() == schema)
    }

    /// Checks the whole model: duplicate names, columns that constraints refer to, foreign
    /// key targets, enum references, identity types and relationships. Every problem is
    /// reported, each naming its model and field.
    pub fn validate(&self) -> Result<(), SchemaErrors> {
        validate::validate(self)
    }
    /// [`validate`](Self::validate), returning the metadata for chaining.
    pub fn validated(self) -> Result<Self, SchemaErrors> {
        self.validate()?;
        Ok(self)
    }
    /// [`validate`](Self::validate), returning the fact with a borrow of the model
    /// ([`Validated`]), so callers further on need not validate it again.
    pub fn validate_ref(&self) -> Result<Validated<'_>, SchemaErrors> {
        self.validate()?;
        Ok(Validated(self))
    }
}

/// A model [`MetaData::validate`] accepted, borrowed: handed along so that the same model
/// is validated once per command (at 10,000 tables each validation was 2% of `check`'s
/// client CPU, and `check` ran three). Only [`MetaData::validate_ref`] makes one, and the
/// borrow keeps the model from changing meanwhile.
#[derive(Debug, Clone, Copy)]
pub struct Validated<'a>(&'a MetaData);

impl<'a> Validated<'a> {
    /// The validated model.
    pub fn get(self) -> &'a MetaData {
        self.0
    }
}

impl std::ops::Deref for Validated<'_> {
    type Target = MetaData;
    fn deref(&self) -> &MetaData {
        self.0
    }
}

/// A model, validated or not yet: what functions that need a valid model take, so a caller
/// that has validated it ([`Validated`]) spares the validation, and one that has not
/// (`&MetaData`) gets it, with the same errors.
pub trait ValidModel<'a> {
    /// The model, validated here unless it already was.
    fn into_validated(self) -> Result<Validated<'a>, SchemaErrors>;
}

impl<'a> ValidModel<'a> for &'a MetaData {
    fn into_validated(self) -> Result<Validated<'a>, SchemaErrors> {
        self.validate_ref()
    }
}

impl<'a> ValidModel<'a> for Validated<'a> {
    fn into_validated(self) -> Result<Validated<'a>, SchemaErrors> {
        Ok(self)
    }
}
