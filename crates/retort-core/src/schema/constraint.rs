//! Table constraints and indexes. Names are optional: an unnamed constraint is named by the
//! metadata's [`crate::NamingConvention`] when it has a template for that kind, and otherwise
//! by the database.

use super::IntoName;

/// `PRIMARY KEY (columns)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrimaryKey {
    /// `CONSTRAINT name`; `None` leaves it to the naming convention's `pk` template, else to the
    /// database (`users_pkey`).
    pub name: Option<String>,
    /// Whether `name` is the naming convention's ([`conv`](crate::conv), Alembic's `op.f()`):
    /// kept whole, shortened to a database's limit when compared or rendered
    /// ([`Table::resolve_conv_names`](crate::Table::resolve_conv_names)). A name the user
    /// wrote is never shortened.
    pub conv: bool,
    /// The key's columns, in key order.
    pub columns: Vec<String>,
    /// The storage parameters of the key's index (PostgreSQL `.. PRIMARY KEY (..) WITH
    /// (fillfactor='100')`), `(name, value)` in order; empty: the database's defaults.
    pub with: Vec<(String, String)>,
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
            conv: false,
            columns: columns.into_iter().map(Into::into).collect(),
            with: Vec::new(),
        }
    }
    /// Names the primary key (`CONSTRAINT name PRIMARY KEY`).
    pub fn name(mut self, name: impl IntoName) -> Self {
        self.conv = name.is_conv();
        self.name = name.into_name();
        self
    }
    /// Adds a storage parameter of the key's index (`WITH (fillfactor='100')`, PostgreSQL).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with.push((name.into(), value.into()));
        self
    }
}

/// Referential action for ON DELETE / ON UPDATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FkAction {
    /// `NO ACTION`: the change is refused if rows still refer to the key, checked at the end of the
    /// statement (or transaction, when deferred).
    NoAction,
    /// `RESTRICT`: the change is refused at once, even when the constraint is deferred.
    Restrict,
    /// `CASCADE`: referring rows are deleted (or their keys updated) along with the key.
    Cascade,
    /// `SET NULL`: the referring columns are set to NULL.
    SetNull,
    /// `SET DEFAULT`: the referring columns are set to their default.
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
    /// The SQL spelling, as written after `ON DELETE`/`ON UPDATE` (`SET NULL`).
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

/// `MATCH FULL | PARTIAL` of a foreign key; `MATCH SIMPLE`, every database's default, is no
/// match type (`None`). They differ only for a key of several columns some of which are NULL:
/// `SIMPLE` leaves such a row unchecked, `FULL` refuses it unless all of them are NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FkMatch {
    /// `MATCH FULL`: the referring columns are all NULL (the row refers to nothing) or all set.
    Full,
    /// `MATCH PARTIAL`: the standard's; PostgreSQL refuses it as not implemented.
    Partial,
}

impl FkMatch {
    /// Parses the SQL spelling, case-insensitively: `Some(None)` for `"simple"` (the
    /// default), `None` for anything else unknown.
    pub fn parse(s: &str) -> Option<Option<Self>> {
        match s.trim().to_ascii_lowercase().as_str() {
            "simple" => Some(None),
            "full" => Some(Some(FkMatch::Full)),
            "partial" => Some(Some(FkMatch::Partial)),
            _ => None,
        }
    }
    /// The SQL spelling, as written after `MATCH` (`FULL`).
    pub fn as_sql(self) -> &'static str {
        match self {
            FkMatch::Full => "FULL",
            FkMatch::Partial => "PARTIAL",
        }
    }
}

/// `DEFERRABLE [INITIALLY DEFERRED | INITIALLY IMMEDIATE]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deferrable {
    /// `DEFERRABLE INITIALLY IMMEDIATE`: checked after each statement unless a transaction runs
    /// `SET CONSTRAINTS .. DEFERRED`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: checked at commit.
    InitiallyDeferred,
}

/// `FOREIGN KEY (columns) REFERENCES ref_table (ref_columns)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ForeignKey {
    /// `CONSTRAINT name`; `None` leaves it to the naming convention's `fk` template, else to the
    /// database (`orders_customer_id_fkey`).
    pub name: Option<String>,
    /// Whether `name` is the naming convention's ([`conv`](crate::conv), Alembic's `op.f()`):
    /// kept whole, shortened to a database's limit when compared or rendered
    /// ([`Table::resolve_conv_names`](crate::Table::resolve_conv_names)). A name the user
    /// wrote is never shortened.
    pub conv: bool,
    /// The referring columns of this table, in the order of `ref_columns`.
    pub columns: Vec<String>,
    /// Schema of the referenced table; `None` is the metadata's default schema (not the referring
    /// table's).
    pub ref_schema: Option<String>,
    /// The referenced table's name, as the model spells it.
    pub ref_table: String,
    /// The referenced columns (usually its primary key), one for each of `columns`.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action; `None` leaves the database default (`NO ACTION`).
    pub on_delete: Option<FkAction>,
    /// `ON UPDATE` action; `None` leaves the database default (`NO ACTION`).
    pub on_update: Option<FkAction>,
    /// `DEFERRABLE ..`; `None` is `NOT DEFERRABLE`, checked after each statement.
    pub deferrable: Option<Deferrable>,
    /// `MATCH FULL | PARTIAL`; `None` is `MATCH SIMPLE`, the default.
    pub match_type: Option<FkMatch>,
}

impl ForeignKey {
    /// An unnamed foreign key from `columns` to `ref_table (ref_columns)` in the default schema,
    /// with the database's default actions.
    pub fn new<C, R>(columns: C, ref_table: impl Into<String>, ref_columns: R) -> Self
    where
        C: IntoIterator,
        C::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        Self {
            name: None,
            conv: false,
            columns: columns.into_iter().map(Into::into).collect(),
            ref_schema: None,
            ref_table: ref_table.into(),
            ref_columns: ref_columns.into_iter().map(Into::into).collect(),
            on_delete: None,
            on_update: None,
            deferrable: None,
            match_type: None,
        }
    }
    /// Parses `"table.column"` or `"schema.table.column"` as written in a model attribute,
    /// split at each `.`: a name that holds one cannot be written so (see
    /// [`ForeignKey::text_form_reads_back`]).
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
    /// Whether the text forms of the target, `"schema.table.column"` (a model field's
    /// `foreign_key = ".."`, read by [`ForeignKey::parse_target`]) and `"schema.table(a, b)"`
    /// (a model's `foreign_key(.., references = "..")`), name this target again where the
    /// derive reads them back: they split at each `.`, `,`, `(` and `)` and trim the
    /// parts. So: none of these in the schema, the table or a referenced column, none
    /// empty, none starting or ending with white space. The models writer writes the text
    /// forms only then, the structured `table = .., schema = .., column(s) = ..` otherwise
    /// (as [`TableRef::text_form_reads_back`](crate::TableRef::text_form_reads_back) for a
    /// parent table).
    pub fn text_form_reads_back(&self) -> bool {
        let plain = |s: &str| !s.is_empty() && !s.contains(['.', ',', '(', ')']) && s.trim() == s;
        plain(&self.ref_table)
            && self.ref_schema.as_deref().into_iter().all(plain)
            && !self.ref_columns.is_empty()
            && self.ref_columns.iter().all(|c| plain(c))
    }
    /// Names the foreign key (`CONSTRAINT name FOREIGN KEY ..`).
    pub fn name(mut self, name: impl IntoName) -> Self {
        self.conv = name.is_conv();
        self.name = name.into_name();
        self
    }
    /// `ON DELETE action`.
    pub fn on_delete(mut self, action: FkAction) -> Self {
        self.on_delete = Some(action);
        self
    }
    /// `ON UPDATE action`.
    pub fn on_update(mut self, action: FkAction) -> Self {
        self.on_update = Some(action);
        self
    }
    /// Makes the foreign key `DEFERRABLE`, initially deferred or immediate.
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        self.deferrable = Some(d);
        self
    }
    /// `MATCH FULL` (or `PARTIAL`): how a row whose referring columns are partly NULL is
    /// checked (SQLAlchemy's `ForeignKeyConstraint(match=..)`; PostgreSQL).
    pub fn match_type(mut self, m: FkMatch) -> Self {
        self.match_type = Some(m);
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
    /// `CONSTRAINT name`; `None` leaves it to the naming convention's `uq` template, else to the
    /// database (`users_email_key`).
    pub name: Option<String>,
    /// Whether `name` is the naming convention's ([`conv`](crate::conv), Alembic's `op.f()`):
    /// kept whole, shortened to a database's limit when compared or rendered
    /// ([`Table::resolve_conv_names`](crate::Table::resolve_conv_names)). A name the user
    /// wrote is never shortened.
    pub conv: bool,
    /// The columns whose values together must be unique.
    pub columns: Vec<String>,
    /// Checked at the end of the statement or transaction (PostgreSQL; SQLite cannot).
    pub deferrable: Option<Deferrable>,
    /// Two rows with NULL in the same columns conflict (PostgreSQL 15; SQLite cannot).
    pub nulls_not_distinct: bool,
    /// The storage parameters of the constraint's index (PostgreSQL `.. UNIQUE (..) WITH
    /// (fillfactor='90')`), `(name, value)` in order; empty: the database's defaults.
    pub with: Vec<(String, String)>,
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
            conv: false,
            columns: columns.into_iter().map(Into::into).collect(),
            deferrable: None,
            nulls_not_distinct: false,
            with: Vec::new(),
        }
    }
    /// Adds a storage parameter of the constraint's index (`WITH (fillfactor='90')`,
    /// PostgreSQL).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with.push((name.into(), value.into()));
        self
    }
    /// Names the constraint (`CONSTRAINT name UNIQUE ..`).
    pub fn name(mut self, name: impl IntoName) -> Self {
        self.conv = name.is_conv();
        self.name = name.into_name();
        self
    }
    /// Makes the constraint `DEFERRABLE`, initially deferred or immediate (PostgreSQL).
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        self.deferrable = Some(d);
        self
    }
    /// `NULLS NOT DISTINCT`: rows with NULL in the same columns conflict (PostgreSQL 15).
    pub fn nulls_not_distinct(mut self) -> Self {
        self.nulls_not_distinct = true;
        self
    }
}

/// `CHECK (expr)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Check {
    /// `CONSTRAINT name`; `None` leaves it to the naming convention's `ck` template, else to the
    /// database (`orders_total_check`).
    pub name: Option<String>,
    /// Whether `name` is the naming convention's ([`conv`](crate::conv), Alembic's `op.f()`):
    /// kept whole, shortened to a database's limit when compared or rendered
    /// ([`Table::resolve_conv_names`](crate::Table::resolve_conv_names)). A name the user
    /// wrote is never shortened.
    pub conv: bool,
    /// The condition, as SQL without the surrounding parentheses (`total >= 0`).
    pub expr: String,
}

impl Check {
    /// An unnamed check constraint.
    pub fn new(expr: impl Into<String>) -> Self {
        Self {
            name: None,
            conv: false,
            expr: expr.into(),
        }
    }
    /// Names the constraint (`CONSTRAINT name CHECK ..`).
    pub fn name(mut self, name: impl IntoName) -> Self {
        self.conv = name.is_conv();
        self.name = name.into_name();
        self
    }
}

/// One element of an exclusion constraint: an index element (a column or expression, with
/// optional operator class, collation and ordering) and the operator two rows must not both
/// satisfy on it (`room_id WITH =`, `tstzrange(starts_at, ends_at) WITH &&`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExcludeElement {
    /// The column or expression compared, with its opclass, collation and ordering.
    pub element: IndexElement,
    /// The operator, as written after `WITH` (`=`, `&&`).
    pub operator: String,
}

impl ExcludeElement {
    /// `element WITH operator`.
    pub fn new(element: IndexElement, operator: impl Into<String>) -> Self {
        Self {
            element,
            operator: operator.into(),
        }
    }
    /// A column element: `column WITH operator`.
    pub fn column(name: impl Into<String>, operator: impl Into<String>) -> Self {
        Self::new(IndexElement::column(name), operator)
    }
    /// An expression element: `expr WITH operator`.
    pub fn expr(sql: impl Into<String>, operator: impl Into<String>) -> Self {
        Self::new(IndexElement::expr(sql), operator)
    }
}

/// `CONSTRAINT name EXCLUDE USING method (element WITH operator, ..) [INCLUDE (..)]
/// [WHERE (predicate)] [DEFERRABLE [INITIALLY DEFERRED]]`: no two rows may have every
/// element's operator true between them (PostgreSQL only; SQLAlchemy's
/// `postgresql.ExcludeConstraint`).
///
/// An exclusion constraint must be named: no naming convention has a key for it (as in
/// SQLAlchemy), and the name PostgreSQL would choose depends on how it reads expressions, so
/// a migration could not drop it by a name known in advance. [`crate::MetaData::validate`]
/// refuses an unnamed one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Exclude {
    /// `CONSTRAINT name`; required, as no naming convention names exclusion constraints.
    pub name: Option<String>,
    /// The index access method (`gist`, as SQLAlchemy's default; `btree`, `spgist`, ...).
    pub using: String,
    /// The `element WITH operator` pairs; two rows conflict when every operator holds.
    pub elements: Vec<ExcludeElement>,
    /// Columns stored in the constraint's index but not compared (`INCLUDE (..)`).
    pub include: Vec<String>,
    /// Only rows for which this SQL condition holds are constrained (`WHERE (..)`).
    pub predicate: Option<String>,
    /// `DEFERRABLE ..`; `None` is `NOT DEFERRABLE`.
    pub deferrable: Option<Deferrable>,
}

impl Exclude {
    /// The exclusion constraint `name` on `elements`, using `gist`.
    pub fn new(name: impl Into<String>, elements: Vec<ExcludeElement>) -> Self {
        Self {
            name: Some(name.into()),
            using: "gist".into(),
            elements,
            include: Vec::new(),
            predicate: None,
            deferrable: None,
        }
    }
    /// Sets the constraint's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// The index access method (default `gist`).
    pub fn using(mut self, method: impl Into<String>) -> Self {
        self.using = method.into();
        self
    }
    /// `INCLUDE (columns)`: columns stored in the index but not compared.
    pub fn include<I>(mut self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.include = columns.into_iter().map(Into::into).collect();
        self
    }
    /// `WHERE (sql)`: a partial exclusion constraint.
    pub fn predicate(mut self, sql: impl Into<String>) -> Self {
        self.predicate = Some(sql.into());
        self
    }
    /// Makes the constraint `DEFERRABLE`, initially deferred or immediate.
    pub fn deferrable(mut self, d: Deferrable) -> Self {
        self.deferrable = Some(d);
        self
    }
    /// Columns named by plain-column elements, in order (expressions are skipped).
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.elements
            .iter()
            .filter_map(|e| match &e.element.target {
                IndexTarget::Column(c) => Some(c.as_str()),
                IndexTarget::Expr(_) => None,
            })
    }
}

/// Sort order of an index element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// `ASC`, the default order.
    Asc,
    /// `DESC`.
    Desc,
}

/// Placement of NULLs in an index element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NullsOrder {
    /// `NULLS FIRST` (the default for `DESC` on PostgreSQL).
    First,
    /// `NULLS LAST` (the default for `ASC` on PostgreSQL).
    Last,
}

/// What an index element indexes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IndexTarget {
    /// A column of the table, by name.
    Column(String),
    /// An SQL expression, rendered in parentheses.
    Expr(String),
}

/// One element of an index: a column or expression with optional collation, opclass and
/// ordering (`name COLLATE "C" text_pattern_ops DESC NULLS LAST`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexElement {
    /// The column or expression indexed.
    pub target: IndexTarget,
    /// `COLLATE name`; `None` is the column's (or the expression's) own collation.
    pub collation: Option<String>,
    /// Operator class (`text_pattern_ops`); `None` is the type's default one.
    pub opclass: Option<String>,
    /// `ASC`/`DESC`; `None` leaves the database default (ascending).
    pub order: Option<SortOrder>,
    /// `NULLS FIRST`/`NULLS LAST`; `None` leaves the database default for the order.
    pub nulls: Option<NullsOrder>,
}

impl IndexElement {
    fn new(target: IndexTarget) -> Self {
        Self {
            target,
            collation: None,
            opclass: None,
            order: None,
            nulls: None,
        }
    }
    /// An element on the column `name`.
    pub fn column(name: impl Into<String>) -> Self {
        Self::new(IndexTarget::Column(name.into()))
    }
    /// An expression element. The text is the expression alone: an order, NULLS placement,
    /// collation or operator class written into it is refused by [`crate::MetaData::validate`]
    /// (say them with [`IndexElement::desc`], [`IndexElement::collate`], ...).
    pub fn expr(sql: impl Into<String>) -> Self {
        Self::new(IndexTarget::Expr(sql.into()))
    }
    /// The collation the element is indexed with (`"C"`, `"en_US"`, SQLite's `"NOCASE"`).
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.collation = Some(collation.into());
        self
    }
    /// Indexes the element in descending order (`DESC`).
    pub fn desc(mut self) -> Self {
        self.order = Some(SortOrder::Desc);
        self
    }
    /// Indexes the element in ascending order, written out (`ASC`).
    pub fn asc(mut self) -> Self {
        self.order = Some(SortOrder::Asc);
        self
    }
    /// The operator class (`text_pattern_ops`).
    pub fn opclass(mut self, opclass: impl Into<String>) -> Self {
        self.opclass = Some(opclass.into());
        self
    }
    /// Sorts NULLs first (`NULLS FIRST`).
    pub fn nulls_first(mut self) -> Self {
        self.nulls = Some(NullsOrder::First);
        self
    }
    /// Sorts NULLs last (`NULLS LAST`).
    pub fn nulls_last(mut self) -> Self {
        self.nulls = Some(NullsOrder::Last);
        self
    }
}

/// `CREATE [UNIQUE] INDEX name ON table [USING method] (elements) [INCLUDE (..)] [WHERE ..]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Index {
    /// The index name; `None` leaves it to the naming convention's `ix` template (`ix_users_email`
    /// by default), else to the database.
    pub name: Option<String>,
    /// Whether `name` is the naming convention's ([`conv`](crate::conv), Alembic's `op.f()`):
    /// kept whole, shortened to a database's limit when compared or rendered
    /// ([`Table::resolve_conv_names`](crate::Table::resolve_conv_names)). A name the user
    /// wrote is never shortened.
    pub conv: bool,
    /// `CREATE UNIQUE INDEX`: the indexed values must be unique.
    pub unique: bool,
    /// The indexed columns and expressions, in order.
    pub elements: Vec<IndexElement>,
    /// `USING method` (`btree`, `gin`, `gist`, ...); `None` is the database default (`btree`).
    pub method: Option<String>,
    /// `INCLUDE (columns)`: columns stored in the index but not indexed (PostgreSQL 11).
    pub include: Vec<String>,
    /// `WHERE (sql)`: a partial index over the rows for which the condition holds; `None` indexes
    /// all rows.
    pub predicate: Option<String>,
    /// A unique index under which NULLs conflict (PostgreSQL 15; SQLite cannot).
    pub nulls_not_distinct: bool,
    /// Storage parameters (PostgreSQL `WITH (fillfactor='90')`), `(name, value)` in order;
    /// empty: the database's defaults.
    pub with: Vec<(String, String)>,
}

impl Index {
    /// An unnamed, non-unique index on `columns`, in order.
    pub fn on_columns<I>(columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self {
            name: None,
            conv: false,
            unique: false,
            elements: columns.into_iter().map(IndexElement::column).collect(),
            method: None,
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            with: Vec::new(),
        }
    }
    /// Adds a storage parameter (`WITH (fillfactor='90')`, PostgreSQL).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with.push((name.into(), value.into()));
        self
    }
    /// An unnamed index on arbitrary elements (expressions, opclasses, orderings).
    pub fn on(elements: Vec<IndexElement>) -> Self {
        Self::on_columns(Vec::<String>::new()).elements(elements)
    }
    /// Names the index.
    pub fn name(mut self, name: impl IntoName) -> Self {
        self.conv = name.is_conv();
        self.name = name.into_name();
        self
    }
    /// Makes it a unique index (`CREATE UNIQUE INDEX`).
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    /// Replaces the indexed columns with arbitrary elements (expressions, orderings).
    pub fn elements(mut self, elements: Vec<IndexElement>) -> Self {
        self.elements = elements;
        self
    }
    /// The index access method (`USING gin`).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }
    /// `INCLUDE (columns)`: columns stored in the index but not indexed.
    pub fn include<I>(mut self, columns: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.include = columns.into_iter().map(Into::into).collect();
        self
    }
    /// `WHERE (sql)`: a partial index.
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

/// What an index expression written as text says that belongs to the element instead
/// (`created_at DESC`, `name COLLATE "C"`, `name text_pattern_ops`), as the clause found, or
/// `None` for an expression alone. Only the top level counts: `lower(x COLLATE "C")` and
/// `CASE WHEN .. END` are expressions. Shared by the derive (at compile time) and
/// [`crate::MetaData::validate`].
pub fn index_expr_element_option(sql: &str) -> Option<&'static str> {
    // Top-level words, outside parentheses and quotes.
    let mut words: Vec<String> = Vec::new();
    let (mut depth, mut word, mut quote) = (0i32, String::new(), None::<char>);
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word).to_ascii_lowercase());
        }
    };
    for c in sql.chars() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            if depth == 0 {
                word.push(c);
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                if depth == 0 {
                    word.push(c);
                }
            }
            '(' => {
                flush(&mut word, &mut words);
                depth += 1;
            }
            ')' => depth -= 1,
            c if depth == 0 && (c.is_alphanumeric() || c == '_' || c == '.') => word.push(c),
            _ if depth == 0 => flush(&mut word, &mut words),
            _ => {}
        }
    }
    flush(&mut word, &mut words);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    if words.contains(&"collate") {
        return Some("COLLATE");
    }
    match words.as_slice() {
        [.., _, "nulls", "first" | "last"] => Some("NULLS FIRST/LAST"),
        [.., _, "asc" | "desc"] => Some("ASC/DESC"),
        [.., prev, last] if last.ends_with("_ops") && !is_operator_word(prev) => {
            Some("an operator class")
        }
        _ => None,
    }
}

/// Words after which a trailing `x_ops` is an operand, not an operator class (`a AND b_ops`).
fn is_operator_word(w: &str) -> bool {
    matches!(
        w,
        "and" | "or" | "not" | "is" | "then" | "else" | "when" | "case" | "like" | "in"
    )
}

#[cfg(test)]
mod tests {
    use super::index_expr_element_option as option;
    use crate::{Column, Index, IndexElement, MetaData, SchemaError, Table, Type};

    #[test]
    fn element_options_written_into_an_expression_are_found() {
        assert_eq!(option("created_at DESC"), Some("ASC/DESC"));
        assert_eq!(option("lower(name) asc"), Some("ASC/DESC"));
        assert_eq!(
            option("created_at::date DESC NULLS LAST"),
            Some("NULLS FIRST/LAST")
        );
        assert_eq!(option("name COLLATE \"C\""), Some("COLLATE"));
        assert_eq!(option("name text_pattern_ops"), Some("an operator class"));
        // Expressions alone.
        for sql in [
            "lower(name)",
            "desc",
            "a || 'desc'",
            "lower(name COLLATE \"C\")",
            "CASE WHEN a THEN 1 ELSE 0 END",
            "(a desc)",
            "flag AND my_ops",
        ] {
            assert_eq!(option(sql), None, "{sql}");
        }
    }

    /// The text forms of a foreign key's target are kept for names with nothing the derive
    /// splits at; `parse_target` reads them back as the same target.
    #[test]
    fn a_foreign_key_target_text_form_reads_back_only_for_plain_names() {
        use super::ForeignKey;
        for fk in [
            ForeignKey::new(["a"], "orders", ["id"]),
            ForeignKey::new(["a"], "line item", ["Order Id"]).ref_schema("s{1}"),
            ForeignKey::new(["a"], "pa\"r", ["id"]),
        ] {
            assert!(fk.text_form_reads_back(), "{fk:?}");
            let text = match &fk.ref_schema {
                Some(s) => format!("{s}.{}.{}", fk.ref_table, fk.ref_columns[0]),
                None => format!("{}.{}", fk.ref_table, fk.ref_columns[0]),
            };
            let (schema, table, column) = ForeignKey::parse_target(&text).expect("reads");
            assert_eq!(
                (schema, table, vec![column]),
                (fk.ref_schema.clone(), fk.ref_table.clone(), fk.ref_columns)
            );
        }
        for fk in [
            ForeignKey::new(["a"], "a.b", ["id"]),
            ForeignKey::new(["a"], "t", ["id"]).ref_schema("s.1"),
            ForeignKey::new(["a"], "t", ["c.d"]),
            ForeignKey::new(["a", "b"], "t", ["x", "y, z"]),
            ForeignKey::new(["a"], "a(b)", ["id"]),
            ForeignKey::new(["a"], "t", ["f(x)"]),
            ForeignKey::new(["a"], " t", ["id"]),
            ForeignKey::new(["a"], "t", [""]),
            ForeignKey::new(["a"], "t", Vec::<String>::new()),
        ] {
            assert!(!fk.text_form_reads_back(), "{fk:?}");
        }
    }

    #[test]
    fn validate_refuses_an_expression_with_an_element_option() {
        let md = MetaData::new().table(
            Table::new("events")
                .column(Column::new("created_at", Type::Date))
                .index(Index::on(vec![IndexElement::expr("created_at DESC")]).name("ix_recent")),
        );
        let errs = md.validate().expect_err("refused");
        let [SchemaError::IndexExprWithElementOption { clause, .. }] = errs.errors() else {
            panic!("{errs}");
        };
        assert_eq!(clause, "ASC/DESC");
        assert!(errs.to_string().contains("created_at(desc"), "{errs}");
        let fine = MetaData::new().table(
            Table::new("events")
                .column(Column::new("created_at", Type::Date))
                .index(Index::on(vec![IndexElement::expr("created_at").desc()]).name("ix_recent")),
        );
        assert!(fine.validate().is_ok());
    }
}
