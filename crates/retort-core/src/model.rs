//! What `#[derive(Model)]` implements, and how Rust types map to column types.
//!
//! Column types are resolved through the [`ColumnType`] trait rather than by reading type
//! names in the macro, so type aliases and user types work, and a type with no mapping is a
//! compile error pointing at the field (`the trait ColumnType is not implemented for ...`).

use std::fmt;
use std::marker::PhantomData;

use crate::schema::{EnumType, Table, Type};

/// A Rust struct that describes a table. Implemented by `#[derive(Model)]`.
pub trait Model {
    /// The Rust type name, for messages and relationships.
    const MODEL_NAME: &'static str;
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The table, with columns, constraints, indexes and relationships.
    fn table() -> Table;
    /// Enum types the table's columns use.
    fn enum_types() -> Vec<EnumType> {
        Vec::new()
    }
    /// Standalone sequences the model declares (`#[retort(sequence(name = ..))]`), which
    /// its columns may use as defaults.
    fn sequences() -> Vec<crate::Sequence> {
        Vec::new()
    }
}

/// A Rust type that maps to a column type. `Option<T>` maps to a nullable `T`.
///
/// A field whose type has no mapping is a compile error at the field; the notes say the two
/// usual causes: a type of an optional crate whose Retort feature is off, and a type Retort
/// does not map at all (give the SQL type instead).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no column type: Retort does not map it to SQL",
    label = "no `ColumnType` for `{Self}`",
    note = "types of optional crates need Retort's feature for that crate: chrono (`NaiveDate`, `NaiveDateTime`, `DateTime<Utc>`, ...) needs `chrono`, `uuid::Uuid` needs `uuid`, `serde_json::Value` needs `json`, `rust_decimal::Decimal` needs `decimal`: `retort = {{ version = \"..\", features = [\"chrono\"] }}`",
    note = "for any other type, give the SQL type on the field: `#[retort(sql_type = \"tsvector\")]` (or a type key such as `text`, `jsonb`, `varchar(255)`), or implement `ColumnType` for it"
)]
pub trait ColumnType {
    /// Whether the column is nullable by default (`Option<T>`).
    const NULLABLE: bool = false;
    /// The column type a field of this Rust type gets (`i64` is `BigInt`, `String` unbounded
    /// `Varchar`).
    fn column_type() -> Type;
    /// Enum types this column type needs defined (for `#[derive(DbEnum)]` types).
    fn enum_types() -> Vec<EnumType> {
        Vec::new()
    }
}

/// A Rust enum stored as a named database enum type. Implemented by `#[derive(DbEnum)]`.
pub trait DbEnum {
    /// The enum type: its name and the values the variants are stored as, in declaration order.
    fn enum_type() -> EnumType;
}

impl<T: ColumnType> ColumnType for Option<T> {
    const NULLABLE: bool = true;
    fn column_type() -> Type {
        T::column_type()
    }
    fn enum_types() -> Vec<EnumType> {
        T::enum_types()
    }
}

macro_rules! column_types {
    ($($rust:ty => $ty:expr),* $(,)?) => {
        $(impl ColumnType for $rust {
            fn column_type() -> Type { $ty }
        })*
    };
}

column_types! {
    i16 => Type::SmallInt,
    i32 => Type::Integer,
    i64 => Type::BigInt,
    f32 => Type::Real,
    f64 => Type::Double,
    bool => Type::Boolean,
    String => Type::Varchar(None),
    Vec<u8> => Type::Binary,
}

/// `Vec<T>` is an array of `T`'s type, nested as deep as the `Vec`s are (`Vec<Vec<i32>>` is
/// `INTEGER[][]`), and `Vec<String>` is `VARCHAR[]` as `String` is `VARCHAR`. `Vec<u8>` is
/// the exception, bytes (`u8` is no column type, so the two impls cannot overlap). PostgreSQL
/// keeps one array type whatever the dimensions, so the nesting documents the shape and
/// equality ignores it; SQLite has no arrays and refuses them with a hint.
impl<T: ColumnType> ColumnType for Vec<T> {
    fn column_type() -> Type {
        Type::array(T::column_type())
    }
    fn enum_types() -> Vec<EnumType> {
        T::enum_types()
    }
}

/// A column type that takes a length: `#[retort(length = 20)]` on a `String` is
/// `VARCHAR(20)`, on a `Vec<Vec<String>>` `VARCHAR(20)[][]` (the length sizes the innermost
/// element), through `Option` too.
#[diagnostic::on_unimplemented(
    message = "`length` does not apply to `{Self}`",
    label = "not a text type, nor an Option or Vec of one",
    note = "`length = n` sizes `String` fields (and `Option`s and `Vec`s of them); for another \
            type give the whole type, as in `sql_type = \"..\"`"
)]
pub trait LengthColumnType: ColumnType {
    /// The type with `length` sizing its text (`VARCHAR(length)`), arrays and options kept.
    fn column_type_with_length(length: u32) -> Type;
}

impl LengthColumnType for String {
    fn column_type_with_length(length: u32) -> Type {
        Type::Varchar(Some(length))
    }
}

impl<T: LengthColumnType> LengthColumnType for Option<T> {
    fn column_type_with_length(length: u32) -> Type {
        T::column_type_with_length(length)
    }
}

impl<T: LengthColumnType> LengthColumnType for Vec<T> {
    fn column_type_with_length(length: u32) -> Type {
        Type::array(T::column_type_with_length(length))
    }
}

#[cfg(feature = "chrono")]
column_types! {
    chrono::NaiveDate => Type::Date,
    chrono::NaiveTime => Type::Time { tz: false },
    chrono::NaiveDateTime => Type::Timestamp { tz: false },
    chrono::DateTime<chrono::Utc> => Type::Timestamp { tz: true },
    chrono::DateTime<chrono::FixedOffset> => Type::Timestamp { tz: true },
    chrono::DateTime<chrono::Local> => Type::Timestamp { tz: true },
    chrono::TimeDelta => Type::Interval,
}

#[cfg(feature = "uuid")]
column_types! { uuid::Uuid => Type::Uuid }

#[cfg(feature = "json")]
column_types! { serde_json::Value => Type::Jsonb }

#[cfg(feature = "decimal")]
column_types! { rust_decimal::Decimal => Type::Numeric { precision: None, scale: None } }

macro_rules! relationship_marker {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name<T>(PhantomData<fn() -> T>);
        impl<T> Default for $name<T> {
            fn default() -> Self { Self(PhantomData) }
        }
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self { Self(PhantomData) }
        }
        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "<{}>"), std::any::type_name::<T>())
            }
        }
    };
}

relationship_marker!(
    /// One-to-many: rows of `T` refer to this model (`T` holds the foreign key).
    HasMany
);
relationship_marker!(
    /// One-to-one from the referenced side: one row of `T` refers to this model.
    HasOne
);
relationship_marker!(
    /// Many-to-one: this model refers to one `T` (this table holds the foreign key).
    BelongsTo
);
relationship_marker!(
    /// Many-to-many through an association table (`#[retort(secondary = "...")]`).
    ManyToMany
);
