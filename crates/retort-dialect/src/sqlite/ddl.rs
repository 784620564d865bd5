//! SQLite's spelling of tables, columns, defaults, keys and indexes, where it differs from
//! the standard defaults in [`crate::ansi::ddl`].
//!
//! * Identity: SQLite generates keys only for a rowid alias, a column declared exactly
//!   `INTEGER PRIMARY KEY`. An identity column that is its table's whole primary key is
//!   written inline as `INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT` (AUTOINCREMENT so that
//!   ids of deleted rows are never reused, as a sequence never reuses them), and the
//!   table-level `PRIMARY KEY (..)` is then left out. A `SMALLINT`/`BIGINT` identity is
//!   written `INTEGER` too: SQLite integers are 64-bit whatever the name, and only
//!   `INTEGER` makes the alias. `ALWAYS` and `BY DEFAULT` mean the same here (SQLite always
//!   accepts an explicit id). Identity anywhere else, or with a start or increment, is
//!   `Unsupported`. A serial column is the same thing here (its sequence's name is
//!   PostgreSQL's business) and is written, and read back, as that identity.
//! * Defaults: an expression is written in parentheses (`DEFAULT (CURRENT_TIMESTAMP)`),
//!   which SQLite requires for anything but a literal. PostgreSQL's spellings of "now"
//!   (`now()`, `current_timestamp`, `transaction_timestamp()`, `statement_timestamp()`,
//!   `clock_timestamp()`) mean nothing to SQLite and are written `CURRENT_TIMESTAMP`
//!   (UTC text, `YYYY-MM-DD HH:MM:SS`), so a model written for PostgreSQL runs here.
//! * Foreign keys: SQLite's `REFERENCES` takes a bare table name (the parent is always in
//!   the child's database), so a key to a table of another schema is `Unsupported`.
//! * Indexes: a schema qualifies the index name, not the table (`CREATE INDEX s.ix ON t`);
//!   no `USING`, operator classes, `NULLS FIRST`, `INCLUDE`, or unnamed indexes.
//! * Comments: SQLite has none. `create_all` leaves them out (they are documentation); the
//!   comment statements themselves are `Unsupported`, and comment operations render as no
//!   SQL at all (see `render`).
//! * `create_all` keeps every foreign key inside its `CREATE TABLE`, cycles included:
//!   SQLite cannot `ALTER TABLE .. ADD CONSTRAINT`, and it does not need to, since it
//!   resolves a `REFERENCES` only when rows are written.

use retort_core::{sort_tables, Column, ForeignKey, Index, MetaData, ServerDefault, Table};

use crate::{ansi, Dialect, DialectError, TableName};

use super::types::lower_enums;

type Result<T> = std::result::Result<T, DialectError>;

/// PostgreSQL expressions for "the current time" that SQLite spells `CURRENT_TIMESTAMP`,
/// compared lower-cased with whitespace removed.
const NOW_SPELLINGS: &[&str] = &[
    "now()",
    "current_timestamp",
    "current_timestamp()",
    "transaction_timestamp()",
    "statement_timestamp()",
    "clock_timestamp()",
];

/// The SQLite spelling of a default expression (see the module notes on "now").
pub fn default_expr(sql: &str) -> &str {
    let squashed: String = sql
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if NOW_SPELLINGS.contains(&squashed.as_str()) {
        "CURRENT_TIMESTAMP"
    } else {
        sql.trim()
    }
}

pub fn default_clause<D: Dialect + ?Sized>(d: &D, default: &ServerDefault) -> Result<String> {
    Ok(match default {
        ServerDefault::Expr(sql) => format!("DEFAULT ({})", default_expr(sql)),
        ServerDefault::Literal(lit) => format!("DEFAULT {}", d.literal(lit)?),
        ServerDefault::Variant { .. } => return ansi::ddl::variant_default_clause(d, default),
    })
}

/// A column that is not a table's rowid identity (that one is written by [`create_table`]).
pub fn column_definition<D: Dialect + ?Sized>(d: &D, column: &Column) -> Result<String> {
    if column.identity.is_some() || column.serial.is_some() {
        return Err(DialectError::unsupported(
            d.name(),
            format!(
                "identity column `{}` outside its table's single-column primary key",
                column.name
            ),
            "SQLite generates values only for an INTEGER PRIMARY KEY: make the column the \
             table's whole primary key, or drop the identity",
        ));
    }
    ansi::ddl::column_definition(d, column)
}

/// The column that becomes the table's `INTEGER PRIMARY KEY AUTOINCREMENT`, if any; an
/// identity SQLite cannot express is an error naming the table and column.
pub fn rowid_identity<'t, D: Dialect + ?Sized>(
    d: &D,
    table: &'t Table,
) -> Result<Option<&'t Column>> {
    let mut found = None;
    let generated = |c: &&Column| c.identity.is_some() || c.serial.is_some();
    for column in table.columns.iter().filter(generated) {
        let sole_pk = table
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.len() == 1 && pk.columns[0] == column.name);
        let what = format!(
            "the identity column `{}.{}`",
            table.qualified_name(),
            column.name
        );
        if !sole_pk {
            return Err(DialectError::unsupported(
                d.name(),
                what + " (it is not the table's whole primary key)",
                "SQLite generates values only for an INTEGER PRIMARY KEY: make it the only \
                 primary key column, or drop the identity",
            ));
        }
        let options = column.identity.as_ref().is_some_and(|i| i.has_options())
            || column
                .serial
                .as_ref()
                .is_some_and(|s| s.options.has_options());
        {
            if options {
                return Err(DialectError::unsupported(
                    d.name(),
                    what + " with sequence options (start, increment, minvalue, maxvalue, cycle, cache)",
                    "AUTOINCREMENT counts from 1 by 1 up to the largest 64-bit integer: drop the options",
                ));
            }
        }
        found = Some(column);
    }
    Ok(found)
}

/// `name INTEGER NOT NULL [CONSTRAINT pk] PRIMARY KEY AUTOINCREMENT`.
fn rowid_column<D: Dialect + ?Sized>(d: &D, table: &Table, column: &Column) -> Result<String> {
    let constraint = match table.primary_key.as_ref().and_then(|pk| pk.name.as_deref()) {
        Some(name) => format!("CONSTRAINT {} ", d.quote_identifier(name)?),
        None => String::new(),
    };
    Ok(format!(
        "{} INTEGER NOT NULL {constraint}PRIMARY KEY AUTOINCREMENT",
        d.quote_identifier(&column.name)?
    ))
}

/// `CREATE TABLE t (..)`: as the standard, but with the rowid identity inline and no
/// table without columns (SQLite requires one).
pub fn create_table<D: Dialect + ?Sized>(d: &D, table: &Table) -> Result<String> {
    crate::ansi::storage::refuse_postgres_only(d, table)?;
    if table.columns.is_empty() {
        return Err(DialectError::unsupported(
            d.name(),
            format!("a table without columns (`{}`)", table.qualified_name()),
            "give the table its columns in create_table",
        ));
    }
    let rowid = rowid_identity(d, table)?;
    let mut items = Vec::new();
    for column in &table.columns {
        match rowid {
            Some(r) if r.name == column.name => items.push(rowid_column(d, table, column)?),
            _ => items.push(d.column_definition(column)?),
        }
    }
    if let (Some(pk), None) = (&table.primary_key, rowid) {
        items.push(d.primary_key_clause(pk)?);
    }
    for fk in &table.foreign_keys {
        items.push(d.foreign_key_clause(table.schema.as_deref(), fk)?);
    }
    for unique in &table.uniques {
        items.push(d.unique_clause(unique)?);
    }
    for check in &table.checks {
        items.push(d.check_clause(check)?);
    }
    // SQLite has none: the dialect's clause refuses, naming the table and constraint.
    for exclude in &table.excludes {
        items.push(d.exclude_clause(&table.name, exclude)?);
    }
    Ok(format!(
        "CREATE TABLE {} (\n    {}\n)",
        d.qualified_name(table.schema.as_deref(), &table.name)?,
        items.join(",\n    ")
    ))
}

/// The standard clause with a bare `REFERENCES` table (see the module notes).
pub fn foreign_key_clause<D: Dialect + ?Sized>(
    d: &D,
    table_schema: Option<&str>,
    fk: &ForeignKey,
) -> Result<String> {
    // SQLite resolves a bare `REFERENCES` in the referring table's own database file, so an
    // unqualified target can only be written there; one in another file cannot be at all.
    if let Some(target_schema) = fk.ref_schema.as_deref() {
        if Some(target_schema) != table_schema {
            return Err(DialectError::unsupported(
                d.name(),
                format!(
                    "the foreign key ({}) to `{target_schema}.{}` in another schema",
                    fk.columns.join(", "),
                    fk.ref_table
                ),
                "SQLite keys refer only to tables of the same database file: move the \
                 tables together, or drop the key",
            ));
        }
    }
    // `MATCH FULL` is written as the model says: SQLite parses `MATCH name` and checks every
    // key as `MATCH SIMPLE` all the same, but keeps the clause in the `CREATE TABLE` text it
    // stores, which is where the read takes it from (its pragma says `NONE`). Refusing it
    // would leave a model read from such a database unable to create or rebuild its table.
    let mut bare = fk.clone();
    bare.ref_schema = None;
    ansi::ddl::foreign_key_clause(d, None, &bare)
}

/// `CREATE [UNIQUE] INDEX [schema.]name ON table (..) [WHERE ..]`.
pub fn create_index<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    index: &Index,
) -> Result<String> {
    d.storage_clause(
        &index.with,
        &format!(
            "index `{}` on `{}`",
            index.name.as_deref().unwrap_or("(unnamed)"),
            table.name
        ),
    )?;
    if index.nulls_not_distinct {
        return Err(DialectError::unsupported(
            d.name(),
            format!(
                "NULLS NOT DISTINCT on the index {}",
                index.name.as_deref().unwrap_or("(unnamed)")
            ),
            "SQLite lets NULLs repeat in a unique index; index `coalesce(column, <a value \
             never stored>)` instead",
        ));
    }
    let features = ansi::ddl::IndexFeatures {
        predicate: true,
        collation: true,
        ..Default::default()
    };
    let sql = ansi::ddl::create_index(d, TableName::new(None, table.name), index, features)?;
    let (Some(schema), Some(name)) = (table.schema, index.name.as_deref()) else {
        return Ok(sql);
    };
    // The standard rendering is `CREATE [UNIQUE] INDEX <name> ON ..`; qualify the name.
    let head = if index.unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    };
    let bare = format!("{head}{} ", d.quote_identifier(name)?);
    match sql.strip_prefix(&bare) {
        Some(rest) => Ok(format!(
            "{head}{} {rest}",
            d.qualified_name(Some(schema), name)?
        )),
        None => Ok(sql),
    }
}

/// Tables in foreign-key order with every key inline, then indexes; no comments.
pub fn create_all<D: Dialect + ?Sized>(
    d: &D,
    given: &MetaData,
    validated: bool,
) -> Result<Vec<String>> {
    let md = &*given.for_dialect(d.kind());
    crate::create_all::validate_form(md, given, validated)?;
    let order = sort_tables(md);
    let mut out = Vec::new();
    for &i in &order.tables {
        let table = lower_enums(d, md, &md.tables()[i])?;
        out.push(d.create_table(&table)?);
    }
    for &i in &order.tables {
        let table = &md.tables()[i];
        for index in &table.indexes {
            out.push(d.create_index(TableName::of(table), index)?);
        }
    }
    out.extend(crate::create_all::create_entities(d, md)?);
    Ok(out)
}

/// Tables in reverse foreign-key order (their indexes go with them).
pub fn drop_all<D: Dialect + ?Sized>(d: &D, md: &MetaData) -> Result<Vec<String>> {
    let md = &*md.for_dialect(d.kind());
    md.validate()?;
    let order = sort_tables(md);
    let mut out = crate::create_all::drop_entities(d, md)?;
    for &i in order.tables.iter().rev() {
        out.push(d.drop_table(TableName::of(&md.tables()[i]))?);
    }
    Ok(out)
}
