//! Declared types and default texts, read back into the model.
//!
//! SQLite keeps a column's declared type as written, so [`parse_sqlite_type`] is the inverse
//! of the dialect's rendering (`crate::sqlite::types`): every name the dialect writes reads
//! back as the [`Type`] it came from, except the two it stores as something else (`Uuid` is
//! `CHAR(36)`, `Json` is `TEXT`) and enums (a `VARCHAR(n)` with a CHECK). Any other name is
//! [`Type::Custom`] with the text as declared.
//!
//! `pragma_table_xinfo.dflt_value` is the default's text as written, without the parentheses
//! SQLite requires around an expression. [`parse_sqlite_default`] reads a plain literal
//! (`NULL`, `TRUE`/`FALSE`, an integer, a decimal number, a string) as a
//! [`ServerDefault::Literal`] and anything else as a [`ServerDefault::Expr`]; the model side
//! goes through the same function in [`super::normalise_model_for_sqlite`], so a default
//! written either way compares equal to what SQLite stored.

use retort_core::{Literal, ServerDefault, Type};

use super::lexer::{strip_outer_parens, tokenize, Kind};

/// The [`Type`] of a declared column type (see the module notes). Empty is `Custom("")`:
/// SQLite allows a column without a type, and no model type renders as that.
pub fn parse_sqlite_type(declared: &str) -> Type {
    let words: Vec<String> = declared
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let has_args = declared.contains('(');
    let args: Vec<u32> = match (declared.find('('), declared.rfind(')')) {
        (Some(a), Some(b)) if a < b => {
            let parsed: Option<Vec<u32>> = declared[a + 1..b]
                .split(',')
                .map(|n| n.trim().parse().ok())
                .collect();
            match parsed {
                Some(v) => v,
                None => return Type::Custom(declared.to_string()),
            }
        }
        (None, None) => Vec::new(),
        _ => return Type::Custom(declared.to_string()),
    };
    let name: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let ty = match (name.as_slice(), args.as_slice()) {
        (["SMALLINT"], []) => Type::SmallInt,
        (["INTEGER"], []) => Type::Integer,
        (["BIGINT"], []) => Type::BigInt,
        (["REAL"], []) => Type::Real,
        (["DOUBLE", "PRECISION"], []) => Type::Double,
        (["NUMERIC"], []) => Type::Numeric {
            precision: None,
            scale: None,
        },
        (["NUMERIC"], [p]) => Type::Numeric {
            precision: Some(*p),
            scale: None,
        },
        (["NUMERIC"], [p, s]) => Type::numeric(*p, *s),
        (["BOOLEAN"], []) => Type::Boolean,
        (["VARCHAR"], []) => Type::Varchar(None),
        (["VARCHAR"], [n]) => Type::Varchar(Some(*n)),
        (["TEXT"], []) => Type::Text,
        (["CHAR"], []) => Type::Char(None),
        (["CHAR"], [n]) => Type::Char(Some(*n)),
        (["DATE"], []) => Type::Date,
        (["TIME"], []) => Type::Time { tz: false },
        (["TIME", "WITH", "TIME", "ZONE"], []) => Type::Time { tz: true },
        (["TIMESTAMP"], []) => Type::Timestamp { tz: false },
        (["TIMESTAMP", "WITH", "TIME", "ZONE"], []) => Type::Timestamp { tz: true },
        (["BLOB"], []) => Type::Binary,
        _ => return Type::Custom(declared.to_string()),
    };
    // `NUMERIC()` or a stray argument on a type that takes none stays as written.
    if has_args && args.is_empty() {
        return Type::Custom(declared.to_string());
    }
    ty
}

/// The model's reading of a default's text (see the module notes). Outer parentheses go, so
/// `(1)` and `1` read alike.
pub fn parse_sqlite_default(text: &str) -> ServerDefault {
    let text = strip_outer_parens(text);
    if let Some(lit) = literal(text) {
        return ServerDefault::Literal(lit);
    }
    ServerDefault::Expr(text.to_string())
}

fn literal(text: &str) -> Option<Literal> {
    let tokens = tokenize(text).ok()?;
    match tokens.as_slice() {
        [t] => match &t.kind {
            Kind::Str(s) => Some(Literal::Text(s.clone())),
            Kind::Word(w) if w.eq_ignore_ascii_case("NULL") => Some(Literal::Null),
            Kind::Word(w) if w.eq_ignore_ascii_case("TRUE") => Some(Literal::Bool(true)),
            Kind::Word(w) if w.eq_ignore_ascii_case("FALSE") => Some(Literal::Bool(false)),
            Kind::Word(_) => number(text),
            _ => None,
        },
        // A sign or a decimal point splits a number into tokens; read the text as a whole.
        _ if tokens
            .iter()
            .all(|t| matches!(t.kind, Kind::Word(_) | Kind::Punct('-' | '+' | '.'))) =>
        {
            number(text)
        }
        _ => None,
    }
}

/// An integer as `Int`, a decimal (`9.99`, `-1.5e3`) as `Number` with its text kept.
fn number(text: &str) -> Option<Literal> {
    if text.contains(char::is_whitespace) {
        return None;
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return text.parse::<i64>().ok().map(Literal::Int);
    }
    let numeric = digits
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    (numeric && digits.parse::<f64>().is_ok()).then(|| Literal::Number(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rendered_type_reads_back() {
        let cases = [
            ("SMALLINT", Type::SmallInt),
            ("integer", Type::Integer),
            ("BIGINT", Type::BigInt),
            ("REAL", Type::Real),
            ("DOUBLE  PRECISION", Type::Double),
            (
                "NUMERIC",
                Type::Numeric {
                    precision: None,
                    scale: None,
                },
            ),
            (
                "NUMERIC(12)",
                Type::Numeric {
                    precision: Some(12),
                    scale: None,
                },
            ),
            ("NUMERIC(10, 2)", Type::numeric(10, 2)),
            ("BOOLEAN", Type::Boolean),
            ("VARCHAR", Type::Varchar(None)),
            ("VARCHAR(50)", Type::Varchar(Some(50))),
            ("TEXT", Type::Text),
            ("CHAR", Type::Char(None)),
            ("CHAR(36)", Type::Char(Some(36))),
            ("DATE", Type::Date),
            ("TIME", Type::Time { tz: false }),
            ("TIME WITH TIME ZONE", Type::Time { tz: true }),
            ("TIMESTAMP", Type::Timestamp { tz: false }),
            ("timestamp with time zone", Type::Timestamp { tz: true }),
            ("BLOB", Type::Binary),
        ];
        for (declared, ty) in cases {
            assert_eq!(parse_sqlite_type(declared), ty, "{declared}");
        }
    }

    #[test]
    fn anything_else_is_custom_as_declared() {
        for declared in [
            "DATETIME",
            "",
            "INT",
            "VARCHAR(abc)",
            "NUMERIC()",
            "TEXT(5)",
            "UNSIGNED BIG INT",
            "VARCHAR(10",
            "NVARCHAR(10)",
        ] {
            assert_eq!(
                parse_sqlite_type(declared),
                Type::Custom(declared.into()),
                "{declared}"
            );
        }
    }

    #[test]
    fn defaults_read_literals_and_keep_expressions() {
        let lit = |l: Literal| ServerDefault::Literal(l);
        assert_eq!(parse_sqlite_default("NULL"), lit(Literal::Null));
        assert_eq!(parse_sqlite_default("TRUE"), lit(Literal::Bool(true)));
        assert_eq!(parse_sqlite_default("false"), lit(Literal::Bool(false)));
        assert_eq!(parse_sqlite_default("-7"), lit(Literal::Int(-7)));
        assert_eq!(parse_sqlite_default("(42)"), lit(Literal::Int(42)));
        assert_eq!(
            parse_sqlite_default("9.99"),
            lit(Literal::Number("9.99".into()))
        );
        assert_eq!(
            parse_sqlite_default("-1.5e-3"),
            lit(Literal::Number("-1.5e-3".into()))
        );
        assert_eq!(
            parse_sqlite_default("'it''s a \\n ''q'''"),
            lit(Literal::Text("it's a \\n 'q'".into()))
        );
        for expr in [
            "CURRENT_TIMESTAMP",
            "lower(hex(randomblob(4)))",
            "1 + 2",
            "'a' || 'b'",
            "x'00'",
            "- 1",
            "99999999999999999999",
        ] {
            // Too big for i64 is kept as the expression it is, never a wrong number.
            assert_eq!(
                parse_sqlite_default(expr),
                ServerDefault::Expr(expr.into()),
                "{expr}"
            );
        }
        assert_eq!(
            parse_sqlite_default("(CURRENT_TIMESTAMP)"),
            ServerDefault::Expr("CURRENT_TIMESTAMP".into())
        );
    }
}
