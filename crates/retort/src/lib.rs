//! Retort facade.
pub use retort_core as core;
