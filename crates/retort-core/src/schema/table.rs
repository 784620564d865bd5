//! Tables.

use super::{Check, Column, Exclude, ForeignKey, Index, PrimaryKey, Relationship, Unique};

/// A table: columns in order, constraints, indexes, and the relationships of the model it
/// came from (if any).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    /// The Rust model this table was derived from, for error messages and relationships.
    pub model: Option<String>,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub foreign_keys: Vec<ForeignKey>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    /// Exclusion constraints (PostgreSQL).
    pub excludes: Vec<Exclude>,
    pub indexes: Vec<Index>,
    pub comment: Option<String>,
    pub relationships: Vec<Relationship>,
}

impl Table {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }
    /// Sets the primary key columns (replacing any earlier one).
    pub fn primary_key<I>(mut self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.primary_key = Some(PrimaryKey {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
        });
        self
    }
    /// Adds one column to the primary key (creating it when absent), in call order.
    pub fn add_primary_key_column(&mut self, column: impl Into<String>) {
        self.primary_key
            .get_or_insert_with(|| PrimaryKey {
                name: None,
                columns: Vec::new(),
            })
            .columns
            .push(column.into());
    }
    pub fn foreign_key(mut self, fk: ForeignKey) -> Self {
        self.foreign_keys.push(fk);
        self
    }
    pub fn unique<I>(mut self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.uniques.push(Unique::new(columns));
        self
    }
    pub fn check(mut self, name: Option<&str>, expr: impl Into<String>) -> Self {
        self.checks.push(Check {
            name: name.map(str::to_string),
            expr: expr.into(),
        });
        self
    }
    /// Adds an exclusion constraint (PostgreSQL).
    pub fn exclude(mut self, exclude: Exclude) -> Self {
        self.excludes.push(exclude);
        self
    }
    pub fn index(mut self, index: Index) -> Self {
        self.indexes.push(index);
        self
    }
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
    pub fn relationship(mut self, rel: Relationship) -> Self {
        self.relationships.push(rel);
        self
    }

    pub fn get_column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
    pub fn get_column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }
    pub fn is_primary_key(&self, column: &str) -> bool {
        self.primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.iter().any(|c| c == column))
    }
    /// `schema.name`, or `name` alone: how messages refer to the table.
    pub fn qualified_name(&self) -> String {
        qualified(self.schema.as_deref(), &self.name)
    }
    /// The model name for messages, falling back to the table name.
    pub fn display_model(&self) -> &str {
        self.model.as_deref().unwrap_or(&self.name)
    }
}

/// `schema.name`, or `name` alone: how messages, descriptions and table filters name a
/// schema object.
pub(crate) fn qualified(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_string(),
    }
}
