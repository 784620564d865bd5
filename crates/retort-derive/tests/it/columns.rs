//! Column types (through `ColumnType`, and overrides), nullability, identity, defaults,
//! computed columns, renames and comments.

use retort::core::{Column, ColumnType, Computed, Identity, Literal, ServerDefault, Type};
use retort::prelude::*;

/// A user type mapped by hand: the derive must accept it like a built-in.
pub struct Money(#[allow(dead_code)] i64);
impl ColumnType for Money {
    fn column_type() -> Type {
        Type::numeric(12, 2)
    }
}

/// An alias must resolve through the trait, not by its spelling.
type Email = String;
type MaybeNote = Option<String>;

/// No `ColumnType` at all: only usable with a type override.
pub struct TsVector;

#[derive(Model)]
#[allow(dead_code)]
struct Everything {
    small: i16,
    int: i32,
    big: i64,
    single: f32,
    double: f64,
    flag: bool,
    name: String,
    maybe_name: Option<String>,
    bytes: Vec<u8>,
    ints: Vec<i32>,
    tags: Option<Vec<String>>,
    day: chrono::NaiveDate,
    at: chrono::NaiveDateTime,
    at_tz: chrono::DateTime<chrono::Utc>,
    at_local: Option<chrono::DateTime<chrono::FixedOffset>>,
    clock: chrono::NaiveTime,
    id: uuid::Uuid,
    doc: serde_json::Value,
    amount: rust_decimal::Decimal,
    money: Money,
    email: Email,
    note: MaybeNote,
}

fn column(t: &retort::Table, name: &str) -> Column {
    t.get_column(name)
        .unwrap_or_else(|| panic!("table {} has no column {name}: {t:#?}", t.name))
        .clone()
}

#[test]
fn rust_types_map_through_column_type() {
    let t = Everything::table();
    let expect = [
        ("small", Type::SmallInt, false),
        ("int", Type::Integer, false),
        ("big", Type::BigInt, false),
        ("single", Type::Real, false),
        ("double", Type::Double, false),
        ("flag", Type::Boolean, false),
        ("name", Type::Varchar(None), false),
        ("maybe_name", Type::Varchar(None), true),
        ("bytes", Type::Binary, false),
        ("ints", Type::array(Type::Integer), false),
        ("tags", Type::array(Type::Varchar(None)), true),
        ("day", Type::Date, false),
        ("at", Type::Timestamp { tz: false }, false),
        ("at_tz", Type::Timestamp { tz: true }, false),
        ("at_local", Type::Timestamp { tz: true }, true),
        ("clock", Type::Time { tz: false }, false),
        ("id", Type::Uuid, false),
        ("doc", Type::Jsonb, false),
        (
            "amount",
            Type::Numeric {
                precision: None,
                scale: None,
            },
            false,
        ),
        ("money", Type::numeric(12, 2), false),
        ("email", Type::Varchar(None), false),
        ("note", Type::Varchar(None), true),
    ];
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    let expected_names: Vec<&str> = expect.iter().map(|e| e.0).collect();
    assert_eq!(names, expected_names, "columns keep field order");
    for (name, ty, nullable) in expect {
        let c = column(&t, name);
        assert_eq!(c.ty, ty, "type of {name}");
        assert_eq!(c.nullable, nullable, "nullability of {name}");
        assert_eq!(c.identity, None);
        assert_eq!(c.server_default, None);
    }
    assert_eq!(
        t.name, "everything",
        "default table name is the snake_case struct name"
    );
    assert_eq!(Everything::MODEL_NAME, "Everything");
    assert_eq!(t.model.as_deref(), Some("Everything"));
    assert_eq!(t.primary_key, None);
}

#[derive(Model)]
#[retort(table = "overrides", schema = "app", comment = "types by attribute")]
#[allow(dead_code)]
struct Overrides {
    #[retort(varchar = 255)]
    a: String,
    #[retort(varchar(40))]
    b: Option<String>,
    #[retort(text)]
    description: Option<String>,
    #[retort(char = 3)]
    currency: String,
    #[retort(char)]
    grade: String,
    #[retort(numeric(10, 2))]
    price: f64,
    #[retort(numeric(5))]
    whole: i64,
    #[retort(json)]
    raw: serde_json::Value,
    #[retort(jsonb)]
    doc_text: String,
    #[retort(sql_type = "tsvector")]
    search: TsVector,
    #[retort(sql_type = "tsvector")]
    maybe_search: Option<TsVector>,
    #[retort(timestamptz, nullable)]
    seen_at: String,
    #[retort(bigint, nullable = false)]
    counter: Option<i32>,
}

#[test]
fn attributes_override_the_sql_type() {
    let t = Overrides::table();
    assert_eq!(t.schema.as_deref(), Some("app"));
    assert_eq!(t.comment.as_deref(), Some("types by attribute"));
    let expect = [
        ("a", Type::Varchar(Some(255)), false),
        ("b", Type::Varchar(Some(40)), true),
        ("description", Type::Text, true),
        ("currency", Type::Char(Some(3)), false),
        ("grade", Type::Char(None), false),
        ("price", Type::numeric(10, 2), false),
        (
            "whole",
            Type::Numeric {
                precision: Some(5),
                scale: None,
            },
            false,
        ),
        ("raw", Type::Json, false),
        ("doc_text", Type::Jsonb, false),
        ("search", Type::custom("tsvector"), false),
        ("maybe_search", Type::custom("tsvector"), true),
        ("seen_at", Type::Timestamp { tz: true }, true),
        ("counter", Type::BigInt, false),
    ];
    for (name, ty, nullable) in expect {
        let c = column(&t, name);
        assert_eq!((c.ty, c.nullable), (ty, nullable), "column {name}");
    }
}

#[derive(Model)]
#[allow(dead_code)]
struct Defaults {
    #[retort(primary_key, identity = "always")]
    id: i32,
    #[retort(identity = "by_default", identity_start = 1000, identity_increment = -2)]
    seq: Option<i64>,
    #[retort(server_default = "now()")]
    created_at: chrono::DateTime<chrono::Utc>,
    #[retort(default_value = 5)]
    qty: i32,
    #[retort(default_value = -1)]
    delta: i32,
    #[retort(default_value = "it's new")]
    status: String,
    #[retort(default_value = true)]
    active: bool,
    #[retort(default_value = 9.99)]
    price: f64,
    #[retort(computed = "qty * price")]
    total: Option<f64>,
    #[retort(column = "type", comment = "what kind of row")]
    kind: String,
    r#ref: i32,
}

#[test]
fn identity_defaults_computed_and_renames() {
    let t = Defaults::table();
    assert_eq!(
        t.primary_key.as_ref().map(|p| p.columns.clone()),
        Some(vec!["id".to_string()])
    );
    let id = column(&t, "id");
    assert_eq!(id.identity.as_deref(), Some(&Identity::always()));
    assert!(!id.nullable);

    let seq = column(&t, "seq");
    assert_eq!(
        seq.identity.as_deref(),
        Some(&Identity::by_default().start(1000).increment(-2))
    );
    assert!(
        !seq.nullable,
        "an identity column is NOT NULL even when the field is an Option"
    );

    let defaults = [
        ("created_at", ServerDefault::expr("now()")),
        ("qty", ServerDefault::Literal(Literal::Int(5))),
        ("delta", ServerDefault::Literal(Literal::Int(-1))),
        (
            "status",
            ServerDefault::Literal(Literal::Text("it's new".into())),
        ),
        ("active", ServerDefault::Literal(Literal::Bool(true))),
        (
            "price",
            ServerDefault::Literal(Literal::Number("9.99".into())),
        ),
    ];
    for (name, d) in defaults {
        assert_eq!(
            column(&t, name).server_default,
            Some(d),
            "default of {name}"
        );
    }
    assert_eq!(
        column(&t, "total").computed,
        Some(Computed::stored("qty * price"))
    );
    assert!(column(&t, "total").nullable);

    let kind = column(&t, "type");
    assert_eq!(kind.comment.as_deref(), Some("what kind of row"));
    assert!(
        t.get_column("kind").is_none(),
        "the field name is replaced by `column`"
    );
    assert!(
        t.get_column("ref").is_some(),
        "raw identifiers lose their r#"
    );
}

/// Every identity option SQLAlchemy's `Identity(...)` takes.
#[derive(Model)]
#[allow(dead_code)]
#[retort(table = "tickets")]
struct Tickets {
    #[retort(
        primary_key,
        identity = "always",
        identity_minvalue = 10,
        identity_maxvalue = 1000,
        identity_cycle,
        identity_cache = 20
    )]
    id: i32,
}

#[test]
fn identity_minvalue_maxvalue_cycle_and_cache() {
    let t = Tickets::table();
    assert_eq!(
        column(&t, "id").identity.as_deref(),
        Some(
            &Identity::always()
                .minvalue(10)
                .maxvalue(1000)
                .cycle()
                .cache(20)
        )
    );
}

/// A row the runtime reads and writes, and one field it cannot.
#[derive(Model)]
#[allow(dead_code)]
#[retort(table = "readings")]
struct Reading {
    #[retort(primary_key)]
    id: i64,
    sensor: i32,
    label: String,
    note: Option<String>,
    ok: bool,
    at: chrono::DateTime<chrono::Utc>,
    clock: chrono::NaiveTime,
}

#[test]
fn value_at_reads_one_column_as_to_values_would() {
    use retort::core::record::{Record, Value, ValueKind};
    let r = Reading {
        id: 7,
        sensor: 3,
        label: "north".into(),
        note: None,
        ok: true,
        at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        clock: chrono::NaiveTime::MIN,
    };
    // The runtime reads a loaded child's foreign key this way, one field, no other value built.
    assert_eq!(r.value_at(0).unwrap(), Value::I64(7));
    assert_eq!(r.value_at(1).unwrap(), Value::I32(3));
    assert_eq!(r.value_at(2).unwrap(), Value::Text("north".into()));
    assert_eq!(r.value_at(3).unwrap(), Value::Null(ValueKind::Text));
    assert_eq!(r.value_at(4).unwrap(), Value::Bool(true));
    assert!(matches!(r.value_at(5).unwrap(), Value::DateTimeUtc(_)));
    // A field the runtime cannot write is refused by name, as `to_values` refuses it.
    let e = r.value_at(6).unwrap_err();
    assert_eq!(e.field, "clock");
    assert_eq!(r.to_values().unwrap_err().field, "clock");
    // Past the last column: an error that says how many there are.
    let e = r.value_at(7).unwrap_err();
    assert!(e.problem.contains("7 columns"), "{}", e.problem);
}
