//! PostgreSQL type names back to [`Type`]. The catalog query lets `format_type(atttypid,
//! atttypmod)` spell each type (`character varying(20)`, `numeric(10,2)`, `integer[]`), so
//! this only has to read PostgreSQL's canonical spelling; the common aliases (`int4`,
//! `varchar(n)`, `timestamptz`) are accepted too so a hand-written type reads the same way.
//! Enum types are recognised by the caller from `pg_type.typtype`, not from their name.
//! Anything not modelled (including `time(3)` and `timestamp(3)`, whose precision [`Type`]
//! cannot hold) becomes [`Type::Custom`] with PostgreSQL's spelling, so nothing is lost.

use retort_core::Type;

/// Maps a PostgreSQL type spelling to a [`Type`]; unknown spellings become [`Type::Custom`].
pub fn parse_pg_type(formatted: &str) -> Type {
    let s = formatted.trim();
    if let Some(elem) = s.strip_suffix("[]") {
        return Type::array(parse_pg_type(elem));
    }
    let lower = s.to_ascii_lowercase();
    let (base, params) = split_params(&lower);
    let known = match (base, params.as_deref()) {
        ("smallint" | "int2", None) => Some(Type::SmallInt),
        ("integer" | "int" | "int4", None) => Some(Type::Integer),
        ("bigint" | "int8", None) => Some(Type::BigInt),
        ("real" | "float4", None) => Some(Type::Real),
        ("double precision" | "float8", None) => Some(Type::Double),
        ("numeric" | "decimal", None) => Some(Type::Numeric {
            precision: None,
            scale: None,
        }),
        ("numeric" | "decimal", Some([p])) => Some(Type::Numeric {
            precision: Some(*p),
            scale: None,
        }),
        ("numeric" | "decimal", Some([p, s])) => Some(Type::Numeric {
            precision: Some(*p),
            scale: Some(*s),
        }),
        ("boolean" | "bool", None) => Some(Type::Boolean),
        ("character varying" | "varchar", None) => Some(Type::Varchar(None)),
        ("character varying" | "varchar", Some([n])) => Some(Type::Varchar(Some(*n))),
        ("text", None) => Some(Type::Text),
        ("character" | "char", None) => Some(Type::Char(None)),
        ("character" | "char" | "bpchar", Some([n])) => Some(Type::Char(Some(*n))),
        ("date", None) => Some(Type::Date),
        ("time without time zone" | "time", None) => Some(Type::Time { tz: false }),
        ("time with time zone" | "timetz", None) => Some(Type::Time { tz: true }),
        ("timestamp without time zone" | "timestamp", None) => Some(Type::Timestamp { tz: false }),
        ("timestamp with time zone" | "timestamptz", None) => Some(Type::Timestamp { tz: true }),
        ("interval", None) => Some(Type::Interval),
        ("uuid", None) => Some(Type::Uuid),
        ("json", None) => Some(Type::Json),
        ("jsonb", None) => Some(Type::Jsonb),
        ("bytea", None) => Some(Type::Binary),
        _ => None,
    };
    known.unwrap_or_else(|| Type::custom(s))
}

/// The type as PostgreSQL stores it and introspection reads it back, for comparing a model's
/// type with an introspected one: `char` is `char(1)` and `numeric(p)` is `numeric(p,0)` in the
/// catalog, an array of arrays is an array (PostgreSQL keeps one array type whatever the
/// dimensions, records them only from some declarations and never enforces them, so equality
/// ignores them though introspection reads them back), and a custom spelling
/// PostgreSQL knows by another name (`int4`, `varchar(20)`)
/// reads back as that type. Everything else is already canonical.
pub fn canonical_pg_type(ty: &Type) -> Type {
    match ty {
        Type::Char(None) => Type::Char(Some(1)),
        Type::Numeric {
            precision: Some(p),
            scale: None,
        } => Type::numeric(*p, 0),
        // PostgreSQL does not keep an array's dimensions: `text[][]` is `text[]`.
        Type::Array(inner) => match canonical_pg_type(inner) {
            Type::Array(elem) => Type::Array(elem),
            elem => Type::array(elem),
        },
        Type::Custom(spelling) => match parse_pg_type(spelling) {
            Type::Custom(_) => ty.clone(),
            known => canonical_pg_type(&known),
        },
        other => other.clone(),
    }
}

/// Splits `name(1,2)` into `("name", Some([1, 2]))`. A parameter list that is not all
/// integers (or a name with text after the parentheses, such as `time(3) with time zone`)
/// yields `Some([])`, which matches no known type and so keeps the type custom.
fn split_params(s: &str) -> (&str, Option<Vec<u32>>) {
    let Some(open) = s.find('(') else {
        return (s, None);
    };
    let Some(inner) = s[open + 1..].strip_suffix(')') else {
        return (s, Some(Vec::new()));
    };
    let params: Option<Vec<u32>> = inner.split(',').map(|p| p.trim().parse().ok()).collect();
    (s[..open].trim_end(), Some(params.unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::{canonical_pg_type as canon, parse_pg_type as p};
    use retort_core::Type;

    #[test]
    fn canonical_types_are_what_the_catalog_reads_back() {
        assert_eq!(canon(&Type::Char(None)), p("character(1)"));
        assert_eq!(
            canon(&Type::Numeric {
                precision: Some(8),
                scale: None
            }),
            p("numeric(8,0)")
        );
        assert_eq!(canon(&Type::array(Type::Char(None))), p("character(1)[]"));
        assert_eq!(canon(&Type::array(Type::array(Type::Text))), p("text[]"));
        assert_eq!(canon(&Type::custom("int4")), Type::Integer);
        assert_eq!(canon(&Type::custom("VARCHAR(20)")), Type::Varchar(Some(20)));
        assert_eq!(canon(&Type::custom("inet")), Type::custom("inet"));
        assert_eq!(canon(&Type::Varchar(None)), p("character varying"));
        assert_eq!(canon(&Type::numeric(10, 2)), p("numeric(10,2)"));
    }

    #[test]
    fn reads_format_type_spellings() {
        assert_eq!(p("integer"), Type::Integer);
        assert_eq!(p("smallint"), Type::SmallInt);
        assert_eq!(p("bigint"), Type::BigInt);
        assert_eq!(p("real"), Type::Real);
        assert_eq!(p("double precision"), Type::Double);
        assert_eq!(p("numeric(10,2)"), Type::numeric(10, 2));
        assert_eq!(
            p("numeric"),
            Type::Numeric {
                precision: None,
                scale: None
            }
        );
        assert_eq!(p("boolean"), Type::Boolean);
        assert_eq!(p("character varying(200)"), Type::Varchar(Some(200)));
        assert_eq!(p("character varying"), Type::Varchar(None));
        assert_eq!(p("text"), Type::Text);
        assert_eq!(p("character(3)"), Type::Char(Some(3)));
        assert_eq!(p("date"), Type::Date);
        assert_eq!(p("time without time zone"), Type::Time { tz: false });
        assert_eq!(p("time with time zone"), Type::Time { tz: true });
        assert_eq!(
            p("timestamp without time zone"),
            Type::Timestamp { tz: false }
        );
        assert_eq!(p("timestamp with time zone"), Type::Timestamp { tz: true });
        assert_eq!(p("interval"), Type::Interval);
        assert_eq!(p("uuid"), Type::Uuid);
        assert_eq!(p("json"), Type::Json);
        assert_eq!(p("jsonb"), Type::Jsonb);
        assert_eq!(p("bytea"), Type::Binary);
    }

    #[test]
    fn reads_aliases_case_insensitively() {
        assert_eq!(p("int4"), Type::Integer);
        assert_eq!(p("INT8"), Type::BigInt);
        assert_eq!(p("varchar(32)"), Type::Varchar(Some(32)));
        assert_eq!(p("timestamptz"), Type::Timestamp { tz: true });
        assert_eq!(p("bool"), Type::Boolean);
        assert_eq!(p("decimal( 8 , 3 )"), Type::numeric(8, 3));
    }

    #[test]
    fn arrays_nest() {
        assert_eq!(p("integer[]"), Type::array(Type::Integer));
        assert_eq!(p("text[][]"), Type::array(Type::array(Type::Text)));
        assert_eq!(
            p("character varying(5)[]"),
            Type::array(Type::Varchar(Some(5)))
        );
    }

    #[test]
    fn anything_else_is_custom_with_its_spelling() {
        assert_eq!(p("bit(3)"), Type::custom("bit(3)"));
        assert_eq!(p("inet"), Type::custom("inet"));
        assert_eq!(
            p("timestamp(3) with time zone"),
            Type::custom("timestamp(3) with time zone")
        );
        assert_eq!(p("numeric(x)"), Type::custom("numeric(x)"));
        assert_eq!(
            p("public.money_amount"),
            Type::custom("public.money_amount")
        );
        assert_eq!(p("integer(4)"), Type::custom("integer(4)"));
    }
}
