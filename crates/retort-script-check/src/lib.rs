//! Compile-time check of the script writer (`retort_migrate::writer`).
//!
//! `src/generated/` holds the revision files the writer produces for each of its test
//! cases (`retort_migrate::writer::cases`); the writer's snapshot test in
//! `retort-migrate` writes them whenever its output changes. This crate includes every
//! one as a module, so a writer change that writes code that does not compile fails the
//! build, and its tests check that the copies are current and that running each
//! `upgrade`/`downgrade` records exactly the ops it was written from.
//!
//! Adding a case: add it to `cases()`, run `cargo test -p retort-migrate writer` (which
//! writes `src/generated/<name>.rs`), then list it below.
//!
//! Unused variables or imports in a written file are errors here: a user should not see a
//! warning for code the writer wrote.

#![deny(unused)]

use retort::migration::{Operations, Revision};

#[path = "generated/access.rs"]
pub mod access;
#[path = "generated/bidi_text.rs"]
pub mod bidi_text;
#[path = "generated/columns.rs"]
pub mod columns;
#[path = "generated/constraint_options.rs"]
pub mod constraint_options;
#[path = "generated/constraints_and_indexes.rs"]
pub mod constraints_and_indexes;
#[path = "generated/convention_names.rs"]
pub mod convention_names;
#[path = "generated/data.rs"]
pub mod data;
#[path = "generated/entities.rs"]
pub mod entities;
#[path = "generated/enums_schemas_comments.rs"]
pub mod enums_schemas_comments;
#[path = "generated/exclusion.rs"]
pub mod exclusion;
#[path = "generated/extensions.rs"]
pub mod extensions;
#[path = "generated/inheritance.rs"]
pub mod inheritance;
#[path = "generated/long_names.rs"]
pub mod long_names;
#[path = "generated/merge_without_changes.rs"]
pub mod merge_without_changes;
#[path = "generated/model_options.rs"]
pub mod model_options;
#[path = "generated/objects.rs"]
pub mod objects;
#[path = "generated/odd_text.rs"]
pub mod odd_text;
#[path = "generated/online.rs"]
pub mod online;
#[path = "generated/rename_hints.rs"]
pub mod rename_hints;
#[path = "generated/seed_initial.rs"]
pub mod seed_initial;
#[path = "generated/sequences.rs"]
pub mod sequences;
#[path = "generated/squashed.rs"]
pub mod squashed;
#[path = "generated/tables.rs"]
pub mod tables;
#[path = "generated/variants.rs"]
pub mod variants;

/// One compiled revision file.
#[derive(Debug, Clone, Copy)]
pub struct CompiledScript {
    /// The case name (the file stem in `src/generated/`).
    pub name: &'static str,
    pub revision: Revision,
    pub upgrade: fn(&mut Operations),
    pub downgrade: fn(&mut Operations),
}

macro_rules! script {
    ($name:ident) => {
        CompiledScript {
            name: stringify!($name),
            revision: $name::REVISION,
            upgrade: $name::upgrade,
            downgrade: $name::downgrade,
        }
    };
}

/// Every compiled revision file.
pub const SCRIPTS: &[CompiledScript] = &[
    script!(seed_initial),
    script!(tables),
    script!(columns),
    script!(constraints_and_indexes),
    script!(convention_names),
    script!(enums_schemas_comments),
    script!(data),
    script!(rename_hints),
    script!(merge_without_changes),
    script!(long_names),
    script!(odd_text),
    script!(bidi_text),
    script!(entities),
    script!(variants),
    script!(constraint_options),
    script!(model_options),
    script!(exclusion),
    script!(inheritance),
    script!(sequences),
    script!(extensions),
    script!(access),
    script!(objects),
    script!(online),
    script!(squashed),
];
