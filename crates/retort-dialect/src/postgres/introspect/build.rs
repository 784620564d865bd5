//! Catalog rows -> [`MetaData`]: a pure function over the rows of the [`CatalogQuery`]s.
//!
//! Tables come from the columns query; constraints and indexes are attached to them by
//! (schema, table). Rows of excluded tables are skipped wherever they appear. The queries
//! return rows in no particular order (sorting on the server cost more than the rest of the
//! queries together), so the result is ordered here: tables and enum types by schema then
//! name, columns by position, constraints and indexes by name, all in byte order (as
//! PostgreSQL's `name` type sorts).

use std::collections::HashMap;

use retort_core::{
    Check, Column, Computed, Deferrable, EnumRef, EnumType, Exclude, FkAction, FkMatch, ForeignKey,
    Identity, IdentityGeneration, MetaData, PrimaryKey, ServerDefault, Table, TableRef, Type,
    Unique,
};

use super::indexes::IndexRows;
use super::rows::RowReader;
use super::{
    literal_default, parse_pg_type, CatalogQuery, CatalogRows, IntrospectError, IntrospectOptions,
};

/// Builds the schema model from the rows of every catalog query.
pub fn build_metadata(
    rows: &CatalogRows,
    options: &IntrospectOptions,
) -> Result<MetaData, IntrospectError> {
    let mut builder = MetadataBuilder::new(options);
    for q in CatalogQuery::ALL {
        for row in rows.rows(q) {
            builder.add_row(q, row)?;
        }
    }
    builder.finish()
}

/// [`build_metadata`] a row at a time, so that a reader can drop each row once it is read:
/// at 10,000 tables the catalog's rows held whole beside the schema being built were most of
/// a live read's peak memory. The queries' rows may come in any order, interleaved (a read
/// runs them side by side on several connections): tables come from the columns, and a
/// constraint or index row of a table not read yet is kept, read, until [`finish`](Self::finish)
/// attaches it.
pub struct MetadataBuilder<'o> {
    options: &'o IntrospectOptions,
    tables: Tables<'o>,
    indexes: IndexRows,
    enums: Vec<(String, EnumType)>,
    sequences: Vec<super::rows::Row>,
}

impl<'o> MetadataBuilder<'o> {
    /// An empty build for `options`.
    pub fn new(options: &'o IntrospectOptions) -> Self {
        Self {
            options,
            tables: Tables::new(options),
            indexes: IndexRows::default(),
            enums: Vec::new(),
            sequences: Vec::new(),
        }
    }

    /// Reads one row of `query`.
    pub fn add_row(
        &mut self,
        query: CatalogQuery,
        row: &[Option<String>],
    ) -> Result<(), IntrospectError> {
        let r = RowReader::new(query, row)?;
        match query {
            CatalogQuery::Columns => self.tables.add_column_row(&r),
            CatalogQuery::Constraints => self.tables.add_constraint_row(&r),
            CatalogQuery::Indexes => self.indexes.add(&r),
            CatalogQuery::Enums => {
                let schema = r.text(0, "schema")?.to_string();
                let mut e = EnumType::new(r.text(1, "type name")?, r.list(2, "labels")?);
                e.schema = self.options.local_schema(&schema);
                self.enums.push((schema, e));
                Ok(())
            }
            CatalogQuery::Sequences => {
                self.sequences.push(row.to_vec());
                Ok(())
            }
            CatalogQuery::Comments => {
                let (schema, table) = (r.text(0, "schema")?, r.text(1, "table name")?);
                if !self.options.is_excluded(table) {
                    let column = r.int(2, "column number")?;
                    let fact = if column < 0 {
                        // The table's options row: its storage parameters and parents.
                        let schemas = r.list(5, "parent schemas")?;
                        let names = r.list(6, "parent names")?;
                        TableFact::Options {
                            with: storage_parameters(&r, 4)?,
                            inherits: schemas
                                .iter()
                                .zip(names)
                                .map(|(s, name)| TableRef {
                                    schema: self.options.local_schema(s),
                                    name,
                                })
                                .collect(),
                        }
                    } else {
                        TableFact::Comment {
                            column,
                            text: r.text(3, "comment")?.to_owned(),
                        }
                    };
                    self.tables.comments.push(Comment {
                        schema: schema.to_owned(),
                        table: table.to_owned(),
                        fact,
                    });
                }
                Ok(())
            }
        }
    }

    /// The schema model of every row read.
    pub fn finish(self) -> Result<MetaData, IntrospectError> {
        let MetadataBuilder {
            options,
            mut tables,
            indexes,
            mut enums,
            sequences,
        } = self;
        tables.attach_early_constraints()?;
        tables.attach_comments()?;
        indexes.attach(&mut tables)?;
        enums.sort_by(|(s1, e1), (s2, e2)| (s1, &e1.name).cmp(&(s2, &e2.name)));
        let mut tables = tables.finish();
        let sequences = super::sequences::attach_sequences(&sequences, options, &mut tables)?;
        let mut md = MetaData::new();
        for (_, e) in enums {
            md.add_enum(e);
        }
        for s in sequences {
            md.add_sequence(s);
        }
        for t in tables {
            md.add_table(t);
        }
        Ok(md)
    }
}

pub(super) struct Tables<'o> {
    options: &'o IntrospectOptions,
    tables: Vec<PendingTable>,
    /// Schema as in the catalog -> table name -> position in `tables`. Nested so that a
    /// lookup borrows the row's text instead of allocating a key for each row.
    by_name: HashMap<String, HashMap<String, usize>>,
    /// Constraints read before their table's columns (schema, table, constraint), attached
    /// by [`Tables::attach_early_constraints`].
    early: Vec<(String, String, Constraint)>,
    /// The comments query's rows, attached by [`Tables::attach_comments`] once the columns
    /// are all read.
    comments: Vec<Comment>,
}

/// A row of the comments query.
struct Comment {
    schema: String,
    table: String,
    fact: TableFact,
}

/// What a row of the comments query says of its table.
enum TableFact {
    /// A comment on the table (column 0) or on its column of that number (`attnum`).
    Comment { column: i64, text: String },
    /// The table's storage parameters and parents (`INHERITS`), in order.
    Options {
        with: Vec<(String, String)>,
        inherits: Vec<TableRef>,
    },
}

struct PendingTable {
    /// The schema as in the catalog (the table's own is `None` in the default schema).
    schema: String,
    table: Table,
    /// The position (attnum) of each of `table.columns`.
    attnums: Vec<i64>,
}

impl<'o> Tables<'o> {
    fn new(options: &'o IntrospectOptions) -> Self {
        Self {
            options,
            tables: Vec::new(),
            by_name: HashMap::new(),
            early: Vec::new(),
            comments: Vec::new(),
        }
    }

    /// The table a constraint or index row belongs to; `None` when it is excluded.
    pub(super) fn table_of(
        &mut self,
        query: CatalogQuery,
        schema: &str,
        table: &str,
        what: impl FnOnce() -> String,
    ) -> Result<Option<&mut Table>, IntrospectError> {
        if self.options.is_excluded(table) {
            return Ok(None);
        }
        match self.position(schema, table) {
            Some(i) => Ok(Some(&mut self.tables[i].table)),
            None => Err(IntrospectError::UnknownTable {
                query: query.file_name(),
                what: what(),
                table: format!("{schema}.{table}"),
            }),
        }
    }

    fn position(&self, schema: &str, table: &str) -> Option<usize> {
        self.by_name.get(schema)?.get(table).copied()
    }

    fn add_column_row(&mut self, r: &RowReader<'_>) -> Result<(), IntrospectError> {
        let schema = r.text(0, "schema")?;
        let name = r.text(1, "table name")?;
        if self.options.is_excluded(name) {
            return Ok(());
        }
        let index = match self.position(schema, name) {
            Some(i) => i,
            None => {
                let mut t = Table::new(name);
                t.schema = self.options.local_schema(schema);
                self.tables.push(PendingTable {
                    schema: schema.to_string(),
                    table: t,
                    attnums: Vec::new(),
                });
                self.by_name
                    .entry(schema.to_string())
                    .or_default()
                    .insert(name.to_string(), self.tables.len() - 1);
                self.tables.len() - 1
            }
        };
        // A table without columns comes as one row with no column.
        if r.opt(3).is_none() {
            return Ok(());
        }
        let column = self.column(r)?;
        let attnum = r.int(3, "column number")?;
        let pending = &mut self.tables[index];
        pending.table.columns.push(column);
        pending.attnums.push(attnum);
        Ok(())
    }

    /// The tables in order, each with its columns, constraints and indexes in order.
    fn finish(self) -> Vec<Table> {
        let mut pending = self.tables;
        pending.sort_by(|a, b| (&a.schema, &a.table.name).cmp(&(&b.schema, &b.table.name)));
        pending
            .into_iter()
            .map(|p| {
                let mut t = p.table;
                if !p.attnums.windows(2).all(|w| w[0] <= w[1]) {
                    let mut columns: Vec<(i64, Column)> =
                        p.attnums.into_iter().zip(t.columns).collect();
                    columns.sort_by_key(|(attnum, _)| *attnum);
                    t.columns = columns.into_iter().map(|(_, c)| c).collect();
                }
                t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
                t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
                t.checks.sort_by(|a, b| a.name.cmp(&b.name));
                t.excludes.sort_by(|a, b| a.name.cmp(&b.name));
                t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
                // Built a row at a time, the vectors grew by doubling: at 10,000 tables
                // their spare room was a third of the schema's memory.
                t.columns.shrink_to_fit();
                t.foreign_keys.shrink_to_fit();
                t.uniques.shrink_to_fit();
                t.indexes.shrink_to_fit();
                t
            })
            .collect()
    }

    fn column(&self, r: &RowReader<'_>) -> Result<Column, IntrospectError> {
        let mut c = Column::new(r.text(4, "column name")?, self.column_type(r)?);
        c.nullable = !r.flag(6, "not null")?;
        c.collation = r.opt(24).map(str::to_string);
        // attislocal false: only a parent gives the column (NULL in rows written by hand).
        c.inherited = matches!(r.opt(28), Some("false" | "f"));
        let expr = r.opt(7).map(str::to_string);
        match r.code(9, "attgenerated")? {
            None => {
                c.server_default = expr.map(|e| match literal_default(&e, &c.ty) {
                    Some(lit) => ServerDefault::Literal(lit),
                    None => ServerDefault::Expr(e),
                })
            }
            Some('s') => {
                let expr = expr.ok_or_else(|| r.unexpected(7, "generation expression", "NULL"))?;
                c.computed = Some(Computed::stored(expr));
            }
            Some(other) => return Err(r.unexpected(9, "attgenerated", &other.to_string())),
        }
        let generation = match r.code(8, "attidentity")? {
            None => None,
            Some('a') => Some(IdentityGeneration::Always),
            Some('d') => Some(IdentityGeneration::ByDefault),
            Some(other) => return Err(r.unexpected(8, "attidentity", &other.to_string())),
        };
        if let Some(generation) = generation {
            // PostgreSQL's defaults for the column's type read back as None (START 1 or -1,
            // INCREMENT 1, MINVALUE 1, MAXVALUE the type's greatest, NO CYCLE, CACHE 1).
            let read = Identity {
                generation,
                start: r.opt_int(10, "identity start")?,
                increment: r.opt_int(11, "identity increment")?,
                minvalue: r.opt_int(19, "identity minvalue")?,
                maxvalue: r.opt_int(20, "identity maxvalue")?,
                cycle: r.flag(21, "identity cycle")?,
                cache: r.opt_int(22, "identity cache")?,
            };
            c.identity = Some(Box::new(read.minimal(&c.ty)));
            // Identity columns have no default of their own.
            c.server_default = None;
        }
        Ok(c)
    }

    /// Enums (and arrays of enums) are recognised from `pg_type`, so their names never
    /// depend on the session's search_path; everything else is read from `format_type`.
    /// The column's type, an array nested as deep as the dimensions PostgreSQL recorded
    /// (`attndims`). It records them from the declaration but does not enforce them, and some
    /// paths (`CREATE TABLE AS`) record none, so equality ignores them (`canonical_pg_type`):
    /// they are read only so a schema reads back as it was declared.
    fn column_type(&self, r: &RowReader<'_>) -> Result<Type, IntrospectError> {
        let ty = self.element_type(r)?;
        let dims = r.opt_int(23, "array dimensions")?.unwrap_or(0);
        Ok(match ty {
            Type::Array(elem) if dims > 1 => (0..dims).fold(*elem, |inner, _| Type::array(inner)),
            other => other,
        })
    }

    fn element_type(&self, r: &RowReader<'_>) -> Result<Type, IntrospectError> {
        let enum_ref =
            |kind: usize, schema: usize, name: usize| -> Result<Option<Type>, IntrospectError> {
                if r.opt(kind) != Some("e") {
                    return Ok(None);
                }
                Ok(Some(Type::Enum(EnumRef {
                    schema: self.options.local_schema(r.text(schema, "type schema")?),
                    name: r.text(name, "type name")?.to_string(),
                })))
            };
        if let Some(t) = enum_ref(13, 14, 15)? {
            return Ok(t);
        }
        if let Some(t) = enum_ref(16, 17, 18)? {
            return Ok(Type::array(t));
        }
        Ok(parse_pg_type(r.text(5, "format_type")?))
    }

    fn add_constraint_row(&mut self, r: &RowReader<'_>) -> Result<(), IntrospectError> {
        let schema = r.text(0, "schema")?;
        let name = r.text(2, "constraint name")?.to_string();
        let kind = r.code(3, "contype")?;
        let columns = r.list(4, "columns")?;
        let constraint = match kind {
            Some('p') => Constraint::Pk(PrimaryKey {
                conv: false,
                name: Some(name.clone()),
                columns,
                with: storage_parameters(r, 15)?,
            }),
            Some('u') => Constraint::Unique(Unique {
                conv: false,
                name: Some(name.clone()),
                columns,
                deferrable: deferrable(r)?,
                nulls_not_distinct: r.flag(13, "nulls not distinct")?,
                with: storage_parameters(r, 15)?,
            }),
            Some('c') => Constraint::Check(Check {
                conv: false,
                name: Some(name.clone()),
                expr: r.text(12, "check expression")?.to_string(),
            }),
            // Its elements, method, INCLUDE and WHERE come from the index behind it
            // (indexes.rs), attached by name once the index rows are read.
            Some('x') => Constraint::Exclude(Exclude {
                deferrable: deferrable(r)?,
                ..Exclude::new(name.clone(), Vec::new())
            }),
            Some('f') => {
                let ref_schema = r.text(5, "referenced schema")?;
                Constraint::Fk(ForeignKey {
                    conv: false,
                    name: Some(name.clone()),
                    columns,
                    // As a model spells it: no schema for the default one (an unqualified
                    // target means it), the name of any other.
                    ref_schema: self.options.local_schema(ref_schema),
                    ref_table: r.text(6, "referenced table")?.to_string(),
                    ref_columns: r.list(7, "referenced columns")?,
                    on_update: fk_action(r, 8, "ON UPDATE")?,
                    on_delete: fk_action(r, 9, "ON DELETE")?,
                    deferrable: deferrable(r)?,
                    match_type: fk_match(r)?,
                })
            }
            other => {
                let v = other.map(String::from).unwrap_or_default();
                return Err(r.unexpected(3, "contype", &v));
            }
        };
        let table = r.text(1, "table name")?;
        if self.options.is_excluded(table) {
            return Ok(());
        }
        match self.position(schema, table) {
            Some(i) => constraint.attach(&mut self.tables[i].table),
            // Its table's columns are still to come (another connection's query).
            None => self
                .early
                .push((schema.to_owned(), table.to_owned(), constraint)),
        }
        Ok(())
    }

    /// Gives each comment to its table or column, and each table its storage parameters and
    /// parents (the same query's options rows). One on a table the columns query did not
    /// return is an error, as a constraint's is; one on a column number the table has no
    /// column of is not the model's (none is kept on a dropped column).
    fn attach_comments(&mut self) -> Result<(), IntrospectError> {
        for c in std::mem::take(&mut self.comments) {
            let Some(i) = self.position(&c.schema, &c.table) else {
                return Err(IntrospectError::UnknownTable {
                    query: CatalogQuery::Comments.file_name(),
                    what: "a comment or storage parameters".to_owned(),
                    table: format!("{}.{}", c.schema, c.table),
                });
            };
            let pending = &mut self.tables[i];
            match c.fact {
                TableFact::Options { with, inherits } => {
                    pending.table.with = with;
                    pending.table.inherits = inherits;
                }
                TableFact::Comment { column: 0, text } => pending.table.comment = Some(text),
                TableFact::Comment { column, text } => {
                    if let Some(k) = pending.attnums.iter().position(|&n| n == column) {
                        pending.table.columns[k].comment = Some(text);
                    }
                }
            }
        }
        Ok(())
    }

    /// Attaches the constraints read before their tables; one whose table never came is
    /// the error it would have been when read.
    fn attach_early_constraints(&mut self) -> Result<(), IntrospectError> {
        for (schema, table, constraint) in std::mem::take(&mut self.early) {
            let what = || format!("constraint `{}`", constraint.name());
            if let Some(t) = self.table_of(CatalogQuery::Constraints, &schema, &table, what)? {
                constraint.attach(t);
            }
        }
        Ok(())
    }
}

enum Constraint {
    Pk(PrimaryKey),
    Unique(Unique),
    Check(Check),
    Fk(ForeignKey),
    Exclude(Exclude),
}

impl Constraint {
    fn attach(self, table: &mut Table) {
        match self {
            Constraint::Pk(pk) => table.primary_key = Some(pk),
            Constraint::Unique(u) => table.uniques.push(u),
            Constraint::Check(c) => table.checks.push(c),
            Constraint::Fk(fk) => table.foreign_keys.push(fk),
            Constraint::Exclude(x) => table.excludes.push(x),
        }
    }

    fn name(&self) -> &str {
        let name = match self {
            Constraint::Pk(pk) => pk.name.as_deref(),
            Constraint::Unique(u) => u.name.as_deref(),
            Constraint::Check(c) => c.name.as_deref(),
            Constraint::Fk(fk) => fk.name.as_deref(),
            Constraint::Exclude(x) => x.name.as_deref(),
        };
        name.unwrap_or_default()
    }
}

/// `confmatchtype`; `MATCH SIMPLE`, the default, reads back as `None`.
fn fk_match(r: &RowReader<'_>) -> Result<Option<FkMatch>, IntrospectError> {
    Ok(match r.code(14, "confmatchtype")? {
        None | Some('s') => None,
        Some('f') => Some(FkMatch::Full),
        Some('p') => Some(FkMatch::Partial),
        Some(other) => return Err(r.unexpected(14, "confmatchtype", &other.to_string())),
    })
}

/// `condeferrable` / `condeferred`, as unique and foreign keys have them.
fn deferrable(r: &RowReader<'_>) -> Result<Option<Deferrable>, IntrospectError> {
    Ok(
        match (r.flag(10, "deferrable")?, r.flag(11, "initially deferred")?) {
            (false, _) => None,
            (true, false) => Some(Deferrable::InitiallyImmediate),
            (true, true) => Some(Deferrable::InitiallyDeferred),
        },
    )
}

/// `confupdtype` / `confdeltype`; `NO ACTION`, the default, reads back as `None`.
fn fk_action(
    r: &RowReader<'_>,
    column: usize,
    what: &'static str,
) -> Result<Option<FkAction>, IntrospectError> {
    Ok(match r.code(column, what)? {
        None | Some('a') => None,
        Some('r') => Some(FkAction::Restrict),
        Some('c') => Some(FkAction::Cascade),
        Some('n') => Some(FkAction::SetNull),
        Some('d') => Some(FkAction::SetDefault),
        Some(other) => return Err(r.unexpected(column, what, &other.to_string())),
    })
}

/// Storage parameters as `reloptions` lists them (`{fillfactor=70}`), `(name, value)` each;
/// NULL is none.
pub(super) fn storage_parameters(
    r: &RowReader<'_>,
    column: usize,
) -> Result<Vec<(String, String)>, IntrospectError> {
    Ok(r.list(column, "storage parameters")?
        .into_iter()
        .map(|item| match item.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (item, "true".to_owned()),
        })
        .collect())
}
