//! Retort's core: pure data, no I/O.
//!
//! * [`schema`]: the relational model ([`MetaData`], [`Table`], [`Column`], [`Type`],
//!   constraints, indexes, relationships, naming conventions) and its validation.
//! * [`model`]: the traits `#[derive(Model)]` implements ([`Model`], [`ColumnType`]) and the
//!   relationship marker types ([`HasMany`], [`BelongsTo`], [`HasOne`], [`ManyToMany`]).
//! * [`ops`]: migration operations as plain data ([`ops::Op`]), recorded by
//!   [`ops::Operations`], reversed ([`ops::Op::reverse`]) and replayed into a schema
//!   ([`ops::Op::apply`]).
//! * [`diff`]: autogenerate's comparison of two [`MetaData`] into ops, split by object kind.
//! * [`graph`]: the revision graph (heads, bases, branches, merges, identifier resolution,
//!   upgrade/downgrade and stamp plans) with typed errors.
//!
//! Everything here is plain data: building, comparing and rewriting a schema never touches
//! a database, so every dialect, the diff and the revision graph can be tested in memory.

pub mod diff;
#[doc(hidden)]
pub mod feature_hints;
pub mod graph;
pub mod model;
pub mod ops;
pub mod record;
pub mod schema;

pub use model::{
    BelongsTo, ColumnType, DbEnum, HasMany, HasOne, LengthColumnType, ManyToMany, Model,
};
pub use schema::*;
