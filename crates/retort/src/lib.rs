//! Retort: relational data modeling and version-controlled schema migrations for Rust.
//!
//! This crate is a facade: it re-exports the pieces that live in their own crates.
//!
//! * models: `#[derive(Model)]` structs (see [`prelude`]) collected into a [`MetaData`];
//! * DDL: [`dialect`] renders a `MetaData` for a database (`create_all`, `drop_all`).
//!
//! ```ignore
//! use retort::prelude::*;
//!
//! #[derive(Model)]
//! #[retort(table = "customers")]
//! pub struct Customer {
//!     #[retort(primary_key, identity = "always")]
//!     pub customer_id: i32,
//!     pub email_address: String,
//! }
//! ```

/// The core data model, for code that needs more than the prelude (and for derive output).
pub use retort_core as core;
pub use retort_core::{
    schema, BelongsTo, ColumnType, DbEnum, HasMany, HasOne, ManyToMany, MetaData, Model, Table,
    Type,
};
/// SQL dialects.
pub use retort_dialect as dialect;
pub use retort_derive::{DbEnum, Model};

/// What a models module needs: `use retort::prelude::*;`.
pub mod prelude {
    pub use retort_core::schema::{
        Check, Column, Computed, Deferrable, EnumType, FkAction, ForeignKey, Identity,
        IdentityGeneration, Index, IndexElement, Literal, NamingConvention, ServerDefault, Table,
        Type, Unique,
    };
    pub use retort_core::{
        BelongsTo, ColumnType, DbEnum, HasMany, HasOne, ManyToMany, MetaData, Model,
    };
    pub use retort_derive::{DbEnum, Model};
}
