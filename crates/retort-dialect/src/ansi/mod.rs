//! The standard-SQL behaviour behind [`crate::Dialect`]'s default methods, as free functions
//! generic over the dialect so an override can call back into the default for the cases it
//! does not change (`postgres::Postgres::column_type` handles UUID and arrays, then defers).

pub mod alter;
pub mod alter_column;
pub mod ddl;
pub mod entities;
pub mod keywords;
pub mod ops;
pub mod quote;
pub mod storage;
pub mod types;
