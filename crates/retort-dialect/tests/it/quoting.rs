//! Quoting, literals and the errors that stand in for anything a database cannot express.

use retort_core::{Column, Computed, ForeignKey, Literal, MetaData, Table, Type};
use retort_dialect::{Dialect, DialectError, Postgres, TableName};

/// A dialect that overrides nothing: the standard-SQL defaults.
struct Standard;

impl Dialect for Standard {
    fn name(&self) -> &'static str {
        "standard SQL"
    }
}

#[test]
fn identifiers_are_quoted_exactly_when_needed() {
    let pg = Postgres;
    let cases = [
        ("customers", "customers"),
        ("_x1", "_x1"),
        ("select", "\"select\""),
        ("Select", "\"Select\""),
        ("user", "\"user\""),
        ("integer", "\"integer\""), // pg_dump quotes col_name keywords too
        ("MixedCase", "\"MixedCase\""),
        ("1st", "\"1st\""),
        ("has space", "\"has space\""),
        ("dollar$", "\"dollar$\""),
        ("naïve", "\"naïve\""),
        (r#"x"; DROP TABLE y;--"#, r#""x""; DROP TABLE y;--""#),
        (r#""""#, r#""""""""#),
    ];
    for (ident, quoted) in cases {
        assert_eq!(pg.quote_identifier(ident).unwrap(), quoted, "{ident}");
    }
    assert_eq!(
        pg.qualified_name(Some("My Schema"), "t").unwrap(),
        "\"My Schema\".t"
    );
}

#[test]
fn names_no_quoting_can_carry_are_errors() {
    let pg = Postgres;
    for bad in ["a\0b", ""] {
        let err = pg.quote_identifier(bad).unwrap_err();
        assert!(
            matches!(&err, DialectError::InvalidIdentifier { ident, .. } if ident == bad),
            "{err}"
        );
    }
    // PostgreSQL would silently truncate it to 63 bytes; the standard default has no limit.
    let long = "a".repeat(64);
    let err = pg.quote_identifier(&long).unwrap_err();
    assert!(err.to_string().contains("63"), "{err}");
    assert!(pg.quote_identifier(&"a".repeat(63)).is_ok());
    assert!(Standard.quote_identifier(&long).is_ok());
    // A NUL inside a table name fails the whole create_all, not just one statement.
    let md = MetaData::new().table(Table::new("t\0").column(Column::new("a", Type::Integer)));
    assert!(matches!(
        pg.create_all(&md),
        Err(DialectError::InvalidIdentifier { .. })
    ));
}

#[test]
fn literals_are_standard_conforming_and_never_injectable() {
    let pg = Postgres;
    let text = |s: &str| pg.literal(&Literal::Text(s.into())).unwrap();
    assert_eq!(text("plain"), "'plain'");
    assert_eq!(text("it's"), "'it''s'");
    assert_eq!(text(r"back\slash"), r"'back\slash'");
    assert_eq!(text(r"\'); DROP TABLE y;--"), r"'\''); DROP TABLE y;--'");
    assert_eq!(text("café ✓"), "'café ✓'");
    assert!(matches!(
        pg.literal(&Literal::Text("a\0".into())),
        Err(DialectError::InvalidLiteral { .. })
    ));
    assert_eq!(
        pg.literal(&Literal::Number("-9.5e3".into())).unwrap(),
        "-9.5e3"
    );
    assert!(matches!(
        pg.literal(&Literal::Number("1; DROP TABLE y".into())),
        Err(DialectError::InvalidLiteral { .. })
    ));
    assert_eq!(
        pg.literal(&Literal::Int(i64::MIN)).unwrap(),
        i64::MIN.to_string()
    );
    assert_eq!(pg.literal(&Literal::Bool(true)).unwrap(), "TRUE");
    assert_eq!(pg.literal(&Literal::Null).unwrap(), "NULL");
}

#[test]
fn what_a_dialect_lacks_is_unsupported_not_a_panic() {
    let unsupported = |r: Result<String, DialectError>| match r {
        Err(DialectError::Unsupported {
            dialect,
            what,
            hint,
        }) => {
            assert!(!hint.is_empty());
            format!("{dialect}: {what}")
        }
        other => panic!("expected Unsupported, got {other:?}"),
    };
    // The standard defaults: no UUID, JSONB, enums or arrays; no index extras.
    assert_eq!(
        unsupported(Standard.column_type(&Type::Uuid)),
        "standard SQL: the column type Uuid"
    );
    unsupported(Standard.column_type(&Type::Jsonb));
    unsupported(Standard.column_type(&Type::enumeration("mood")));
    unsupported(Standard.column_type(&Type::array(Type::Integer)));
    unsupported(Standard.create_enum_type(&retort_core::EnumType::new("mood", ["a"])));
    let t = TableName::new(None, "t");
    let ix = retort_core::Index::on_columns(["a"]).name("ix");
    unsupported(Standard.create_index(t, &ix.clone().method("gin")));
    unsupported(Standard.create_index(t, &ix.clone().include(["b"])));
    assert_eq!(
        Standard
            .create_index(t, &ix.clone().predicate("a > 0"))
            .unwrap(),
        "CREATE INDEX ix ON t (a) WHERE a > 0"
    );
    // The standard dialect does not know how a database names an unnamed key.
    let fk = ForeignKey::new(["b"], "u", ["id"]);
    assert!(matches!(
        Standard.add_foreign_key(t, &fk),
        Err(DialectError::Unnamed { .. })
    ));
    assert_eq!(
        Postgres.add_foreign_key(t, &fk).unwrap(),
        "ALTER TABLE t ADD CONSTRAINT t_b_fkey FOREIGN KEY (b) REFERENCES u (id)"
    );
    // PostgreSQL: virtual generated columns, scale without precision.
    let virtual_col = Column::new("v", Type::Integer).computed(Computed {
        expr: "1".into(),
        stored: false,
    });
    unsupported(Postgres.column_definition(&virtual_col));
    unsupported(Postgres.column_type(&Type::Numeric {
        precision: None,
        scale: Some(2),
    }));
    // A column cannot be identity and defaulted at once.
    let both = Column::new("id", Type::Integer)
        .identity(retort_core::Identity::always())
        .server_default(retort_core::ServerDefault::int(1));
    unsupported(Postgres.column_definition(&both));
    // An index must index something.
    assert!(Postgres
        .create_index(t, &retort_core::Index::on_columns(Vec::<String>::new()))
        .is_err());
}

#[test]
fn an_invalid_model_is_reported_with_every_schema_error() {
    let md = MetaData::new().table(
        Table::new("orders")
            .column(Column::new("id", Type::Integer))
            .primary_key(["missing"])
            .foreign_key(ForeignKey::new(["id"], "ghosts", ["id"])),
    );
    for result in [Postgres.create_all(&md), Postgres.drop_all(&md)] {
        match result {
            Err(DialectError::InvalidSchema(errors)) => assert_eq!(errors.errors().len(), 2),
            other => panic!("expected InvalidSchema, got {other:?}"),
        }
    }
}

#[test]
fn a_table_without_columns_is_rendered_empty() {
    let md = MetaData::new().table(Table::new("empty"));
    assert_eq!(Postgres.create_all(&md).unwrap(), ["CREATE TABLE empty ()"]);
}
