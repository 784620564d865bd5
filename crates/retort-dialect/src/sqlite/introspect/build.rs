//! SQLite catalog rows -> [`MetaData`]: a pure function over the rows of the
//! [`SqliteCatalogQuery`]s and the `CREATE` texts they carry. See the module notes of
//! [`super`] for the conventions of the result.

use std::collections::BTreeMap;

use retort_core::{
    Check, Column, Computed, FkAction, ForeignKey, Identity, Index, IndexElement, MetaData,
    PrimaryKey, Table, Unique,
};

use super::rows::RowReader;
use super::schema_sql::{parse_create_index, parse_create_table, TableSql};
use super::values::{parse_sqlite_default, parse_sqlite_type};
use super::{IntrospectError, SqliteCatalogQuery, SqliteCatalogRows, SqliteIntrospectOptions};

/// Builds the schema model from the rows of every SQLite catalog query.
pub fn build_sqlite_metadata(
    rows: &SqliteCatalogRows,
    options: &SqliteIntrospectOptions,
) -> Result<MetaData, IntrospectError> {
    // BTreeMap: tables come out ordered by name whatever order the rows came in.
    let mut tables: BTreeMap<String, Pending> = BTreeMap::new();
    for row in &rows.columns {
        let r = RowReader::new(SqliteCatalogQuery::Columns, row)?;
        let name = r.text(0, "table name")?;
        if options.is_excluded(name) {
            continue;
        }
        if !tables.contains_key(name) {
            let sql = r.text(1, "CREATE TABLE text")?;
            let parsed = parse_create_table(sql).map_err(|e| {
                r.bad(
                    1,
                    "CREATE TABLE text",
                    format!("cannot be read: {} at byte {}", e.what, e.at),
                )
            })?;
            tables.insert(name.to_string(), Pending::new(name, parsed));
        }
        if let Some(p) = tables.get_mut(name) {
            p.add_column(&r)?;
        }
    }
    let mut fks: BTreeMap<(String, i64), Vec<FkRow>> = BTreeMap::new();
    for row in &rows.foreign_keys {
        let r = RowReader::new(SqliteCatalogQuery::ForeignKeys, row)?;
        let table = r.text(0, "table name")?;
        if options.is_excluded(table) {
            continue;
        }
        known(&r, &tables, table, || {
            format!("foreign key {}", r.opt(1).unwrap_or("?"))
        })?;
        fks.entry((table.to_string(), r.int(1, "key id")?))
            .or_default()
            .push(FkRow::read(&r)?);
    }
    let mut indexes: BTreeMap<(String, String), Vec<IndexRow>> = BTreeMap::new();
    for row in &rows.indexes {
        let r = RowReader::new(SqliteCatalogQuery::Indexes, row)?;
        let table = r.text(0, "table name")?;
        if options.is_excluded(table) {
            continue;
        }
        let index = r.text(1, "index name")?;
        known(&r, &tables, table, || format!("index `{index}`"))?;
        indexes
            .entry((table.to_string(), index.to_string()))
            .or_default()
            .push(IndexRow::read(&r)?);
    }

    // Each table by its name in any case (SQLite's names are case-insensitive), with its
    // name and columns as declared and its primary key: a `REFERENCES` clause may spell the
    // parent differently, and one that names no columns refers to the primary key.
    let parents: BTreeMap<String, Parent> = tables
        .iter()
        .map(|(name, p)| {
            let parent = Parent {
                name: name.clone(),
                columns: p.table.columns.iter().map(|c| c.name.clone()).collect(),
                primary_key: p.pk_columns(),
            };
            (name.to_ascii_lowercase(), parent)
        })
        .collect();
    for ((table, _id), mut columns) in fks {
        columns.sort_by_key(|c| c.seq);
        if let Some(p) = tables.get_mut(&table) {
            p.add_foreign_key(columns, &parents);
        }
    }
    for ((table, name), mut columns) in indexes {
        columns.sort_by_key(|c| c.seqno);
        if let Some(p) = tables.get_mut(&table) {
            p.add_index(name, columns)?;
        }
    }

    let mut md = MetaData::new();
    for (_, p) in tables {
        md.tables_mut().push(p.finish());
    }
    // Enum columns, stored as a VARCHAR with a check named after the type.
    crate::sqlite::enums::raise_enums(&mut md);
    Ok(md)
}

fn known<T>(
    r: &RowReader<'_>,
    tables: &BTreeMap<String, T>,
    table: &str,
    what: impl FnOnce() -> String,
) -> Result<(), IntrospectError> {
    if tables.contains_key(table) {
        return Ok(());
    }
    Err(IntrospectError::UnknownTable {
        query: r.query().file_name(),
        what: what(),
        table: table.to_string(),
    })
}

/// A table as a foreign key of another table sees it.
struct Parent {
    name: String,
    columns: Vec<String>,
    primary_key: Vec<String>,
}

impl Parent {
    /// The declared spelling of `column`, or `column` as given when the table lacks it.
    fn column(&self, column: &str) -> String {
        self.columns
            .iter()
            .find(|c| same_name(c, column))
            .cloned()
            .unwrap_or_else(|| column.to_string())
    }
}

fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_name(x, y))
}

struct Pending {
    table: Table,
    sql: TableSql,
    /// Per column: position, declared type text, primary-key position (0: not in it).
    positions: Vec<(i64, String, i64)>,
    /// Foreign keys and uniques with the position of their clause in the `CREATE TABLE`
    /// text (declaration order), `usize::MAX` when the text has none (then by id).
    fks: Vec<(usize, i64, ForeignKey)>,
    uniques: Vec<(usize, Unique)>,
}

struct FkRow {
    id: i64,
    seq: i64,
    ref_table: String,
    from: String,
    to: Option<String>,
    on_update: Option<FkAction>,
    on_delete: Option<FkAction>,
}

impl FkRow {
    fn read(r: &RowReader<'_>) -> Result<Self, IntrospectError> {
        let action =
            |column: usize, what: &'static str| -> Result<Option<FkAction>, IntrospectError> {
                let v = r.text(column, what)?;
                match FkAction::parse(v) {
                    Some(FkAction::NoAction) => Ok(None),
                    Some(a) => Ok(Some(a)),
                    None => Err(r.unexpected(column, what, v)),
                }
            };
        Ok(Self {
            id: r.int(1, "key id")?,
            seq: r.int(2, "column position")?,
            ref_table: r.text(3, "referenced table")?.to_string(),
            from: r.text(4, "column")?.to_string(),
            to: r.opt(5).map(str::to_string),
            on_update: action(6, "ON UPDATE")?,
            on_delete: action(7, "ON DELETE")?,
        })
    }
}

struct IndexRow {
    unique: bool,
    origin: String,
    partial: bool,
    seqno: i64,
    cid: i64,
    column: Option<String>,
    desc: bool,
    /// The collating sequence SQLite reports (`None` for BINARY, the default): the
    /// element's own or its column's. Used only when the `CREATE INDEX` text, which tells the
    /// two apart, is missing.
    collation: Option<String>,
    sql: Option<String>,
    /// The error for a `CREATE INDEX` text that cannot be tokenized, if it cannot.
    bad_sql: Option<IntrospectError>,
    /// The error for an expression column whose text is not there (named after this row).
    missing_expr: IntrospectError,
}

impl IndexRow {
    fn read(r: &RowReader<'_>) -> Result<Self, IntrospectError> {
        let sql = r.opt(9).map(str::to_string);
        // Kept for later: only an index that needs its text (an expression or a predicate)
        // fails on text that cannot be read.
        let bad_sql = sql
            .as_deref()
            .and_then(|s| parse_create_index(s).err())
            .map(|e| {
                r.bad(
                    9,
                    "CREATE INDEX text",
                    format!("cannot be read: {} at byte {}", e.what, e.at),
                )
            });
        Ok(Self {
            unique: r.flag(2, "unique")?,
            origin: r.text(3, "origin")?.to_string(),
            partial: r.flag(4, "partial")?,
            seqno: r.int(5, "column position")?,
            cid: r.int(6, "cid")?,
            column: r.opt(7).map(str::to_string),
            desc: r.flag(8, "desc")?,
            collation: r
                .opt(10)
                .filter(|c| !c.eq_ignore_ascii_case("BINARY"))
                .map(str::to_string),
            sql,
            bad_sql,
            missing_expr: r.bad(
                9,
                "CREATE INDEX text",
                "does not give the expression of an expression column",
            ),
        })
    }
}

impl Pending {
    fn new(name: &str, sql: TableSql) -> Self {
        Self {
            table: Table::new(name),
            sql,
            positions: Vec::new(),
            fks: Vec::new(),
            uniques: Vec::new(),
        }
    }

    fn add_column(&mut self, r: &RowReader<'_>) -> Result<(), IntrospectError> {
        let name = r.text(3, "column name")?;
        let declared = r.opt(4).unwrap_or("");
        let mut c = Column::new(name, parse_sqlite_type(declared));
        c.nullable = !r.flag(5, "not null")?;
        c.collation = self
            .sql
            .columns
            .iter()
            .find(|s| same_name(&s.name, name))
            .and_then(|s| s.collation.clone());
        match r.int(8, "hidden")? {
            0 => c.server_default = r.opt(6).map(parse_sqlite_default),
            hidden @ (2 | 3) => {
                let expr = self
                    .sql
                    .columns
                    .iter()
                    .find(|s| same_name(&s.name, name))
                    .and_then(|s| s.generated.clone())
                    .ok_or_else(|| {
                        r.bad(
                            1,
                            "CREATE TABLE text",
                            format!(
                                "does not give the expression of the generated column `{name}`"
                            ),
                        )
                    })?;
                c.computed = Some(Computed {
                    expr,
                    stored: hidden == 3,
                });
            }
            // 1 is a hidden column of a virtual table, which are not read.
            other => return Err(r.unexpected(8, "hidden", &other.to_string())),
        }
        self.positions.push((
            r.int(2, "column number")?,
            declared.to_string(),
            r.int(7, "primary key position")?,
        ));
        self.table.columns.push(c);
        Ok(())
    }

    fn pk_columns(&self) -> Vec<String> {
        let mut pk: Vec<(i64, &str)> = self
            .positions
            .iter()
            .zip(&self.table.columns)
            .filter(|((_, _, pk), _)| *pk > 0)
            .map(|((_, _, pk), c)| (*pk, c.name.as_str()))
            .collect();
        pk.sort();
        pk.into_iter().map(|(_, n)| n.to_string()).collect()
    }

    fn add_foreign_key(&mut self, rows: Vec<FkRow>, parents: &BTreeMap<String, Parent>) {
        let Some(first) = rows.first() else { return };
        let columns: Vec<String> = rows.iter().map(|r| r.from.clone()).collect();
        let parent = parents.get(&first.ref_table.to_ascii_lowercase());
        let given: Vec<String> = rows.iter().filter_map(|r| r.to.clone()).collect();
        // A key to a table that does not exist (SQLite allows it) keeps its text as given.
        let (ref_table, ref_columns) = match parent {
            Some(p) if given.len() == rows.len() => {
                (p.name.clone(), given.iter().map(|c| p.column(c)).collect())
            }
            Some(p) => (p.name.clone(), p.primary_key.clone()),
            None => (first.ref_table.clone(), given),
        };
        let mut fk = ForeignKey::new(columns, ref_table, ref_columns);
        fk.on_update = first.on_update;
        fk.on_delete = first.on_delete;
        // The first clause of the text with these columns and target that no key took yet.
        let taken: Vec<usize> = self.fks.iter().map(|(p, _, _)| *p).collect();
        let position = self.sql.foreign_keys.iter().enumerate().position(|(i, s)| {
            !taken.contains(&i)
                && same_names(&s.columns, &fk.columns)
                && same_name(&s.ref_table, &fk.ref_table)
        });
        if let Some(p) = position {
            fk.name = self.sql.foreign_keys[p].name.clone();
            fk.deferrable = self.sql.foreign_keys[p].deferrable;
            fk.match_type = self.sql.foreign_keys[p].match_type;
        }
        self.fks
            .push((position.unwrap_or(usize::MAX), first.id, fk));
    }

    fn add_index(&mut self, name: String, rows: Vec<IndexRow>) -> Result<(), IntrospectError> {
        let Some(first) = rows.first() else {
            return Ok(());
        };
        match first.origin.as_str() {
            // The primary key is read from table_xinfo's pk positions.
            "pk" => Ok(()),
            "u" => {
                let columns: Vec<String> = rows.iter().filter_map(|r| r.column.clone()).collect();
                let taken: Vec<usize> = self.uniques.iter().map(|(p, _)| *p).collect();
                let position = self
                    .sql
                    .uniques
                    .iter()
                    .enumerate()
                    .position(|(i, s)| !taken.contains(&i) && same_names(&s.columns, &columns));
                let mut unique = Unique::new(columns);
                unique.name = position.and_then(|p| self.sql.uniques[p].name.clone());
                self.uniques.push((position.unwrap_or(usize::MAX), unique));
                Ok(())
            }
            _ => {
                let needs_text = first.partial || rows.iter().any(|r| r.cid < 0);
                if let (true, Some(e)) = (needs_text, &first.bad_sql) {
                    return Err(e.clone());
                }
                let parsed = first
                    .sql
                    .as_deref()
                    .and_then(|s| parse_create_index(s).ok())
                    .unwrap_or_default();
                let mut elements = Vec::with_capacity(rows.len());
                for (i, row) in rows.iter().enumerate() {
                    let mut element = match (&row.column, row.cid) {
                        (Some(column), cid) if cid >= 0 => IndexElement::column(column.clone()),
                        _ => match parsed.elements.get(i) {
                            Some(Some(expr)) => IndexElement::expr(expr.clone()),
                            // The rowid (cid -1) named as itself.
                            Some(None) if row.cid == -1 => IndexElement::column("rowid"),
                            _ => return Err(row.missing_expr.clone()),
                        },
                    };
                    if row.desc {
                        element = element.desc();
                    }
                    // As written in the text (compared case-insensitively by SqliteCompare).
                    element.collation = match &first.sql {
                        Some(_) => parsed.collations.get(i).cloned().flatten(),
                        None => row.collation.clone(),
                    }
                    .filter(|c| !c.eq_ignore_ascii_case("BINARY"));
                    elements.push(element);
                }
                let mut index = Index::on(elements).name(name);
                index.unique = first.unique;
                if first.partial {
                    index.predicate = parsed.predicate;
                }
                self.table.indexes.push(index);
                Ok(())
            }
        }
    }

    fn finish(mut self) -> Table {
        let mut columns: Vec<((i64, String, i64), Column)> = self
            .positions
            .clone()
            .into_iter()
            .zip(self.table.columns)
            .collect();
        columns.sort_by_key(|((cid, _, _), _)| *cid);
        self.positions = columns.iter().map(|(p, _)| p.clone()).collect();
        self.table.columns = columns.into_iter().map(|(_, c)| c).collect();

        let pk = self.pk_columns();
        if !pk.is_empty() {
            if let [only] = pk.as_slice() {
                let autoincrement = self
                    .sql
                    .columns
                    .iter()
                    .any(|s| same_name(&s.name, only) && s.autoincrement);
                let declared_integer = self
                    .positions
                    .iter()
                    .zip(&self.table.columns)
                    .any(|((_, ty, _), c)| c.name == *only && ty.eq_ignore_ascii_case("INTEGER"));
                if autoincrement && declared_integer {
                    if let Some(c) = self.table.get_column_mut(only) {
                        c.identity = Some(Box::new(Identity::always()));
                        c.server_default = None;
                    }
                }
            }
            self.table.primary_key = Some(PrimaryKey {
                conv: false,
                name: self.sql.pk_name.clone(),
                columns: pk,
                with: Vec::new(),
            });
        }
        self.fks
            .sort_by_key(|(p, id, _)| (*p, std::cmp::Reverse(*id)));
        self.table.foreign_keys = self.fks.into_iter().map(|(_, _, fk)| fk).collect();
        self.uniques.sort_by_key(|(p, _)| *p);
        self.table.uniques = self.uniques.into_iter().map(|(_, u)| u).collect();
        self.table.checks = self
            .sql
            .checks
            .iter()
            .map(|c| Check {
                conv: false,
                name: c.name.clone(),
                expr: c.expr.clone(),
            })
            .collect();
        self.table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        self.table
    }
}
