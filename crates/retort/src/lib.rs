//! Retort: relational data modeling and version-controlled schema migrations for Rust.
//!
//! This crate is a facade: it re-exports the pieces that live in their own crates.
//!
//! * models: `#[derive(Model)]` structs (see [`prelude`]) collected into a [`MetaData`];
//! * DDL: [`dialect`] renders a `MetaData` for a database (`create_all`, `drop_all`);
//! * revision scripts: `use retort::migration::*;` ([`migration`]);
//! * with the `migrate` feature, the engine: [`versions!`] (the scripts a `build.rs` with
//!   `retort-build` compiled in) and [`migrate()`](fn@migrate) to bring a database to head
//!   at start-up, with no command-line code compiled;
//! * with the `cli` feature (which includes `migrate`), the migrations binary:
//!   `retort::cli::main` and `Environment`.
//!
//! Features: `migrate` and `cli` (above), and the backends they can connect to, `postgres` and `sqlite`,
//! with `tls` (rustls) for PostgreSQL; the three are on by default. A PostgreSQL-only
//! project turns the defaults off and asks for `cli`, `postgres`, `tls`, and compiles no
//! SQLite.
//!
//! ```
//! use retort::prelude::*;
//!
//! #[derive(Model)]
//! #[retort(table = "customers")]
//! pub struct Customer {
//!     #[retort(primary_key, identity = "always")]
//!     pub customer_id: i32,
//!     pub email_address: String,
//! }
//!
//! let metadata = MetaData::new().with::<Customer>();
//! metadata.validate().expect("a consistent model");
//! let customers = &metadata.tables()[0];
//! assert_eq!(customers.name, "customers");
//! assert_eq!(customers.columns[1].ty, Type::Varchar(None));
//! assert!(!customers.columns[1].nullable, "String is NOT NULL");
//! ```

/// The core data model, for code that needs more than the prelude (and for derive output).
pub use retort_core as core;
pub use retort_core::{
    schema, BelongsTo, ColumnType, DbEnum, HasMany, HasOne, ManyToMany, MetaData, Model, Table,
    Type,
};
pub use retort_derive::{DbEnum, Model};
/// SQL dialects.
pub use retort_dialect as dialect;

/// What a models module needs: `use retort::prelude::*;`.
pub mod prelude {
    pub use retort_core::schema::{
        conv, Check, Column, Computed, Conv, Deferrable, DialectKind, Entity, EnumType, Exclude,
        ExcludeElement, Extension, FkAction, FkMatch, ForeignKey, Function, Identity,
        IdentityGeneration, Index, IndexElement, Literal, MaterializedView, NamingConvention,
        SchemaComment, Sequence, SequenceOptions, Serial, ServerDefault, Table, Trigger, Type,
        Unique, View,
    };
    pub use retort_core::schema::{Aggregate, Domain, Rule};
    pub use retort_core::schema::{Grant, Policy, RowLevelSecurity};
    pub use retort_core::{
        BelongsTo, ColumnType, DbEnum, HasMany, HasOne, ManyToMany, MetaData, Model,
    };
    pub use retort_derive::{DbEnum, Model};
    /// The query runtime's calls on every model (`insert`, `get`, `find`, ...).
    #[cfg(feature = "orm")]
    pub use retort_orm::Persist;
    /// The calls on a relationship handle (`Customer::orders.load(..)`), in scope unnamed.
    #[cfg(feature = "orm")]
    pub use retort_orm::{HasChildren as _, Related as _};
}

/// The query runtime (feature `orm`): typed async queries on the models, over sqlx pools.
#[cfg(feature = "orm")]
pub use retort_orm as orm;

/// What a revision script needs: `use retort::migration::*;`. A name the naming
/// convention built is written `conv("..")` (Alembic's `op.f()`): recorded whole, and
/// shortened to each database's limit when the revision runs (PostgreSQL 63 bytes, MySQL 64,
/// SQLite none), as SQLAlchemy shortens it.
pub mod migration {
    pub use retort_core::graph::Revision;
    pub use retort_core::ops::{Constraint, ConstraintKind, Op, Operations, SwapStep, Unnamed};
    pub use retort_core::schema::{
        conv, Check, Column, Computed, Conv, Deferrable, DialectKind, Entity, EnumRef, EnumType,
        Exclude, ExcludeElement, Extension, FkAction, FkMatch, ForeignKey, Function, Identity,
        IdentityGeneration, Index, IndexElement, Literal, MaterializedView, PrimaryKey,
        SchemaComment, Sequence, SequenceOptions, Serial, ServerDefault, Table, TableRef, Trigger,
        Type, Unique, View,
    };
    pub use retort_core::schema::{Aggregate, Domain, Rule};
    pub use retort_core::schema::{Grant, Policy, RowLevelSecurity};
}

/// The command line of a migrations binary (`retort::cli::main(env)`).
#[cfg(feature = "cli")]
pub use retort_cli as cli;
#[cfg(feature = "cli")]
pub use retort_cli::Environment;
/// The migration environment's library: config, runner, `Script`, `Versions`.
#[cfg(feature = "migrate")]
pub use retort_migrate as migrate;
/// Brings a database to a revision at application start-up (see [`migrate::migrate`]).
#[cfg(feature = "migrate")]
pub use retort_migrate::migrate;
#[cfg(feature = "migrate")]
pub use retort_migrate::Versions;

/// The revision scripts compiled by the migrations crate's `build.rs`
/// (`retort_build::generate_versions_with(.., crate_path = "::retort::migrate")`),
/// with the crate's folder so the command line finds its `retort.toml` from anywhere.
#[cfg(feature = "migrate")]
#[macro_export]
macro_rules! versions {
    () => {{
        mod __retort_versions {
            include!(concat!(env!("OUT_DIR"), "/versions.rs"));
        }
        $crate::Versions {
            scripts: __retort_versions::scripts(),
            crate_dir: ::std::option::Option::Some(env!("CARGO_MANIFEST_DIR")),
        }
    }};
}
