//! A column's Rust field type and the type keys of the derive it needs: the field's Rust type
//! where the derive maps it back to exactly the database's type (`i32`, `String` with
//! `length = 20`, `chrono::NaiveDate`, ...), a type override where the Rust type alone would
//! say another (`text`, `numeric(10, 2)`, `timetz`), and `sql_type = ".."` for anything
//! else, spelled as the database's dialect renders it.

use std::collections::{BTreeSet, HashMap};

use retort_core::schema::{Column, Type};
use retort_dialect::Dialect;

use super::lit;

/// A field's type and the attribute keys that go with it.
#[derive(Debug, Default)]
pub(crate) struct FieldType {
    /// The Rust type, `Option<..>` for a nullable column.
    pub rust: String,
    /// Derive keys (`text`, `length = 20`, `sql_type = ".."`).
    pub keys: Vec<String>,
    /// Features of `retort` the type needs (`chrono`, `uuid`, `json`, `decimal`).
    pub features: BTreeSet<&'static str>,
    /// What cannot be said (a comment above the field).
    pub note: Option<String>,
}

/// Enum types by `(schema, name)`, to their Rust names.
pub(crate) type EnumNames = HashMap<(Option<String>, String), String>;

/// The field type of `col` of a table in `table_schema`.
pub(crate) fn field_type(
    col: &Column,
    table_schema: Option<&str>,
    enums: &EnumNames,
    dialect: &dyn Dialect,
) -> FieldType {
    let mut out = FieldType::default();
    let base = match base_type(&col.ty, table_schema, enums, &mut out) {
        Some(rust) => rust,
        None => {
            out.keys.clear();
            let spelled = dialect
                .column_type(&col.ty)
                .unwrap_or_else(|_| format!("{:?}", col.ty));
            out.keys.push(format!("sql_type = {}", lit(&spelled)));
            if matches!(col.ty, Type::Variant { .. }) {
                out.note = Some(format!(
                    "the type has per-dialect variants, written here as {}'s",
                    dialect.name()
                ));
            }
            // The override says the type; the field's Rust type only has to hold it: a Vec
            // of the element's for an array, else text.
            rust_holder(&col.ty, table_schema, enums)
        }
    };
    out.rust = if col.nullable {
        format!("Option<{base}>")
    } else {
        base
    };
    out
}

/// The Rust type for `ty` (keys and features added to `out`), or `None` where only
/// `sql_type` says it.
fn base_type(
    ty: &Type,
    table_schema: Option<&str>,
    enums: &EnumNames,
    out: &mut FieldType,
) -> Option<String> {
    let plain = |s: &str| Some(s.to_owned());
    match ty {
        Type::SmallInt => plain("i16"),
        Type::Integer => plain("i32"),
        Type::BigInt => plain("i64"),
        Type::Real => plain("f32"),
        Type::Double => plain("f64"),
        Type::Boolean => plain("bool"),
        Type::Varchar(None) => plain("String"),
        Type::Varchar(Some(n)) => {
            out.keys.push(format!("length = {n}"));
            plain("String")
        }
        Type::Text => {
            out.keys.push("text".to_owned());
            plain("String")
        }
        Type::Char(n) => {
            out.keys.push(match n {
                Some(n) => format!("char = {n}"),
                None => "char".to_owned(),
            });
            plain("String")
        }
        Type::Numeric { precision, scale } => {
            out.features.insert("decimal");
            match (precision, scale) {
                (None, _) => {}
                (Some(p), None) => out.keys.push(format!("numeric({p})")),
                (Some(p), Some(s)) => out.keys.push(format!("numeric({p}, {s})")),
            }
            plain("rust_decimal::Decimal")
        }
        Type::Date => chrono(out, "chrono::NaiveDate"),
        Type::Time { tz } => {
            if *tz {
                out.keys.push("timetz".to_owned());
            }
            chrono(out, "chrono::NaiveTime")
        }
        Type::Timestamp { tz: false } => chrono(out, "chrono::NaiveDateTime"),
        Type::Timestamp { tz: true } => chrono(out, "chrono::DateTime<chrono::Utc>"),
        Type::Interval => chrono(out, "chrono::TimeDelta"),
        Type::Uuid => {
            out.features.insert("uuid");
            plain("uuid::Uuid")
        }
        Type::Json | Type::Jsonb => {
            out.features.insert("json");
            if matches!(ty, Type::Json) {
                out.keys.push("json".to_owned());
            }
            plain("serde_json::Value")
        }
        Type::Binary => plain("Vec<u8>"),
        Type::Enum(r) => {
            let schema = r.schema.clone().or_else(|| table_schema.map(str::to_owned));
            enums
                .get(&(schema, r.name.clone()))
                .or_else(|| enums.get(&(None, r.name.clone())))
                .cloned()
        }
        Type::Array(inner) => {
            // The derive maps `Vec<T>` to an array of T's own type, and a length reaches the
            // innermost text type; any other key of the element cannot be said on a Vec.
            let mut inner_out = FieldType::default();
            let rust = base_type(inner, table_schema, enums, &mut inner_out)?;
            if rust == "Vec<u8>" || inner_out.keys.iter().any(|k| !k.starts_with("length = ")) {
                return None;
            }
            out.keys.extend(inner_out.keys);
            out.features.extend(inner_out.features);
            Some(format!("Vec<{rust}>"))
        }
        _ => None,
    }
}

/// A Rust type for a column whose SQL type `sql_type` says: `Vec<..>` of the element's own
/// type for an array (`Vec<String>` for `TEXT[]`), `String` for anything else.
fn rust_holder(ty: &Type, table_schema: Option<&str>, enums: &EnumNames) -> String {
    match ty {
        Type::Array(inner) => {
            let mut scratch = FieldType::default();
            let element = base_type(inner, table_schema, enums, &mut scratch)
                .filter(|_| scratch.features.is_empty())
                .unwrap_or_else(|| rust_holder(inner, table_schema, enums));
            format!("Vec<{element}>")
        }
        _ => "String".to_owned(),
    }
}

fn chrono(out: &mut FieldType, rust: &str) -> Option<String> {
    out.features.insert("chrono");
    Some(rust.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::schema::EnumRef;

    fn of(ty: Type, nullable: bool) -> FieldType {
        let mut enums = EnumNames::new();
        enums.insert((None, "mpaa_rating".into()), "MpaaRating".into());
        let col = Column::new("c", ty).nullable(nullable);
        field_type(&col, None, &enums, &retort_dialect::postgres::Postgres)
    }

    #[test]
    fn types_map_to_the_derives_rust_types_and_keys() {
        let t = of(Type::Varchar(Some(20)), true);
        assert_eq!(
            (t.rust.as_str(), t.keys),
            ("Option<String>", vec!["length = 20".to_owned()])
        );
        let t = of(
            Type::Numeric {
                precision: Some(5),
                scale: Some(2),
            },
            false,
        );
        assert_eq!(t.rust, "rust_decimal::Decimal");
        assert_eq!(t.keys, ["numeric(5, 2)"]);
        assert!(t.features.contains("decimal"));
        assert_eq!(
            of(Type::Enum(EnumRef::new("mpaa_rating")), false).rust,
            "MpaaRating"
        );
        let t = of(Type::Array(Box::new(Type::Text)), false);
        assert_eq!(
            (t.rust.as_str(), t.keys),
            ("Vec<String>", vec![r#"sql_type = "TEXT[]""#.to_owned()])
        );
        let t = of(Type::Array(Box::new(Type::Varchar(Some(3)))), false);
        assert_eq!(
            (t.rust.as_str(), t.keys),
            ("Vec<String>", vec!["length = 3".to_owned()])
        );
        let t = of(Type::Custom("tsvector".into()), false);
        assert_eq!(
            (t.rust.as_str(), t.keys),
            ("String", vec![r#"sql_type = "tsvector""#.to_owned()])
        );
    }
}
