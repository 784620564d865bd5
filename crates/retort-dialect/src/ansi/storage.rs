//! Storage parameters (`WITH (..)`) and table inheritance (`INHERITS (..)`): PostgreSQL's,
//! refused by name everywhere else. The defaults of [`Dialect::storage_clause`],
//! [`Dialect::inherits_clause`], [`Dialect::inherit`] and [`Dialect::set_storage`] live here,
//! with PostgreSQL's spelling beside them.

use retort_core::{Table, TableRef};

use crate::{Dialect, DialectError, TableName};

type Result<T> = std::result::Result<T, DialectError>;

/// The default: no storage parameters; empty is nothing, anything else is refused naming
/// `what` (`table \`t\``, `index \`ix\` on \`t\``).
pub fn no_storage<D: Dialect + ?Sized>(
    d: &D,
    with: &[(String, String)],
    what: &str,
) -> Result<String> {
    if with.is_empty() {
        return Ok(String::new());
    }
    Err(DialectError::unsupported(
        d.name(),
        format!(
            "storage parameters WITH ({}) of {what}",
            with.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "storage parameters are PostgreSQL's: drop `with` from the model for this database",
    ))
}

/// The default: no table inheritance; a table with parents is refused by name.
pub fn no_inherits<D: Dialect + ?Sized>(d: &D, table: &Table) -> Result<String> {
    if table.inherits.is_empty() && !table.columns.iter().any(|c| c.inherited) {
        return Ok(String::new());
    }
    Err(no_inheritance(d, &table.qualified_name()))
}

/// Table `table` inherits, where the database has no inheritance.
pub fn no_inheritance<D: Dialect + ?Sized>(d: &D, table: &str) -> DialectError {
    DialectError::unsupported(
        d.name(),
        format!("table inheritance (INHERITS) of table `{table}`"),
        "table inheritance is PostgreSQL's: give the table its own columns and drop `inherits` \
         (and `inherited`) from the model for this database",
    )
}

/// `WITH (name='value', ..)`, each name checked (letters, digits, `_` and `.`: PostgreSQL's
/// `toast.autovacuum_enabled`) and each value a string literal, as `pg_dump` writes them.
pub fn with_clause<D: Dialect + ?Sized>(
    d: &D,
    with: &[(String, String)],
    what: &str,
) -> Result<String> {
    if with.is_empty() {
        return Ok(String::new());
    }
    let mut items = Vec::new();
    for (name, value) in with {
        items.push(format!(
            "{}={}",
            parameter_name(d, name, what)?,
            d.string_literal(value)?
        ));
    }
    Ok(format!(" WITH ({})", items.join(", ")))
}

fn parameter_name<D: Dialect + ?Sized>(d: &D, name: &str, what: &str) -> Result<String> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if ok {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(DialectError::unsupported(
            d.name(),
            format!("the storage parameter name `{name}` of {what}"),
            "a storage parameter is named with letters, digits, `_` and `.` only",
        ))
    }
}

/// `INHERITS (parent, ..)` after a `CREATE TABLE`'s closing parenthesis, or nothing.
pub fn inherits_clause<D: Dialect + ?Sized>(d: &D, table: &Table) -> Result<String> {
    if table.inherits.is_empty() {
        return Ok(String::new());
    }
    let parents: Result<Vec<String>> = table
        .inherits
        .iter()
        .map(|p| d.qualified_name(p.schema.as_deref(), &p.name))
        .collect();
    Ok(format!("\nINHERITS ({})", parents?.join(", ")))
}

/// `ALTER TABLE t [NO] INHERIT parent`.
pub fn inherit<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    parent: &TableRef,
    inherit: bool,
) -> Result<String> {
    Ok(format!(
        "ALTER TABLE {} {}INHERIT {}",
        d.table_name(table)?,
        if inherit { "" } else { "NO " },
        d.qualified_name(parent.schema.as_deref(), &parent.name)?
    ))
}

/// The table, or its index `index`, whose storage parameters change, in words for an error.
pub(crate) fn storage_target(table: TableName<'_>, index: Option<&str>) -> String {
    match index {
        None => format!("table `{}`", table.name),
        Some(i) => format!("index `{i}` on `{}`", table.name),
    }
}

/// `ALTER TABLE t` / `ALTER INDEX i` `SET (..)` for what `with` sets or changes and
/// `RESET (..)` for what `existing` had and `with` lacks; nothing when they agree.
pub fn set_storage<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    index: Option<&str>,
    with: &[(String, String)],
    existing: Option<&[(String, String)]>,
) -> Result<Vec<String>> {
    let what = storage_target(table, index);
    let target = match index {
        None => format!("ALTER TABLE {}", d.table_name(table)?),
        Some(i) => format!("ALTER INDEX {}", d.qualified_name(table.schema, i)?),
    };
    let old = existing.unwrap_or(&[]);
    let set: Vec<(String, String)> = with.iter().filter(|p| !old.contains(p)).cloned().collect();
    let mut out = Vec::new();
    if !set.is_empty() {
        let clause = with_clause(d, &set, &what)?;
        out.push(format!("{target} SET{}", &clause[" WITH".len()..]));
    }
    let reset: Result<Vec<String>> = old
        .iter()
        .filter(|(k, _)| !with.iter().any(|(n, _)| n == k))
        .map(|(k, _)| parameter_name(d, k, &what))
        .collect();
    let reset = reset?;
    if !reset.is_empty() {
        out.push(format!("{target} RESET ({})", reset.join(", ")));
    }
    Ok(out)
}

/// Refuses, naming it, what a dialect without inheritance or storage parameters cannot
/// create for `table`: its parents, inherited columns, and the parameters of the table,
/// its keys and its indexes. For the `CREATE TABLE` of a dialect that writes its own.
pub fn refuse_postgres_only<D: Dialect + ?Sized>(d: &D, table: &Table) -> Result<()> {
    let q = table.qualified_name();
    d.inherits_clause(table)?;
    d.storage_clause(&table.with, &format!("table `{q}`"))?;
    if let Some(pk) = &table.primary_key {
        d.storage_clause(&pk.with, &format!("the primary key of `{q}`"))?;
    }
    for u in &table.uniques {
        d.storage_clause(
            &u.with,
            &format!("the unique constraint ({}) of `{q}`", u.columns.join(", ")),
        )?;
    }
    for i in &table.indexes {
        d.storage_clause(
            &i.with,
            &format!(
                "index `{}` on `{q}`",
                i.name.as_deref().unwrap_or("(unnamed)")
            ),
        )?;
    }
    Ok(())
}
