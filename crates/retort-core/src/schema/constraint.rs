//! Table constraints and indexes. Names are optional: an unnamed constraint is named by the
//! metadata's [`crate::NamingConvention`] when it has a template for that kind, and otherwise
//! by the database.

/// `PRIMARY KEY (columns)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

impl PrimaryKey {
    /// An unnamed primary key on `columns`.
    pub fn new<I>(columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
        }
    }
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// Referential action for ON DELETE / ON UPDATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    /// Parses the SQL spelling, case-insensitively (`"cascade"`, `"SET NULL"`, `"set_null"`).
    pub fn parse(s: &str) -> Option<Self> {
        let norm = s.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        Some(
            match norm
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .as_str()
            {
                "no action" => FkAction::NoAction,
                "restrict" => FkAction::Restrict,
                "cascade" => FkAction::Cascade,
                "set null" => FkAction::SetNull,
                "set default" => FkAction::SetDefault,
                _ => return None,
            },
        )
    }
    pub fn as_sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// `DEFERRABLE [INITIALLY DEFERRED | INITIALLY IMMEDIATE]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deferrable {
    InitiallyImmediate,
    InitiallyDeferred,
}

/// `FOREIGN KEY (columns) REFERENCES ref_table (ref_columns)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_schema: Option<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
    pub deferrable: Option<Deferrable>,
}

impl ForeignKey {
    pub fn new<C, R>(columns: C, ref_table: impl Into<String>, ref_columns: R) -> Self
    where
        C: IntoIterator,
        C::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        Self {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
            ref_schema: None,
            ref_table: ref_table.into(),
            ref_columns: ref_columns.into_iter().map(Into::into).collect(),
            on_delete: None,
            on_update: None,
            deferrable: None,
        }
    }
    /// Parses `"table.column"` or `"schema.table.column"` as written in a model attribute.
    pub fn parse_target(target: &str) -> Option<(Option<String>, String, String)> {
        let parts: Vec<&str> = target.split('.').collect();
        match parts.as_slice() {
            [t, c] if !t.is_empty() && !c.is_empty() => Some((None, t.to_string(), c.to_string())),
            [s, t, c] if !s.is_empty() && !t.is_empty() && !c.is_empty() => {
                Some((Some(s.to_string()), t.to_string(), c.to_string()))
            }
            _ => None,
        }
    }
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    pub fn on_delete(mut self, action: FkAction) -> Self {
        self.on_delete = Some(action);
        self
    }
    pub fn on_update(mut self, action: FkAction) -> Self {
        self.on_update = Some(action);
        self
    }
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        self.deferrable = Some(d);
        self
    }
    /// The schema of the referred table.
    pub fn ref_schema(mut self, schema: impl Into<String>) -> Self {
        self.ref_schema = Some(schema.into());
        self
    }
}

/// `UNIQUE [NULLS NOT DISTINCT] (columns) [DEFERRABLE [INITIALLY DEFERRED]]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// Checked at the end of the statement or transaction (PostgreSQL; SQLite cannot).
    pub deferrable: Option<Deferrable>,
    /// Two rows with NULL in the same columns conflict (PostgreSQL 15; SQLite cannot).
    pub nulls_not_distinct: bool,
}

impl Unique {
    /// An unnamed unique constraint on `columns`.
    pub fn new<I>(columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
            deferrable: None,
            nulls_not_distinct: false,
        }
    }
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        self.deferrable = Some(d);
        self
    }
    pub fn nulls_not_distinct(mut self) -> Self {
        self.nulls_not_distinct = true;
        self
    }
}

/// `CHECK (expr)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Check {
    pub name: Option<String>,
    pub expr: String,
}

impl Check {
    /// An unnamed check constraint.
    pub fn new(expr: impl Into<String>) -> Self {
        Self {
            name: None,
            expr: expr.into(),
        }
    }
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// Sort order of an index element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    Asc,
    Desc,
}

/// Placement of NULLs in an index element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NullsOrder {
    First,
    Last,
}

/// What an index element indexes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IndexTarget {
    Column(String),
    /// An SQL expression, rendered in parentheses.
    Expr(String),
}

/// One element of an index: a column or expression with optional opclass and ordering.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexElement {
    pub target: IndexTarget,
    pub opclass: Option<String>,
    pub order: Option<SortOrder>,
    pub nulls: Option<NullsOrder>,
}

impl IndexElement {
    pub fn column(name: impl Into<String>) -> Self {
        Self {
            target: IndexTarget::Column(name.into()),
            opclass: None,
            order: None,
            nulls: None,
        }
    }
    pub fn expr(sql: impl Into<String>) -> Self {
        Self {
            target: IndexTarget::Expr(sql.into()),
            opclass: None,
            order: None,
            nulls: None,
        }
    }
    pub fn desc(mut self) -> Self {
        self.order = Some(SortOrder::Desc);
        self
    }
    pub fn asc(mut self) -> Self {
        self.order = Some(SortOrder::Asc);
        self
    }
    /// The operator class (`text_pattern_ops`).
    pub fn opclass(mut self, opclass: impl Into<String>) -> Self {
        self.opclass = Some(opclass.into());
        self
    }
    pub fn nulls_first(mut self) -> Self {
        self.nulls = Some(NullsOrder::First);
        self
    }
    pub fn nulls_last(mut self) -> Self {
        self.nulls = Some(NullsOrder::Last);
        self
    }
}

/// `CREATE [UNIQUE] INDEX name ON table [USING method] (elements) [INCLUDE (..)] [WHERE ..]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Index {
    pub name: Option<String>,
    pub unique: bool,
    pub elements: Vec<IndexElement>,
    pub method: Option<String>,
    pub include: Vec<String>,
    pub predicate: Option<String>,
    /// A unique index under which NULLs conflict (PostgreSQL 15; SQLite cannot).
    pub nulls_not_distinct: bool,
}

impl Index {
    pub fn on_columns<I>(columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self {
            name: None,
            unique: false,
            elements: columns.into_iter().map(IndexElement::column).collect(),
            method: None,
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
        }
    }
    /// An unnamed index on arbitrary elements (expressions, opclasses, orderings).
    pub fn on(elements: Vec<IndexElement>) -> Self {
        Self::on_columns(Vec::<String>::new()).elements(elements)
    }
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    /// Replaces the indexed columns with arbitrary elements (expressions, orderings).
    pub fn elements(mut self, elements: Vec<IndexElement>) -> Self {
        self.elements = elements;
        self
    }
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }
    pub fn include<I>(mut self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.include = columns.into_iter().map(Into::into).collect();
        self
    }
    pub fn predicate(mut self, sql: impl Into<String>) -> Self {
        self.predicate = Some(sql.into());
        self
    }
    /// `NULLS NOT DISTINCT` (PostgreSQL 15), for a unique index.
    pub fn nulls_not_distinct(mut self) -> Self {
        self.nulls_not_distinct = true;
        self
    }
    /// Columns named by plain-column elements, in order (expressions are skipped).
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.elements.iter().filter_map(|e| match &e.target {
            IndexTarget::Column(c) => Some(c.as_str()),
            IndexTarget::Expr(_) => None,
        })
    }
}
