//! MySQL's DDL where it differs from the standard's: column definitions with `AUTO_INCREMENT`,
//! `COMMENT` and MySQL's default spellings, `CREATE TABLE` with table options and every
//! constraint named, keys on TEXT/BLOB columns refused, and `create_all` / `drop_all`.
//!
//! * Comments are part of a column's definition and a table option (`COMMENT '..'`,
//!   `COMMENT = '..'`): MySQL has no `COMMENT ON`. A column's comment is changed by
//!   restating the column (`MODIFY COLUMN`, see `ops`).
//! * Unnamed foreign keys, unique constraints and checks get PostgreSQL's names
//!   (`t_col_fkey`, `t_col_key`, `t_col_check`), the names [`super::MysqlCompare`] expects:
//!   MySQL's own (`t_ibfk_1`, the column's name, `CONSTRAINT_1`) depend on what the table
//!   had before, so a migration could not name what to drop. A primary key is always
//!   `PRIMARY`; its model name is not written.
//! * Defaults: an expression is written in parentheses (`DEFAULT (expr)`, MySQL 8.0.13+ and
//!   MariaDB 10.2+), except the current time, written `CURRENT_TIMESTAMP(6)` on a
//!   `DATETIME(6)` (MySQL requires the column's precision); a text literal on a TEXT, BLOB or
//!   JSON column is written in parentheses too (MySQL refuses a bare literal there).

use retort_core::ops::Constraint;
use retort_core::{
    sort_tables, Check, Column, ForeignKey, IndexTarget, Literal, MetaData, ServerDefault, Table,
    Type, Unique,
};

use crate::ansi;
use crate::{Dialect, DialectError, TableName};

use super::types::TIME_PRECISION;

type Result<T> = std::result::Result<T, DialectError>;

/// Whether `expr` is the current time in one of its spellings (`now()`,
/// `CURRENT_TIMESTAMP`, `current_timestamp()` as MariaDB prints it, `LOCALTIMESTAMP`, with
/// or without a precision).
pub fn is_current_timestamp(expr: &str) -> bool {
    let e: String = expr
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let e = e.trim_start_matches('(').trim_end_matches(')');
    let base = match e.find('(') {
        Some(i) if e[i + 1..].chars().all(|c| c.is_ascii_digit()) => &e[..i],
        Some(_) => return false,
        None => e,
    };
    matches!(
        base,
        "now" | "current_timestamp" | "localtimestamp" | "localtime"
    )
}

/// The `DEFAULT ..` of a column of type `ty` (see the module notes).
pub fn default_clause<D: Dialect + ?Sized>(
    d: &D,
    default: &ServerDefault,
    ty: &Type,
) -> Result<String> {
    let blob_like = matches!(ty, Type::Text | Type::Binary | Type::Json | Type::Jsonb)
        || matches!(ty, Type::Custom(t) if {
            let t = t.to_ascii_lowercase();
            t.contains("text") || t.contains("blob") || t.starts_with("json")
        });
    Ok(match default {
        ServerDefault::Expr(sql) if is_current_timestamp(sql) => match ty {
            Type::Timestamp { .. } => format!("DEFAULT CURRENT_TIMESTAMP({TIME_PRECISION})"),
            _ => "DEFAULT CURRENT_TIMESTAMP".into(),
        },
        ServerDefault::Expr(sql) => {
            let sql = sql.trim();
            if sql.starts_with('(')
                && crate::sql_text::without_terminator(sql) == sql
                && encloses(sql)
            {
                format!("DEFAULT {sql}")
            } else {
                format!("DEFAULT ({sql})")
            }
        }
        ServerDefault::Literal(Literal::Null) => "DEFAULT NULL".into(),
        // SQLAlchemy's `server_default="true"`: PostgreSQL reads the text as a boolean,
        // MySQL's TINYINT(1) would refuse it.
        ServerDefault::Literal(Literal::Text(t))
            if *ty == Type::Boolean && text_bool(t).is_some() =>
        {
            format!(
                "DEFAULT {}",
                d.literal(&Literal::Bool(text_bool(t) == Some(true)))?
            )
        }
        ServerDefault::Literal(lit) if blob_like => format!("DEFAULT ({})", d.literal(lit)?),
        ServerDefault::Literal(lit) => format!("DEFAULT {}", d.literal(lit)?),
        ServerDefault::Variant { .. } => return ansi::ddl::variant_default_clause(d, default),
    })
}

/// The boolean a text means where PostgreSQL reads it as one (`'true'`, `'t'`, `'yes'`,
/// `'on'`, `'1'` and their opposites, in any case).
pub fn text_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "on" | "1" => Some(true),
        "false" | "f" | "no" | "n" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// Whether the `(` starting `s` closes at its end.
fn encloses(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quote = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quote = !quote,
            '(' if !quote => depth += 1,
            ')' if !quote => {
                depth -= 1;
                if depth == 0 {
                    return i == s.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

/// `name type [COLLATE c] [GENERATED ALWAYS AS (..) STORED|VIRTUAL] [NOT NULL] [DEFAULT ..]
/// [AUTO_INCREMENT] [COMMENT '..']`.
pub fn column_definition<D: Dialect + ?Sized>(d: &D, column: &Column) -> Result<String> {
    let what = |w: &str| format!("{w} (column `{}`)", column.name);
    if column.serial.is_some() {
        return Err(DialectError::unsupported(
            d.name(),
            what("serial columns (a sequence owned by the column)"),
            "MySQL has no sequences: use an identity column (AUTO_INCREMENT)",
        ));
    }
    let ty = d.column_type(&column.ty).map_err(|e| match e {
        DialectError::Unsupported {
            dialect,
            what: w,
            hint,
        } => DialectError::Unsupported {
            dialect,
            what: format!("{w} (column `{}`)", column.name),
            hint,
        },
        other => other,
    })?;
    let mut out = format!(
        "{} {ty}{}",
        d.quote_identifier(&column.name)?,
        ansi::ddl::collate_clause(d, column.collation.as_deref())?,
    );
    let generated = [
        column.identity.is_some(),
        column.server_default.is_some(),
        column.computed.is_some(),
    ];
    if generated.iter().filter(|g| **g).count() > 1 {
        return Err(DialectError::unsupported(
            d.name(),
            what("more than one of identity, server default and computed value"),
            "keep only one of them",
        ));
    }
    if let Some(computed) = &column.computed {
        if !column.nullable {
            return Err(DialectError::unsupported(
                d.name(),
                what("NOT NULL on a generated column"),
                "MariaDB refuses it (MySQL 8 allows it): make the column nullable, or check \
                 the expression's inputs instead",
            ));
        }
        out.push(' ');
        out.push_str(&ansi::ddl::computed_clause(computed));
        if !computed.stored {
            out.push_str(" VIRTUAL");
        }
    }
    if !column.nullable || column.identity.is_some() {
        out.push_str(" NOT NULL");
    }
    if let Some(default) = &column.server_default {
        out.push(' ');
        out.push_str(&default_clause(d, default, &column.ty)?);
    }
    if let Some(identity) = &column.identity {
        if identity.increment.is_some_and(|i| i != 1)
            || identity.minvalue.is_some()
            || identity.maxvalue.is_some()
            || identity.cycle
            || identity.cache.is_some()
        {
            return Err(DialectError::unsupported(
                d.name(),
                what("identity options other than a start value"),
                "AUTO_INCREMENT counts up by 1 (the server's auto_increment_increment): \
                 keep only `start`",
            ));
        }
        out.push_str(" AUTO_INCREMENT");
    }
    if let Some(comment) = &column.comment {
        out.push_str(&format!(" COMMENT {}", d.string_literal(comment)?));
    }
    Ok(out)
}

/// `table` with every unnamed foreign key, unique constraint and check named as
/// PostgreSQL would name it (see the module notes), a second check of the same name
/// numbered (`t_check1`) as PostgreSQL numbers it.
pub fn name_constraints(table: &Table) -> Table {
    use retort_core::diff::CompareDialect as _;
    let mut t = table.clone();
    let compare = super::MysqlCompare;
    let mut used: Vec<String> = (t.foreign_keys.iter().map(|c| &c.name))
        .chain(t.uniques.iter().map(|c| &c.name))
        .chain(t.checks.iter().map(|c| &c.name))
        .flatten()
        .cloned()
        .collect();
    let mut unique_name = |base: String| {
        let mut name = base.clone();
        let mut n = 0;
        while used.contains(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        used.push(name.clone());
        name
    };
    for i in 0..t.foreign_keys.len() {
        if t.foreign_keys[i].name.is_none() {
            let c = Constraint::ForeignKey(t.foreign_keys[i].clone());
            t.foreign_keys[i].name = compare.constraint_name(table, &c).map(&mut unique_name);
        }
    }
    for i in 0..t.uniques.len() {
        if t.uniques[i].name.is_none() {
            let c = Constraint::Unique(t.uniques[i].clone());
            t.uniques[i].name = compare.constraint_name(table, &c).map(&mut unique_name);
        }
    }
    for i in 0..t.checks.len() {
        if t.checks[i].name.is_none() {
            let c = Constraint::Check(t.checks[i].clone());
            t.checks[i].name = compare.constraint_name(table, &c).map(&mut unique_name);
        }
    }
    t
}

/// The name of an unnamed constraint added to `table` (see [`name_constraints`]).
pub fn constraint_name(table: TableName<'_>, constraint: &Constraint) -> Option<String> {
    use retort_core::diff::CompareDialect as _;
    let scratch = Table::new(table.name);
    super::MysqlCompare.constraint_name(&scratch, constraint)
}

/// Refuses a key (primary key, unique constraint, index) on a TEXT, BLOB or JSON column of
/// `table`: MySQL indexes only a prefix of one, which the model cannot say.
pub fn check_key_columns<D: Dialect + ?Sized>(
    d: &D,
    table: &Table,
    what: &str,
    columns: &mut dyn Iterator<Item = &str>,
) -> Result<()> {
    for name in columns {
        let Some(col) = table.get_column(name) else {
            continue;
        };
        let unkeyable = match &col.ty {
            Type::Text | Type::Binary | Type::Json | Type::Jsonb => true,
            Type::Custom(t) => {
                let t = t.to_ascii_lowercase();
                t.contains("text") || t.contains("blob") || t.starts_with("json")
            }
            _ => false,
        };
        if unkeyable {
            return Err(DialectError::unsupported(
                d.name(),
                format!(
                    "{what} on column `{}.{}` of type {} (MySQL keys only a prefix of a TEXT, \
                     BLOB or JSON column, which the model cannot say)",
                    table.name, col.name, col.ty
                ),
                "give the column a VARCHAR(n) type (at most 768 characters in a key with \
                 utf8mb4), or index it through op.execute(\"CREATE INDEX .. (col(n))\")",
            ));
        }
    }
    Ok(())
}

/// Every key of `table` checked with [`check_key_columns`].
pub fn check_table_keys<D: Dialect + ?Sized>(d: &D, table: &Table) -> Result<()> {
    if let Some(pk) = &table.primary_key {
        check_key_columns(
            d,
            table,
            "a primary key",
            &mut pk.columns.iter().map(String::as_str),
        )?;
    }
    for u in &table.uniques {
        check_key_columns(
            d,
            table,
            "a unique constraint",
            &mut u.columns.iter().map(String::as_str),
        )?;
    }
    for ix in &table.indexes {
        check_key_columns(d, table, "an index", &mut ix.column_names())?;
    }
    Ok(())
}

/// `CREATE TABLE t (..) [AUTO_INCREMENT = n] [COMMENT = '..']`, every constraint named.
pub fn create_table<D: Dialect + ?Sized>(d: &D, table: &Table) -> Result<String> {
    ansi::storage::refuse_postgres_only(d, table)?;
    let named = name_constraints(table);
    let in_table = |e: DialectError| match e {
        DialectError::Unsupported {
            dialect,
            what,
            hint,
        } => DialectError::Unsupported {
            dialect,
            what: what.replace("(column `", &format!("(column `{}.", table.name)),
            hint,
        },
        other => other,
    };
    let mut items = Vec::new();
    for column in &named.columns {
        items.push(d.column_definition(column).map_err(in_table)?);
    }
    if let Some(pk) = &named.primary_key {
        items.push(format!(
            "PRIMARY KEY ({})",
            ansi::ddl::name_list(d, &pk.columns)?
        ));
    }
    for fk in &named.foreign_keys {
        items.push(d.foreign_key_clause(named.schema.as_deref(), fk)?);
    }
    for unique in &named.uniques {
        items.push(d.unique_clause(unique)?);
    }
    for check in &named.checks {
        items.push(d.check_clause(check)?);
    }
    for exclude in &named.excludes {
        items.push(d.exclude_clause(&named.name, exclude)?);
    }
    if items.is_empty() {
        return Err(DialectError::unsupported(
            d.name(),
            format!("a table without columns (`{}`)", table.name),
            "give it a column",
        ));
    }
    let mut out = format!(
        "CREATE TABLE {} (\n    {}\n)",
        d.qualified_name(named.schema.as_deref(), &named.name)?,
        items.join(",\n    ")
    );
    if let Some(start) = named
        .columns
        .iter()
        .find_map(|c| c.identity.as_ref().and_then(|i| i.start))
    {
        out.push_str(&format!(" AUTO_INCREMENT = {start}"));
    }
    if let Some(comment) = &named.comment {
        out.push_str(&format!(" COMMENT = {}", d.string_literal(comment)?));
    }
    Ok(out)
}

/// `[CONSTRAINT n] FOREIGN KEY .. REFERENCES ..`: the standard's, without what InnoDB lacks.
pub fn foreign_key_clause<D: Dialect + ?Sized>(
    d: &D,
    table_schema: Option<&str>,
    fk: &ForeignKey,
) -> Result<String> {
    let label = || {
        format!(
            "the foreign key ({}) -> {}",
            fk.columns.join(", "),
            fk.ref_table
        )
    };
    if fk.deferrable.is_some() {
        return Err(DialectError::unsupported(
            d.name(),
            format!("deferrable constraints ({})", label()),
            "MySQL checks every key at once: drop `deferrable`",
        ));
    }
    // MySQL parses `MATCH` and ignores it, and with it the key's ON DELETE / ON UPDATE.
    if let Some(m) = fk.match_type {
        return Err(DialectError::unsupported(
            d.name(),
            format!("MATCH {} ({})", m.as_sql(), label()),
            "InnoDB checks every key as MATCH SIMPLE: leave `match` out for MySQL, or add a \
             CHECK that the key's columns are all NULL or all set",
        ));
    }
    use retort_core::FkAction;
    if fk.on_delete == Some(FkAction::SetDefault) || fk.on_update == Some(FkAction::SetDefault) {
        return Err(DialectError::unsupported(
            d.name(),
            format!("SET DEFAULT ({})", label()),
            "InnoDB refuses SET DEFAULT: use SET NULL, CASCADE or RESTRICT",
        ));
    }
    ansi::ddl::foreign_key_clause(d, table_schema, fk)
}

pub fn unique_clause<D: Dialect + ?Sized>(d: &D, unique: &Unique) -> Result<String> {
    let label = || format!("the unique constraint on ({})", unique.columns.join(", "));
    d.storage_clause(&unique.with, &label())?;
    if unique.deferrable.is_some() {
        return Err(DialectError::unsupported(
            d.name(),
            format!("deferrable constraints ({})", label()),
            "MySQL checks every key at once: drop `deferrable`",
        ));
    }
    if unique.nulls_not_distinct {
        return Err(DialectError::unsupported(
            d.name(),
            format!("NULLS NOT DISTINCT ({})", label()),
            "MySQL lets NULLs repeat in a unique key: make the columns NOT NULL instead",
        ));
    }
    ansi::ddl::unique_clause(d, unique)
}

/// `CHECK` as the standard spells it; kept for symmetry with the other clauses.
pub fn check_clause<D: Dialect + ?Sized>(d: &D, check: &Check) -> Result<String> {
    ansi::ddl::check_clause(d, check)
}

/// `CREATE [UNIQUE] INDEX name ON t (col [DESC], ..)`; what MySQL and MariaDB lack
/// (expressions, partial indexes, methods, INCLUDE, NULLS NOT DISTINCT) is refused.
pub fn create_index<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    index: &retort_core::Index,
) -> Result<String> {
    let label = || match &index.name {
        Some(n) => format!("index `{n}` on `{}`", table.name),
        None => format!("an unnamed index on `{}`", table.name),
    };
    d.storage_clause(&index.with, &label())?;
    if index
        .elements
        .iter()
        .any(|e| matches!(e.target, IndexTarget::Expr(_)))
    {
        return Err(DialectError::unsupported(
            d.name(),
            format!("expressions in indexes ({})", label()),
            "MariaDB has no expression indexes (MySQL 8.0.13 has functional key parts): \
             index a generated column instead",
        ));
    }
    if index.nulls_not_distinct {
        return Err(DialectError::unsupported(
            d.name(),
            format!("NULLS NOT DISTINCT ({})", label()),
            "MySQL lets NULLs repeat in a unique index: make the columns NOT NULL instead",
        ));
    }
    ansi::ddl::create_index(d, table, index, ansi::ddl::IndexFeatures::default())
}

/// `create_all` (see the crate's `create_all` module for the order): enums inline, comments
/// in the definitions, so no statement follows the indexes.
pub fn create_all<D: Dialect + ?Sized>(
    d: &D,
    given: &MetaData,
    validated: bool,
) -> Result<Vec<String>> {
    let md = &*given.for_dialect(d.kind());
    let md = &*crate::within_name_limit(d, md);
    crate::create_all::validate_form(md, given, validated)?;
    let order = sort_tables(md);
    // MySQL has none; refused by name rather than left out (`create_sequence` says so).
    for s in md.sequences() {
        d.create_sequence(s)?;
    }
    let mut tables = Vec::with_capacity(md.tables().len());
    for t in md.tables() {
        let t = super::types::inline_enums(d, md, t)?.into_owned();
        check_table_keys(d, &t)?;
        tables.push(name_constraints(&t));
    }
    let mut out = Vec::new();
    for &i in &order.tables {
        let mut t = tables[i].clone();
        t.foreign_keys = t
            .foreign_keys
            .iter()
            .enumerate()
            .filter(|&(k, _)| !order.is_deferred(i, k))
            .map(|(_, fk)| fk.clone())
            .collect();
        out.push(d.create_table(&t)?);
    }
    for &(i, k) in &order.deferred_foreign_keys {
        let t = &tables[i];
        out.push(d.add_foreign_key(TableName::of(t), &t.foreign_keys[k])?);
    }
    for &i in &order.tables {
        let t = &tables[i];
        for index in &t.indexes {
            out.push(d.create_index(TableName::of(t), index)?);
        }
    }
    out.extend(crate::create_all::create_entities(d, md)?);
    Ok(out)
}

/// `drop_all`: the foreign keys of cycles (`DROP FOREIGN KEY`), then the tables in reverse.
pub fn drop_all<D: Dialect + ?Sized>(d: &D, md: &MetaData) -> Result<Vec<String>> {
    let md = &*md.for_dialect(d.kind());
    let md = &*crate::within_name_limit(d, md);
    md.validate()?;
    let order = sort_tables(md);
    let mut out = crate::create_all::drop_entities(d, md)?;
    for &(i, k) in &order.deferred_foreign_keys {
        let t = name_constraints(&md.tables()[i]);
        let name = d.foreign_key_name(TableName::of(&t), &t.foreign_keys[k])?;
        out.push(drop_foreign_key(d, TableName::of(&t), &name)?);
    }
    for &i in order.tables.iter().rev() {
        out.push(d.drop_table(TableName::of(&md.tables()[i]))?);
    }
    Ok(out)
}

pub fn drop_foreign_key<D: Dialect + ?Sized>(
    d: &D,
    table: TableName<'_>,
    name: &str,
) -> Result<String> {
    Ok(format!(
        "ALTER TABLE {} DROP FOREIGN KEY {}",
        d.table_name(table)?,
        d.quote_identifier(name)?
    ))
}
