//! Catalog rows -> [`MetaData`]: a pure function over the rows of the [`MysqlCatalogQuery`]s
//! (see the module notes of `introspect` for the conventions).

use std::collections::{BTreeMap, HashSet};

use retort_core::{
    Check, Column, Computed, FkAction, ForeignKey, Identity, Index, IndexElement, Literal,
    MetaData, PrimaryKey, ServerDefault, Table, Type, Unique,
};

use super::{
    Flavour, IntrospectError, MysqlCatalogQuery, MysqlCatalogRows, MysqlIntrospectOptions,
};
use crate::catalog_row::RowReader;

type Reader<'a> = RowReader<'a, MysqlCatalogQuery>;

struct PendingTable {
    table: Table,
    positions: Vec<i64>,
    collation: Option<String>,
}

struct Key {
    kind: String,
    update_rule: Option<String>,
    delete_rule: Option<String>,
    columns: Vec<KeyColumn>,
}

/// One column of a key, from `key_columns.sql`.
struct KeyColumn {
    position: i64,
    name: String,
    ref_schema: Option<String>,
    ref_table: Option<String>,
    ref_column: Option<String>,
    database: String,
}

#[derive(Default)]
struct IndexRows {
    unique: bool,
    method: String,
    /// (position, element); `None` for an element the model cannot say, with why.
    elements: Vec<(i64, Result<IndexElement, String>)>,
}

/// Builds the schema model from the rows of every catalog query.
pub fn build_mysql_metadata(
    rows: &MysqlCatalogRows,
    options: &MysqlIntrospectOptions,
) -> Result<MetaData, IntrospectError> {
    let mut tables: BTreeMap<String, PendingTable> = BTreeMap::new();
    for row in &rows.columns {
        let r = RowReader::new(MysqlCatalogQuery::Columns, row)?;
        let name = r.text(0, "table name")?;
        if options.is_excluded(name) {
            continue;
        }
        let t = tables
            .entry(name.to_owned())
            .or_insert_with(|| PendingTable {
                table: Table::new(name),
                positions: Vec::new(),
                collation: r.opt(10).map(str::to_owned),
                // The comment is the same on every row of the table.
            });
        if t.table.comment.is_none() {
            t.table.comment = r.opt(11).filter(|c| !c.is_empty()).map(str::to_owned);
        }
        let column = column(&r, options.flavour, t.collation.as_deref())?;
        t.positions.push(r.int(2, "ordinal position")?);
        t.table.columns.push(column);
    }

    // Keys: constraints, then their columns.
    let mut keys: BTreeMap<(String, String), Key> = BTreeMap::new();
    for row in &rows.constraints {
        let r = RowReader::new(MysqlCatalogQuery::Constraints, row)?;
        let table = r.text(0, "table name")?;
        if options.is_excluded(table) {
            continue;
        }
        known(
            &tables,
            MysqlCatalogQuery::Constraints,
            table,
            r.text(1, "constraint name")?,
        )?;
        keys.insert(
            (table.to_owned(), r.text(1, "constraint name")?.to_owned()),
            Key {
                kind: r.text(2, "constraint type")?.to_owned(),
                update_rule: r.opt(3).map(str::to_owned),
                delete_rule: r.opt(4).map(str::to_owned),
                columns: Vec::new(),
            },
        );
    }
    for row in &rows.key_columns {
        let r = RowReader::new(MysqlCatalogQuery::KeyColumns, row)?;
        let table = r.text(0, "table name")?;
        if options.is_excluded(table) {
            continue;
        }
        let name = r.text(1, "constraint name")?;
        let Some(key) = keys.get_mut(&(table.to_owned(), name.to_owned())) else {
            // A key of a kind the constraints query does not read: nothing to attach.
            continue;
        };
        key.columns.push(KeyColumn {
            position: r.int(3, "ordinal position")?,
            name: r.text(2, "column name")?.to_owned(),
            ref_schema: r.opt(4).map(str::to_owned),
            ref_table: r.opt(5).map(str::to_owned),
            ref_column: r.opt(6).map(str::to_owned),
            database: r.text(7, "current database")?.to_owned(),
        });
    }

    // Indexes, grouped.
    let mut indexes: BTreeMap<(String, String), IndexRows> = BTreeMap::new();
    for row in &rows.indexes {
        let r = RowReader::new(MysqlCatalogQuery::Indexes, row)?;
        let table = r.text(0, "table name")?;
        if options.is_excluded(table) {
            continue;
        }
        let name = r.text(1, "index name")?;
        known(&tables, MysqlCatalogQuery::Indexes, table, name)?;
        let ix = indexes
            .entry((table.to_owned(), name.to_owned()))
            .or_default();
        ix.unique = r.int(2, "non_unique")? == 0;
        ix.method = r.opt(7).unwrap_or("BTREE").to_owned();
        let element = match (r.opt(4), r.opt(5)) {
            (None, _) => Err("has an expression key part".to_owned()),
            (Some(c), Some(len)) => Err(format!(
                "indexes a prefix of column `{c}` ({len} characters)"
            )),
            (Some(c), None) => {
                let e = IndexElement::column(c);
                Ok(if r.opt(6) == Some("D") { e.desc() } else { e })
            }
        };
        ix.elements.push((r.int(3, "seq_in_index")?, element));
    }
    let mut index_done: HashSet<(String, String)> = HashSet::new();

    for ((table, name), mut key) in keys {
        let Some(t) = tables.get_mut(&table) else {
            continue;
        };
        key.columns.sort_by_key(|c| c.position);
        let columns: Vec<String> = key.columns.iter().map(|c| c.name.clone()).collect();
        match key.kind.as_str() {
            "PRIMARY KEY" => {
                t.table.primary_key = Some(PrimaryKey::new(columns));
                index_done.insert((table.clone(), name.clone()));
            }
            "UNIQUE" => {
                let ordered = indexes
                    .get(&(table.clone(), name.clone()))
                    .is_some_and(|ix| {
                        ix.elements
                            .iter()
                            .any(|(_, e)| e.as_ref().map_or(true, |e| e.order.is_some()))
                    });
                if !ordered {
                    t.table
                        .uniques
                        .push(Unique::new(columns).name(name.clone()));
                    index_done.insert((table.clone(), name.clone()));
                }
            }
            "FOREIGN KEY" => {
                let first = key.columns.first();
                let ref_table = first.and_then(|c| c.ref_table.clone()).unwrap_or_default();
                let ref_schema = first
                    .and_then(|c| c.ref_schema.clone())
                    .filter(|s| Some(s) != first.map(|c| &c.database));
                let ref_columns: Vec<String> = key
                    .columns
                    .iter()
                    .filter_map(|c| c.ref_column.clone())
                    .collect();
                let mut fk =
                    ForeignKey::new(columns.clone(), ref_table, ref_columns).name(name.clone());
                fk.ref_schema = ref_schema;
                fk.on_update = action(key.update_rule.as_deref(), options.flavour);
                fk.on_delete = action(key.delete_rule.as_deref(), options.flavour);
                // The index InnoDB made for the key, if it made one.
                for candidate in [name.clone(), columns.first().cloned().unwrap_or_default()] {
                    if let Some(ix) = indexes.get(&(table.clone(), candidate.clone())) {
                        let cols: Vec<&str> = ix
                            .elements
                            .iter()
                            .filter_map(|(_, e)| e.as_ref().ok())
                            .filter_map(|e| match &e.target {
                                retort_core::IndexTarget::Column(c) => Some(c.as_str()),
                                _ => None,
                            })
                            .collect();
                        if !ix.unique
                            && cols == columns.iter().map(String::as_str).collect::<Vec<_>>()
                        {
                            index_done.insert((table.clone(), candidate));
                            break;
                        }
                    }
                }
                t.table.foreign_keys.push(fk);
            }
            _ => {}
        }
    }

    for ((table, name), mut ix) in indexes {
        if index_done.contains(&(table.clone(), name.clone())) {
            continue;
        }
        let Some(t) = tables.get_mut(&table) else {
            continue;
        };
        ix.elements.sort_by_key(|e| e.0);
        let mut elements = Vec::new();
        for (_, e) in ix.elements {
            elements.push(e.map_err(|problem| IntrospectError::BadValue {
                query: MysqlCatalogQuery::Indexes.file_name(),
                object: format!("{table}.{name}"),
                column: 4,
                what: "index element",
                problem: format!(
                    "{problem}, which Retort's model cannot say yet; drop or replace the index \
                     (or leave the table out of introspection)"
                ),
            })?);
        }
        let mut index = Index::on(elements).name(name);
        if ix.unique {
            index = index.unique();
        }
        if !ix.method.eq_ignore_ascii_case("BTREE") {
            index.method = Some(ix.method.to_ascii_lowercase());
        }
        t.table.indexes.push(index);
    }

    for row in &rows.checks {
        let r = RowReader::new(MysqlCatalogQuery::Checks, row)?;
        let table = r.text(0, "table name")?;
        if options.is_excluded(table) {
            continue;
        }
        let name = r.text(1, "constraint name")?;
        let clause = r.text(2, "check clause")?;
        known(&tables, MysqlCatalogQuery::Checks, table, name)?;
        let Some(t) = tables.get_mut(table) else {
            continue;
        };
        // MariaDB's JSON: LONGTEXT with the column check `json_valid(`col`)`.
        if let Some(col) = t.table.columns.iter_mut().find(|c| c.name == name) {
            let json_check = format!("json_valid(`{}`)", name.replace('`', "``"));
            if clause.trim() == json_check
                && matches!(&col.ty, Type::Custom(ty) if ty.eq_ignore_ascii_case("longtext"))
            {
                col.ty = Type::Json;
                col.collation = None;
                continue;
            }
        }
        t.table.checks.push(Check {
            conv: false,
            name: Some(name.to_owned()),
            expr: bare_names(clause),
        });
    }

    let mut md = MetaData::new();
    for (_, mut t) in tables {
        let mut order: Vec<usize> = (0..t.table.columns.len()).collect();
        order.sort_by_key(|&i| t.positions[i]);
        let columns = std::mem::take(&mut t.table.columns);
        let mut columns: Vec<Option<Column>> = columns.into_iter().map(Some).collect();
        t.table.columns = order.iter().filter_map(|&i| columns[i].take()).collect();
        t.table.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.table.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        t.table.checks.sort_by(|a, b| a.name.cmp(&b.name));
        t.table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        md.add_table(t.table);
    }
    Ok(md)
}

fn known(
    tables: &BTreeMap<String, PendingTable>,
    query: MysqlCatalogQuery,
    table: &str,
    what: &str,
) -> Result<(), IntrospectError> {
    if tables.contains_key(table) {
        Ok(())
    } else {
        Err(IntrospectError::UnknownTable {
            query: query.file_name(),
            what: what.to_owned(),
            table: table.to_owned(),
        })
    }
}

/// A referential action. MariaDB reports `RESTRICT` for a key given none, and InnoDB's
/// `RESTRICT` is its `NO ACTION` (both check at once): there it is read as no action, so
/// an op's old key says what the user wrote rather than `RESTRICT` twice.
fn action(rule: Option<&str>, flavour: Flavour) -> Option<FkAction> {
    match rule? {
        "CASCADE" => Some(FkAction::Cascade),
        "SET NULL" => Some(FkAction::SetNull),
        "SET DEFAULT" => Some(FkAction::SetDefault),
        "RESTRICT" if flavour == Flavour::Mysql => Some(FkAction::Restrict),
        _ => None,
    }
}

/// `expr` (a check, generated column or default as the server prints it) with the
/// backticks MySQL puts around every name taken off those that need none, so an op's old
/// expression reads as a user writes it (`price > 0`, not `` `price` > 0 ``).
pub(super) fn bare_names(expr: &str) -> String {
    use crate::Dialect as _;
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(c) = rest.chars().next() {
        match c {
            '\'' | '"' => {
                // To the closing quote; a doubled or backslashed one does not close.
                let mut end = rest.len();
                let mut chars = rest.char_indices().skip(1).peekable();
                while let Some((i, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        if chars.peek().map(|(_, n)| *n) == Some(c) {
                            chars.next();
                        } else {
                            end = i + 1;
                            break;
                        }
                    }
                }
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '`' => {
                let mut name = String::new();
                let mut end = rest.len();
                let mut chars = rest.char_indices().skip(1).peekable();
                while let Some((i, d)) = chars.next() {
                    if d == '`' {
                        if chars.peek().map(|(_, n)| *n) == Some('`') {
                            chars.next();
                            name.push('`');
                            continue;
                        }
                        end = i + 1;
                        break;
                    }
                    name.push(d);
                }
                match crate::Mysql.quote_identifier(&name) {
                    Ok(q) if q == name => out.push_str(&name),
                    _ => out.push_str(&rest[..end]),
                }
                rest = &rest[end..];
            }
            c => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

fn column(
    r: &Reader<'_>,
    flavour: Flavour,
    table_collation: Option<&str>,
) -> Result<Column, IntrospectError> {
    let name = r.text(1, "column name")?;
    let data_type = r.text(3, "data type")?.to_ascii_lowercase();
    let column_type = r.text(4, "column type")?;
    let ty = parse_type(r, &data_type, column_type)?;
    let extra = r.opt(7).unwrap_or("").to_ascii_lowercase();
    let mut column = Column::new(name, ty);
    column.nullable = r.text(5, "is_nullable")? == "YES";
    if let Some(expr) = r.opt(16).filter(|e| !e.trim().is_empty()) {
        column.computed = Some(Computed {
            expr: bare_names(expr),
            stored: extra.contains("stored"),
        });
    } else if extra.contains("auto_increment") {
        column.identity = Some(Box::new(Identity::by_default()));
    } else {
        column.server_default = default(r.opt(6), &extra, &column.ty, flavour);
    }
    column.comment = r.opt(8).filter(|c| !c.is_empty()).map(str::to_owned);
    column.collation = r
        .opt(9)
        .filter(|c| Some(*c) != table_collation)
        .map(str::to_owned);
    Ok(column)
}

fn parse_type(r: &Reader<'_>, data_type: &str, column_type: &str) -> Result<Type, IntrospectError> {
    let ct = column_type.to_ascii_lowercase();
    let unsigned = ct.contains("unsigned") || ct.contains("zerofill");
    let n = |i: usize, what: &'static str| -> Result<Option<u32>, IntrospectError> {
        Ok(r.opt_int(i, what)?.and_then(|v| u32::try_from(v).ok()))
    };
    Ok(match data_type {
        "tinyint" if ct == "tinyint(1)" => Type::Boolean,
        "smallint" if !unsigned => Type::SmallInt,
        "int" if !unsigned => Type::Integer,
        "bigint" if !unsigned => Type::BigInt,
        "float" if ct == "float" => Type::Real,
        "double" if ct == "double" => Type::Double,
        "decimal" if !unsigned => Type::Numeric {
            precision: n(12, "numeric precision")?,
            scale: n(13, "numeric scale")?,
        },
        "varchar" => Type::Varchar(n(14, "character maximum length")?),
        "char" => Type::Char(n(14, "character maximum length")?),
        "text" => Type::Text,
        "blob" => Type::Binary,
        "json" => Type::Json,
        "date" => Type::Date,
        "datetime" if n(15, "datetime precision")? == Some(super::super::TIME_PRECISION) => {
            Type::Timestamp { tz: false }
        }
        "time" if n(15, "datetime precision")? == Some(super::super::TIME_PRECISION) => {
            Type::Time { tz: false }
        }
        "enum" => Type::Custom(enum_spelled(column_type).unwrap_or_else(|| column_type.to_owned())),
        _ => Type::Custom(column_type.to_owned()),
    })
}

/// `enum('a','It''s')` as the dialect writes an inline enum (`ENUM('a', 'It''s')`), so an
/// op's old type reads like its new one; `None` when the text is not such a list.
fn enum_spelled(column_type: &str) -> Option<String> {
    let body = column_type
        .strip_prefix("enum(")
        .or_else(|| column_type.strip_prefix("ENUM("))?
        .strip_suffix(')')?;
    let mut values = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                '\\' => value.push(chars.next()?),
                c => value.push(c),
            }
        }
        values.push(value);
        match chars.next() {
            None => break,
            Some(',') => continue,
            Some(_) => return None,
        }
    }
    super::super::types::enum_type(&crate::Mysql, &values).ok()
}

/// A default as the catalog prints it (see the module notes).
fn default(raw: Option<&str>, extra: &str, ty: &Type, flavour: Flavour) -> Option<ServerDefault> {
    let raw = raw?;
    if raw.eq_ignore_ascii_case("NULL") && flavour == Flavour::MariaDb {
        return None;
    }
    if let Some(text) = raw.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Some(ServerDefault::Literal(Literal::Text(unescape(text))));
    }
    if extra.contains("default_generated") {
        return Some(ServerDefault::Expr(bare_names(raw)));
    }
    if crate::ansi::quote::is_number(raw) {
        return Some(ServerDefault::Literal(match (raw.parse::<i64>(), ty) {
            // A boolean's default is stored as the TINYINT(1) it is.
            (Ok(0), Type::Boolean) => Literal::Bool(false),
            (Ok(1), Type::Boolean) => Literal::Bool(true),
            (Ok(i), _) => Literal::Int(i),
            (Err(_), _) => Literal::Number(raw.to_owned()),
        }));
    }
    match flavour {
        // MariaDB quotes every literal: what is left is an expression.
        Flavour::MariaDb => Some(ServerDefault::Expr(bare_names(raw))),
        // MySQL 8 prints literals bare and marks expressions.
        Flavour::Mysql => {
            let _ = ty;
            Some(ServerDefault::Literal(Literal::Text(raw.to_owned())))
        }
    }
}

/// MariaDB's quoted default text: `''` and backslash escapes undone.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some('Z') => out.push('\x1a'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}
