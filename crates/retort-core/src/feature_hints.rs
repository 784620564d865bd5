//! Compile errors that name the Cargo feature a field's type needs.
//!
//! `#[diagnostic::on_unimplemented]` cannot tell one type from another, so the note on
//! [`ColumnType`] lists every feature. For a field whose type *looks like* one of an optional
//! crate (`chrono::NaiveDate`, `Uuid`, `rust_decimal::Decimal`, `serde_json::Value`), the
//! derive goes through one of these traits instead: each is [`ColumnType`] under another name
//! (implemented for every `ColumnType`), so a type that has the mapping is unaffected, and one
//! that lacks it is reported with the one feature that would give it. Not for hand use.
//! (The attribute takes literal strings only, hence four spelled-out traits.)

use crate::model::ColumnType;
use crate::schema::{EnumType, Type};

macro_rules! forward_column_type {
    ($name:ident) => {
        impl<T: ColumnType> $name for T {
            const NULLABLE: bool = T::NULLABLE;
            fn column_type() -> Type {
                T::column_type()
            }
            fn enum_types() -> Vec<EnumType> {
                T::enum_types()
            }
        }
    };
}

/// A `chrono` type: needs the `chrono` feature.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no column type: it is a chrono type, and Retort's `chrono` feature is off",
    label = "needs `retort = {{ version = \"..\", features = [\"chrono\"] }}`",
    note = "enable the `chrono` feature of `retort` in Cargo.toml; or, if this is not the chrono type, implement `ColumnType` for it or give the SQL type: `#[retort(sql_type = \"..\")]`"
)]
pub trait NeedsChrono {
    const NULLABLE: bool;
    fn column_type() -> Type;
    fn enum_types() -> Vec<EnumType>;
}
forward_column_type!(NeedsChrono);

/// `uuid::Uuid`: needs the `uuid` feature.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no column type: it is a uuid type, and Retort's `uuid` feature is off",
    label = "needs `retort = {{ version = \"..\", features = [\"uuid\"] }}`",
    note = "enable the `uuid` feature of `retort` in Cargo.toml; or, if this is not the uuid type, implement `ColumnType` for it or give the SQL type: `#[retort(sql_type = \"..\")]`"
)]
pub trait NeedsUuid {
    const NULLABLE: bool;
    fn column_type() -> Type;
    fn enum_types() -> Vec<EnumType>;
}
forward_column_type!(NeedsUuid);

/// `serde_json::Value`: needs the `json` feature.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no column type: it is a serde_json type, and Retort's `json` feature is off",
    label = "needs `retort = {{ version = \"..\", features = [\"json\"] }}`",
    note = "enable the `json` feature of `retort` in Cargo.toml; or, if this is not the serde_json type, implement `ColumnType` for it or give the SQL type: `#[retort(sql_type = \"..\")]`"
)]
pub trait NeedsJson {
    const NULLABLE: bool;
    fn column_type() -> Type;
    fn enum_types() -> Vec<EnumType>;
}
forward_column_type!(NeedsJson);

/// `rust_decimal::Decimal`: needs the `decimal` feature.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no column type: it is a rust_decimal type, and Retort's `decimal` feature is off",
    label = "needs `retort = {{ version = \"..\", features = [\"decimal\"] }}`",
    note = "enable the `decimal` feature of `retort` in Cargo.toml; or, if this is not the rust_decimal type, implement `ColumnType` for it or give the SQL type: `#[retort(sql_type = \"..\")]`"
)]
pub trait NeedsDecimal {
    const NULLABLE: bool;
    fn column_type() -> Type;
    fn enum_types() -> Vec<EnumType>;
}
forward_column_type!(NeedsDecimal);
