//! Column types on MySQL/MariaDB, enums written inline, and the canonical spelling the
//! comparison uses.
//!
//! | model | MySQL | why |
//! |---|---|---|
//! | `Boolean` | `TINYINT(1)` | what `BOOLEAN` is an alias of, and what the catalog shows |
//! | `Integer`, `SmallInt`, `BigInt` | `INT`, `SMALLINT`, `BIGINT` | |
//! | `Real`, `Double` | `FLOAT`, `DOUBLE` | `REAL` is `DOUBLE` unless `REAL_AS_FLOAT` |
//! | `Numeric { p, s }` | `DECIMAL(p, s)` | `DECIMAL` alone is `DECIMAL(10, 0)`: refused (fractions would be cut) |
//! | `Varchar(Some(n))` | `VARCHAR(n)` | |
//! | `Varchar(None)` | `VARCHAR(255)` | MySQL needs a length: [`VARCHAR_DEFAULT_LENGTH`], the documented default (a longer value is an error in MySQL's default strict mode, never cut); give a length, or a MySQL variant, for another |
//! | `Text`, `Binary` | `TEXT`, `BLOB` | at most 64 KB; say `Type::custom("LONGTEXT")` for more |
//! | `Timestamp { .. }`, `Time { .. }` | `DATETIME(6)`, `TIME(6)` | microseconds as on PostgreSQL; no time zone is stored (`TIMESTAMP` would end in 2038) |
//! | `Uuid` | `CHAR(36)` | no UUID type (MariaDB 10.7's `UUID` is not in MySQL) |
//! | `Json`, `Jsonb` | `JSON` | on MariaDB an alias of `LONGTEXT` with a `json_valid` check |
//! | `Enum(e)` | `ENUM('a', 'b')` | inline: MySQL has no named enum types |
//!
//! `Interval` and arrays have no MySQL counterpart and are refused with a hint.

use std::borrow::Cow;

use retort_core::{EnumRef, MetaData, Table, Type};

use crate::{ansi, Dialect, DialectError};

type Result<T> = std::result::Result<T, DialectError>;

/// The length of a `VARCHAR` whose model gives none (see the module notes): 255, SQLAlchemy's
/// and Rails' customary choice, short enough for a unique key in utf8mb4.
pub const VARCHAR_DEFAULT_LENGTH: u32 = 255;

/// Fractional-second digits of `DATETIME`/`TIME` columns: microseconds, as PostgreSQL keeps.
pub const TIME_PRECISION: u32 = 6;

/// The declared type of `ty` on MySQL (see the module notes).
pub fn column_type<D: Dialect + ?Sized>(d: &D, ty: &Type) -> Result<String> {
    let unsupported = |hint: &str| {
        Err(DialectError::unsupported(
            d.name(),
            format!("the column type {ty}"),
            hint,
        ))
    };
    Ok(match ty {
        Type::Boolean => "TINYINT(1)".into(),
        Type::Integer => "INT".into(),
        Type::Real => "FLOAT".into(),
        Type::Double => "DOUBLE".into(),
        Type::Numeric { precision, scale } => match (precision, scale) {
            (Some(p), Some(s)) => format!("DECIMAL({p}, {s})"),
            (Some(p), None) => format!("DECIMAL({p})"),
            _ => {
                return unsupported(
                    "MySQL's DECIMAL without a precision is DECIMAL(10, 0), which would cut \
                     every fraction: give a precision and scale (Type::numeric(p, s))",
                )
            }
        },
        Type::Varchar(None) => format!("VARCHAR({VARCHAR_DEFAULT_LENGTH})"),
        Type::Time { .. } => format!("TIME({TIME_PRECISION})"),
        Type::Timestamp { .. } => format!("DATETIME({TIME_PRECISION})"),
        Type::Uuid => "CHAR(36)".into(),
        Type::Json | Type::Jsonb => "JSON".into(),
        Type::Binary => "BLOB".into(),
        Type::Interval => {
            return unsupported(
                "store a number of seconds (Type::BigInt) or ISO text (Type::Varchar)",
            )
        }
        Type::Array(_) => {
            return unsupported("MySQL has no arrays: use a child table or a JSON column")
        }
        Type::Enum(r) => {
            return Err(DialectError::unsupported(
                d.name(),
                format!(
                    "an enum column of `{}` rendered without its metadata",
                    r.name
                ),
                "render it through create_all or render_op, which write the enum's values \
                 inline (ENUM('a', 'b'))",
            ))
        }
        other => ansi::types::column_type(d, other)?,
    })
}

/// `ENUM('a', 'b')` of these values.
pub fn enum_type<D: Dialect + ?Sized>(d: &D, values: &[String]) -> Result<String> {
    let literals: Result<Vec<String>> = values.iter().map(|v| d.string_literal(v)).collect();
    Ok(format!("ENUM({})", literals?.join(", ")))
}

/// `ty` with an enum reference replaced by its inline `ENUM(..)` (as [`Type::Custom`]),
/// looked up in `md` as validation does: the table's schema first, then with no schema.
pub fn inline_enum<D: Dialect + ?Sized>(
    d: &D,
    md: &MetaData,
    table_schema: Option<&str>,
    table: &str,
    ty: &mut Type,
) -> Result<()> {
    if let Type::Enum(r) = ty {
        let values = enum_values(d, md, table_schema, table, r)?;
        *ty = Type::Custom(enum_type(d, values)?);
    }
    Ok(())
}

/// `table` with every enum column's type written inline (see [`inline_enum`]); borrowed
/// when it has none.
pub fn inline_enums<'a, D: Dialect + ?Sized>(
    d: &D,
    md: &MetaData,
    table: &'a Table,
) -> Result<Cow<'a, Table>> {
    if !table.columns.iter().any(|c| matches!(c.ty, Type::Enum(_))) {
        return Ok(Cow::Borrowed(table));
    }
    let mut out = table.clone();
    for column in &mut out.columns {
        inline_enum(d, md, table.schema.as_deref(), &table.name, &mut column.ty)?;
    }
    Ok(Cow::Owned(out))
}

fn enum_values<'m, D: Dialect + ?Sized>(
    d: &D,
    md: &'m MetaData,
    table_schema: Option<&str>,
    table: &str,
    r: &EnumRef,
) -> Result<&'m [String]> {
    let found = match &r.schema {
        Some(s) => md.get_enum(Some(s), &r.name),
        None => md
            .get_enum(table_schema, &r.name)
            .or_else(|| md.get_enum(None, &r.name)),
    };
    match found {
        Some(e) => Ok(&e.values),
        None => Err(DialectError::unsupported(
            d.name(),
            format!(
                "the enum column type `{}` of table `{table}`, which the metadata does not define",
                r.name
            ),
            "add the enum type to the metadata (or create it in an earlier operation)",
        )),
    }
}

/// A type as MySQL means it, for comparing two spellings: lower case and no spaces outside
/// quotes, display widths gone (`int(11)` is `int`; `tinyint(1)` stays, it is the boolean),
/// aliases resolved (`integer`, `bool`, `numeric`, `dec`), implicit arguments written out
/// (`decimal(p)` is `decimal(p,0)`, `char` is `char(1)`, `datetime` is `datetime(0)`).
pub fn canonical_type(sql: &str) -> String {
    let mut s = String::with_capacity(sql.len());
    let mut in_quote = false;
    let mut chars = sql.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if in_quote {
            s.push(c);
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    s.push(chars.next().unwrap_or('\''));
                } else {
                    in_quote = false;
                }
            } else if c == '\\' {
                if let Some(n) = chars.next() {
                    s.push(n);
                }
            }
            continue;
        }
        match c {
            '\'' => {
                in_quote = true;
                s.push(c);
            }
            c if c.is_whitespace() => {
                // One space between words (`int unsigned`), none around punctuation.
                if s.chars()
                    .last()
                    .is_some_and(|l| l.is_ascii_alphanumeric() || l == ')')
                    && chars.peek().is_some_and(|n| n.is_ascii_alphanumeric())
                {
                    s.push(' ');
                }
            }
            c => s.push(c.to_ascii_lowercase()),
        }
    }
    let (head, rest) = match s.find(['(', ' ']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s.as_str(), ""),
    };
    let head = match head {
        "integer" | "int4" => "int",
        "bool" | "boolean" => return format!("tinyint(1){}", after_args(rest)),
        "numeric" | "dec" | "fixed" => "decimal",
        "int8" => "bigint",
        "int2" => "smallint",
        "float8" | "double precision" => "double",
        other => other,
    };
    let args = rest.strip_prefix('(').and_then(|r| r.split_once(')'));
    match head {
        "tinyint" if args.is_some_and(|(a, _)| a == "1") => s.clone(),
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" => {
            format!("{head}{}", args.map_or(rest, |(_, tail)| tail))
        }
        "decimal" => match args {
            Some((a, tail)) if !a.contains(',') => format!("decimal({a},0){tail}"),
            Some(_) => format!("{head}{rest}"),
            None => format!("decimal(10,0){rest}"),
        },
        "char" | "binary" if args.is_none() => format!("{head}(1){rest}"),
        "datetime" | "time" | "timestamp" if args.is_none() => format!("{head}(0){rest}"),
        _ => format!("{head}{rest}"),
    }
}

fn after_args(rest: &str) -> &str {
    match rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
        Some((_, tail)) => tail,
        None => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_type as c;

    #[test]
    fn display_widths_and_aliases_are_not_differences() {
        assert_eq!(c("int(11)"), c("INT"));
        assert_eq!(c("integer"), "int");
        assert_eq!(c("bigint(20) unsigned"), "bigint unsigned");
        assert_eq!(c("BOOLEAN"), "tinyint(1)");
        assert_eq!(c("tinyint(1)"), "tinyint(1)");
        assert_ne!(c("tinyint(4)"), c("tinyint(1)"));
        assert_eq!(c("DECIMAL(10)"), c("decimal(10,0)"));
        assert_eq!(c("NUMERIC(10, 2)"), c("decimal(10,2)"));
        assert_eq!(c("CHAR"), c("char(1)"));
        assert_eq!(c("DATETIME(6)"), "datetime(6)");
        assert_ne!(c("DATETIME"), c("datetime(6)"));
        assert_eq!(
            c("ENUM('a', 'It''s')"),
            c("enum('a','It''s')"),
            "values keep their case"
        );
        assert_ne!(c("enum('A')"), c("enum('a')"));
    }
}
