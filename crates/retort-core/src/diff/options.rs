//! What the comparison looks at: [`DiffOptions`] (switches, schema and name filters, and the
//! `include_object` hook, as Alembic's `env.py` has) and the [`ObjectRef`] the hook sees.

use std::fmt;
use std::sync::Arc;

/// The kind of object a filter decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    /// A schema the model uses (`name` and `schema` are the schema's name).
    Schema,
    /// A table (`name` and `table` are the table's name).
    Table,
    /// A column of `table`.
    Column,
    /// An index on `table`.
    Index,
    /// The primary key of `table`.
    PrimaryKey,
    /// A foreign key of `table`.
    ForeignKey,
    /// A unique constraint of `table`.
    UniqueConstraint,
    /// A check constraint of `table`.
    CheckConstraint,
    /// A PostgreSQL exclusion constraint of `table`.
    ExcludeConstraint,
    /// A named enum type (`table` is `None`).
    EnumType,
    /// A standalone sequence (a serial column's sequence goes with its column).
    Sequence,
    /// A view, materialized view, function, procedure or trigger (`schema::entity`); a
    /// trigger's `table` is its table.
    Entity(crate::EntityKind),
}

/// One object the comparison is about to consider, as the `include_object` hook sees it
/// (Alembic's `include_object(object, name, type_, reflected, compare_to)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectRef<'a> {
    /// What kind of object it is.
    pub kind: ObjectKind,
    /// Its schema (a table's, for what belongs to one); `None`: the default schema.
    pub schema: Option<&'a str>,
    /// The table it belongs to (for a table: its own name).
    pub table: Option<&'a str>,
    /// The object's name; `None` for a model constraint left to the database to name.
    pub name: Option<&'a str>,
    /// Whether it exists in the database side of the comparison.
    pub in_database: bool,
    /// Whether it exists in the model side of the comparison.
    pub in_model: bool,
}

/// A custom decision: return `false` to leave the object out of the comparison.
pub type IncludeObject = Arc<dyn Fn(&ObjectRef<'_>) -> bool + Send + Sync>;

/// Switches and filters of one comparison. [`Default`] compares everything, types and server
/// defaults included (Alembic's `compare_type` and `compare_server_default`, both on).
#[derive(Clone)]
pub struct DiffOptions {
    /// Compare column types (Alembic's `compare_type`); `false` never alters a type.
    pub compare_types: bool,
    /// Compare server defaults (Alembic's `compare_server_default`); `false` never alters a
    /// default.
    pub compare_server_defaults: bool,
    /// When set, only tables and enum types in these schemas are compared. Objects without a
    /// schema (the default schema) are always compared.
    pub schemas: Option<Vec<String>>,
    /// Table name globs (`*`, `?`) to compare; empty means all. A glob with a `.` is
    /// matched against `schema.table`.
    pub include_tables: Vec<String>,
    /// Table name globs to leave out; applied after `include_tables`.
    pub exclude_tables: Vec<String>,
    /// Schemas known to exist in the database although no table or enum type there names
    /// them (introspection can list them); a model schema absent from both is created.
    pub existing_schemas: Vec<String>,
    /// A custom decision per object, consulted after the filters above.
    pub include_object: Option<IncludeObject>,
    /// The database's entities that are under version control: those the replayed history
    /// created (live autogenerate fills it). An entity the model lacks is dropped only if
    /// it is among them; any other is left alone, with a warning. `None`: every entity of
    /// the database side is under version control (it is the replayed history itself).
    pub versioned_entities: Option<Vec<crate::EntityKey>>,
    /// Dependencies among the database's entities its catalog records, as (dependent,
    /// dependency) keys: drops go dependents first by them too.
    pub entity_dependencies: Vec<(crate::EntityKey, crate::EntityKey)>,
    /// The database's standalone sequences under version control, as (schema, name): those
    /// the replayed history created (live autogenerate fills it). A sequence the model
    /// lacks is dropped only if it is among them; any other is left alone, with a warning,
    /// as an entity is. `None`: every one is (the database side is the replayed history).
    pub versioned_sequences: Option<Vec<(Option<String>, String)>>,
    /// The table columns the database's entities read, as its catalog records them
    /// (PostgreSQL's `pg_depend`): beside those their definitions name, the entities a
    /// dropped column or a type change is wrapped in (dropped before, created after).
    pub entity_columns: Vec<crate::EntityColumn>,
}

impl Default for DiffOptions {
    fn default() -> Self {
        Self {
            compare_types: true,
            compare_server_defaults: true,
            schemas: None,
            include_tables: Vec::new(),
            exclude_tables: Vec::new(),
            existing_schemas: Vec::new(),
            include_object: None,
            versioned_entities: None,
            entity_dependencies: Vec::new(),
            versioned_sequences: None,
            entity_columns: Vec::new(),
        }
    }
}

impl fmt::Debug for DiffOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiffOptions")
            .field("compare_types", &self.compare_types)
            .field("compare_server_defaults", &self.compare_server_defaults)
            .field("schemas", &self.schemas)
            .field("include_tables", &self.include_tables)
            .field("exclude_tables", &self.exclude_tables)
            .field("existing_schemas", &self.existing_schemas)
            .field("versioned_entities", &self.versioned_entities)
            .field("versioned_sequences", &self.versioned_sequences)
            .field("entity_dependencies", &self.entity_dependencies)
            .field("entity_columns", &self.entity_columns)
            .field(
                "include_object",
                &self.include_object.as_ref().map(|_| ".."),
            )
            .finish()
    }
}

impl DiffOptions {
    /// Sets the `include_object` hook.
    pub fn include_object(
        mut self,
        f: impl Fn(&ObjectRef<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.include_object = Some(Arc::new(f));
        self
    }

    /// Whether a schema passes the schema filter.
    pub(crate) fn schema_included(&self, schema: Option<&str>) -> bool {
        match (&self.schemas, schema) {
            (Some(list), Some(s)) => list.iter().any(|x| x == s),
            _ => true,
        }
    }

    /// Whether a table passes the schema filter and the name globs.
    pub fn table_included(&self, schema: Option<&str>, name: &str) -> bool {
        if !self.schema_included(schema) {
            return false;
        }
        let qualified = crate::schema::qualified(schema, name);
        let hits = |globs: &[String]| {
            globs.iter().any(|g| {
                let subject = if g.contains('.') { &qualified } else { name };
                glob_match(g, subject)
            })
        };
        (self.include_tables.is_empty() || hits(&self.include_tables))
            && !hits(&self.exclude_tables)
    }

    /// The `include_object` hook's decision (`true` without a hook).
    pub(crate) fn hook(&self, obj: ObjectRef<'_>) -> bool {
        self.include_object.as_ref().map_or(true, |f| f(&obj))
    }
}

/// Matches `*` (any run, possibly empty) and `?` (one character); everything else literally.
/// Iterative with one backtrack point, so it is linear-ish and cannot blow the stack.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}
