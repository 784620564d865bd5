//! The user guide, `docs/guide/`, compiled: each chapter is the documentation of a module
//! here, so `cargo test -p retort-guide --doc` compiles every Rust block of the guide and
//! runs those that are not marked `no_run`. A Rust block tagged `rs` (not a doc test; never
//! `ignore`, which would count as skipped) is one that `scripts/guide.sh` writes into a
//! project and builds for real (the test in `tests/blocks.rs` holds the guide to that); the `sh` blocks of the tutorial are run by
//! that script too.
//!
//! Read the guide in `docs/guide/` (plain Markdown); this crate is only its test.
#![doc = include_str!("../../../docs/guide/README.md")]

#[doc = include_str!("../../../docs/guide/install.md")]
pub mod install {}

#[doc = include_str!("../../../docs/guide/tutorial.md")]
pub mod tutorial {}

#[doc = include_str!("../../../docs/guide/models.md")]
pub mod models {}

#[doc = include_str!("../../../docs/guide/queries.md")]
pub mod queries {}

#[doc = include_str!("../../../docs/guide/configuration.md")]
pub mod configuration {}

#[doc = include_str!("../../../docs/guide/operations.md")]
pub mod operations {}

#[doc = include_str!("../../../docs/guide/commands.md")]
pub mod commands {}

#[doc = include_str!("../../../docs/guide/squash.md")]
pub mod squash {}

#[doc = include_str!("../../../docs/guide/features.md")]
pub mod features {}

#[doc = include_str!("../../../docs/guide/from-alembic.md")]
pub mod from_alembic {}

/// The repository's `README.md`: its model examples (every `#[derive(Model)]` attribute among
/// them, in the block `retort-derive`'s own docs compile too) compile and run here. Its two
/// fragments that need a project around them (a migrations crate's `main.rs`, a statement
/// inside a revision) are tagged `rs`, not doc tests.
#[doc = include_str!("../../../README.md")]
pub mod readme {}
