//! Identifier and literal quoting, the standard way: `"ident"` with `"` doubled, `'text'`
//! with `'` doubled and backslashes taken literally.
//!
//! Identifiers are quoted only when they must be, so DDL reads like pg_dump's and Alembic's:
//! a lowercase ASCII name that is not a reserved word stays bare; anything else (capitals,
//! spaces, quotes, a leading digit, non-ASCII, reserved words) is quoted. Quoting is never
//! skipped for a name that could end the identifier early, which is what makes it safe for
//! hostile names; a NUL byte cannot be quoted at all and is an error.

use retort_core::Literal;

use crate::{Dialect, DialectError};

/// Whether `ident` can be written bare: `[a-z_][a-z0-9_]*` and not a reserved word.
/// (`$` is legal after the first character on PostgreSQL but not elsewhere, so it is quoted.)
pub fn is_bare<D: Dialect + ?Sized>(d: &D, ident: &str) -> bool {
    let mut chars = ident.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    first_ok
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !d.is_reserved_word(ident)
}

/// Quotes `ident` when needed (see the module notes); errors on what no quoting can carry.
pub fn identifier<D: Dialect + ?Sized>(d: &D, ident: &str) -> Result<String, DialectError> {
    let invalid = |reason: String| DialectError::InvalidIdentifier {
        ident: ident.to_string(),
        reason,
    };
    if ident.is_empty() {
        return Err(invalid("it is empty".into()));
    }
    if ident.contains('\0') {
        return Err(invalid("it contains a NUL character".into()));
    }
    if let Some(max) = d.max_identifier_len() {
        if ident.len() > max {
            return Err(invalid(format!(
                "it is {} bytes long and {} keeps only {max} (it would silently truncate it)",
                ident.len(),
                d.name()
            )));
        }
    }
    if is_bare(d, ident) {
        return Ok(ident.to_string());
    }
    let mut out = String::with_capacity(ident.len() + 2);
    out.push('"');
    for c in ident.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    Ok(out)
}

/// `'value'` with `'` doubled. Backslashes are literal (standard SQL, and PostgreSQL with
/// `standard_conforming_strings = on`, its default since 9.1). NUL is an error.
pub fn string_literal(value: &str) -> Result<String, DialectError> {
    if value.contains('\0') {
        return Err(DialectError::InvalidLiteral {
            what: format!("text {value:?}"),
            reason: "it contains a NUL character, which SQL text cannot hold".into(),
        });
    }
    Ok(format!("'{}'", value.replace('\'', "''")))
}

/// Whether `s` is a plain decimal number: `-1`, `9.99`, `.5`, `1e-3`. Anything else could
/// smuggle SQL into a literal, so [`literal`] refuses it.
pub fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    };
    mantissa_ok && exponent_ok
}

/// A literal value as SQL.
pub fn literal<D: Dialect + ?Sized>(d: &D, lit: &Literal) -> Result<String, DialectError> {
    Ok(match lit {
        Literal::Null => "NULL".into(),
        Literal::Bool(true) => "TRUE".into(),
        Literal::Bool(false) => "FALSE".into(),
        Literal::Int(i) => i.to_string(),
        Literal::Number(n) if is_number(n) => n.clone(),
        Literal::Number(n) => {
            return Err(DialectError::InvalidLiteral {
                what: format!("number {n:?}"),
                reason: "it is not a decimal number (digits, an optional `.` and exponent)".into(),
            })
        }
        Literal::Text(s) => d.string_literal(s)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_recognised_and_sql_is_not() {
        for ok in ["0", "-1", "9.99", ".5", "5.", "1e10", "-2.5E-3", "+7"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in [
            "", "-", ".", "1e", "1 OR 1=1", "1;DROP", "0x10", "1.2.3", "NaN",
        ] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    #[test]
    fn string_literals_double_quotes_and_keep_backslashes() {
        assert_eq!(string_literal("it's").unwrap(), "'it''s'");
        assert_eq!(string_literal(r"a\'b").unwrap(), r"'a\''b'");
        assert!(string_literal("a\0b").is_err());
    }
}
