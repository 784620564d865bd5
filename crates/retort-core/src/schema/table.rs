//! Tables.

use super::{Check, Column, Exclude, ForeignKey, Index, PrimaryKey, Relationship, Unique};

/// A table: columns in order, constraints, indexes, and the relationships of the model it
/// came from (if any).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The table's schema; `None`: unqualified, in the database's default schema (PostgreSQL's
    /// `search_path`). A [`crate::MetaData`] with a default schema fills it in on adding the table.
    pub schema: Option<String>,
    /// The table's name in the database.
    pub name: String,
    /// The Rust model this table was derived from, for error messages and relationships.
    pub model: Option<String>,
    /// The columns, in `CREATE TABLE` order.
    pub columns: Vec<Column>,
    /// The `PRIMARY KEY`; `None`: the table has none.
    pub primary_key: Option<PrimaryKey>,
    /// `FOREIGN KEY` constraints to other (or the same) tables.
    pub foreign_keys: Vec<ForeignKey>,
    /// `UNIQUE` constraints (a unique index is in `indexes`).
    pub uniques: Vec<Unique>,
    /// `CHECK` constraints.
    pub checks: Vec<Check>,
    /// Exclusion constraints (PostgreSQL).
    pub excludes: Vec<Exclude>,
    /// Indexes, unique ones included, that are not constraints.
    pub indexes: Vec<Index>,
    /// `COMMENT ON TABLE` (MySQL `COMMENT=`; SQLite keeps none); `None`: no comment.
    pub comment: Option<String>,
    /// The model's relationships to other models: ORM metadata, no SQL.
    pub relationships: Vec<Relationship>,
    /// The parent tables of a PostgreSQL `INHERITS (parent, ..)`, in order; empty: none.
    /// The columns the table gets from them alone are marked [`Column::inherited`].
    pub inherits: Vec<TableRef>,
    /// Storage parameters (PostgreSQL `WITH (fillfactor='70', ..)`), `(name, value)` in
    /// order; empty: the database's defaults.
    pub with: Vec<(String, String)>,
}

/// A table named by schema and name: a parent of [`Table::inherits`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TableRef {
    /// The table's schema; `None`: the default schema.
    pub schema: Option<String>,
    /// The table's name.
    pub name: String,
}

impl TableRef {
    /// `name` in `schema` (`None`: the default schema).
    pub fn new(schema: Option<&str>, name: impl Into<String>) -> Self {
        Self {
            schema: schema.map(str::to_owned),
            name: name.into(),
        }
    }
    /// `schema.name` as a model writes it (`"public.payment"`, `"payment"`): split at the
    /// last `.`. A name that holds a `.` cannot be written so: use [`TableRef::new`].
    pub fn parse(qualified: &str) -> Self {
        match qualified.rsplit_once('.') {
            Some((schema, name)) => Self::new(Some(schema), name),
            None => Self::new(None, qualified),
        }
    }
    /// `schema.name`, or `name` alone.
    pub fn qualified_name(&self) -> String {
        qualified(self.schema.as_deref(), &self.name)
    }
    /// Whether the text form, [`TableRef::qualified_name`], names this table again where it
    /// is read back: by [`TableRef::parse`] (a revision's `t.inherits("..")`), and by the
    /// derive's `inherits = ".."`, which also splits at each `,` and trims each part. So: no
    /// `.` or `,` in the schema or the name, neither empty, neither starting or ending with
    /// white space. The writers write the text form only then, the schema and the name apart
    /// otherwise.
    pub fn text_form_reads_back(&self) -> bool {
        let plain = |s: &str| !s.is_empty() && !s.contains(['.', ',']) && s.trim() == s;
        plain(&self.name) && self.schema.as_deref().into_iter().all(plain)
    }
}

/// `"schema.name"` or `"name"`, as [`TableRef::parse`] reads it.
impl From<&str> for TableRef {
    fn from(qualified: &str) -> Self {
        Self::parse(qualified)
    }
}

impl Table {
    /// An empty table `name` in the default schema.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
    /// Puts the table in `schema`.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }
    /// Names the Rust model the table comes from (used in messages and relationships).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }
    /// Appends a column.
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
        self.primary_key = Some(PrimaryKey::new(columns));
        self
    }
    /// Adds one column to the primary key (creating it when absent), in call order.
    pub fn add_primary_key_column(&mut self, column: impl Into<String>) {
        self.primary_key
            .get_or_insert_with(|| PrimaryKey::new(Vec::<String>::new()))
            .columns
            .push(column.into());
    }
    /// Adds a foreign key.
    pub fn foreign_key(mut self, fk: ForeignKey) -> Self {
        self.foreign_keys.push(fk);
        self
    }
    /// Adds an unnamed unique constraint on `columns`.
    pub fn unique<I>(mut self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.uniques.push(Unique::new(columns));
        self
    }
    /// Adds a check constraint on the SQL condition `expr`; `name: None` leaves it unnamed.
    pub fn check(mut self, name: Option<&str>, expr: impl Into<String>) -> Self {
        self.checks.push(Check::new(expr).name(name));
        self
    }
    /// Adds an exclusion constraint (PostgreSQL).
    pub fn exclude(mut self, exclude: Exclude) -> Self {
        self.excludes.push(exclude);
        self
    }
    /// Adds an index.
    pub fn index(mut self, index: Index) -> Self {
        self.indexes.push(index);
        self
    }
    /// Sets the table's comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
    /// Adds a parent table (PostgreSQL `INHERITS`): `"schema.name"` or `"name"` (split at
    /// the last `.`, [`TableRef::parse`]), or a [`TableRef`], whose names are taken as they
    /// are (`TableRef::new(Some("s.1"), "a.b")`).
    pub fn inherits(mut self, parent: impl Into<TableRef>) -> Self {
        self.inherits.push(parent.into());
        self
    }
    /// Adds a storage parameter (`WITH (fillfactor='70')`, PostgreSQL).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with.push((name.into(), value.into()));
        self
    }
    /// Adds a relationship to another model.
    pub fn relationship(mut self, rel: Relationship) -> Self {
        self.relationships.push(rel);
        self
    }

    /// The column `name`, if the table has it.
    pub fn get_column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
    /// The column `name`, mutably, if the table has it.
    pub fn get_column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }
    /// Whether `column` is part of the primary key.
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

#[cfg(test)]
mod tests {
    use super::TableRef;

    /// The text form is kept for a name with nothing the readers split at; `TableRef::new`
    /// otherwise, since `parse` and the derive's comma list would read another table.
    #[test]
    fn the_text_form_reads_back_only_without_dots_commas_or_edge_spaces() {
        for (schema, name) in [
            (None, "payment"),
            (Some("public"), "payment"),
            (Some("s{1}"), "pa\"r x"),
        ] {
            let r = TableRef::new(schema, name);
            assert!(r.text_form_reads_back(), "{r:?}");
            assert_eq!(TableRef::parse(&r.qualified_name()), r);
        }
        for (schema, name) in [
            (None, "a.b"),
            (Some("s.1"), "t"),
            (None, "a, b"),
            (Some("s"), " t"),
            (Some(""), "t"),
            (None, ""),
        ] {
            assert!(
                !TableRef::new(schema, name).text_form_reads_back(),
                "{schema:?} {name:?}"
            );
        }
        assert_eq!(
            TableRef::from("public.payment"),
            TableRef::new(Some("public"), "payment")
        );
    }
}
